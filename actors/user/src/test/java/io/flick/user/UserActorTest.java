package io.flick.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import io.flick.common.Timeline;
import io.flick.user.UserActor.Account;
import io.flick.user.UserActor.AccountLookup;
import io.flick.user.UserActor.FollowState;
import io.flick.user.UserActor.LikeChange;
import io.flick.user.UserActor.Page;
import io.flick.user.UserActor.Profile;
import io.flick.user.UserActor.Social;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
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

  private final EventSourcedBehaviorTestKit<UserActor.Command, UserActor.Event, UserActor.State>
      kit = EventSourcedBehaviorTestKit.create(testKit.system(), UserActor.create("u1"));

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
        kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("ada", "DE", AT, r));
    assertThat(first.events()).containsExactly(new UserActor.Registered("u1", "ada", "DE", AT));
    assertThat(first.reply().getValue()).isEqualTo(new Account("u1", "ada", "DE", AT));

    var again =
        kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("ada", "DE", AT, r));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue().handle()).isEqualTo("ada");
  }

  @Test
  void refusesASecondHandleForTheSameUser() {
    kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("ada", "DE", AT, r));
    var other =
        kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("bob", "DE", AT, r));
    assertThat(other.reply().isError()).isTrue();
    assertThat(other.hasNoEvents()).isTrue();
  }

  @Test
  void lookupIsEmptyBeforeRegistrationAndSurvivesRestart() {
    assertThat(kit.<AccountLookup>runCommand(UserActor.GetAccount::new).reply().account())
        .isEmpty();
    kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("ada", "DE", AT, r));
    kit.restart();
    assertThat(kit.<AccountLookup>runCommand(UserActor.GetAccount::new).reply().account())
        .contains(new Account("u1", "ada", "DE", AT));
  }

  // ---- follows

  @Test
  void followAndUnfollowAreIdempotent() {
    register();
    var follow = follow("c1", AT);
    assertThat(follow.events()).containsExactly(new UserActor.Followed("u1", "c1", AT));
    assertThat(follow.reply().getValue()).isEqualTo(new FollowState(true, 1));

    var again = follow("c1", AT.plusSeconds(5));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(new FollowState(true, 1));

    assertThat(follow("c2", AT).reply().getValue()).isEqualTo(new FollowState(true, 2));

    var unfollow = unfollow("c1", AT.plusSeconds(10));
    assertThat(unfollow.events())
        .containsExactly(new UserActor.Unfollowed("u1", "c1", AT.plusSeconds(10)));
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
    assertThat(watch("v1", List.of("cats"), 1000, 10_000, false, AT).reply().getError())
        .isInstanceOf(SocialService.UnknownUserException.class);
    assertThat(share("v1", List.of("cats"), AT).reply().getError())
        .isInstanceOf(SocialService.UnknownUserException.class);
    assertThat(profileResult(Optional.of(AT)).reply().getError())
        .isInstanceOf(SocialService.UnknownUserException.class);
    assertThat(kit.<StatusReply<Social>>runCommand(UserActor.GetSocial::new).reply().getError())
        .isInstanceOf(SocialService.UnknownUserException.class);
    assertThat(kit.getState()).isEqualTo(new UserActor.Unregistered());
  }

  @Test
  void refusesFollowsPastTheLimit() {
    var limited =
        EventSourcedBehaviorTestKit.<UserActor.Command, UserActor.Event, UserActor.State>create(
            testKit.system(),
            UserActor.create("u2", SETTINGS.withMaxFollowing(2), Clock.systemUTC()));
    limited.<StatusReply<Account>>runCommand(r -> new UserActor.Register("bob", "US", AT, r));
    for (String creator : List.of("c1", "c2")) {
      limited.<StatusReply<FollowState>>runCommand(r -> new UserActor.Follow(creator, AT, r));
    }
    var third =
        limited.<StatusReply<FollowState>>runCommand(r -> new UserActor.Follow("c3", AT, r));
    assertThat(third.hasNoEvents()).isTrue();
    assertThat(third.reply().getError()).hasMessage("you can follow at most 2 accounts");
    // following someone already followed still answers
    assertThat(
            limited
                .<StatusReply<FollowState>>runCommand(r -> new UserActor.Follow("c1", AT, r))
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
            r -> new UserActor.GetFollowing(Optional.of("not a cursor"), 2, r));
    assertThat(bad.reply().isError()).isTrue();
    var zero =
        kit.<StatusReply<Page>>runCommand(r -> new UserActor.GetFollowing(Optional.empty(), 0, r));
    assertThat(zero.reply().isError()).isTrue();
  }

  // ---- likes

  @Test
  void likeAndUnlikeAreIdempotent() {
    register();
    var like = like("v1", List.of("#Cats", "cats", " "), AT);
    assertThat(like.events())
        .containsExactly(new UserActor.Liked("u1", "v1", "c1", List.of("cats"), "s1", AT));
    assertThat(like.reply().getValue()).isEqualTo(new LikeChange(true, true));

    var again = like("v1", List.of("cats"), AT.plusSeconds(1));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(new LikeChange(true, false));

    var unlike = unlike("v1", AT.plusSeconds(2));
    assertThat(unlike.events())
        .containsExactly(new UserActor.Unliked("u1", "v1", AT.plusSeconds(2)));
    assertThat(unlike.reply().getValue()).isEqualTo(new LikeChange(false, true));

    var unlikeAgain = unlike("v1", AT.plusSeconds(3));
    assertThat(unlikeAgain.hasNoEvents()).isTrue();
    assertThat(unlikeAgain.reply().getValue()).isEqualTo(new LikeChange(false, false));

    like("v2", List.of(), AT.plusSeconds(4));
    assertThat(social().likedVideoIds()).containsExactly("v2");
    assertThat(
            kit.<StatusReply<Page>>runCommand(
                    r -> new UserActor.GetLikedVideos(Optional.empty(), 10, r))
                .reply()
                .getValue()
                .items())
        .containsExactly("v2");
  }

  @Test
  void answersWhichOfSomeVideosItLikesWithoutWriting() {
    var unknown =
        kit.<StatusReply<UserActor.LikedVideos>>runCommand(
            r -> new UserActor.LikedAmong(List.of("v1"), r));
    assertThat(unknown.reply().getError()).isInstanceOf(SocialService.UnknownUserException.class);

    register();
    like("v1", List.of(), AT);
    like("v3", List.of(), AT.plusSeconds(1));
    unlike("v3", AT.plusSeconds(2));
    var liked =
        kit.<StatusReply<UserActor.LikedVideos>>runCommand(
            r -> new UserActor.LikedAmong(List.of("v1", "v2", "v3"), r));
    assertThat(liked.hasNoEvents()).isTrue();
    assertThat(liked.reply().getValue().videoIds()).containsExactly("v1");
  }

  @Test
  void refusesSignalsWithoutAVideo() {
    register();
    var blank =
        kit.<StatusReply<LikeChange>>runCommand(
            r -> new UserActor.Like(" ", "c1", List.of(), Optional.empty(), AT, r));
    assertThat(blank.reply().getError()).hasMessage("videoId is required");
    assertThat(watch("v1", List.of(), -1, 1000, false, AT).reply().getError())
        .hasMessage("watchMs must not be negative");
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
        EventSourcedBehaviorTestKit.<UserActor.Command, UserActor.Event, UserActor.State>create(
            testKit.system(),
            UserActor.create(
                "u3", SETTINGS, Clock.fixed(AT.plus(Duration.ofDays(3)), ZoneOffset.UTC)));
    fixed.<StatusReply<Account>>runCommand(r -> new UserActor.Register("cy", "FR", AT, r));
    fixed.<StatusReply<LikeChange>>runCommand(
        r -> new UserActor.Like("v1", "c1", List.of("cats"), Optional.empty(), AT, r));
    Profile now =
        fixed.<StatusReply<Profile>>runCommand(UserActor.GetProfile::new).reply().getValue();
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
    watch("v1", List.of("cats"), 10_000, 10_000, true, AT);
    var again = watch("v1", List.of("cats"), 10_000, 10_000, true, AT);
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(Done.getInstance());
    assertThat(watch("v1", List.of("cats"), 10_000, 10_000, true, AT.plusSeconds(1)).events())
        .hasSize(1);
    share("v1", List.of("cats"), AT);
    assertThat(share("v1", List.of("cats"), AT).hasNoEvents()).isTrue();
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
    UserActor.State before = kit.getState();
    Profile profileBefore = profile(AT.plusSeconds(60));

    kit.restart();
    assertThat(kit.getState()).isEqualTo(before);
    assertThat(profile(AT.plusSeconds(60))).isEqualTo(profileBefore);
    assertThat(social()).isEqualTo(new Social(2, 1, Set.of("c1", "c2"), Set.of("v1")));
    // and the dedup memory too
    assertThat(watch("v2", List.of("dogs"), 500, 20_000, false, AT.plusSeconds(3)).hasNoEvents())
        .isTrue();
  }

  @Test
  void recoversFromASnapshot() {
    register();
    // the 100th event triggers a snapshot
    for (int i = 1; i < SETTINGS.snapshotEvery(); i++) {
      watch("v" + i, List.of("tag" + (i % 7)), 10_000, 10_000, i % 3 == 0, AT.plusSeconds(i));
    }
    var snapshots = kit.snapshotTestKit().orElseThrow();
    assertThat(snapshots.expectNextPersistedClass("User|u1", UserActor.Member.class).likes())
        .isEqualTo(Timeline.EMPTY);
    UserActor.State before = kit.getState();

    // with the journal gone, only the snapshot can bring the state back
    kit.persistenceTestKit().clearByPersistenceId("User|u1");
    kit.restart();
    assertThat(kit.getState()).isEqualTo(before);
    assertThat(follow("c1", AT.plusSeconds(500)).reply().getValue())
        .isEqualTo(new FollowState(true, 1));
  }

  // ---- helpers

  private void register() {
    kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("ada", "DE", AT, r));
  }

  private CommandResultWithReply<
          UserActor.Command, UserActor.Event, UserActor.State, StatusReply<FollowState>>
      follow(String creatorId, Instant at) {
    return kit.runCommand(r -> new UserActor.Follow(creatorId, at, r));
  }

  private CommandResultWithReply<
          UserActor.Command, UserActor.Event, UserActor.State, StatusReply<FollowState>>
      unfollow(String creatorId, Instant at) {
    return kit.runCommand(r -> new UserActor.Unfollow(creatorId, at, r));
  }

  private CommandResultWithReply<
          UserActor.Command, UserActor.Event, UserActor.State, StatusReply<LikeChange>>
      like(String videoId, List<String> hashtags, Instant at) {
    return kit.runCommand(
        r -> new UserActor.Like(videoId, "c1", hashtags, Optional.of("s1"), at, r));
  }

  private CommandResultWithReply<
          UserActor.Command, UserActor.Event, UserActor.State, StatusReply<LikeChange>>
      unlike(String videoId, Instant at) {
    return kit.runCommand(r -> new UserActor.Unlike(videoId, at, r));
  }

  private CommandResultWithReply<
          UserActor.Command, UserActor.Event, UserActor.State, StatusReply<Done>>
      watch(
          String videoId,
          List<String> hashtags,
          long watchMs,
          long durationMs,
          boolean completed,
          Instant at) {
    return kit.runCommand(
        r ->
            new UserActor.RecordWatch(
                videoId, "c1", hashtags, Optional.of("s1"), watchMs, durationMs, completed, at, r));
  }

  private CommandResultWithReply<
          UserActor.Command, UserActor.Event, UserActor.State, StatusReply<Done>>
      share(String videoId, List<String> hashtags, Instant at) {
    return kit.runCommand(
        r -> new UserActor.RecordShare(videoId, "c1", hashtags, Optional.of("s1"), at, r));
  }

  private CommandResultWithReply<
          UserActor.Command, UserActor.Event, UserActor.State, StatusReply<Profile>>
      profileResult(Optional<Instant> asOf) {
    return kit.runCommand(r -> new UserActor.GetProfile(asOf, r));
  }

  private Profile profile(Instant asOf) {
    return profileResult(Optional.of(asOf)).reply().getValue();
  }

  private Social social() {
    return kit.<StatusReply<Social>>runCommand(UserActor.GetSocial::new).reply().getValue();
  }

  private Page page(Optional<String> cursor, int limit) {
    return kit.<StatusReply<Page>>runCommand(r -> new UserActor.GetFollowing(cursor, limit, r))
        .reply()
        .getValue();
  }
}
