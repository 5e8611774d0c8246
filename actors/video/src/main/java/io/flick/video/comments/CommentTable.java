package io.flick.video.comments;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.flick.video.comments.CommentActor.CommentDeleted;
import io.flick.video.comments.CommentActor.CommentPosted;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;

/**
 * {@link CommentRows} in Cassandra: {@code comments_by_video} (a video's comments by UTC day,
 * newest first), {@code comment_days} and {@code comments_by_id} (V004__comments.cql), each change
 * one logged batch.
 *
 * <p>Every write carries the write time of its event ({@code USING TIMESTAMP}, set on the
 * statement) instead of the time it happens to run: a row is written at its comment's creation, its
 * removal at the deletion (never before the creation). So a row written again by the projection
 * changes nothing, and a post written after the delete (the entity's write overtaken by its own
 * delete, or the projection replaying the post) stays shadowed by the delete's tombstone.
 */
public final class CommentTable implements CommentRows {
  static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private final CqlSession cql;
  private final PreparedStatement insertComment;
  private final PreparedStatement insertById;
  private final PreparedStatement insertDay;
  private final PreparedStatement deleteComment;
  private final PreparedStatement deleteById;
  private final PreparedStatement selectById;

  public CommentTable(CqlSession cql, String keyspace) {
    this.cql = cql;
    String ks = keyspace + ".";
    insertComment =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "comments_by_video (video_id, day, comment_id, author_id, text)"
                + " VALUES (?, ?, ?, ?, ?)");
    insertById =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "comments_by_id (comment_id, video_id, day, author_id)"
                + " VALUES (?, ?, ?, ?)");
    insertDay = cql.prepare("INSERT INTO " + ks + "comment_days (video_id, day) VALUES (?, ?)");
    deleteComment =
        cql.prepare(
            "DELETE FROM "
                + ks
                + "comments_by_video WHERE video_id = ? AND day = ? AND comment_id = ?");
    deleteById = cql.prepare("DELETE FROM " + ks + "comments_by_id WHERE comment_id = ?");
    selectById =
        cql.prepare(
            "SELECT video_id, author_id FROM " + ks + "comments_by_id WHERE comment_id = ?");
  }

  /** The UTC day a comment of {@code createdAt} is stored under, as yyyyMMdd. */
  static int dayOf(Instant createdAt) {
    return Integer.parseInt(DAY.format(createdAt));
  }

  @Override
  public CompletionStage<Done> upsert(CommentPosted posted) {
    UUID id = UUID.fromString(posted.commentId());
    int day = dayOf(posted.createdAt());
    BatchStatement batch =
        BatchStatement.newInstance(
                DefaultBatchType.LOGGED,
                insertComment.bind(posted.videoId(), day, id, posted.authorId(), posted.text()),
                insertById.bind(id, posted.videoId(), day, posted.authorId()),
                insertDay.bind(posted.videoId(), day))
            .setQueryTimestamp(micros(posted.createdAt()));
    return cql.executeAsync(batch).thenApply(done -> Done.getInstance());
  }

  @Override
  public CompletionStage<Done> delete(CommentDeleted deleted) {
    UUID id = UUID.fromString(deleted.commentId());
    long created = micros(deleted.createdAt());
    BatchStatement batch =
        BatchStatement.newInstance(
                DefaultBatchType.LOGGED,
                deleteComment.bind(deleted.videoId(), dayOf(deleted.createdAt()), id),
                deleteById.bind(id))
            // after the row's own write time, whatever the deleting node's clock says
            .setQueryTimestamp(Math.max(micros(deleted.at()), created + 1));
    return cql.executeAsync(batch).thenApply(done -> Done.getInstance());
  }

  @Override
  public CompletionStage<Optional<Stored>> find(UUID commentId) {
    return cql.executeAsync(selectById.bind(commentId))
        .thenApply(
            rs -> {
              Row row = rs.one();
              return row == null
                  ? Optional.empty()
                  : Optional.of(
                      new Stored(
                          row.getString("video_id"),
                          row.getString("author_id"),
                          Instant.ofEpochMilli(Uuids.unixTimestamp(commentId))));
            });
  }

  private static long micros(Instant at) {
    return TimeUnit.SECONDS.toMicros(at.getEpochSecond()) + at.getNano() / 1_000;
  }
}
