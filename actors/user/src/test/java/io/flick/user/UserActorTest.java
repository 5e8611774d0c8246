package io.flick.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import io.flick.common.Timeline;
import io.flick.common.writeback.WriteBackReply;
import io.flick.user.UserCommand.AccountLookup;
import io.flick.user.UserCommand.FollowState;
import io.flick.user.UserCommand.LikeChange;
import io.flick.user.UserCommand.Page;
import io.flick.user.UserCommand.SignalAt;
import io.flick.user.UserCommand.Social;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserActorTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private static final UserSettings SETTINGS = UserSettings.fromConfig(ConfigFactory.load());
  private static final double EPS = 1e-9;

  // watches and shares come as the interactions stream hands them over (LearnSignals), each
  // answered once flushed: a short flush interval keeps the tests quick
  private final EventSourcedBehaviorTestKit<UserCommand, UserEvent, UserState> kit =
      EventSourcedBehaviorTestKit.create(
          testKit.system(),
          UserActor.create(
              "u1", SETTINGS.withSignalFlushInterval(Duration.ofMillis(10)), Clock.systemUTC()));

  /** The interactions offset of the next signal ({@link #watch}, {@link #share}). */
  private long nextOffset = 0;

  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

  @BeforeEach
  void reset() {
    kit.clear();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  // ---- account

  @Test
  void registersOnceAndAnswersTheSameAccountWhenRepeated() {
    var first =
        kit.<StatusReply<Account>>runCommand(r -> new UserCommand.Register("ada", "DE", AT, r));
    assertThat(first.events()).containsExactly(new UserEvent.Registered("u1", "ada", "DE", AT));
    assertThat(first.reply().getValue()).isEqualTo(new Account("u1", "ada", "DE", AT));

    var again =
        kit.<StatusReply<Account>>runCommand(r -> new UserCommand.Register("ada", "DE", AT, r));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue().handle()).isEqualTo("ada");
  }

  @Test
  void refusesASecondHandleForTheSameUser() {
    kit.<StatusReply<Account>>runCommand(r -> new UserCommand.Register("ada", "DE", AT, r));
    var other =
        kit.<StatusReply<Account>>runCommand(r -> new UserCommand.Register("bob", "DE", AT, r));
    assertThat(other.reply().isError()).isTrue();
    assertThat(other.hasNoEvents()).isTrue();
  }

  @Test
  void lookupIsEmptyBeforeRegistrationAndSurvivesRestart() {
    assertThat(kit.<AccountLookup>runCommand(UserCommand.GetAccount::new).reply().account())
        .isEmpty();
    kit.<StatusReply<Account>>runCommand(r -> new UserCommand.Register("ada", "DE", AT, r));
    kit.restart();
    assertThat(kit.<AccountLookup>runCommand(UserCommand.GetAccount::new).reply().account())
        .contains(new Account("u1", "ada", "DE", AT));
  }

  @Test
  void aDisplayNameIsJournaledOnceKeptOverARestartAndCleared() {
    var before =
        kit.<StatusReply<Account>>runCommand(
            r -> new UserCommand.SetDisplayName("Ada Lovelace", AT, r));
    assertThat(before.hasNoEvents()).isTrue();
    assertThat(before.reply().isError()).as("no account yet").isTrue();

    register();
    var set =
        kit.<StatusReply<Account>>runCommand(
            r -> new UserCommand.SetDisplayName("Ada Lovelace", AT, r));
    assertThat(set.events())
        .containsExactly(new UserEvent.DisplayNameChanged("u1", "Ada Lovelace", AT));
    assertThat(set.reply().getValue())
        .isEqualTo(new Account("u1", "ada", "DE", AT, "Ada Lovelace"));

    var same =
        kit.<StatusReply<Account>>runCommand(
            r -> new UserCommand.SetDisplayName("Ada Lovelace", AT.plusSeconds(1), r));
    assertThat(same.hasNoEvents()).isTrue();

    kit.restart();
    assertThat(kit.<AccountLookup>runCommand(UserCommand.GetAccount::new).reply().account())
        .map(Account::displayName)
        .contains("Ada Lovelace");

    var cleared =
        kit.<StatusReply<Account>>runCommand(
            r -> new UserCommand.SetDisplayName(null, AT.plusSeconds(2), r));
    assertThat(cleared.events())
        .containsExactly(new UserEvent.DisplayNameChanged("u1", null, AT.plusSeconds(2)));
    assertThat(cleared.reply().getValue().displayName()).isNull();
  }

  // ---- follows

  @Test
  void followAndUnfollowAreIdempotent() {
    register();
    var follow = follow("c1", AT);
    assertThat(follow.events()).containsExactly(new UserEvent.Followed("u1", "c1", AT, "DE"));
    assertThat(follow.reply().getValue()).isEqualTo(new FollowState(true, 1));

    var again = follow("c1", AT.plusSeconds(5));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(new FollowState(true, 1));

    assertThat(follow("c2", AT).reply().getValue()).isEqualTo(new FollowState(true, 2));

    var unfollow = unfollow("c1", AT.plusSeconds(10));
    assertThat(unfollow.events())
        .containsExactly(new UserEvent.Unfollowed("u1", "c1", AT.plusSeconds(10)));
    assertThat(unfollow.reply().getValue()).isEqualTo(new FollowState(false, 1));

    var unfollowAgain = unfollow("c1", AT.plusSeconds(11));
    assertThat(unfollowAgain.hasNoEvents()).isTrue();
    assertThat(unfollowAgain.reply().getValue()).isEqualTo(new FollowState(false, 1));
    assertThat(social().following()).containsExactly("c2");
  }

  @Test
  void followingYourselfIsRefused() {
    register();
    var self = follow("u1", AT);
    assertThat(self.hasNoEvents()).isTrue();
    assertThat(self.reply().isError()).isTrue();
    assertThat(self.reply().getError()).hasMessage("you cannot follow yourself");
  }

  @Test
  void anUnregisteredUserCanDoNothingButRegister() {
    assertThat(follow("c1", AT).reply().getError())
        .isInstanceOf(SocialService.UnknownUserException.class);
    assertThat(unfollow("c1", AT).reply().getError())
        .isInstanceOf(SocialService.UnknownUserException.class);
    assertThat(like("v1", List.of("cats"), AT).reply().getError())
        .isInstanceOf(SocialService.UnknownUserException.class);
    // the stream's signals are answered as learned: there is nothing to learn them for
    assertThat(watch("v1", List.of("cats"), 1000, 10_000, false, AT).reply())
        .isEqualTo(WriteBackReply.WRITTEN);
    assertThat(share("v1", List.of("cats"), AT).reply()).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(profileResult(Optional.of(AT)).reply().getError())
        .isInstanceOf(SocialService.UnknownUserException.class);
    assertThat(kit.<StatusReply<Social>>runCommand(UserCommand.GetSocial::new).reply().getError())
        .isInstanceOf(SocialService.UnknownUserException.class);
    assertThat(kit.getState()).isEqualTo(new UserState.Unregistered());
  }

  @Test
  void refusesFollowsPastTheLimit() {
    var limited =
        EventSourcedBehaviorTestKit.<UserCommand, UserEvent, UserState>create(
            testKit.system(),
            UserActor.create("u2", SETTINGS.withMaxFollowing(2), Clock.systemUTC()));
    limited.<StatusReply<Account>>runCommand(r -> new UserCommand.Register("bob", "US", AT, r));
    for (String creator : List.of("c1", "c2")) {
      limited.<StatusReply<FollowState>>runCommand(r -> new UserCommand.Follow(creator, AT, r));
    }
    var third =
        limited.<StatusReply<FollowState>>runCommand(r -> new UserCommand.Follow("c3", AT, r));
    assertThat(third.hasNoEvents()).isTrue();
    assertThat(third.reply().getError()).hasMessage("you can follow at most 2 accounts");
    // following someone already followed still answers
    assertThat(
            limited
                .<StatusReply<FollowState>>runCommand(r -> new UserCommand.Follow("c1", AT, r))
                .reply()
                .getValue())
        .isEqualTo(new FollowState(true, 2));
  }

  @Test
  void pagesFollowedCreatorsMostRecentFirst() {
    register();
    for (int i = 1; i <= 5; i++) {
      follow("c" + i, AT.plusSeconds(i));
    }
    Page first = page(Optional.empty(), 2);
    assertThat(first.items()).containsExactly("c5", "c4");
    unfollow("c4", AT.plusSeconds(10)); // a change between pages neither repeats nor skips
    follow("c9", AT.plusSeconds(11));
    Page second = page(first.next(), 2);
    assertThat(second.items()).containsExactly("c3", "c2");
    Page third = page(second.next(), 2);
    assertThat(third.items()).containsExactly("c1");
    assertThat(third.next()).isEmpty();

    var bad =
        kit.<StatusReply<Page>>runCommand(
            r -> new UserCommand.GetFollowing(Optional.of("not a cursor"), 2, r));
    assertThat(bad.reply().isError()).isTrue();
    var zero =
        kit.<StatusReply<Page>>runCommand(
            r -> new UserCommand.GetFollowing(Optional.empty(), 0, r));
    assertThat(zero.reply().isError()).isTrue();
  }

  // ---- likes

  @Test
  void likeAndUnlikeAreIdempotent() {
    register();
    var like = like("v1", List.of("#Cats", "cats", " "), AT);
    assertThat(like.events())
        .containsExactly(new UserEvent.Liked("u1", "v1", "c1", List.of("cats"), "s1", AT, "DE"));
    assertThat(like.reply().getValue()).isEqualTo(new LikeChange(true, true));

    var again = like("v1", List.of("cats"), AT.plusSeconds(1));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(new LikeChange(true, false));

    var unlike = unlike("v1", AT.plusSeconds(2));
    assertThat(unlike.events())
        .containsExactly(new UserEvent.Unliked("u1", "v1", AT.plusSeconds(2)));
    assertThat(unlike.reply().getValue()).isEqualTo(new LikeChange(false, true));

    var unlikeAgain = unlike("v1", AT.plusSeconds(3));
    assertThat(unlikeAgain.hasNoEvents()).isTrue();
    assertThat(unlikeAgain.reply().getValue()).isEqualTo(new LikeChange(false, false));

    like("v2", List.of(), AT.plusSeconds(4));
    assertThat(social().likedVideoIds()).containsExactly("v2");
  }

  @Test
  void answersWhichOfSomeVideosItLikesWithoutWriting() {
    var unknown =
        kit.<StatusReply<UserCommand.LikedVideos>>runCommand(
            r -> new UserCommand.LikedAmong(List.of("v1"), r));
    assertThat(unknown.reply().getError()).isInstanceOf(SocialService.UnknownUserException.class);

    register();
    like("v1", List.of(), AT);
    like("v3", List.of(), AT.plusSeconds(1));
    unlike("v3", AT.plusSeconds(2));
    var liked =
        kit.<StatusReply<UserCommand.LikedVideos>>runCommand(
            r -> new UserCommand.LikedAmong(List.of("v1", "v2", "v3"), r));
    assertThat(liked.hasNoEvents()).isTrue();
    assertThat(liked.reply().getValue().videoIds()).containsExactly("v1");
  }

  @Test
  void refusesSignalsWithoutAVideo() {
    register();
    var blank =
        kit.<StatusReply<LikeChange>>runCommand(
            r -> new UserCommand.Like(" ", "c1", List.of(), Optional.empty(), AT, r));
    assertThat(blank.reply().getError()).hasMessage("videoId is required");
    // the stream's signals are never refused: an invalid one is dropped, its offset dealt with
    var negative = watch("v1", List.of(), -1, 1000, false, AT);
    assertThat(negative.reply()).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(negative.events())
        .containsExactly(new UserEvent.SignalsLearned("u1", List.of(), Map.of(0, 0L)));
  }

  // ---- the preference profile

  @Test
  void engagementRaisesScoresAndFastSkipsLowerThem() {
    register();
    watch("v1", List.of("cats"), 30_000, 30_000, true, AT);
    double afterCompletion = profile(AT).hashtags().get("cats");
    assertThat(afterCompletion).isCloseTo(1.0, within(EPS));

    watch("v2", List.of("cats"), 15_000, 30_000, false, AT);
    double afterHalfWatch = profile(AT).hashtags().get("cats");
    assertThat(afterHalfWatch).isCloseTo(afterCompletion + 0.25, within(EPS));

    like("v3", List.of("cats"), AT);
    double afterLike = profile(AT).hashtags().get("cats");
    assertThat(afterLike).isCloseTo(afterHalfWatch + 2.0, within(EPS));

    share("v4", List.of("cats"), AT);
    double afterShare = profile(AT).hashtags().get("cats");
    assertThat(afterShare).isCloseTo(afterLike + 3.0, within(EPS));

    watch("v5", List.of("cats"), 1_000, 30_000, false, AT); // 3% and 1 s: a fast skip
    double afterSkip = profile(AT).hashtags().get("cats");
    assertThat(afterSkip).isCloseTo(afterShare - 0.5, within(EPS));

    // 25% of the video is no fast skip, nor is 1.5 s of a 5 s one watched for 30%
    watch("v6", List.of("dogs"), 7_500, 30_000, false, AT);
    watch("v7", List.of("birds"), 1_500, 5_000, false, AT);
    Profile profile = profile(AT);
    assertThat(profile.hashtags().get("dogs")).isPositive();
    assertThat(profile.hashtags().get("birds")).isPositive();
    assertThat(profile.hashtags().keySet()).first().isEqualTo("cats"); // highest first
  }

  @Test
  void learnsSoundsCreatorsAndTopicsButNotGenericTags() {
    register();
    like("v1", List.of("food_asmr", "Food-Prep", "#FYP"), AT);
    watch("v2", List.of("spam"), 500, 60_000, false, AT); // a fast skip on c1 and s1
    Profile profile = profile(AT);
    assertThat(profile.hashtags())
        .containsOnlyKeys("food_asmr", "food-prep", "spam")
        .containsEntry("spam", -0.5);
    assertThat(profile.topics()).containsOnlyKeys("food", "spam");
    assertThat(profile.topics().get("food")).isCloseTo(2.0, within(EPS));
    assertThat(profile.sounds().get("s1")).isCloseTo(1.5, within(EPS));
    assertThat(profile.creators().get("c1")).isCloseTo(1.5, within(EPS));
  }

  @Test
  void aScoreHalvesAfterEachHalfLife() {
    register();
    assertThat(SETTINGS.profile().halfLife()).isEqualTo(Duration.ofDays(3));
    like("v1", List.of("cats"), AT);
    assertThat(profile(AT).hashtags().get("cats")).isCloseTo(2.0, within(EPS));
    assertThat(profile(AT.plus(Duration.ofDays(3))).hashtags().get("cats"))
        .isCloseTo(1.0, within(EPS));
    assertThat(profile(AT.plus(Duration.ofDays(6))).hashtags().get("cats"))
        .isCloseTo(0.5, within(EPS));

    // a later signal adds to the decayed score
    share("v2", List.of("cats"), AT.plus(Duration.ofDays(3)));
    assertThat(profile(AT.plus(Duration.ofDays(3))).hashtags().get("cats"))
        .isCloseTo(1.0 + 3.0, within(EPS));
    assertThat(profile(AT.plus(Duration.ofDays(6))).hashtags().get("cats"))
        .isCloseTo(2.0, within(EPS));
    // a late event (older than the last change) is added decayed to it
    watch("v3", List.of("cats"), 10_000, 10_000, true, AT);
    assertThat(profile(AT.plus(Duration.ofDays(3))).hashtags().get("cats"))
        .isCloseTo(4.0 + 0.5, within(EPS));
  }

  @Test
  void theProfileDefaultsToNow() {
    var fixed =
        EventSourcedBehaviorTestKit.<UserCommand, UserEvent, UserState>create(
            testKit.system(),
            UserActor.create(
                "u3", SETTINGS, Clock.fixed(AT.plus(Duration.ofDays(3)), ZoneOffset.UTC)));
    fixed.<StatusReply<Account>>runCommand(r -> new UserCommand.Register("cy", "FR", AT, r));
    fixed.<StatusReply<LikeChange>>runCommand(
        r -> new UserCommand.Like("v1", "c1", List.of("cats"), Optional.empty(), AT, r));
    Profile now =
        fixed.<StatusReply<Profile>>runCommand(UserCommand.GetProfile::new).reply().getValue();
    assertThat(now.asOf()).isEqualTo(AT.plus(Duration.ofDays(3)));
    assertThat(now.hashtags().get("cats")).isCloseTo(1.0, within(EPS));
    assertThat(now.likedCount()).isEqualTo(1);
  }

  @Test
  void keepsAtMostTheConfiguredNumberOfKeysDroppingTheWeakest() {
    register();
    int max = SETTINGS.profile().maxKeysPerKind();
    assertThat(max).isEqualTo(200);
    like("v0", List.of("keeper"), AT); // old but strong: 2.0, still ~1.85 eight hours later
    // 210 tags, 30 per completed view, an hour apart: the oldest have decayed the most
    List<String> tags = IntStream.range(0, 210).mapToObj(i -> "tag" + i).toList();
    for (int v = 0; v < 7; v++) {
      watch(
          "w" + v,
          tags.subList(v * 30, v * 30 + 30),
          10_000,
          10_000,
          true,
          AT.plus(Duration.ofHours(v + 1)));
    }
    Profile profile = profile(AT.plus(Duration.ofHours(8)));
    assertThat(profile.hashtags()).hasSize(max).containsKey("keeper");
    // 211 candidates for 200 places: 11 of the oldest views' tags are gone
    assertThat(IntStream.range(0, 30).filter(i -> !profile.hashtags().containsKey("tag" + i)))
        .hasSize(11);
    assertThat(profile.hashtags()).containsKeys("tag30", "tag209");
    assertThat(profile.topics()).hasSize(max);
  }

  @Test
  void dropsARedeliveredWatchOrShare() {
    register();
    Signal watch =
        Signal.watch("v1", "c1", List.of("cats"), Optional.of("s1"), 10_000, 10_000, true, AT);
    learn(0, watch);
    var again = learn(0, watch); // redelivered by the stream: the same partition and offset
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply()).isEqualTo(WriteBackReply.WRITTEN);
    Signal later =
        Signal.watch(
            "v1",
            "c1",
            List.of("cats"),
            Optional.of("s1"),
            10_000,
            10_000,
            true,
            AT.plusSeconds(1));
    assertThat(learn(1, later).events()).hasSize(1);
    Signal share = Signal.share("v1", "c1", List.of("cats"), Optional.of("s1"), AT);
    learn(2, share);
    assertThat(learn(2, share).hasNoEvents()).isTrue();
    assertThat(profile(AT.plusSeconds(1)).hashtags().get("cats")).isGreaterThan(4.9);
  }

  // ---- recovery

  @Test
  void aRestartKeepsEverything() {
    register();
    follow("c1", AT);
    follow("c2", AT.plusSeconds(1));
    like("v1", List.of("cats", "food_asmr"), AT.plusSeconds(2));
    watch("v2", List.of("dogs"), 500, 20_000, false, AT.plusSeconds(3));
    share("v3", List.of("birds"), AT.plusSeconds(4));
    UserState before = kit.getState();
    Profile profileBefore = profile(AT.plusSeconds(60));

    kit.restart();
    assertThat(kit.getState()).isEqualTo(before);
    assertThat(profile(AT.plusSeconds(60))).isEqualTo(profileBefore);
    assertThat(social()).isEqualTo(new Social(2, 1, Set.of("c1", "c2"), Set.of("v1")));
    // and the offsets learned: the watch redelivered is not learned again
    Signal watched =
        Signal.watch(
            "v2", "c1", List.of("dogs"), Optional.of("s1"), 500, 20_000, false, AT.plusSeconds(3));
    assertThat(learn(0, watched).hasNoEvents()).isTrue();
  }

  @Test
  void recoversFromASnapshot() {
    register();
    // the 100th event triggers a snapshot
    for (int i = 1; i < SETTINGS.snapshotEvery(); i++) {
      watch("v" + i, List.of("tag" + (i % 7)), 10_000, 10_000, i % 3 == 0, AT.plusSeconds(i));
    }
    var snapshots = kit.snapshotTestKit().orElseThrow();
    assertThat(snapshots.expectNextPersistedClass("User|u1", UserState.Member.class).likes())
        .isEqualTo(Timeline.EMPTY);
    UserState before = kit.getState();

    // with the journal gone, only the snapshot can bring the state back
    kit.persistenceTestKit().clearByPersistenceId("User|u1");
    kit.restart();
    assertThat(kit.getState()).isEqualTo(before);
    assertThat(follow("c1", AT.plusSeconds(500)).reply().getValue())
        .isEqualTo(new FollowState(true, 1));
  }

  // ---- helpers

  private void register() {
    kit.<StatusReply<Account>>runCommand(r -> new UserCommand.Register("ada", "DE", AT, r));
  }

  private CommandResultWithReply<UserCommand, UserEvent, UserState, StatusReply<FollowState>>
      follow(String creatorId, Instant at) {
    return kit.runCommand(r -> new UserCommand.Follow(creatorId, at, r));
  }

  private CommandResultWithReply<UserCommand, UserEvent, UserState, StatusReply<FollowState>>
      unfollow(String creatorId, Instant at) {
    return kit.runCommand(r -> new UserCommand.Unfollow(creatorId, at, r));
  }

  private CommandResultWithReply<UserCommand, UserEvent, UserState, StatusReply<LikeChange>> like(
      String videoId, List<String> hashtags, Instant at) {
    return kit.runCommand(
        r -> new UserCommand.Like(videoId, "c1", hashtags, Optional.of("s1"), at, r));
  }

  private CommandResultWithReply<UserCommand, UserEvent, UserState, StatusReply<LikeChange>> unlike(
      String videoId, Instant at) {
    return kit.runCommand(r -> new UserCommand.Unlike(videoId, at, r));
  }

  /** A watch by the interactions stream, at the next offset of partition 0. */
  private CommandResultWithReply<UserCommand, UserEvent, UserState, WriteBackReply> watch(
      String videoId,
      List<String> hashtags,
      long watchMs,
      long durationMs,
      boolean completed,
      Instant at) {
    return learn(
        nextOffset++,
        Signal.watch(
            videoId, "c1", hashtags, Optional.of("s1"), watchMs, durationMs, completed, at));
  }

  /** A share by the interactions stream, at the next offset of partition 0. */
  private CommandResultWithReply<UserCommand, UserEvent, UserState, WriteBackReply> share(
      String videoId, List<String> hashtags, Instant at) {
    return learn(nextOffset++, Signal.share(videoId, "c1", hashtags, Optional.of("s1"), at));
  }

  /** One signal read at {@code offset} of partition 0, answered once it is written. */
  private CommandResultWithReply<UserCommand, UserEvent, UserState, WriteBackReply> learn(
      long offset, Signal signal) {
    return kit.runCommand(
        r -> new UserCommand.LearnSignals(List.of(new SignalAt(0, offset, signal)), Map.of(), r));
  }

  private CommandResultWithReply<UserCommand, UserEvent, UserState, StatusReply<Profile>>
      profileResult(Optional<Instant> asOf) {
    return kit.runCommand(r -> new UserCommand.GetProfile(asOf, r));
  }

  private Profile profile(Instant asOf) {
    return profileResult(Optional.of(asOf)).reply().getValue();
  }

  private Social social() {
    return kit.<StatusReply<Social>>runCommand(UserCommand.GetSocial::new).reply().getValue();
  }

  private Page page(Optional<String> cursor, int limit) {
    return kit.<StatusReply<Page>>runCommand(r -> new UserCommand.GetFollowing(cursor, limit, r))
        .reply()
        .getValue();
  }
}
