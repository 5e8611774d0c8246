package io.flick.studio;

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
 * Deleted and removed videos for the studio's video table: a VideoActor's {@code Deleted} (by its
 * creator) or {@code Removed} (by a moderator) becomes the video's row of {@code
 * studio_video_removals}. The table keeps such a video's figures, since the creator's totals still
 * include its views, and says it is gone. A replayed event rewrites the same row.
 */
public final class StudioVideoRemovalsProjection {
  public static final String NAME = "studio-video-removals";

  private StudioVideoRemovalsProjection() {}

  public static void start(ActorSystem<?> system, StudioTables tables, ProjectionMetrics metrics) {
    ReadSide.start(
        system, NAME, VideoActor.ENTITY_TYPE_KEY, () -> new RemovalsHandler(tables), metrics);
  }

  static final class RemovalsHandler extends Handler<EventEnvelope<VideoEvent>> {
    private final StudioTables tables;

    RemovalsHandler(StudioTables tables) {
      this.tables = tables;
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<VideoEvent> envelope) {
      CompletionStage<Void> write = CompletableFuture.completedFuture(null);
      if (envelope.event() instanceof VideoEvent.Deleted d) {
        write = tables.saveRemoval(d.creatorId(), d.videoId(), d.at(), false);
      } else if (envelope.event() instanceof VideoEvent.Removed r) {
        write = tables.saveRemoval(r.creatorId(), r.videoId(), r.at(), true);
      }
      return write.thenApply(done -> Done.getInstance());
    }
  }
}
