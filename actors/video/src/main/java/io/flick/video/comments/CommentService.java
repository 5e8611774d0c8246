package io.flick.video.comments;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.flick.common.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * Comments: posting and deleting ask the comment's {@link CommentActor} (the only writer: the
 * comments table and the {@code interactions} topic follow its journal); listing reads the comments
 * table. Rows are partitioned by (video, day) so a viral video's comments never make one unbounded
 * Cassandra partition; a small per-video table lists the days that have comments, newest first, so
 * paging never scans empty days. The cursor is "day:comment-timeuuid".
 *
 * <p>Refusals come back as exceptions: {@link CommentNotFoundException} (never posted, deleted, or
 * not an id a comment can have), {@link NotAuthorException}, {@link CommentIdTakenException} (a
 * client-chosen id another post holds) and {@link IllegalArgumentException} (bad input). A reply
 * that does not come within the ask timeout fails the stage with Pekko's {@code
 * AskTimeoutException} (a {@link java.util.concurrent.TimeoutException}).
 */
public final class CommentService {
  public static final int MAX_LENGTH = 500;

  public record Comment(String id, String videoId, String authorId, String text, Instant createdAt)
      implements CborSerializable {}

  public record Page(List<Comment> items, Optional<String> next) {}

  /**
   * The video a comment is posted on, as the {@code interactions} event describes it; {@code
   * soundId} is empty when it has none.
   */
  public record CommentedVideo(
      String id,
      String creatorId,
      List<String> hashtags,
      Optional<String> soundId,
      long durationMs) {
    public CommentedVideo {
      hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
      soundId = Objects.requireNonNullElse(soundId, Optional.empty());
    }
  }

  /** No such comment (never posted, or deleted). */
  public static final class CommentNotFoundException extends RuntimeException {
    // (String message): Pekko rebuilds a refusal from its class and message between nodes
    public CommentNotFoundException(String message) {
      super(message);
    }

    public static CommentNotFoundException of(String commentId) {
      return new CommentNotFoundException("no comment with id " + commentId);
    }
  }

  /** Only the author deletes a comment. */
  public static final class NotAuthorException extends RuntimeException {
    public NotAuthorException(String message) {
      super(message);
    }

    public NotAuthorException() {
      this("only the author can delete this comment");
    }
  }

  /**
   * A client-chosen comment id that another post holds (another author, video or text): the
   * client's retry key collided, or it reused one.
   */
  public static final class CommentIdTakenException extends RuntimeException {
    public CommentIdTakenException(String message) {
      super(message);
    }

    public static CommentIdTakenException of(String commentId) {
      return new CommentIdTakenException("comment " + commentId + " is another post's id");
    }
  }

  /** How far a client-chosen comment id's time may be from now (clock skew, a retry's delay). */
  public static final Duration CLIENT_ID_WINDOW = Duration.ofMinutes(10);

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final CqlSession cql;
  private final PreparedStatement selectDays;
  private final PreparedStatement selectDaysBefore;
  private final PreparedStatement selectPage;
  private final PreparedStatement selectPageBefore;

  /** Reads the ask timeout from {@code flick.ask-timeout}. */
  public CommentService(ActorSystem<?> system, CqlSession cql, String keyspace) {
    this(system, cql, keyspace, system.settings().config().getDuration("flick.ask-timeout"));
  }

  public CommentService(
      ActorSystem<?> system, CqlSession cql, String keyspace, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.cql = cql;
    String ks = keyspace + ".";
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

  /**
   * The problem with a client-chosen comment id, if any: it must be a time-based (version 1) UUID
   * in canonical form whose time is within {@link #CLIENT_ID_WINDOW} of {@code now}, since the id
   * orders the video's comments and dates the comment.
   */
  public static Optional<String> clientIdProblem(String id, Instant now) {
    Optional<UUID> uuid = CommentActor.parseId(id);
    if (uuid.isEmpty()) {
      return Optional.of(
          "a comment id must be a time-based (version 1) UUID in lower-case canonical form");
    }
    Instant at = Instant.ofEpochMilli(Uuids.unixTimestamp(uuid.get()));
    if (Duration.between(at, now).abs().compareTo(CLIENT_ID_WINDOW) > 0) {
      return Optional.of(
          "a comment id's time must be within "
              + CLIENT_ID_WINDOW.toMinutes()
              + " minutes of now (it is "
              + at
              + ")");
    }
    return Optional.empty();
  }

  /**
   * Posts a new comment of {@code authorId} (from {@code region}, on a {@code device}) on {@code
   * video}; answers once it is journaled and listed. It is counted on the video seconds later.
   *
   * <p>{@code clientId}, when given, is the comment's id as the client chose it, which makes a
   * retry safe: the same post under the same id answers the comment as it is, never a second one
   * (the CommentActor of that id is the one writer). Without it the id is made here.
   */
  public CompletionStage<Comment> add(
      CommentedVideo video,
      String authorId,
      String region,
      String device,
      String text,
      Optional<String> clientId) {
    Optional<String> problem =
        textProblem(text).or(() -> clientId.flatMap(id -> clientIdProblem(id, Instant.now())));
    if (problem.isPresent()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(problem.get()));
    }
    String commentId = clientId.orElseGet(() -> CommentActor.newId(Instant.now()));
    return ask(
        commentId,
        replyTo ->
            new CommentActor.Post(
                video.id(),
                authorId,
                text,
                video.creatorId(),
                video.hashtags(),
                video.soundId(),
                video.durationMs(),
                region,
                device,
                replyTo));
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
                  CommentTable.DAY.format(out.get(out.size() - 1).createdAt())
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

  /**
   * Deletes the caller's own comment (the caller is in {@code region}); it leaves the list at once
   * and the video's count seconds later.
   */
  public CompletionStage<Done> delete(String commentId, String requesterId, String region) {
    return ask(commentId, replyTo -> new CommentActor.Delete(requesterId, region, replyTo));
  }

  /** A moderator removes a comment (idempotent); the caller has checked the role. */
  public CompletionStage<Done> remove(String commentId, String moderatorId, String reason) {
    return ask(commentId, replyTo -> new CommentActor.Remove(moderatorId, reason, replyTo));
  }

  // ---- asking

  private <T> CompletionStage<T> ask(
      String commentId, Function<ActorRef<StatusReply<T>>, CommentActor.Command> command) {
    if (CommentActor.parseId(commentId).isEmpty()) {
      return CompletableFuture.failedFuture(CommentNotFoundException.of(commentId));
    }
    return sharding
        .entityRefFor(CommentActor.ENTITY_TYPE_KEY, commentId)
        .askWithStatus(command::apply, askTimeout)
        .exceptionally(
            failure -> {
              throw translate(failure);
            });
  }

  /**
   * The entity refuses with typed exceptions, which arrive as they are; a bare message would be a
   * refusal of a kind it does not name.
   */
  private static RuntimeException translate(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof StatusReply.ErrorMessage refusal) {
      return new IllegalArgumentException(refusal.getMessage());
    }
    return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
  }
}
