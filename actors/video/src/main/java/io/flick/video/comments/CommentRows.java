package io.flick.video.comments;

import io.flick.video.comments.CommentActor.CommentDeleted;
import io.flick.video.comments.CommentActor.CommentPosted;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * The comments table as the {@link CommentActor} and the {@link CommentInteractionsProjection}
 * write it ({@link CommentTable} in Cassandra). Both writes are idempotent and commute: each is
 * dated by its event (a row by when the comment was posted, its removal by when it was deleted, and
 * always after the post), so writing either again, in any order, ends with the row there while the
 * comment lives and gone once it is deleted.
 */
public interface CommentRows {
  /** Writes the comment's row (and its day), dated {@link CommentPosted#createdAt()}. */
  CompletionStage<Done> upsert(CommentPosted posted);

  /** Removes the comment's row, dated {@link CommentDeleted#at()} (and after its creation). */
  CompletionStage<Done> delete(CommentDeleted deleted);

  /** Where a comment lives and who wrote it, as the table has it. */
  record Stored(String videoId, String authorId, Instant createdAt) {}

  /**
   * The row of {@code commentId}, if it has one: how comments from before the journal are found.
   */
  CompletionStage<Optional<Stored>> find(UUID commentId);
}
