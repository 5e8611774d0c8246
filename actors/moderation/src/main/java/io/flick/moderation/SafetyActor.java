package io.flick.moderation;

import io.flick.common.CborSerializable;
import io.flick.common.NodeRoles;
import io.flick.common.projection.ReadSide;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
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
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One user's trust-and-safety facts, keyed by user id: whom they block, the reports they file, and
 * whether they hold the moderator role. The moderation context's own entity (the UserActor is not
 * touched): the report queue is a projection over its {@link ReportFiled} events; block enforcement
 * reads {@link GetBlocked}.
 */
public final class SafetyActor
    extends EventSourcedBehaviorWithEnforcedReplies<
        SafetyActor.Command, SafetyActor.Event, SafetyActor.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Safety");

  /** Most users a user may block (a bound on the state's size). */
  public static final int MAX_BLOCKED = 10_000;

  /** What a report may be about. */
  public enum TargetKind {
    VIDEO,
    COMMENT,
    USER
  }

  /** The fixed list of reasons a report gives. */
  public enum Reason {
    SPAM,
    HARASSMENT,
    HATE,
    VIOLENCE,
    NUDITY,
    SELF_HARM,
    MISINFORMATION,
    COPYRIGHT,
    OTHER;

    public static Optional<Reason> parse(String value) {
      if (value == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  public static void init(ActorSystem<?> system) {
    Entity<Command, ShardingEnvelope<Command>> entity =
        Entity.of(ENTITY_TYPE_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC()));
    ClusterSharding.get(system)
        .init(
            NodeRoles.restrictTo(system, NodeRoles.ENTITIES).map(entity::withRole).orElse(entity));
  }

  public static Behavior<Command> create(String userId, Clock clock) {
    return new SafetyActor(userId, clock);
  }

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** Idempotent; a user cannot block themselves. */
  public record Block(String blockedId, ActorRef<StatusReply<BlockChange>> replyTo)
      implements Command {}

  /** Idempotent. */
  public record Unblock(String blockedId, ActorRef<StatusReply<BlockChange>> replyTo)
      implements Command {}

  /** Idempotent per report id (a retried request files one report). */
  public record FileReport(
      String reportId,
      TargetKind targetKind,
      String targetId,
      Reason reason,
      String text,
      ActorRef<StatusReply<Report>> replyTo)
      implements Command {}

  public record GetBlocked(ActorRef<Blocked> replyTo) implements Command {}

  /**
   * Grants ({@code moderator} true) or revokes the moderator role; idempotent. Sent by the
   * operators' gRPC admin service only, never by the public API; {@code by} says who asked.
   */
  public record SetModerator(boolean moderator, String by, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  public record IsModerator(ActorRef<Boolean> replyTo) implements Command {}

  // ---- replies

  public record BlockChange(boolean blocked, boolean changed) implements CborSerializable {}

  public record Blocked(Set<String> userIds) implements CborSerializable {
    public Blocked {
      userIds = userIds == null ? Set.of() : Set.copyOf(userIds);
    }
  }

  public record Report(
      String reportId,
      String reporterId,
      TargetKind targetKind,
      String targetId,
      Reason reason,
      String text,
      Instant at)
      implements CborSerializable {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record UserBlocked(String userId, String blockedId, Instant at) implements Event {}

  public record UserUnblocked(String userId, String blockedId, Instant at) implements Event {}

  public record ReportFiled(Report report) implements Event {}

  /** The moderator role granted ({@code moderator}) or revoked, by {@code by}. */
  public record ModeratorRoleChanged(String userId, boolean moderator, String by, Instant at)
      implements Event {}

  // ---- state

  /**
   * Blocked user ids, the ids of the last reports filed (for idempotent retries), and whether the
   * user is a moderator (false in snapshots from before roles).
   */
  public record State(Set<String> blocked, List<String> recentReports, boolean moderator)
      implements CborSerializable {
    static final int RECENT = 100;
    public static final State EMPTY = new State(Set.of(), List.of(), false);

    public State {
      blocked = blocked == null ? Set.of() : Set.copyOf(blocked);
      recentReports = recentReports == null ? List.of() : List.copyOf(recentReports);
    }

    State apply(UserBlocked e) {
      Set<String> next = new HashSet<>(blocked);
      next.add(e.blockedId());
      return new State(next, recentReports, moderator);
    }

    State apply(UserUnblocked e) {
      Set<String> next = new HashSet<>(blocked);
      next.remove(e.blockedId());
      return new State(next, recentReports, moderator);
    }

    State apply(ModeratorRoleChanged e) {
      return new State(blocked, recentReports, e.moderator());
    }

    State apply(ReportFiled e) {
      List<String> next = new java.util.ArrayList<>(recentReports);
      next.add(e.report().reportId());
      if (next.size() > RECENT) {
        next.remove(0);
      }
      return new State(blocked, next, moderator);
    }
  }

  private final String userId;
  private final Clock clock;

  private SafetyActor(String userId, Clock clock) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), userId));
    this.userId = userId;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return ReadSide.tag(ENTITY_TYPE_KEY, userId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Block.class, this::onBlock)
        .onCommand(Unblock.class, this::onUnblock)
        .onCommand(FileReport.class, this::onFileReport)
        .onCommand(
            GetBlocked.class, (s, c) -> Effect().reply(c.replyTo(), new Blocked(s.blocked())))
        .onCommand(SetModerator.class, this::onSetModerator)
        .onCommand(IsModerator.class, (s, c) -> Effect().reply(c.replyTo(), s.moderator()))
        .build();
  }

  private ReplyEffect<Event, State> onBlock(State state, Block cmd) {
    if (cmd.blockedId() == null || cmd.blockedId().isBlank()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("blockedId is required"));
    }
    if (cmd.blockedId().equals(userId)) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("you cannot block yourself"));
    }
    if (state.blocked().contains(cmd.blockedId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(new BlockChange(true, false)));
    }
    if (state.blocked().size() >= MAX_BLOCKED) {
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error("you block " + MAX_BLOCKED + " users, the most there can be"));
    }
    return Effect()
        .persist(new UserBlocked(userId, cmd.blockedId(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(new BlockChange(true, true)));
  }

  private ReplyEffect<Event, State> onUnblock(State state, Unblock cmd) {
    if (!state.blocked().contains(cmd.blockedId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(new BlockChange(false, false)));
    }
    return Effect()
        .persist(new UserUnblocked(userId, cmd.blockedId(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(new BlockChange(false, true)));
  }

  private ReplyEffect<Event, State> onSetModerator(State state, SetModerator cmd) {
    if (cmd.by() == null || cmd.by().isBlank()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("who grants or revokes is required"));
    }
    if (state.moderator() == cmd.moderator()) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    return Effect()
        .persist(new ModeratorRoleChanged(userId, cmd.moderator(), cmd.by(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onFileReport(State state, FileReport cmd) {
    if (cmd.reportId() == null
        || cmd.targetKind() == null
        || cmd.targetId() == null
        || cmd.reason() == null) {
      return Effect()
          .reply(
              cmd.replyTo(), StatusReply.error("reportId, targetKind, targetId, reason required"));
    }
    Report report =
        new Report(
            cmd.reportId(),
            userId,
            cmd.targetKind(),
            cmd.targetId(),
            cmd.reason(),
            cmd.text() == null ? "" : cmd.text(),
            clock.instant());
    if (state.recentReports().contains(cmd.reportId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(report));
    }
    return Effect()
        .persist(new ReportFiled(report))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(report));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(UserBlocked.class, State::apply)
        .onEvent(UserUnblocked.class, State::apply)
        .onEvent(ReportFiled.class, State::apply)
        .onEvent(ModeratorRoleChanged.class, State::apply)
        .build();
  }
}
