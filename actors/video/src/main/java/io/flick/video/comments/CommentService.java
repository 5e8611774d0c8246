package io.flick.video.comments;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Comments of a video, newest first. Rows are partitioned by (video, day) so a viral video's
 * comments never make one unbounded Cassandra partition; a small per-video table lists the days
 * that have comments, newest first, so paging never scans empty days. The cursor is
 * "day:comment-timeuuid".
 */
public final class CommentService {
  public static final int MAX_LENGTH = 500;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  public record Comment(
      String id, String videoId, String authorId, String text, Instant createdAt) {}

  public record Page(List<Comment> items, Optional<String> next) {}

  /** No such comment (or not this caller's). */
  public static final class CommentNotFoundException extends RuntimeException {
    public CommentNotFoundException(String id) {
      super("no comment with id " + id);
    }
  }

  /** Only the author deletes a comment. */
  public static final class NotAuthorException extends RuntimeException {
    public NotAuthorException() {
      super("only the author can delete this comment");
    }
  }

  private final CqlSession cql;
  private final Clock clock;
  private final PreparedStatement insertComment;
  private final PreparedStatement insertById;
  private final PreparedStatement insertDay;
  private final PreparedStatement selectDays;
  private final PreparedStatement selectDaysBefore;
  private final PreparedStatement selectPage;
  private final PreparedStatement selectPageBefore;
  private final PreparedStatement selectById;
  private final PreparedStatement deleteComment;
  private final PreparedStatement deleteById;

  public CommentService(CqlSession cql, String keyspace, Clock clock) {
    this.cql = cql;
    this.clock = clock;
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
    selectDays = cql.prepare("SELECT day FROM " + ks + "comment_days WHERE video_id = ? LIMIT 400");
    selectDaysBefore =
        cql.prepare(
            "SELECT day FROM " + ks + "comment_days WHERE video_id = ? AND day < ? LIMIT 400");
    selectPage =
        cql.prepare(
            "SELECT comment_id, author_id, text FROM "
                + ks
                + "comments_by_video"
                + " WHERE video_id = ? AND day = ? LIMIT ?");
    selectPageBefore =
        cql.prepare(
            "SELECT comment_id, author_id, text FROM "
                + ks
                + "comments_by_video"
                + " WHERE video_id = ? AND day = ? AND comment_id < ? LIMIT ?");
    selectById =
        cql.prepare(
            "SELECT video_id, day, author_id FROM " + ks + "comments_by_id WHERE comment_id = ?");
    deleteComment =
        cql.prepare(
            "DELETE FROM "
                + ks
                + "comments_by_video WHERE video_id = ? AND day = ? AND comment_id = ?");
    deleteById = cql.prepare("DELETE FROM " + ks + "comments_by_id WHERE comment_id = ?");
  }

  /** Text is checked here: 1 to {@value #MAX_LENGTH} characters after trimming. */
  public static Optional<String> textProblem(String text) {
    if (text == null || text.isBlank()) {
      return Optional.of("a comment needs some text");
    }
    String stripped = text.strip();
    if (stripped.codePointCount(0, stripped.length()) > MAX_LENGTH) {
      return Optional.of("a comment may have at most " + MAX_LENGTH + " characters");
    }
    return Optional.empty();
  }

  public CompletionStage<Comment> add(String videoId, String authorId, String text) {
    Optional<String> problem = textProblem(text);
    if (problem.isPresent()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(problem.get()));
    }
    Instant now = clock.instant();
    UUID id = Uuids.startOf(now.toEpochMilli());
    id = new UUID(id.getMostSignificantBits(), Uuids.random().getLeastSignificantBits());
    int day = Integer.parseInt(DAY.format(now));
    String body = text.strip();
    UUID commentId = id;
    BatchStatement batch =
        BatchStatement.newInstance(
            DefaultBatchType.LOGGED,
            insertComment.bind(videoId, day, commentId, authorId, body),
            insertById.bind(commentId, videoId, day, authorId),
            insertDay.bind(videoId, day));
    return cql.executeAsync(batch)
        .thenApply(done -> new Comment(commentId.toString(), videoId, authorId, body, now));
  }

  /** Newest first; {@code cursor} is what the previous page returned as next. */
  public CompletionStage<Page> list(String videoId, Optional<String> cursor, int limit) {
    Optional<int[]> dayCursor = Optional.empty();
    Optional<UUID> idCursor = Optional.empty();
    if (cursor.isPresent()) {
      String[] parts = cursor.get().split(":", 2);
      try {
        dayCursor = Optional.of(new int[] {Integer.parseInt(parts[0])});
        idCursor = Optional.of(UUID.fromString(parts[1]));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("not a comment cursor"));
      }
    }
    int startDay = dayCursor.map(d -> d[0]).orElse(Integer.MAX_VALUE);
    Optional<UUID> startId = idCursor;
    CompletionStage<AsyncResultSet> days =
        cursor.isEmpty()
            ? cql.executeAsync(selectDays.bind(videoId))
            : cql.executeAsync(selectDaysBefore.bind(videoId, startDay + 1));
    return days.thenCompose(
        rs -> {
          List<Integer> dayList = new ArrayList<>();
          for (Row row : rs.currentPage()) {
            dayList.add(row.getInt("day"));
          }
          return collect(videoId, dayList, 0, startDay, startId, limit, new ArrayList<>());
        });
  }

  private CompletionStage<Page> collect(
      String videoId,
      List<Integer> days,
      int index,
      int startDay,
      Optional<UUID> startId,
      int limit,
      List<Comment> out) {
    if (out.size() >= limit || index >= days.size()) {
      Optional<String> next =
          out.size() >= limit && !out.isEmpty()
              ? Optional.of(
                  DAY.format(out.get(out.size() - 1).createdAt())
                      + ":"
                      + out.get(out.size() - 1).id())
              : Optional.empty();
      return CompletableFuture.completedFuture(new Page(List.copyOf(out), next));
    }
    int day = days.get(index);
    int want = limit - out.size();
    var statement =
        day == startDay && startId.isPresent()
            ? selectPageBefore.bind(videoId, day, startId.get(), want)
            : selectPage.bind(videoId, day, want);
    return cql.executeAsync(statement)
        .thenCompose(
            rs -> {
              for (Row row : rs.currentPage()) {
                UUID id = row.getUuid("comment_id");
                out.add(
                    new Comment(
                        id.toString(),
                        videoId,
                        row.getString("author_id"),
                        row.getString("text"),
                        Instant.ofEpochMilli(Uuids.unixTimestamp(id))));
              }
              return collect(videoId, days, index + 1, startDay, startId, limit, out);
            });
  }

  /** Deletes the caller's own comment; answers the video it was on. */
  public CompletionStage<String> delete(String commentId, String requesterId) {
    UUID id;
    try {
      id = UUID.fromString(commentId);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new CommentNotFoundException(commentId));
    }
    return cql.executeAsync(selectById.bind(id))
        .thenCompose(
            rs -> {
              Row row = rs.one();
              if (row == null) {
                throw new CommentNotFoundException(commentId);
              }
              if (!row.getString("author_id").equals(requesterId)) {
                throw new NotAuthorException();
              }
              String videoId = row.getString("video_id");
              BatchStatement batch =
                  BatchStatement.newInstance(
                      DefaultBatchType.LOGGED,
                      deleteComment.bind(videoId, row.getInt("day"), id),
                      deleteById.bind(id));
              return cql.executeAsync(batch).thenApply(done -> videoId);
            });
  }
}
