package io.flick.video.comments;

import io.flick.common.kafka.InteractionPublisher;
import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import io.flick.proto.events.Interaction;
import io.flick.video.comments.CommentActor.CommentDeleted;
import io.flick.video.comments.CommentActor.CommentPosted;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Comments → the comments table and the {@code interactions} topic: the outbox of the {@link
 * CommentActor}. For {@code CommentPosted} it writes the comment's row (again: the entity wrote it
 * before answering, so this only repairs a row lost to a crash between the journal write and the
 * table write) and publishes a COMMENT interaction; for {@code CommentDeleted} it removes the row
 * and publishes COMMENT_DELETED. So a comment is counted on its video if and only if it was stored,
 * and no route writes two places.
 *
 * <p>At least once, per effect:
 *
 * <ul>
 *   <li>the table: idempotent; every write is dated by its event ({@link CommentTable}), so a
 *       replayed post neither duplicates a row nor brings back a deleted one;
 *   <li>the topic: at least once, with a deterministic {@code event_id} — {@code
 *       comment:<id>:posted} and {@code comment:<id>:deleted} — so a redelivery after a crash
 *       between the publish and the stored offset is the same event twice, which the counter
 *       consumer drops by id. Keyed by video id ({@link InteractionPublisher}), so a comment's two
 *       events keep their order in the video's partition; {@code at_epoch_ms} is the event's time,
 *       not the publish time.
 * </ul>
 *
 * <p>Exactly-once (the offset and the publish in one transaction) is not available: the offset is
 * in Cassandra and the event in Kafka. Deterministic ids make at-least-once count once.
 */
public final class CommentInteractionsProjection {
  public static final String NAME = "comment-interactions";

  private CommentInteractionsProjection() {}

  /** Runs it over every CommentActor's events, on the nodes with the projections role. */
  public static void start(
      ActorSystem<?> system,
      CommentRows rows,
      InteractionPublisher interactions,
      ProjectionMetrics metrics) {
    ReadSide.start(
        system,
        NAME,
        CommentActor.ENTITY_TYPE_KEY,
        () -> new CommentsHandler(rows, interactions),
        metrics);
  }

  static final class CommentsHandler extends Handler<EventEnvelope<CommentActor.Event>> {
    private final CommentRows rows;
    private final InteractionPublisher interactions;

    CommentsHandler(CommentRows rows, InteractionPublisher interactions) {
      this.rows = rows;
      this.interactions = interactions;
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<CommentActor.Event> envelope) {
      return apply(rows, interactions, envelope.event());
    }
  }

  static CompletionStage<Done> apply(
      CommentRows rows, InteractionPublisher interactions, CommentActor.Event event) {
    if (event instanceof CommentPosted posted) {
      return rows.upsert(posted)
          .thenCompose(written -> interactions.publish(interaction(posted)))
          .thenApply(published -> Done.getInstance());
    }
    if (event instanceof CommentDeleted deleted) {
      return rows.delete(deleted)
          .thenCompose(removed -> interactions.publish(interaction(deleted)))
          .thenApply(published -> Done.getInstance());
    }
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  /** The id of the COMMENT interaction of a comment: the same however often it is published. */
  public static String postedEventId(String commentId) {
    return "comment:" + commentId + ":posted";
  }

  /** The id of the COMMENT_DELETED interaction of a comment. */
  public static String deletedEventId(String commentId) {
    return "comment:" + commentId + ":deleted";
  }

  static Interaction.Builder interaction(CommentPosted posted) {
    return Interaction.newBuilder()
        .setEventId(postedEventId(posted.commentId()))
        .setKind(Interaction.Kind.COMMENT)
        .setVideoId(posted.videoId())
        .setUserId(posted.authorId())
        .setCreatorId(posted.creatorId())
        .setRegion(posted.region())
        .setDevice(posted.device())
        .addAllHashtags(posted.hashtags())
        .setSoundId(posted.soundId() == null ? "" : posted.soundId())
        .setDurationMs(posted.durationMs())
        .setAtEpochMs(posted.createdAt().toEpochMilli());
  }

  static Interaction.Builder interaction(CommentDeleted deleted) {
    return Interaction.newBuilder()
        .setEventId(deletedEventId(deleted.commentId()))
        .setKind(Interaction.Kind.COMMENT_DELETED)
        .setVideoId(deleted.videoId())
        .setUserId(deleted.authorId())
        .setCreatorId(deleted.creatorId())
        .setRegion(deleted.region())
        .setAtEpochMs(deleted.at().toEpochMilli());
  }
}
