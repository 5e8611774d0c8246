package io.flick.video.comments;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.flick.common.CborSerializable;
import io.flick.common.NodeRoles;
import io.flick.common.projection.ReadSide;
import io.flick.video.comments.CommentService.Comment;
import io.flick.video.comments.CommentService.CommentIdTakenException;
import io.flick.video.comments.CommentService.CommentNotFoundException;
import io.flick.video.comments.CommentService.NotAuthorException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One comment, keyed by its id (a time-based UUID: the comments table orders a video's comments by
 * it, and the comment's time is read from it). The entity is the only writer of the fact that a
 * comment was posted or deleted; everything derived from it follows its journal:
 *
 * <ul>
 *   <li>the comments table ({@link CommentRows}): written here right after the event is persisted
 *       and before the reply, so the author lists their comment at once (read-your-writes), and
 *       again by the {@link CommentInteractionsProjection}, which repairs a row lost to a crash
 *       between the journal write and the table write;
 *   <li>the {@code interactions} topic (COMMENT, COMMENT_DELETED): only by that projection, an
 *       outbox, so a comment is counted if and only if it was stored.
 * </ul>
 *
 * <p>{@link Post} is idempotent: repeated with the same author, video and text it answers the
 * comment as it is. {@link Delete} is the author's only; a comment that was never posted, or is
 * deleted, answers {@link CommentNotFoundException}. Comments written to the table before this
 * entity existed have no journal: the first {@link Delete} of one looks it up in the table and
 * journals its deletion like any other.
 *
 * <p>A table write that fails after the event is persisted does not fail the command: the fact is
 * in the journal, and the projection writes the row seconds later.
 */
public final class CommentActor
    extends EventSourcedBehaviorWithEnforcedReplies<
        CommentActor.Command, CommentActor.Event, CommentActor.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Comment");

  /** Hosted on the nodes with the entities role; a proxy on the others. */
  public static void init(ActorSystem<?> system, CommentRows rows) {
    Entity<Command, ShardingEnvelope<Command>> entity =
        Entity.of(
            ENTITY_TYPE_KEY,
            ctx -> CommentActor.create(ctx.getEntityId(), rows, Clock.systemUTC()));
    ClusterSharding.get(system)
        .init(
            NodeRoles.restrictTo(system, NodeRoles.ENTITIES).map(entity::withRole).orElse(entity));
  }

  static Behavior<Command> create(String commentId, CommentRows rows, Clock clock) {
    return Behaviors.setup(context -> new CommentActor(commentId, rows, clock, context));
  }

  /** Whether {@code id} can name a comment: a time-based UUID, as {@link #newId} makes. */
  public static Optional<UUID> parseId(String id) {
    try {
      UUID uuid = UUID.fromString(id);
      return uuid.version() == 1 && uuid.toString().equals(id)
          ? Optional.of(uuid)
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A new comment id: a time-based UUID of {@code now}, random in its other bits. */
  public static String newId(Instant now) {
    UUID start = Uuids.startOf(now.toEpochMilli());
    return new UUID(start.getMostSignificantBits(), Uuids.random().getLeastSignificantBits())
        .toString();
  }

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /**
   * Posts the comment this entity's id names. {@code creatorId}, {@code hashtags}, {@code soundId}
   * and {@code durationMs} describe the video, {@code region} and {@code device} the author: what
   * the {@code interactions} event carries, so its readers need not look them up. {@code text} is
   * stripped and must pass {@link CommentService#textProblem}.
   */
  public record Post(
      String videoId,
      String authorId,
      String text,
      String creatorId,
      List<String> hashtags,
      Optional<String> soundId,
      long durationMs,
      String region,
      String device,
      ActorRef<StatusReply<Comment>> replyTo)
      implements Command {
    public Post {
      hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
      soundId = Objects.requireNonNullElse(soundId, Optional.empty());
    }
  }

  /** The author deletes the comment; {@code region} is theirs, for the interaction event. */
  public record Delete(String requesterId, String region, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /**
   * A moderator removes the comment (the caller has checked the role): deleted as by its author,
   * with who removed it and why.
   */
  public record Remove(String moderatorId, String reason, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /**
   * The table write after {@code event} is done, or failed ({@code failure}): now answer. Sent to
   * self only, never across nodes.
   */
  private record RowWritten(
      Event event,
      ActorRef<StatusReply<Comment>> postedTo,
      ActorRef<StatusReply<Done>> deletedTo,
      String failure)
      implements Command, NoSerializationVerificationNeeded {}

  /**
   * What the table says of a comment with no journal (written before this entity existed), or why
   * it could not be read ({@code failure}). Sent to self only.
   */
  private record LegacyLookedUp(Delete command, Optional<CommentRows.Stored> row, String failure)
      implements Command, NoSerializationVerificationNeeded {}

  // ---- events

  public sealed interface Event extends CborSerializable {
    String commentId();

    String videoId();
  }

  /**
   * A comment was posted. {@code soundId} is null when the video has none; {@code createdAt} is the
   * time in the comment's id.
   */
  public record CommentPosted(
      String commentId,
      String videoId,
      String authorId,
      String text,
      Instant createdAt,
      String creatorId,
      List<String> hashtags,
      String soundId,
      long durationMs,
      String region,
      String device)
      implements Event {
    public CommentPosted {
      hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
    }
  }

  /**
   * The comment was deleted at {@code at} by its author (from {@code region}), or removed by the
   * moderator {@code removedBy} for {@code reason} (both null for an author's deletion and in
   * events written before moderators could remove comments). {@code creatorId} is empty for a
   * comment written before comments were journaled.
   */
  public record CommentDeleted(
      String commentId,
      String videoId,
      String authorId,
      Instant createdAt,
      String creatorId,
      String region,
      Instant at,
      String removedBy,
      String reason)
      implements Event {

    /** Deleted by its author. */
    public CommentDeleted(
        String commentId,
        String videoId,
        String authorId,
        Instant createdAt,
        String creatorId,
        String region,
        Instant at) {
      this(commentId, videoId, authorId, createdAt, creatorId, region, at, null, null);
    }
  }

  // ---- state

  public sealed interface State extends CborSerializable {}

  /** Never posted (or posted before comments were journaled: see {@link LegacyLookedUp}). */
  public record Empty() implements State {}

  public record Live(CommentPosted posted) implements State {
    Comment comment() {
      return new Comment(
          posted.commentId(),
          posted.videoId(),
          posted.authorId(),
          posted.text(),
          posted.createdAt());
    }
  }

  public record Deleted(CommentDeleted deleted) implements State {}

  // ---- the entity

  private final String commentId;
  private final CommentRows rows;
  private final Clock clock;
  private final ActorContext<Command> context;

  private CommentActor(
      String commentId, CommentRows rows, Clock clock, ActorContext<Command> context) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), commentId));
    this.commentId = commentId;
    this.rows = rows;
    this.clock = clock;
    this.context = context;
  }

  @Override
  public State emptyState() {
    return new Empty();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return ReadSide.tag(ENTITY_TYPE_KEY, commentId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forStateType(Empty.class)
        .onCommand(Post.class, this::onPost)
        .onCommand(Delete.class, this::onDeleteUnknown)
        // a comment from before comments were journaled is deleted by its author only
        .onCommand(Remove.class, (s, c) -> refuse(c.replyTo(), notFound()))
        .onCommand(LegacyLookedUp.class, this::onLegacyLookedUp);
    builder
        .forStateType(Live.class)
        .onCommand(Post.class, this::onPostAgain)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Remove.class, this::onRemove)
        .onCommand(LegacyLookedUp.class, (s, c) -> refuse(c.command().replyTo(), notFound()));
    builder
        .forStateType(Deleted.class)
        .onCommand(Post.class, (s, c) -> refuse(c.replyTo(), notFound()))
        .onCommand(Delete.class, (s, c) -> refuse(c.replyTo(), notFound()))
        // removing what is gone is done already
        .onCommand(Remove.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.ack()))
        .onCommand(LegacyLookedUp.class, (s, c) -> refuse(c.command().replyTo(), notFound()));
    builder.forAnyState().onCommand(RowWritten.class, this::onRowWritten);
    return builder.build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forAnyState().onEvent(CommentPosted.class, (s, e) -> new Live(e));
    builder.forAnyState().onEvent(CommentDeleted.class, (s, e) -> new Deleted(e));
    return builder.build();
  }

  // -- post

  private ReplyEffect<Event, State> onPost(Empty state, Post cmd) {
    Optional<UUID> id = parseId(commentId);
    if (id.isEmpty()) {
      return refuse(cmd.replyTo(), new IllegalArgumentException("not a comment id: " + commentId));
    }
    Optional<String> problem =
        CommentService.textProblem(cmd.text())
            .or(() -> blank(cmd.videoId(), "videoId"))
            .or(() -> blank(cmd.authorId(), "authorId"))
            .or(() -> blank(cmd.creatorId(), "creatorId"));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), new IllegalArgumentException(problem.get()));
    }
    var posted =
        new CommentPosted(
            commentId,
            cmd.videoId(),
            cmd.authorId(),
            cmd.text().strip(),
            Instant.ofEpochMilli(Uuids.unixTimestamp(id.get())),
            cmd.creatorId(),
            cmd.hashtags(),
            cmd.soundId().orElse(null),
            cmd.durationMs(),
            Objects.requireNonNullElse(cmd.region(), ""),
            Objects.requireNonNullElse(cmd.device(), ""));
    return Effect()
        .persist(posted)
        .thenRun(s -> writeRow(rows.upsert(posted), posted, cmd.replyTo(), null))
        .thenNoReply();
  }

  /** A retry of the same post answers the comment; another post under this id is refused. */
  private ReplyEffect<Event, State> onPostAgain(Live state, Post cmd) {
    CommentPosted posted = state.posted();
    boolean same =
        posted.videoId().equals(cmd.videoId())
            && posted.authorId().equals(cmd.authorId())
            && cmd.text() != null
            && posted.text().equals(cmd.text().strip());
    if (!same) {
      return refuse(cmd.replyTo(), CommentIdTakenException.of(commentId));
    }
    return Effect().reply(cmd.replyTo(), StatusReply.success(state.comment()));
  }

  // -- delete

  private ReplyEffect<Event, State> onDelete(Live state, Delete cmd) {
    CommentPosted posted = state.posted();
    if (!posted.authorId().equals(cmd.requesterId())) {
      return refuse(cmd.replyTo(), notAuthor());
    }
    return deleteThenReply(
        posted.videoId(), posted.authorId(), posted.createdAt(), posted.creatorId(), cmd);
  }

  private ReplyEffect<Event, State> onRemove(Live state, Remove cmd) {
    if (cmd.moderatorId() == null
        || cmd.moderatorId().isBlank()
        || cmd.reason() == null
        || cmd.reason().isBlank()) {
      return refuse(
          cmd.replyTo(), new IllegalArgumentException("a removal needs a moderator and a reason"));
    }
    CommentPosted posted = state.posted();
    var removed =
        new CommentDeleted(
            commentId,
            posted.videoId(),
            posted.authorId(),
            posted.createdAt(),
            posted.creatorId(),
            posted.region(),
            clock.instant(),
            cmd.moderatorId(),
            cmd.reason().strip());
    return Effect()
        .persist(removed)
        .thenRun(s -> writeRow(rows.delete(removed), removed, null, cmd.replyTo()))
        .thenNoReply();
  }

  /** No journal: the comment may have been written to the table before comments were journaled. */
  private ReplyEffect<Event, State> onDeleteUnknown(Empty state, Delete cmd) {
    Optional<UUID> id = parseId(commentId);
    if (id.isEmpty()) {
      return refuse(cmd.replyTo(), notFound());
    }
    context.pipeToSelf(
        rows.find(id.get()),
        (row, failure) ->
            new LegacyLookedUp(
                cmd,
                Optional.ofNullable(row).flatMap(r -> r),
                failure == null ? null : failure.toString()));
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onLegacyLookedUp(Empty state, LegacyLookedUp looked) {
    Delete cmd = looked.command();
    if (looked.failure() != null) {
      // answered as a timeout, which callers retry (503): the table may answer next time
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error(
                  new TimeoutException(
                      "comment " + commentId + " could not be looked up: " + looked.failure())));
    }
    if (looked.row().isEmpty()) {
      return refuse(cmd.replyTo(), notFound());
    }
    CommentRows.Stored row = looked.row().get();
    if (!row.authorId().equals(cmd.requesterId())) {
      return refuse(cmd.replyTo(), notAuthor());
    }
    return deleteThenReply(row.videoId(), row.authorId(), row.createdAt(), "", cmd);
  }

  private ReplyEffect<Event, State> deleteThenReply(
      String videoId, String authorId, Instant createdAt, String creatorId, Delete cmd) {
    var deleted =
        new CommentDeleted(
            commentId,
            videoId,
            authorId,
            createdAt,
            creatorId,
            Objects.requireNonNullElse(cmd.region(), ""),
            clock.instant());
    return Effect()
        .persist(deleted)
        .thenRun(s -> writeRow(rows.delete(deleted), deleted, null, cmd.replyTo()))
        .thenNoReply();
  }

  // -- the table write, then the reply

  private void writeRow(
      CompletionStage<Done> written,
      Event event,
      ActorRef<StatusReply<Comment>> postedTo,
      ActorRef<StatusReply<Done>> deletedTo) {
    context.pipeToSelf(
        written,
        (done, failure) ->
            new RowWritten(
                event, postedTo, deletedTo, failure == null ? null : failure.toString()));
  }

  private ReplyEffect<Event, State> onRowWritten(State state, RowWritten written) {
    if (written.failure() != null) {
      // the fact is journaled; the comment-interactions projection writes the row seconds later
      context.getLog().warn("comment {}: table not written yet: {}", commentId, written.failure());
    }
    if (written.event() instanceof CommentPosted posted) {
      Live live = new Live(posted);
      return Effect().reply(written.postedTo(), StatusReply.success(live.comment()));
    }
    return Effect().reply(written.deletedTo(), StatusReply.ack());
  }

  // -- refusals: typed exceptions, mapped to problems by the facade's caller in one place

  private <T> ReplyEffect<Event, State> refuse(
      ActorRef<StatusReply<T>> replyTo, RuntimeException refusal) {
    return Effect().reply(replyTo, StatusReply.error(refusal));
  }

  private CommentNotFoundException notFound() {
    return CommentNotFoundException.of(commentId);
  }

  private static NotAuthorException notAuthor() {
    return new NotAuthorException();
  }

  private static Optional<String> blank(String value, String name) {
    return value == null || value.isBlank() ? Optional.of(name + " is required") : Optional.empty();
  }
}
