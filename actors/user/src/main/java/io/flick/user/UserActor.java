package io.flick.user;

import io.flick.common.CborSerializable;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
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
 * One user: the account it was registered with. Later capabilities add follows, likes, the
 * preference profile and the precomputed feed to this entity; its journal is the user's partition,
 * never a video's.
 */
public final class UserActor
    extends EventSourcedBehaviorWithEnforcedReplies<
        UserActor.Command, UserActor.Event, UserActor.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "User");

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_TYPE_KEY, ctx -> UserActor.create(ctx.getEntityId())));
  }

  public static Behavior<Command> create(String userId) {
    return new UserActor(userId);
  }

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** Idempotent: registering again with the same handle answers the existing account. */
  public record Register(
      String handle, String region, Instant at, ActorRef<StatusReply<Account>> replyTo)
      implements Command {}

  public record GetAccount(ActorRef<AccountLookup> replyTo) implements Command {}

  // ---- replies

  public record Account(String id, String handle, String region, Instant createdAt)
      implements CborSerializable {}

  /** Empty when no account was ever registered under this id. */
  public record AccountLookup(Optional<Account> account) implements CborSerializable {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record Registered(String userId, String handle, String region, Instant at)
      implements Event {}

  // ---- state

  public record State(Optional<Account> account) implements CborSerializable {
    static State empty() {
      return new State(Optional.empty());
    }

    State apply(Registered event) {
      return new State(
          Optional.of(new Account(event.userId(), event.handle(), event.region(), event.at())));
    }
  }

  private final String userId;

  private UserActor(String userId) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), userId));
    this.userId = userId;
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forState(state -> state.account().isEmpty())
        .onCommand(Register.class, this::onRegister)
        .onCommand(GetAccount.class, this::onGetAccount);
    builder
        .forAnyState()
        .onCommand(Register.class, this::onRegisterAgain)
        .onCommand(GetAccount.class, this::onGetAccount);
    return builder.build();
  }

  private ReplyEffect<Event, State> onRegister(State state, Register cmd) {
    return Effect()
        .persist(new Registered(userId, cmd.handle(), cmd.region(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.account().orElseThrow()));
  }

  private ReplyEffect<Event, State> onRegisterAgain(State state, Register cmd) {
    Account account = state.account().orElseThrow();
    if (account.handle().equals(cmd.handle())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(account));
    }
    return Effect()
        .reply(cmd.replyTo(), StatusReply.error("user " + userId + " is already registered"));
  }

  private ReplyEffect<Event, State> onGetAccount(State state, GetAccount cmd) {
    return Effect().reply(cmd.replyTo(), new AccountLookup(state.account()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onEvent(Registered.class, State::apply).build();
  }
}
