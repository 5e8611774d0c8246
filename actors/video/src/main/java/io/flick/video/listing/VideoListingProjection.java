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
 * topic every node's For You catalogue reads; once it has written {@code Deleted} (or a moderator's
 * {@code Removed}), it leaves the creator's list and the catalogue and its objects are removed from
 * the bucket (the index keeps the row; pages skip videos that are not READY). {@code Held} takes it
 * off the lists and keeps its media; {@code Released} lists it again.
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
      return listedIfReady(listings, readied.videoId());
    }
    if (event instanceof VideoEvent.Released released) {
      return listedIfReady(listings, released.videoId());
    }
    if (event instanceof VideoEvent.Held held) {
      // off the lists, media kept for the moderator
      return unlisted(listings, held.creatorId(), held.videoId());
    }
    if (event instanceof VideoEvent.Deleted deleted) {
      return unlisted(listings, deleted.creatorId(), deleted.videoId())
          .thenCompose(done -> listings.media().remove(deleted.videoId()))
          .thenApply(removed -> Done.getInstance());
    }
    if (event instanceof VideoEvent.Removed removed) {
      return unlisted(listings, removed.creatorId(), removed.videoId())
          .thenCompose(done -> listings.media().remove(removed.videoId()))
          .thenApply(gone -> Done.getInstance());
    }
    return done();
  }

  /** Lists what the entity says is READY now (a replayed event of a held or deleted video: no). */
  private static CompletionStage<Done> listedIfReady(Listings listings, String videoId) {
    return listings
        .videos()
        .get(videoId)
        .thenCompose(
            video ->
                video.filter(v -> v.status() == Status.READY).isPresent()
                    ? listed(listings, video.get())
                    : done());
  }

  private static CompletionStage<Done> unlisted(
      Listings listings, String creatorId, String videoId) {
    return listings
        .creators()
        .removeVideo(creatorId, videoId)
        // gone from every node's feeds once Kafka has it
        .thenCompose(change -> listings.catalog().removed(videoId))
        .thenApply(removed -> Done.getInstance());
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
                        video.media().durationMs(),
                        video.media().content()))
        .thenApply(published -> Done.getInstance());
  }

  private static CompletionStage<Done> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
