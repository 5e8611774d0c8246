package io.flick.creator;

import io.flick.common.CborSerializable;
import io.flick.common.NodeRoles;
import io.flick.common.Timeline;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
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
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One creator, keyed by its user id: who follows it, how that count moved day by day (UTC), and its
 * videos. Every user may be a creator, so there is no creation step: an entity that never saw an
 * event answers zero followers and no videos.
 *
 * <p>Followers arrive from the follower's own entity (a {@code UserActor}'s Followed and Unfollowed
 * events, delivered at least once), so adding and removing are idempotent per follower. Daily
 * history counts each day's gains and losses and the total at its end; it keeps the last {@link
 * CreatorSettings#historyDays()} days, counted back from the newest change, and is computed from
 * event instants only, so a late event for an earlier day lands on that day.
 *
 * <p>Videos are listed newest first by the instant given when they were added.
 */
public final class CreatorActor
    extends EventSourcedBehaviorWithEnforcedReplies<
        CreatorActor.Command, CreatorActor.Event, CreatorActor.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Creator");

  public static void init(ActorSystem<?> system) {
    CreatorSettings settings = CreatorSettings.fromConfig(system.settings().config());
    Entity<Command, ShardingEnvelope<Command>> entity =
        Entity.of(
            ENTITY_TYPE_KEY,
            ctx -> CreatorActor.create(ctx.getEntityId(), settings, Clock.systemUTC()));
    // hosted on the nodes with the entities role; a proxy on the others
    ClusterSharding.get(system)
        .init(
            NodeRoles.restrictTo(system, NodeRoles.ENTITIES).map(entity::withRole).orElse(entity));
  }

  /** Reads {@link CreatorSettings} from the actor system's configuration. */
  public static Behavior<Command> create(String creatorId) {
    return Behaviors.setup(
        ctx ->
            create(
                creatorId,
                CreatorSettings.fromConfig(ctx.getSystem().settings().config()),
                Clock.systemUTC()));
  }

  static Behavior<Command> create(String creatorId, CreatorSettings settings, Clock clock) {
    return new CreatorActor(creatorId, settings, clock);
  }

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** Idempotent per follower; a creator cannot follow itself. */
  public record AddFollower(
      String followerId, Instant at, ActorRef<StatusReply<FollowerChange>> replyTo)
      implements Command {}

  /** Idempotent per follower. */
  public record RemoveFollower(
      String followerId, Instant at, ActorRef<StatusReply<FollowerChange>> replyTo)
      implements Command {}

  /** Lists a video at {@code at} (its creation time); idempotent. */
  public record AddVideo(String videoId, Instant at, ActorRef<StatusReply<VideoChange>> replyTo)
      implements Command {}

  /** Idempotent. */
  public record RemoveVideo(String videoId, ActorRef<StatusReply<VideoChange>> replyTo)
      implements Command {}

  public record GetCreator(ActorRef<CreatorSummary> replyTo) implements Command {}

  /** Whether {@code followerId} follows the creator, and the count; changes nothing. */
  public record GetFollowerState(String followerId, ActorRef<FollowerChange> replyTo)
      implements Command {}

  /** Follower ids, most recent first. */
  public record GetFollowers(
      Optional<String> cursor, int limit, ActorRef<StatusReply<Page>> replyTo) implements Command {}

  /** Video ids, newest first. */
  public record GetVideos(Optional<String> cursor, int limit, ActorRef<StatusReply<Page>> replyTo)
      implements Command {}

  // ---- replies

  /** Whether the user now follows the creator, whether this command changed that, and the count. */
  public record FollowerChange(boolean follower, boolean changed, long followers)
      implements CborSerializable {}

  /** Whether the video is now listed, whether this command changed that, and the count. */
  public record VideoChange(boolean listed, boolean changed, int videoCount)
      implements CborSerializable {}

  /** One UTC day: followers gained and lost during it, and the follower count at its end. */
  public record DailyFollowers(LocalDate day, int gained, int lost, long total)
      implements CborSerializable {
    int net() {
      return gained - lost;
    }
  }

  /**
   * {@code history} has one entry per day of the last {@link CreatorSettings#summaryDays()} days,
   * oldest first and ending today, days without change included.
   */
  public record CreatorSummary(
      String creatorId, long followers, int videoCount, List<DailyFollowers> history)
      implements CborSerializable {
    public CreatorSummary {
      history = history == null ? List.of() : List.copyOf(history);
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

  public record FollowerAdded(String creatorId, String followerId, Instant at) implements Event {}

  public record FollowerRemoved(String creatorId, String followerId, Instant at) implements Event {}

  public record VideoAdded(String creatorId, String videoId, Instant at) implements Event {}

  public record VideoRemoved(String creatorId, String videoId, Instant at) implements Event {}

  // ---- state

  /**
   * {@code followers} and {@code videos} are ids with when they were added; {@code history} is the
   * daily follower history, oldest first, days without change left out.
   *
   * <p>Memory: the whole follower set lives here, and each change copies it. That is right for the
   * long tail of creators; a later change can move big follower sets to a Cassandra table (one
   * partition per creator) and keep only the count and the history here.
   */
  public record State(Timeline followers, Timeline videos, List<DailyFollowers> history)
      implements CborSerializable {
    public static final State EMPTY = new State(Timeline.EMPTY, Timeline.EMPTY, List.of());

    public State {
      followers = Objects.requireNonNullElse(followers, Timeline.EMPTY);
      videos = Objects.requireNonNullElse(videos, Timeline.EMPTY);
      history = history == null ? List.of() : List.copyOf(history);
    }

    FollowerChange followerChange(String followerId, boolean changed) {
      return new FollowerChange(followers.contains(followerId), changed, followers.size());
    }

    VideoChange videoChange(String videoId, boolean changed) {
      return new VideoChange(videos.contains(videoId), changed, videos.size());
    }

    State apply(FollowerAdded e, int historyDays) {
      Timeline next = followers.with(e.followerId(), e.at());
      return new State(next, videos, count(e.at(), true, next.size(), historyDays));
    }

    State apply(FollowerRemoved e, int historyDays) {
      Timeline next = followers.without(e.followerId());
      return new State(next, videos, count(e.at(), false, next.size(), historyDays));
    }

    State apply(VideoAdded e) {
      return new State(followers, videos.with(e.videoId(), e.at()), history);
    }

    State apply(VideoRemoved e) {
      return new State(followers, videos.without(e.videoId()), history);
    }

    /**
     * The history with one more gain or loss on the day of {@code at}, the totals at the end of
     * each day recomputed back from {@code totalNow}, and days older than {@code historyDays}
     * before the newest one dropped.
     */
    private List<DailyFollowers> count(Instant at, boolean gained, long totalNow, int historyDays) {
      LocalDate day = dayOf(at);
      NavigableMap<LocalDate, DailyFollowers> byDay = byDay();
      DailyFollowers old = byDay.getOrDefault(day, new DailyFollowers(day, 0, 0, 0));
      byDay.put(
          day,
          new DailyFollowers(
              day, old.gained() + (gained ? 1 : 0), old.lost() + (gained ? 0 : 1), 0));
      byDay.headMap(byDay.lastKey().minusDays(historyDays - 1L), false).clear();
      List<DailyFollowers> out = new ArrayList<>(byDay.size());
      long total = totalNow;
      for (DailyFollowers d : byDay.descendingMap().values()) {
        out.add(new DailyFollowers(d.day(), d.gained(), d.lost(), total));
        total -= d.net();
      }
      Collections.reverse(out);
      return out;
    }

    /**
     * The last {@code days} days ending {@code today}, oldest first, days without change filled.
     */
    List<DailyFollowers> recent(LocalDate today, int days) {
      NavigableMap<LocalDate, DailyFollowers> byDay = byDay();
      long total = followers.size();
      for (DailyFollowers later : byDay.tailMap(today, false).values()) {
        total -= later.net(); // changes dated after today (a clock ahead of ours)
      }
      List<DailyFollowers> out = new ArrayList<>(days);
      for (int i = 0; i < days; i++) {
        LocalDate day = today.minusDays(i);
        DailyFollowers d = byDay.getOrDefault(day, new DailyFollowers(day, 0, 0, 0));
        out.add(new DailyFollowers(day, d.gained(), d.lost(), total));
        total -= d.net();
      }
      Collections.reverse(out);
      return out;
    }

    private NavigableMap<LocalDate, DailyFollowers> byDay() {
      return history.stream()
          .collect(
              Collectors.toMap(
                  DailyFollowers::day, Function.identity(), (a, b) -> b, TreeMap::new));
    }
  }

  static LocalDate dayOf(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  private final String creatorId;
  private final CreatorSettings settings;
  private final Clock clock;

  private CreatorActor(String creatorId, CreatorSettings settings, Clock clock) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), creatorId));
    this.creatorId = creatorId;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(AddFollower.class, this::onAddFollower)
        .onCommand(RemoveFollower.class, this::onRemoveFollower)
        .onCommand(AddVideo.class, this::onAddVideo)
        .onCommand(RemoveVideo.class, this::onRemoveVideo)
        .onCommand(GetCreator.class, this::onGetCreator)
        .onCommand(
            GetFollowerState.class,
            (s, c) -> Effect().reply(c.replyTo(), s.followerChange(c.followerId(), false)))
        .onCommand(
            GetFollowers.class, (s, c) -> page(s.followers(), c.cursor(), c.limit(), c.replyTo()))
        .onCommand(GetVideos.class, (s, c) -> page(s.videos(), c.cursor(), c.limit(), c.replyTo()))
        .build();
  }

  // -- followers

  private ReplyEffect<Event, State> onAddFollower(State state, AddFollower cmd) {
    Optional<String> problem =
        required(cmd.followerId(), "followerId")
            .or(() -> required(cmd.at(), "at"))
            .or(
                () ->
                    cmd.followerId().equals(creatorId)
                        ? Optional.of("a creator cannot follow itself")
                        : Optional.empty());
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), problem.get());
    }
    if (state.followers().contains(cmd.followerId())) {
      return reply(
          cmd.replyTo(), StatusReply.success(state.followerChange(cmd.followerId(), false)));
    }
    return Effect()
        .persist(new FollowerAdded(creatorId, cmd.followerId(), cmd.at()))
        .thenReply(
            cmd.replyTo(), s -> StatusReply.success(s.followerChange(cmd.followerId(), true)));
  }

  private ReplyEffect<Event, State> onRemoveFollower(State state, RemoveFollower cmd) {
    Optional<String> problem =
        required(cmd.followerId(), "followerId").or(() -> required(cmd.at(), "at"));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), problem.get());
    }
    if (!state.followers().contains(cmd.followerId())) {
      return reply(
          cmd.replyTo(), StatusReply.success(state.followerChange(cmd.followerId(), false)));
    }
    return Effect()
        .persist(new FollowerRemoved(creatorId, cmd.followerId(), cmd.at()))
        .thenReply(
            cmd.replyTo(), s -> StatusReply.success(s.followerChange(cmd.followerId(), true)));
  }

  // -- videos

  private ReplyEffect<Event, State> onAddVideo(State state, AddVideo cmd) {
    Optional<String> problem =
        required(cmd.videoId(), "videoId").or(() -> required(cmd.at(), "at"));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), problem.get());
    }
    if (state.videos().contains(cmd.videoId())) {
      return reply(cmd.replyTo(), StatusReply.success(state.videoChange(cmd.videoId(), false)));
    }
    return Effect()
        .persist(new VideoAdded(creatorId, cmd.videoId(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.videoChange(cmd.videoId(), true)));
  }

  private ReplyEffect<Event, State> onRemoveVideo(State state, RemoveVideo cmd) {
    Optional<String> problem = required(cmd.videoId(), "videoId");
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), problem.get());
    }
    if (!state.videos().contains(cmd.videoId())) {
      return reply(cmd.replyTo(), StatusReply.success(state.videoChange(cmd.videoId(), false)));
    }
    return Effect()
        .persist(new VideoRemoved(creatorId, cmd.videoId(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.videoChange(cmd.videoId(), true)));
  }

  // -- queries

  private ReplyEffect<Event, State> onGetCreator(State state, GetCreator cmd) {
    return reply(
        cmd.replyTo(),
        new CreatorSummary(
            creatorId,
            state.followers().size(),
            state.videos().size(),
            state.recent(dayOf(clock.instant()), settings.summaryDays())));
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

  private static Optional<String> required(Object value, String name) {
    boolean missing = value == null || (value instanceof String s && s.isBlank());
    return missing ? Optional.of(name + " is required") : Optional.empty();
  }

  private <R> ReplyEffect<Event, State> reply(ActorRef<R> replyTo, R reply) {
    return Effect().reply(replyTo, reply);
  }

  private <T> ReplyEffect<Event, State> refuse(ActorRef<StatusReply<T>> replyTo, String message) {
    return Effect().reply(replyTo, StatusReply.error(message));
  }

  // ---- events

  @Override
  public EventHandler<State, Event> eventHandler() {
    int historyDays = settings.historyDays();
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(FollowerAdded.class, (s, e) -> s.apply(e, historyDays))
        .onEvent(FollowerRemoved.class, (s, e) -> s.apply(e, historyDays))
        .onEvent(VideoAdded.class, State::apply)
        .onEvent(VideoRemoved.class, State::apply)
        .build();
  }
}
