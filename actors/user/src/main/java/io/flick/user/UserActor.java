package io.flick.user;

import io.flick.common.CborSerializable;
import io.flick.common.NodeRoles;
import io.flick.common.Timeline;
import io.flick.common.projection.ReadSide;
import io.flick.common.writeback.WriteBack;
import io.flick.common.writeback.WriteBackReply;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
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
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One user: the account it was registered with, the creators it follows, the videos it likes and
 * its preference profile. Its journal is the user's partition, never a video's: a like or a view is
 * a fact about the user, and the video's counters are fed from these events elsewhere.
 *
 * <p>Only a registered user does anything: before {@link Register} every other command is refused
 * with a {@link SocialService.UnknownUserException}; bad input with an {@link
 * IllegalArgumentException} (refusals are typed exceptions, never messages to parse). Follows and
 * likes are idempotent (repeating one answers the current state without a new event). Watches and
 * shares are signals that only move the profile; one repeated with the same video and instant (a
 * redelivered stream message) is counted once.
 *
 * <p>The state is snapshotted every {@link UserSettings#snapshotEvery()} events, since watch events
 * are many; so recovery replays at most that many.
 *
 * <p>The For You feed: the actor keeps the next videos ready ({@link ForYouQueue}, with the
 * seen-filter) outside its journal, asks its {@link ForYouSource} for more in the background when
 * few are left, serves a page from memory, trims the queue after a fresh signal so the feed follows
 * what the user just did, and stashes the queue when it passivates.
 */
public final class UserActor
    extends EventSourcedBehaviorWithEnforcedReplies<
        UserActor.Command, UserActor.Event, UserActor.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "User");

  /**
   * The refusal for any command but {@link Register} and {@link GetAccount} before registration.
   */
  public static final String CANNOT_FOLLOW_SELF = "you cannot follow yourself";

  /** Hashtags beyond this many on one signal are ignored (a video has at most 30). */
  static final int MAX_HASHTAGS_PER_SIGNAL = 30;

  /**
   * How many recent watches and shares recorded one by one ({@link RecordWatch}, {@link
   * RecordShare}) are remembered to drop repeated ones.
   */
  static final int RECENT_SIGNALS = 64;

  /**
   * Pending {@link LearnSignals} signals that are flushed at once, without waiting for the timer.
   */
  static final int FLUSH_AT_SIGNALS = 64;

  public static void init(ActorSystem<?> system) {
    init(system, ForYouSource.NONE);
  }

  /** Registers sharding; each entity builds its For You feed from {@code forYou}. */
  public static void init(ActorSystem<?> system, ForYouSource forYou) {
    UserSettings settings = UserSettings.fromConfig(system.settings().config());
    ForYouSettings forYouSettings = ForYouSettings.fromConfig(system.settings().config());
    Entity<Command, ShardingEnvelope<Command>> entity =
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
  public static Behavior<Command> create(String userId) {
    return Behaviors.setup(
        ctx ->
            create(
                userId,
                UserSettings.fromConfig(ctx.getSystem().settings().config()),
                Clock.systemUTC()));
  }

  static Behavior<Command> create(String userId, UserSettings settings, Clock clock) {
    return Behaviors.setup(
        ctx ->
            create(
                userId,
                settings,
                ForYouSettings.fromConfig(ctx.getSystem().settings().config()),
                ForYouSource.NONE,
                clock));
  }

  static Behavior<Command> create(
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

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** Idempotent: registering again with the same handle answers the existing account. */
  public record Register(
      String handle, String region, Instant at, ActorRef<StatusReply<Account>> replyTo)
      implements Command {}

  public record GetAccount(ActorRef<AccountLookup> replyTo) implements Command {}

  /**
   * Follow a creator (a user id). Idempotent; refused for oneself ({@link #CANNOT_FOLLOW_SELF}) and
   * past {@link UserSettings#maxFollowing()}.
   */
  public record Follow(String creatorId, Instant at, ActorRef<StatusReply<FollowState>> replyTo)
      implements Command {}

  /** Idempotent: unfollowing someone not followed answers the current state. */
  public record Unfollow(String creatorId, Instant at, ActorRef<StatusReply<FollowState>> replyTo)
      implements Command {}

  /**
   * Like a video. The video's creator, hashtags and sound are what the profile learns from.
   * Idempotent: a second like answers {@code changed=false}.
   */
  public record Like(
      String videoId,
      String creatorId,
      List<String> hashtags,
      Optional<String> soundId,
      Instant at,
      ActorRef<StatusReply<LikeChange>> replyTo)
      implements Command {}

  /** Idempotent. The like's signal stays in the profile and decays like any other. */
  public record Unlike(String videoId, Instant at, ActorRef<StatusReply<LikeChange>> replyTo)
      implements Command {}

  /**
   * A view and how long it lasted. {@code durationMs} is the video's length (0 when unknown);
   * {@code completed} is true when the viewer reached the end. A fast skip (see {@link
   * ProfileSettings#watchSignal}) counts against the video's hashtags, sound and creator.
   */
  public record RecordWatch(
      String videoId,
      String creatorId,
      List<String> hashtags,
      Optional<String> soundId,
      long watchMs,
      long durationMs,
      boolean completed,
      Instant at,
      ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  public record RecordShare(
      String videoId,
      String creatorId,
      List<String> hashtags,
      Optional<String> soundId,
      Instant at,
      ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /**
   * Watches and shares for the profile, write-back, each with the partition and offset of the
   * {@code interactions} record it came from: they are learned in memory at once (the For You queue
   * reacts) and persisted together as one {@link SignalsLearned} at most {@link
   * UserSettings#signalFlushInterval()} later (or as soon as {@link #FLUSH_AT_SIGNALS} are pending)
   * with the highest offset they cover per partition; the answer ({@link WriteBackReply.Written})
   * comes only after that write, so whoever waits for it (the interactions stream, before it
   * commits its offsets) never loses a signal. A signal at or below the offset its partition is
   * learned through is a redelivery and is not learned again; an invalid one (no video, creator or
   * instant, a negative time, an unknown kind) is dropped. Signals of one partition must come in
   * offset order.
   *
   * <p>{@code previousThrough} holds, per partition, the end of the previous batch the stream sent
   * this user while that one was still unanswered. If that batch was lost here (the entity stopped
   * before writing it), learning this one would move the learned offset past its signals and their
   * redelivery would be taken as already learned; so it is answered {@link WriteBackReply.Gap} and
   * nothing is taken.
   */
  public record LearnSignals(
      List<SignalAt> signals, Map<Integer, Long> previousThrough, ActorRef<WriteBackReply> replyTo)
      implements Command {
    public LearnSignals {
      signals = signals == null ? List.of() : List.copyOf(signals);
      previousThrough = previousThrough == null ? Map.of() : Map.copyOf(previousThrough);
    }
  }

  /** A {@link Signal} read at {@code offset} of {@code partition} of the interactions topic. */
  public record SignalAt(int partition, long offset, Signal signal) implements CborSerializable {}

  /** Persists the pending signals (the flush timer). */
  private record FlushSignals() implements Command {}

  /** The profile with every score decayed to {@code asOf}, or to now when empty. */
  public record GetProfile(Optional<Instant> asOf, ActorRef<StatusReply<Profile>> replyTo)
      implements Command {
    public GetProfile(ActorRef<StatusReply<Profile>> replyTo) {
      this(Optional.empty(), replyTo);
    }
  }

  /** Who the user follows and what it liked, whole; {@link GetFollowing} and co. page them. */
  public record GetSocial(ActorRef<StatusReply<Social>> replyTo) implements Command {}

  /** Which of {@code videoIds} the user likes (what a page of videos shows the viewer). */
  public record LikedAmong(List<String> videoIds, ActorRef<StatusReply<LikedVideos>> replyTo)
      implements Command {
    public LikedAmong {
      videoIds = List.copyOf(videoIds);
    }
  }

  /** The answer to {@link LikedAmong}: the ones liked. */
  public record LikedVideos(Set<String> videoIds) implements CborSerializable {
    public LikedVideos {
      videoIds = Set.copyOf(videoIds);
    }
  }

  /** Followed creator ids, most recently followed first. */
  public record GetFollowing(
      Optional<String> cursor, int limit, ActorRef<StatusReply<Page>> replyTo) implements Command {}

  /** Liked video ids, most recently liked first. */
  public record GetLikedVideos(
      Optional<String> cursor, int limit, ActorRef<StatusReply<Page>> replyTo) implements Command {}

  /**
   * The next For You videos: from the ready queue when it holds enough, else once a refill is
   * built. Served videos never come back (the seen-filter).
   */
  public record GetForYouPage(int limit, ActorRef<StatusReply<ForYouPage>> replyTo)
      implements Command {}

  /** A refill from the {@link ForYouSource}; {@code failure} is null on success. */
  private record ForYouBuilt(List<String> videoIds, String failure) implements Command {}

  /** The stash kept while passivated; null when there was none. */
  private record ForYouRestored(ForYouSource.Stash stash) implements Command {}

  // ---- replies

  public record Account(String id, String handle, String region, Instant createdAt)
      implements CborSerializable {}

  /** Empty when no account was ever registered under this id. */
  public record AccountLookup(Optional<Account> account) implements CborSerializable {}

  /** Whether the user now follows the creator, and how many it follows in all. */
  public record FollowState(boolean following, int followingCount) implements CborSerializable {}

  /** For You video ids, in the order to show them; {@code queued} are ready after them. */
  /**
   * A For You page: the videos, how many are still queued, and which of the page's videos the user
   * likes (so the page shows it without another ask).
   */
  public record ForYouPage(List<String> videoIds, int queued, Set<String> liked)
      implements CborSerializable {
    public ForYouPage {
      videoIds = videoIds == null ? List.of() : List.copyOf(videoIds);
      liked = liked == null ? Set.of() : Set.copyOf(liked);
    }
  }

  /** Whether the user now likes the video, and whether this command changed that. */
  public record LikeChange(boolean liked, boolean changed) implements CborSerializable {}

  /**
   * The preference profile as of {@code asOf}. Each map is key → decayed score, highest first;
   * scores are positive for what the user engages with and negative for what it skips.
   */
  public record Profile(
      String userId,
      Instant asOf,
      Map<String, Double> hashtags,
      Map<String, Double> topics,
      Map<String, Double> sounds,
      Map<String, Double> creators,
      int followingCount,
      Set<String> following,
      int likedCount)
      implements CborSerializable {
    public Profile {
      hashtags = ordered(hashtags);
      topics = ordered(topics);
      sounds = ordered(sounds);
      creators = ordered(creators);
      following = following == null ? Set.of() : Set.copyOf(following);
    }

    private static Map<String, Double> ordered(Map<String, Double> scores) {
      return scores == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }
  }

  /** Everything the user follows and likes; prefer the paged queries for long lists. */
  public record Social(
      int followingCount, int likedCount, Set<String> following, Set<String> likedVideoIds)
      implements CborSerializable {
    public Social {
      following = following == null ? Set.of() : Set.copyOf(following);
      likedVideoIds = likedVideoIds == null ? Set.of() : Set.copyOf(likedVideoIds);
    }
  }

  /** One page of ids, newest first; {@code next} is the cursor for the following page. */
  public record Page(List<String> items, Optional<String> next) implements CborSerializable {
    public Page {
      items = items == null ? List.of() : List.copyOf(items);
      next = Objects.requireNonNullElse(next, Optional.empty());
    }
  }

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record Registered(String userId, String handle, String region, Instant at)
      implements Event {}

  public record Followed(String userId, String creatorId, Instant at) implements Event {}

  public record Unfollowed(String userId, String creatorId, Instant at) implements Event {}

  /** {@code hashtags} are normalised; {@code soundId} is null when the video has no sound. */
  public record Liked(
      String userId,
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      Instant at)
      implements Event {}

  public record Unliked(String userId, String videoId, Instant at) implements Event {}

  /** A view with its watch time; {@code soundId} may be null. */
  public record Watched(
      String userId,
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      long watchMs,
      long durationMs,
      boolean completed,
      Instant at)
      implements Event {}

  public record Shared(
      String userId,
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      Instant at)
      implements Event {}

  /**
   * One watch or share. {@code kind} is {@link #WATCH} or {@link #SHARE}; {@code soundId} is null
   * when the video has no sound; {@code watchMs}, {@code durationMs} and {@code completed} only
   * matter for a watch.
   */
  public record Signal(
      String kind,
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      long watchMs,
      long durationMs,
      boolean completed,
      Instant at)
      implements CborSerializable {
    public static final String WATCH = "watch";
    public static final String SHARE = "share";

    public Signal {
      hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
    }

    public static Signal watch(
        String videoId,
        String creatorId,
        List<String> hashtags,
        Optional<String> soundId,
        long watchMs,
        long durationMs,
        boolean completed,
        Instant at) {
      return new Signal(
          WATCH,
          videoId,
          creatorId,
          hashtags,
          soundOf(soundId),
          watchMs,
          durationMs,
          completed,
          at);
    }

    public static Signal share(
        String videoId,
        String creatorId,
        List<String> hashtags,
        Optional<String> soundId,
        Instant at) {
      return new Signal(SHARE, videoId, creatorId, hashtags, soundOf(soundId), 0, 0, false, at);
    }
  }

  /**
   * The watches and shares of one flush ({@link LearnSignals}), in arrival order; hashtags are
   * normalised. Replays exactly as the {@link Watched} and {@link Shared} events they stand for;
   * {@code offsets} is the highest interactions offset they cover per partition (empty in events
   * written before offsets were kept).
   */
  public record SignalsLearned(String userId, List<Signal> signals, Map<Integer, Long> offsets)
      implements Event {
    public SignalsLearned {
      signals = signals == null ? List.of() : List.copyOf(signals);
      offsets = offsets == null ? Map.of() : Map.copyOf(offsets);
    }
  }

  // ---- state

  public sealed interface State extends CborSerializable {
    Optional<Account> account();
  }

  /** No account was ever registered under this id. */
  public record Unregistered() implements State {
    @Override
    public Optional<Account> account() {
      return Optional.empty();
    }
  }

  /**
   * A registered user. {@code following} holds creator ids and {@code likes} video ids, each with
   * when; {@code recentSignals} the keys of the last {@link #RECENT_SIGNALS} watches and shares.
   *
   * <p>Memory: likes grow with the user's history and are kept whole (a set of ids is fine at
   * today's scale: about 200 bytes each, so 10,000 likes are about 2 MB, and each change copies
   * them); following is capped by {@link UserSettings#maxFollowing()}, the profile by {@link
   * ProfileSettings#maxKeysPerKind()} keys per kind, the dedup memory by {@link #RECENT_SIGNALS}.
   */
  public record Member(
      Account registered,
      Timeline following,
      Timeline likes,
      Preferences preferences,
      List<String> recentSignals,
      Map<Integer, Long> learnedOffsets)
      implements State {
    public Member {
      learnedOffsets = learnedOffsets == null ? Map.of() : Map.copyOf(learnedOffsets);
      Objects.requireNonNull(registered, "registered");
      following = Objects.requireNonNullElse(following, Timeline.EMPTY);
      likes = Objects.requireNonNullElse(likes, Timeline.EMPTY);
      preferences = Objects.requireNonNullElse(preferences, Preferences.NONE);
      recentSignals = recentSignals == null ? List.of() : List.copyOf(recentSignals);
    }

    static Member of(Registered e) {
      return new Member(
          new Account(e.userId(), e.handle(), e.region(), e.at()),
          Timeline.EMPTY,
          Timeline.EMPTY,
          Preferences.NONE,
          List.of(),
          Map.of());
    }

    @Override
    public Optional<Account> account() {
      return Optional.of(registered);
    }

    FollowState followState(String creatorId) {
      return new FollowState(following.contains(creatorId), following.size());
    }

    Member apply(Followed e) {
      return new Member(
          registered,
          following.with(e.creatorId(), e.at()),
          likes,
          preferences,
          recentSignals,
          learnedOffsets);
    }

    Member apply(Unfollowed e) {
      return new Member(
          registered,
          following.without(e.creatorId()),
          likes,
          preferences,
          recentSignals,
          learnedOffsets);
    }

    Member apply(Liked e, ProfileSettings p) {
      return new Member(
          registered,
          following,
          likes.with(e.videoId(), e.at()),
          preferences.learn(e.creatorId(), e.hashtags(), e.soundId(), p.likeWeight(), e.at(), p),
          recentSignals,
          learnedOffsets);
    }

    Member apply(Unliked e) {
      return new Member(
          registered,
          following,
          likes.without(e.videoId()),
          preferences,
          recentSignals,
          learnedOffsets);
    }

    Member apply(Watched e, ProfileSettings p) {
      double signal = p.watchSignal(e.watchMs(), e.durationMs(), e.completed());
      return new Member(
          registered,
          following,
          likes,
          preferences.learn(e.creatorId(), e.hashtags(), e.soundId(), signal, e.at(), p),
          remember(signalKey("watch", e.videoId(), e.at())),
          learnedOffsets);
    }

    Member apply(Shared e, ProfileSettings p) {
      return new Member(
          registered,
          following,
          likes,
          preferences.learn(e.creatorId(), e.hashtags(), e.soundId(), p.shareWeight(), e.at(), p),
          remember(signalKey("share", e.videoId(), e.at())),
          learnedOffsets);
    }

    Member apply(SignalsLearned e, ProfileSettings p) {
      Member member = this;
      for (Signal signal : e.signals()) {
        member =
            signal.kind().equals(Signal.SHARE)
                ? member.apply(
                    new Shared(
                        e.userId(),
                        signal.videoId(),
                        signal.creatorId(),
                        signal.hashtags(),
                        signal.soundId(),
                        signal.at()),
                    p)
                : member.apply(
                    new Watched(
                        e.userId(),
                        signal.videoId(),
                        signal.creatorId(),
                        signal.hashtags(),
                        signal.soundId(),
                        signal.watchMs(),
                        signal.durationMs(),
                        signal.completed(),
                        signal.at()),
                    p);
      }
      if (e.offsets().isEmpty()) {
        return member;
      }
      Map<Integer, Long> learned = new HashMap<>(member.learnedOffsets());
      e.offsets().forEach((partition, offset) -> learned.merge(partition, offset, Math::max));
      return new Member(
          member.registered(),
          member.following(),
          member.likes(),
          member.preferences(),
          member.recentSignals(),
          learned);
    }

    /** The interactions offset this user's signals of {@code partition} are learned through. */
    long learnedThrough(int partition) {
      return learnedOffsets.getOrDefault(partition, WriteBack.NONE);
    }

    boolean seen(String signalKey) {
      return recentSignals.contains(signalKey);
    }

    private List<String> remember(String key) {
      List<String> recent = new ArrayList<>(RECENT_SIGNALS);
      recent.addAll(recentSignals);
      recent.add(key);
      return recent.subList(Math.max(0, recent.size() - RECENT_SIGNALS), recent.size());
    }

    Profile profile(Instant asOf, ProfileSettings p) {
      return new Profile(
          registered.id(),
          asOf,
          Preferences.scoresAt(preferences.hashtags(), asOf, p.halfLife()),
          Preferences.scoresAt(preferences.topics(), asOf, p.halfLife()),
          Preferences.scoresAt(preferences.sounds(), asOf, p.halfLife()),
          Preferences.scoresAt(preferences.creators(), asOf, p.halfLife()),
          following.size(),
          following.ids(),
          likes.size());
    }

    Social social() {
      return new Social(following.size(), likes.size(), following.ids(), likes.ids());
    }
  }

  static String signalKey(String kind, String videoId, Instant at) {
    return kind + ":" + videoId + "@" + at;
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final String userId;
  private final UserSettings settings;
  private final ForYouSettings forYouSettings;
  private final ForYouSource forYou;
  private final Clock clock;

  // the For You feed: actor memory only (see the class comment)
  private final ForYouQueue queue;
  private final List<GetForYouPage> waiting = new ArrayList<>();
  private boolean refilling;
  private boolean restoring;
  private boolean restored;

  // write-back signals (see LearnSignals): learned, not yet persisted, and who waits for that
  private final WriteBack<Signal> pending = new WriteBack<>();
  private static final Object FLUSH_TIMER = "flush-signals";

  private UserActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String userId,
      UserSettings settings,
      ForYouSettings forYouSettings,
      ForYouSource forYou,
      Clock clock) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), userId));
    this.context = context;
    this.timers = timers;
    this.userId = userId;
    this.settings = settings;
    this.forYouSettings = forYouSettings;
    this.forYou = forYou;
    this.clock = clock;
    this.queue = new ForYouQueue(forYouSettings);
  }

  @Override
  public State emptyState() {
    return new Unregistered();
  }

  /** Follows feed the creators' follower lists (the creator context's FollowersProjection). */
  @Override
  public Set<String> tagsFor(Event event) {
    return event instanceof Followed || event instanceof Unfollowed
        ? ReadSide.tag(ENTITY_TYPE_KEY, userId)
        : Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();

    builder
        .forStateType(Unregistered.class)
        .onCommand(Register.class, this::onRegister)
        .onCommand(Follow.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(Unfollow.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(Like.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(Unlike.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(RecordWatch.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(RecordShare.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(LearnSignals.class, (s, c) -> reply(c.replyTo(), WriteBackReply.WRITTEN))
        .onCommand(FlushSignals.class, (s, c) -> Effect().noReply())
        .onCommand(GetProfile.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(GetSocial.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(LikedAmong.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(GetFollowing.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(GetLikedVideos.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(GetForYouPage.class, (s, c) -> unknownUser(c.replyTo()))
        .onCommand(ForYouBuilt.class, (s, c) -> Effect().noReply())
        .onCommand(ForYouRestored.class, (s, c) -> Effect().noReply());

    builder
        .forStateType(Member.class)
        .onCommand(Register.class, this::onRegisterAgain)
        .onCommand(Follow.class, this::onFollow)
        .onCommand(Unfollow.class, this::onUnfollow)
        .onCommand(Like.class, this::onLike)
        .onCommand(Unlike.class, this::onUnlike)
        .onCommand(RecordWatch.class, this::onRecordWatch)
        .onCommand(RecordShare.class, this::onRecordShare)
        .onCommand(LearnSignals.class, this::onLearnSignals)
        .onCommand(FlushSignals.class, this::onFlushSignals)
        .onCommand(GetProfile.class, this::onGetProfile)
        .onCommand(GetSocial.class, (s, c) -> reply(c.replyTo(), StatusReply.success(s.social())))
        .onCommand(
            LikedAmong.class,
            (s, c) ->
                reply(
                    c.replyTo(), StatusReply.success(new LikedVideos(likedAmong(s, c.videoIds())))))
        .onCommand(
            GetFollowing.class, (s, c) -> page(s.following(), c.cursor(), c.limit(), c.replyTo()))
        .onCommand(
            GetLikedVideos.class, (s, c) -> page(s.likes(), c.cursor(), c.limit(), c.replyTo()))
        .onCommand(GetForYouPage.class, this::onGetForYouPage)
        .onCommand(ForYouBuilt.class, this::onForYouBuilt)
        .onCommand(ForYouRestored.class, this::onForYouRestored);

    builder
        .forAnyState()
        .onCommand(GetAccount.class, (s, c) -> reply(c.replyTo(), new AccountLookup(s.account())));

    return builder.build();
  }

  // -- account

  private ReplyEffect<Event, State> onRegister(Unregistered state, Register cmd) {
    return Effect()
        .persist(new Registered(userId, cmd.handle(), cmd.region(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.account().orElseThrow()));
  }

  private ReplyEffect<Event, State> onRegisterAgain(Member state, Register cmd) {
    Account account = state.registered();
    if (account.handle().equals(cmd.handle())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(account));
    }
    return Effect()
        .reply(
            cmd.replyTo(),
            StatusReply.error(
                new IllegalStateException("user " + userId + " is already registered")));
  }

  // -- follows

  private ReplyEffect<Event, State> onFollow(Member state, Follow cmd) {
    Optional<String> problem =
        required(cmd.creatorId(), "creatorId")
            .or(() -> required(cmd.at(), "at"))
            .or(() -> check(!cmd.creatorId().equals(userId), CANNOT_FOLLOW_SELF));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), problem.get());
    }
    if (state.following().contains(cmd.creatorId())) {
      return reply(cmd.replyTo(), StatusReply.success(state.followState(cmd.creatorId())));
    }
    if (state.following().size() >= settings.maxFollowing()) {
      return refuse(
          cmd.replyTo(), "you can follow at most " + settings.maxFollowing() + " accounts");
    }
    return Effect()
        .persist(new Followed(userId, cmd.creatorId(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> followState(s, cmd.creatorId()));
  }

  private ReplyEffect<Event, State> onUnfollow(Member state, Unfollow cmd) {
    Optional<String> problem =
        required(cmd.creatorId(), "creatorId").or(() -> required(cmd.at(), "at"));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), problem.get());
    }
    if (!state.following().contains(cmd.creatorId())) {
      return reply(cmd.replyTo(), StatusReply.success(state.followState(cmd.creatorId())));
    }
    return Effect()
        .persist(new Unfollowed(userId, cmd.creatorId(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> followState(s, cmd.creatorId()));
  }

  private static StatusReply<FollowState> followState(State state, String creatorId) {
    return StatusReply.success(((Member) state).followState(creatorId));
  }

  // -- likes

  private ReplyEffect<Event, State> onLike(Member state, Like cmd) {
    Optional<String> problem = videoProblem(cmd.videoId(), cmd.creatorId(), cmd.at());
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), problem.get());
    }
    if (state.likes().contains(cmd.videoId())) {
      return reply(cmd.replyTo(), StatusReply.success(new LikeChange(true, false)));
    }
    return Effect()
        .persist(
            new Liked(
                userId,
                cmd.videoId(),
                cmd.creatorId(),
                normaliseHashtags(cmd.hashtags()),
                soundOf(cmd.soundId()),
                cmd.at()))
        .thenRun(s -> afterSignal(cmd.videoId()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(new LikeChange(true, true)));
  }

  private ReplyEffect<Event, State> onUnlike(Member state, Unlike cmd) {
    Optional<String> problem =
        required(cmd.videoId(), "videoId").or(() -> required(cmd.at(), "at"));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), problem.get());
    }
    if (!state.likes().contains(cmd.videoId())) {
      return reply(cmd.replyTo(), StatusReply.success(new LikeChange(false, false)));
    }
    return Effect()
        .persist(new Unliked(userId, cmd.videoId(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(new LikeChange(false, true)));
  }

  // -- signals

  private ReplyEffect<Event, State> onRecordWatch(Member state, RecordWatch cmd) {
    Optional<String> problem =
        videoProblem(cmd.videoId(), cmd.creatorId(), cmd.at())
            .or(() -> check(cmd.watchMs() >= 0, "watchMs must not be negative"))
            .or(() -> check(cmd.durationMs() >= 0, "durationMs must not be negative"));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), problem.get());
    }
    if (state.seen(signalKey("watch", cmd.videoId(), cmd.at()))) {
      return reply(cmd.replyTo(), StatusReply.ack());
    }
    return Effect()
        .persist(
            new Watched(
                userId,
                cmd.videoId(),
                cmd.creatorId(),
                normaliseHashtags(cmd.hashtags()),
                soundOf(cmd.soundId()),
                cmd.watchMs(),
                cmd.durationMs(),
                cmd.completed(),
                cmd.at()))
        .thenRun(s -> afterSignal(cmd.videoId()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onRecordShare(Member state, RecordShare cmd) {
    Optional<String> problem = videoProblem(cmd.videoId(), cmd.creatorId(), cmd.at());
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), problem.get());
    }
    if (state.seen(signalKey("share", cmd.videoId(), cmd.at()))) {
      return reply(cmd.replyTo(), StatusReply.ack());
    }
    return Effect()
        .persist(
            new Shared(
                userId,
                cmd.videoId(),
                cmd.creatorId(),
                normaliseHashtags(cmd.hashtags()),
                soundOf(cmd.soundId()),
                cmd.at()))
        .thenRun(s -> afterSignal(cmd.videoId()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onLearnSignals(Member state, LearnSignals cmd) {
    for (Map.Entry<Integer, Long> previous : cmd.previousThrough().entrySet()) {
      int partition = previous.getKey();
      long covered = pending.covered(partition, state.learnedThrough(partition));
      if (previous.getValue() > covered) {
        return reply(
            cmd.replyTo(),
            new WriteBackReply.Gap(
                covered,
                "signals of user "
                    + userId
                    + " follow partition "
                    + partition
                    + " through offset "
                    + previous.getValue()
                    + ", which was never learned here (learned through "
                    + covered
                    + ")"));
      }
    }
    boolean redelivered = false; // some signals wait for the next flush already
    boolean taken = false;
    for (SignalAt at : cmd.signals()) {
      int partition = at.partition();
      if (at.offset() <= state.learnedThrough(partition)) {
        continue; // a redelivery of a written signal
      }
      if (at.offset() <= pending.through(partition)) {
        redelivered = true; // a redelivery of a pending signal
        continue;
      }
      Signal signal = at.signal();
      if (signalProblem(signal).isPresent()) {
        context.getLog().debug("dropping an invalid signal for {}: {}", userId, signal);
        pending.advance(partition, at.offset()); // its offset is dealt with all the same
        taken = true;
        continue;
      }
      pending.add(
          new Signal(
              signal.kind(),
              signal.videoId(),
              signal.creatorId(),
              normaliseHashtags(signal.hashtags()),
              soundOf(Optional.ofNullable(signal.soundId())),
              signal.watchMs(),
              signal.durationMs(),
              signal.completed(),
              signal.at()),
          partition,
          at.offset());
      taken = true;
      afterSignal(signal.videoId());
    }
    if (!taken && !redelivered) {
      return reply(cmd.replyTo(), WriteBackReply.WRITTEN); // all written before, or nothing
    }
    pending.await(cmd.replyTo());
    if (pending.size() >= FLUSH_AT_SIGNALS) {
      return flush();
    }
    if (!timers.isTimerActive(FLUSH_TIMER)) {
      timers.startSingleTimer(FLUSH_TIMER, new FlushSignals(), settings.signalFlushInterval());
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onFlushSignals(Member state, FlushSignals cmd) {
    return pending.isEmpty() ? Effect().noReply() : flush();
  }

  /** One event for everything pending; the answers go out once it is written. */
  private ReplyEffect<Event, State> flush() {
    timers.cancel(FLUSH_TIMER);
    WriteBack.Taken<Signal> taken = pending.take();
    return Effect()
        .persist(new SignalsLearned(userId, taken.items(), taken.offsets()))
        .thenRun(s -> taken.answer())
        .thenNoReply();
  }

  private static Optional<String> signalProblem(Signal signal) {
    return check(
            Signal.WATCH.equals(signal.kind()) || Signal.SHARE.equals(signal.kind()),
            "kind must be watch or share")
        .or(() -> videoProblem(signal.videoId(), signal.creatorId(), signal.at()))
        .or(() -> check(signal.watchMs() >= 0, "watchMs must not be negative"))
        .or(() -> check(signal.durationMs() >= 0, "durationMs must not be negative"));
  }

  // -- For You

  private ReplyEffect<Event, State> onGetForYouPage(Member state, GetForYouPage cmd) {
    if (cmd.limit() < 1) {
      return refuse(cmd.replyTo(), "limit must be at least 1");
    }
    if (!restored) {
      waiting.add(cmd);
      if (!restoring) {
        restoring = true;
        context.pipeToSelf(
            forYou.restore(userId),
            (stash, error) -> new ForYouRestored(error == null ? stash.orElse(null) : null));
      }
      return Effect().noReply();
    }
    if (queue.size() < cmd.limit()) {
      refill(state);
      waiting.add(cmd);
      return Effect().noReply();
    }
    ForYouPage page = page(state, queue.take(cmd.limit()));
    if (queue.low()) {
      refill(state);
    }
    return reply(cmd.replyTo(), StatusReply.success(page));
  }

  private ReplyEffect<Event, State> onForYouRestored(Member state, ForYouRestored cmd) {
    restoring = false;
    restored = true;
    if (cmd.stash() != null) {
      queue.restore(cmd.stash());
    }
    return serveWaiting(state, false);
  }

  private ReplyEffect<Event, State> onForYouBuilt(Member state, ForYouBuilt cmd) {
    refilling = false;
    if (cmd.failure() != null) {
      context.getLog().warn("For You refill for {} failed: {}", userId, cmd.failure());
    }
    queue.offer(cmd.videoIds());
    return serveWaiting(state, true);
  }

  /**
   * Answers the requests that waited; after a refill, with what there is (the catalogue may end).
   */
  private ReplyEffect<Event, State> serveWaiting(Member state, boolean afterRefill) {
    List<GetForYouPage> pending = List.copyOf(waiting);
    waiting.clear();
    for (GetForYouPage request : pending) {
      if (!afterRefill && queue.size() < request.limit()) {
        refill(state);
        waiting.add(request);
      } else {
        request.replyTo().tell(StatusReply.success(page(state, queue.take(request.limit()))));
      }
    }
    if (queue.low() && waiting.isEmpty() && afterRefill && !queue.isEmpty()) {
      refill(state);
    }
    return Effect().noReply();
  }

  private ForYouPage page(Member state, List<String> videoIds) {
    return new ForYouPage(videoIds, queue.size(), likedAmong(state, videoIds));
  }

  private static Set<String> likedAmong(Member state, List<String> videoIds) {
    return videoIds.stream().filter(state.likes()::contains).collect(Collectors.toSet());
  }

  private void refill(Member state) {
    if (refilling) {
      return;
    }
    refilling = true;
    ForYouSource.Request request =
        new ForYouSource.Request(
            userId,
            state.registered().region(),
            state.profile(clock.instant(), settings.profile()),
            queue.seenFilter(),
            queue.previousVideo(),
            forYouSettings.refillSize());
    context.pipeToSelf(
        forYou.next(request),
        (videoIds, error) ->
            error == null
                ? new ForYouBuilt(videoIds, null)
                : new ForYouBuilt(List.of(), error.toString()));
  }

  /** A like, share or watch: never offer the video again, and let the next refill react. */
  private void afterSignal(String videoId) {
    queue.markSeen(videoId);
    queue.keepFirst(forYouSettings.keepAfterSignal());
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            PostStop.instance(),
            state -> {
              // passivation: keep the queue and the seen-filter for the user's return
              if (restored) {
                forYou.stash(userId, queue.stash());
              }
            })
        .build();
  }

  // -- queries

  private ReplyEffect<Event, State> onGetProfile(Member state, GetProfile cmd) {
    Instant asOf =
        Objects.requireNonNullElse(cmd.asOf(), Optional.<Instant>empty()).orElseGet(clock::instant);
    return reply(cmd.replyTo(), StatusReply.success(state.profile(asOf, settings.profile())));
  }

  private ReplyEffect<Event, State> page(
      Timeline timeline, Optional<String> cursor, int limit, ActorRef<StatusReply<Page>> replyTo) {
    if (limit < 1) {
      return refuse(replyTo, "limit must be at least 1");
    }
    try {
      Timeline.Slice slice =
          timeline.page(
              Objects.requireNonNullElse(cursor, Optional.empty()),
              Math.min(limit, settings.maxPageSize()));
      return reply(replyTo, StatusReply.success(new Page(slice.ids(), slice.next())));
    } catch (IllegalArgumentException e) {
      return refuse(replyTo, e.getMessage());
    }
  }

  // -- helpers

  /** Lower case, without leading '#', blanks and tags with white space dropped, de-duplicated. */
  static List<String> normaliseHashtags(List<String> hashtags) {
    Set<String> out = new LinkedHashSet<>();
    for (String tag : hashtags == null ? List.<String>of() : hashtags) {
      String t = tag == null ? "" : tag.strip();
      int start = 0;
      while (start < t.length() && t.charAt(start) == '#') {
        start++;
      }
      t = t.substring(start).toLowerCase(Locale.ROOT);
      if (!t.isEmpty() && t.codePoints().noneMatch(Character::isWhitespace)) {
        out.add(t);
      }
      if (out.size() == MAX_HASHTAGS_PER_SIGNAL) {
        break;
      }
    }
    return List.copyOf(out);
  }

  private static String soundOf(Optional<String> soundId) {
    return Objects.requireNonNullElse(soundId, Optional.<String>empty())
        .map(String::strip)
        .filter(id -> !id.isEmpty())
        .orElse(null);
  }

  private static Optional<String> videoProblem(String videoId, String creatorId, Instant at) {
    return required(videoId, "videoId")
        .or(() -> required(creatorId, "creatorId"))
        .or(() -> required(at, "at"));
  }

  private static Optional<String> required(Object value, String name) {
    boolean missing = value == null || (value instanceof String s && s.isBlank());
    return missing ? Optional.of(name + " is required") : Optional.empty();
  }

  private static Optional<String> check(boolean ok, String problem) {
    return ok ? Optional.empty() : Optional.of(problem);
  }

  private <R> ReplyEffect<Event, State> reply(ActorRef<R> replyTo, R reply) {
    return Effect().reply(replyTo, reply);
  }

  /** Bad input: the caller's future fails with an {@link IllegalArgumentException}. */
  private <T> ReplyEffect<Event, State> refuse(ActorRef<StatusReply<T>> replyTo, String problem) {
    return Effect().reply(replyTo, StatusReply.error(new IllegalArgumentException(problem)));
  }

  private <T> ReplyEffect<Event, State> unknownUser(ActorRef<StatusReply<T>> replyTo) {
    return Effect()
        .reply(replyTo, StatusReply.error(SocialService.UnknownUserException.of(userId)));
  }

  // ---- events

  @Override
  public EventHandler<State, Event> eventHandler() {
    ProfileSettings p = settings.profile();
    var builder = newEventHandlerBuilder();
    builder.forStateType(Unregistered.class).onEvent(Registered.class, (s, e) -> Member.of(e));
    builder
        .forStateType(Member.class)
        .onEvent(Followed.class, Member::apply)
        .onEvent(Unfollowed.class, Member::apply)
        .onEvent(Liked.class, (s, e) -> s.apply(e, p))
        .onEvent(Unliked.class, Member::apply)
        .onEvent(Watched.class, (s, e) -> s.apply(e, p))
        .onEvent(Shared.class, (s, e) -> s.apply(e, p))
        .onEvent(SignalsLearned.class, (s, e) -> s.apply(e, p));
    return builder.build();
  }
}
