package io.flick.moderation.duplicates;

import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import io.flick.moderation.duplicates.Fingerprints.Fact;
import io.flick.moderation.duplicates.Fingerprints.Kind;
import io.flick.video.VideoActor;
import io.flick.video.VideoEvent;
import io.flick.video.fingerprint.DHash;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The near-duplicate finder's facts follow the VideoActors' journals: a {@code Readied} with dHash
 * material gives the video's frame hashes, a {@code Removed} or {@code Deleted} says it is gone.
 * Idempotent: a row's key is its event's time, video and kind.
 */
public final class FingerprintProjection {
  public static final String NAME = "video-fingerprints";

  private static final long[] NO_FRAMES = new long[0];

  private FingerprintProjection() {}

  public static void start(ActorSystem<?> system, Fingerprints table, ProjectionMetrics metrics) {
    ReadSide.start(
        system,
        NAME,
        VideoActor.ENTITY_TYPE_KEY,
        () ->
            new Handler<EventEnvelope<VideoEvent>>() {
              @Override
              public CompletionStage<Done> process(EventEnvelope<VideoEvent> envelope) {
                Optional<Fact> fact = factOf(envelope.event());
                return fact.isPresent()
                    ? table.write(fact.get())
                    : CompletableFuture.completedFuture(Done.getInstance());
              }
            },
        metrics);
  }

  static Optional<Fact> factOf(VideoEvent event) {
    if (event instanceof VideoEvent.Readied readied && readied.dhash() != null) {
      long[] frames = DHash.hashes(Base64.getDecoder().decode(readied.dhash()));
      return Optional.of(
          new Fact(readied.at(), readied.videoId(), Kind.READY, readied.creatorId(), frames));
    }
    if (event instanceof VideoEvent.Removed removed) {
      return Optional.of(
          new Fact(removed.at(), removed.videoId(), Kind.REMOVED, removed.creatorId(), NO_FRAMES));
    }
    if (event instanceof VideoEvent.Deleted deleted) {
      return Optional.of(
          new Fact(deleted.at(), deleted.videoId(), Kind.DELETED, deleted.creatorId(), NO_FRAMES));
    }
    return Optional.empty();
  }
}
