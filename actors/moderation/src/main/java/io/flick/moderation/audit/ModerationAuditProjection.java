package io.flick.moderation.audit;

import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import io.flick.moderation.audit.AuditLog.Entry;
import io.flick.video.VideoActor;
import io.flick.video.VideoEvent;
import io.flick.video.comments.CommentActor;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The audit log follows the entities' journals: a video held (by a moderator or the pipeline's
 * hook), released or removed, a comment removed by a moderator. The facts are the entities' events,
 * which name the moderator and the reason; the log is only a view of them, so an action can never
 * be taken without being logged. Idempotent: an entry's key is its event's.
 */
public final class ModerationAuditProjection {
  public static final String VIDEOS = "moderation-audit-videos";
  public static final String COMMENTS = "moderation-audit-comments";

  private ModerationAuditProjection() {}

  public static void start(ActorSystem<?> system, AuditLog log, ProjectionMetrics metrics) {
    ReadSide.start(
        system,
        VIDEOS,
        VideoActor.ENTITY_TYPE_KEY,
        () ->
            new Handler<EventEnvelope<VideoEvent>>() {
              @Override
              public CompletionStage<Done> process(EventEnvelope<VideoEvent> envelope) {
                return write(log, entryOf(envelope.event()));
              }
            },
        metrics);
    ReadSide.start(
        system,
        COMMENTS,
        CommentActor.ENTITY_TYPE_KEY,
        () ->
            new Handler<EventEnvelope<CommentActor.Event>>() {
              @Override
              public CompletionStage<Done> process(EventEnvelope<CommentActor.Event> envelope) {
                return write(log, entryOf(envelope.event()));
              }
            },
        metrics);
  }

  static Optional<Entry> entryOf(VideoEvent event) {
    if (event instanceof VideoEvent.Held held) {
      String by = held.moderatorId() == null ? AuditLog.HOOK : held.moderatorId();
      return Optional.of(new Entry(held.at(), "hold", "video", held.videoId(), by, held.reason()));
    }
    if (event instanceof VideoEvent.Released released) {
      return Optional.of(
          new Entry(
              released.at(), "release", "video", released.videoId(), released.moderatorId(), ""));
    }
    if (event instanceof VideoEvent.Removed removed) {
      return Optional.of(
          new Entry(
              removed.at(),
              "remove",
              "video",
              removed.videoId(),
              removed.moderatorId(),
              removed.reason()));
    }
    return Optional.empty();
  }

  static Optional<Entry> entryOf(CommentActor.Event event) {
    if (event instanceof CommentActor.CommentDeleted deleted && deleted.removedBy() != null) {
      return Optional.of(
          new Entry(
              deleted.at(),
              "remove",
              "comment",
              deleted.commentId(),
              deleted.removedBy(),
              deleted.reason()));
    }
    return Optional.empty();
  }

  private static CompletionStage<Done> write(AuditLog log, Optional<Entry> entry) {
    return entry.isPresent()
        ? log.record(entry.get())
        : CompletableFuture.completedFuture(Done.getInstance());
  }
}
