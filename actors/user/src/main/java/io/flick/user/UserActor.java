package io.flick.user;

import io.flick.common.NodeRoles;
import io.flick.common.projection.ReadSide;
import io.flick.user.ForYouSession.ForYouBuilt;
import io.flick.user.ForYouSession.ForYouRestored;
import io.flick.user.ProfileLearning.FlushSignals;
import io.flick.user.UserCommand.AccountLookup;
import io.flick.user.UserCommand.Follow;
import io.flick.user.UserCommand.GetAccount;
import io.flick.user.UserCommand.GetFollowing;
import io.flick.user.UserCommand.GetForYouPage;
import io.flick.user.UserCommand.GetProfile;
import io.flick.user.UserCommand.GetSocial;
import io.flick.user.UserCommand.LearnSignals;
import io.flick.user.UserCommand.Like;
import io.flick.user.UserCommand.LikedAmong;
import io.flick.user.UserCommand.Register;
import io.flick.user.UserCommand.SetDisplayName;
import io.flick.user.UserCommand.Unfollow;
import io.flick.user.UserCommand.Unlike;
import io.flick.user.UserEvent.DisplayNameChanged;
import io.flick.user.UserEvent.Followed;
import io.flick.user.UserEvent.Liked;
import io.flick.user.UserEvent.Registered;
import io.flick.user.UserEvent.Shared;
import io.flick.user.UserEvent.SignalsLearned;
import io.flick.user.UserEvent.Unfollowed;
import io.flick.user.UserEvent.Unliked;
import io.flick.user.UserEvent.Watched;
import io.flick.user.UserState.Member;
import io.flick.user.UserState.Unregistered;
import java.time.Clock;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One user, sharded by id: the account it registered with ({@link Registration}), the creators it
 * follows and the videos it likes ({@link FollowsAndLikes}), its preference profile ({@link
 * ProfileLearning}) and its For You feed ({@link ForYouSession}). This class wires those handlers
 * to the user's states; {@link UserCommand}, {@link UserEvent} and {@link UserState} are its
 * protocol, journal and state. Its journal is the user's partition, never a video's: a like or a
 * view is a fact about the user, and the video's counters are fed elsewhere.
 *
 * <p>Only a registered user does anything: before {@link Register} every other command is refused
 * with a {@link SocialService.UnknownUserException} (the interactions stream's {@link LearnSignals}
 * is answered as learned, with nothing to learn). The state is snapshotted every {@link
 * UserSettings#snapshotEvery()} events, since profile events are many; so recovery replays at most
 * that many.
 */
public final class UserActor
    extends EventSourcedBehaviorWithEnforcedReplies<UserCommand, UserEvent, UserState> {

  public static final EntityTypeKey<UserCommand> ENTITY_TYPE_KEY =
      EntityTypeKey.create(UserCommand.class, "User");

  public static void init(ActorSystem<?> system) {
    init(system, ForYouSource.NONE);
  }

  /** Registers sharding; each entity builds its For You feed from {@code forYou}. */
  public static void init(ActorSystem<?> system, ForYouSource forYou) {
    UserSettings settings = UserSettings.fromConfig(system.settings().config());
    ForYouSettings forYouSettings = ForYouSettings.fromConfig(system.settings().config());
    Entity<UserCommand, ShardingEnvelope<UserCommand>> entity =
        Entity.of(
            ENTITY_TYPE_KEY,
            ctx ->
                UserActor.create(
                    ctx.getEntityId(), settings, forYouSettings, forYou, Clock.systemUTC()));
    // hosted on the nodes with the entities role; a proxy on the others
    ClusterSharding.get(system)
        .init(
            NodeRoles.restrictTo(system, NodeRoles.ENTITIES).map(entity::withRole).orElse(entity));
  }

  /** Reads {@link UserSettings} from the actor system's configuration. */
  public static Behavior<UserCommand> create(String userId) {
    return Behaviors.setup(
        ctx ->
            create(
                userId,
                UserSettings.fromConfig(ctx.getSystem().settings().config()),
                Clock.systemUTC()));
  }

  static Behavior<UserCommand> create(String userId, UserSettings settings, Clock clock) {
    return Behaviors.setup(
        ctx ->
            create(
                userId,
                settings,
                ForYouSettings.fromConfig(ctx.getSystem().settings().config()),
                ForYouSource.NONE,
                clock));
  }

  static Behavior<UserCommand> create(
      String userId,
      UserSettings settings,
      ForYouSettings forYouSettings,
      ForYouSource forYou,
      Clock clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new UserActor(ctx, timers, userId, settings, forYouSettings, forYou, clock)));
  }

  private final String userId;
  private final UserSettings settings;
  private final UserEffects replies;
  private final Registration registration;
  private final FollowsAndLikes follows;
  private final ProfileLearning learning;
  private final ForYouSession session;

  private UserActor(
      ActorContext<UserCommand> context,
      TimerScheduler<UserCommand> timers,
      String userId,
      UserSettings settings,
      ForYouSettings forYouSettings,
      ForYouSource forYou,
      Clock clock) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), userId));
    this.userId = userId;
    this.settings = settings;
    this.replies = new UserEffects(userId, Effect());
    this.session =
        new ForYouSession(userId, settings, forYouSettings, forYou, clock, context, replies);
    this.registration = new Registration(userId, replies);
    this.follows = new FollowsAndLikes(userId, settings, session, replies);
    this.learning = new ProfileLearning(userId, settings, clock, context, timers, session, replies);
  }

  @Override
  public UserState emptyState() {
    return new Unregistered();
  }

  /**
   * Follows feed the creators' follower lists (the creator context's FollowersProjection); likes
   * the interactions topic (LikeInteractionsProjection, the likes outbox); registrations and
   * display names the user search documents (the search context's UserSearchProjection).
   */
  @Override
  public Set<String> tagsFor(UserEvent event) {
    return event instanceof Registered
            || event instanceof DisplayNameChanged
            || event instanceof Followed
            || event instanceof Unfollowed
            || event instanceof Liked
            || event instanceof Unliked
        ? ReadSide.tag(ENTITY_TYPE_KEY, userId)
        : Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public CommandHandlerWithReply<UserCommand, UserEvent, UserState> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();

    builder
        .forStateType(Unregistered.class)
        .onCommand(Register.class, registration::onRegister)
        .onCommand(SetDisplayName.class, (s, c) -> replies.unknownUser(c.replyTo()))
        .onCommand(Follow.class, (s, c) -> replies.unknownUser(c.replyTo()))
        .onCommand(Unfollow.class, (s, c) -> replies.unknownUser(c.replyTo()))
        .onCommand(Like.class, (s, c) -> replies.unknownUser(c.replyTo()))
        .onCommand(Unlike.class, (s, c) -> replies.unknownUser(c.replyTo()))
        .onCommand(GetSocial.class, (s, c) -> replies.unknownUser(c.replyTo()))
        .onCommand(LikedAmong.class, (s, c) -> replies.unknownUser(c.replyTo()))
        .onCommand(GetFollowing.class, (s, c) -> replies.unknownUser(c.replyTo()))
        .onCommand(LearnSignals.class, learning::nothingToLearn)
        .onCommand(FlushSignals.class, learning::onFlushSignals)
        .onCommand(GetProfile.class, (s, c) -> replies.unknownUser(c.replyTo()))
        .onCommand(GetForYouPage.class, (s, c) -> replies.unknownUser(c.replyTo()))
        .onCommand(ForYouBuilt.class, session::ignore)
        .onCommand(ForYouRestored.class, session::ignore);

    builder
        .forStateType(Member.class)
        .onCommand(Register.class, registration::onRegisterAgain)
        .onCommand(SetDisplayName.class, registration::onSetDisplayName)
        .onCommand(Follow.class, follows::onFollow)
        .onCommand(Unfollow.class, follows::onUnfollow)
        .onCommand(Like.class, follows::onLike)
        .onCommand(Unlike.class, follows::onUnlike)
        .onCommand(GetSocial.class, follows::onGetSocial)
        .onCommand(LikedAmong.class, follows::onLikedAmong)
        .onCommand(GetFollowing.class, follows::onGetFollowing)
        .onCommand(LearnSignals.class, learning::onLearnSignals)
        .onCommand(FlushSignals.class, learning::onFlushSignals)
        .onCommand(GetProfile.class, learning::onGetProfile)
        .onCommand(GetForYouPage.class, session::onGetForYouPage)
        .onCommand(ForYouBuilt.class, session::onForYouBuilt)
        .onCommand(ForYouRestored.class, session::onForYouRestored);

    builder
        .forAnyState()
        .onCommand(
            GetAccount.class, (s, c) -> replies.reply(c.replyTo(), new AccountLookup(s.account())));

    return builder.build();
  }

  @Override
  public EventHandler<UserState, UserEvent> eventHandler() {
    ProfileSettings p = settings.profile();
    var builder = newEventHandlerBuilder();
    builder.forStateType(Unregistered.class).onEvent(Registered.class, (s, e) -> Member.of(e));
    builder
        .forStateType(Member.class)
        .onEvent(DisplayNameChanged.class, Member::apply)
        .onEvent(Followed.class, Member::apply)
        .onEvent(Unfollowed.class, Member::apply)
        .onEvent(Liked.class, (s, e) -> s.apply(e, p))
        .onEvent(Unliked.class, Member::apply)
        .onEvent(Watched.class, (s, e) -> s.apply(e, p))
        .onEvent(Shared.class, (s, e) -> s.apply(e, p))
        .onEvent(SignalsLearned.class, (s, e) -> s.apply(e, p));
    return builder.build();
  }

  /** Passivation stashes the For You session for the user's return. */
  @Override
  public SignalHandler<UserState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(PostStop.instance(), s -> session.onStop()).build();
  }
}
