package io.flick.video.sound;

import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import io.flick.video.VideoActor;
import io.flick.video.VideoEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The sounds table follows the VideoActors' journal: {@code SoundCreated} adds the sound and its
 * fingerprint's lookup keys, {@code ReuseSet} flips whether it may be reused. At least once into
 * idempotent upserts. A sound outlives its original video (the clips using it own their media).
 */
public final class SoundsProjection {
  public static final String NAME = "sounds";

  private SoundsProjection() {}

  public static void start(ActorSystem<?> system, SoundCatalog catalog, ProjectionMetrics metrics) {
    ReadSide.start(
        system, NAME, VideoActor.ENTITY_TYPE_KEY, () -> new SoundHandler(catalog), metrics);
  }

  static final class SoundHandler extends Handler<EventEnvelope<VideoEvent>> {
    private final SoundCatalog catalog;

    SoundHandler(SoundCatalog catalog) {
      this.catalog = catalog;
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<VideoEvent> envelope) {
      return apply(catalog, envelope.event());
    }
  }

  static CompletionStage<Done> apply(SoundCatalog catalog, VideoEvent event) {
    CompletionStage<Void> written = CompletableFuture.completedFuture(null);
    if (event instanceof VideoEvent.SoundCreated created) {
      written = catalog.created(created);
    } else if (event instanceof VideoEvent.ReuseSet reuse) {
      written = catalog.reuse(reuse.videoId(), reuse.allowed());
    }
    return written.thenApply(v -> Done.getInstance());
  }
}
