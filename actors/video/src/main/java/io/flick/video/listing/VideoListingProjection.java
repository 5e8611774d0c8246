package io.flick.video.listing;

import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import io.flick.creator.CreatorService;
import io.flick.video.VideoActor;
import io.flick.video.VideoEvent;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary;
import io.flick.video.VideoSummary.Status;
import io.flick.video.catalog.VideoCatalog;
import io.flick.video.index.VideoIndex;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * A video's listings follow its journal: once the VideoActor has written {@code Readied}, the video
 * is added to its hashtags' and sound's index, to its creator's list and to the {@code videos}
 * topic every node's For You catalogue reads; once it has written {@code Deleted}, it leaves the
 * creator's list and the catalogue and its objects are removed from the bucket (the index keeps the
 * row; pages skip videos that are gone).
 *
 * <p>At least once into idempotent writes: index rows and list entries are keyed by the video, the
 * topic is compacted by video id and its readers replace an entry by id, and removing media or an
 * entry that is not there changes nothing. One video's events replay in journal order, so a
 * redelivered suffix ends in the same state. A {@code Readied} handled after the video was deleted
 * adds nothing: the handler lists what the entity says is READY now.
 */
public final class VideoListingProjection {
  public static final String NAME = "video-listings";

  private VideoListingProjection() {}

  /** The writes the projection makes, one per listing. */
  public record Listings(
      VideoService videos,
      VideoIndex index,
      CreatorService creators,
      VideoCatalog catalog,
      MediaRemoval media) {}

  /** Runs it over every VideoActor's READY and deletion, on the nodes with the projections role. */
  public static void start(ActorSystem<?> system, Listings listings, ProjectionMetrics metrics) {
    ReadSide.start(
        system, NAME, VideoActor.ENTITY_TYPE_KEY, () -> new ListingHandler(listings), metrics);
  }

  static final class ListingHandler extends Handler<EventEnvelope<VideoEvent>> {
    private final Listings listings;

    ListingHandler(Listings listings) {
      this.listings = listings;
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<VideoEvent> envelope) {
      return apply(listings, envelope.event());
    }
  }

  static CompletionStage<Done> apply(Listings listings, VideoEvent event) {
    if (event instanceof VideoEvent.Readied readied) {
      return listings
          .videos()
          .get(readied.videoId())
          .thenCompose(
              video ->
                  video.filter(v -> v.status() == Status.READY).isPresent()
                      ? listed(listings, video.get())
                      : done());
    }
    if (event instanceof VideoEvent.Deleted deleted) {
      return listings
          .creators()
          .removeVideo(deleted.creatorId(), deleted.videoId())
          // gone from every node's feeds once Kafka has it
          .thenCompose(change -> listings.catalog().removed(deleted.videoId()))
          .thenCompose(removed -> listings.media().remove(deleted.videoId()))
          .thenApply(removed -> Done.getInstance());
    }
    return done();
  }

  private static CompletionStage<Done> listed(Listings listings, VideoSummary video) {
    return listings
        .index()
        .index(video)
        .thenCompose(
            indexed ->
                listings.creators().addVideo(video.creatorId(), video.id(), video.createdAt()))
        .thenCompose(
            added ->
                listings
                    .catalog()
                    .ready(
                        video.id(),
                        video.creatorId(),
                        video.hashtags(),
                        video.soundId().orElse(null),
                        video.createdAt().toEpochMilli(),
                        video.media().durationMs()))
        .thenApply(published -> Done.getInstance());
  }

  private static CompletionStage<Done> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
