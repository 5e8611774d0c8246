package io.flick.video;

import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The {@link DeadlineIndex} follows the videos' journals: a video is remembered with its upload
 * deadline once {@code Created}, moved to its processing deadline once {@code UploadCompleted}, and
 * forgotten once READY, FAILED or deleted. {@link DeadlineSweeper} reads the index to wake the
 * overdue videos whose entities sleep.
 *
 * <p>At least once into an idempotent index (one deadline per video, set or removed), and one
 * video's events replay in journal order, so a redelivered suffix ends in the same state. The index
 * is a hint: the entity decides whether a video is overdue, and an entry the projection has not
 * written yet (seconds behind the journal) only matters for a deadline due in those seconds.
 */
public final class DeadlinesProjection {
  public static final String NAME = "video-deadlines";

  private DeadlinesProjection() {}

  /** Runs it over every VideoActor's lifecycle, on the nodes with the projections role. */
  public static void start(ActorSystem<?> system, DeadlineIndex index, ProjectionMetrics metrics) {
    Duration processingTimeout = VideoActor.processingTimeout(system);
    ReadSide.start(
        system,
        NAME,
        VideoActor.ENTITY_TYPE_KEY,
        () ->
            new Handler<EventEnvelope<VideoEvent>>() {
              @Override
              public CompletionStage<Done> process(EventEnvelope<VideoEvent> envelope) {
                return apply(index, processingTimeout, envelope.event());
              }
            },
        metrics);
  }

  /**
   * What {@code event} does to the index; {@code processingTimeout} dates the processing deadline
   * of an {@code UploadCompleted} written before events carried it, as the entity does.
   */
  static CompletionStage<Done> apply(
      DeadlineIndex index, Duration processingTimeout, VideoEvent event) {
    CompletionStage<Void> written;
    if (event instanceof VideoEvent.Created created && created.uploadDeadline() != null) {
      written = index.remember(created.videoId(), created.uploadDeadline());
    } else if (event instanceof VideoEvent.UploadCompleted completed) {
      written =
          index.remember(
              completed.videoId(),
              completed.processingDeadline() != null
                  ? completed.processingDeadline()
                  : completed.at().plus(processingTimeout));
    } else if (event instanceof VideoEvent.Readied readied) {
      written = index.forget(readied.videoId());
    } else if (event instanceof VideoEvent.Failed failed) {
      written = index.forget(failed.videoId());
    } else if (event instanceof VideoEvent.Deleted deleted) {
      written = index.forget(deleted.videoId());
    } else if (event instanceof VideoEvent.Removed removed) {
      written = index.forget(removed.videoId());
    } else {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return written.thenApply(done -> Done.getInstance());
  }
}
