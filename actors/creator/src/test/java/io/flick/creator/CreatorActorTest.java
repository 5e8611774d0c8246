package io.flick.creator;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.creator.CreatorActor.CreatorSummary;
import io.flick.creator.CreatorActor.DailyFollowers;
import io.flick.creator.CreatorActor.FollowerChange;
import io.flick.creator.CreatorActor.Page;
import io.flick.creator.CreatorActor.VideoChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CreatorActorTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private static final CreatorSettings SETTINGS = CreatorSettings.fromConfig(ConfigFactory.load());

  private static final LocalDate D1 = LocalDate.of(2026, 11, 20);
  private static final Instant T1 = D1.atTime(9, 0).toInstant(ZoneOffset.UTC);
  private static final Instant TODAY = D1.plusDays(4).atTime(12, 0).toInstant(ZoneOffset.UTC);

  private final EventSourcedBehaviorTestKit<
          CreatorActor.Command, CreatorActor.Event, CreatorActor.State>
      kit =
          EventSourcedBehaviorTestKit.create(
              testKit.system(),
              CreatorActor.create("c1", SETTINGS, Clock.fixed(TODAY, ZoneOffset.UTC)));

  @BeforeEach
  void reset() {
    kit.clear();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void readsItsSettingsFromConfig() {
    assertThat(SETTINGS).isEqualTo(new CreatorSettings(400, 30, 100, 100));
  }

  @Test
  void addsAndRemovesFollowersIdempotently() {
    var added = addFollower("f1", T1);
    assertThat(added.events()).containsExactly(new CreatorActor.FollowerAdded("c1", "f1", T1));
    assertThat(added.reply().getValue()).isEqualTo(new FollowerChange(true, true, 1));

    var again = addFollower("f1", T1.plusSeconds(60));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(new FollowerChange(true, false, 1));

    var removed = removeFollower("f1", T1.plusSeconds(120));
    assertThat(removed.events())
        .containsExactly(new CreatorActor.FollowerRemoved("c1", "f1", T1.plusSeconds(120)));
    assertThat(removed.reply().getValue()).isEqualTo(new FollowerChange(false, true, 0));

    var removedAgain = removeFollower("f1", T1.plusSeconds(180));
    assertThat(removedAgain.hasNoEvents()).isTrue();
    assertThat(removedAgain.reply().getValue()).isEqualTo(new FollowerChange(false, false, 0));

    var self = addFollower("c1", T1);
    assertThat(self.hasNoEvents()).isTrue();
    assertThat(self.reply().getError()).hasMessage("a creator cannot follow itself");
  }

  @Test
  void keepsADailyHistoryAcrossDays() {
    for (String f : List.of("f1", "f2", "f3")) {
      addFollower(f, T1);
    }
    addFollower("f1", T1); // no change
    removeFollower("f2", T1.plus(Duration.ofDays(1)));
    addFollower("f4", T1.plus(Duration.ofDays(1)));
    removeFollower("f2", T1.plus(Duration.ofDays(1))); // no change
    addFollower("f5", T1.plus(Duration.ofDays(3)));
    assertThat(kit.getState().history())
        .containsExactly(
            new DailyFollowers(D1, 3, 0, 3),
            new DailyFollowers(D1.plusDays(1), 1, 1, 3),
            new DailyFollowers(D1.plusDays(3), 1, 0, 4));

    // a late follow for the first day moves every total after it
    addFollower("f6", T1.plusSeconds(60));
    assertThat(kit.getState().history())
        .containsExactly(
            new DailyFollowers(D1, 4, 0, 4),
            new DailyFollowers(D1.plusDays(1), 1, 1, 4),
            new DailyFollowers(D1.plusDays(3), 1, 0, 5));

    CreatorSummary summary = summary();
    assertThat(summary.followers()).isEqualTo(5);
    assertThat(summary.history()).hasSize(30);
    assertThat(summary.history().subList(25, 30))
        .containsExactly(
            new DailyFollowers(D1, 4, 0, 4),
            new DailyFollowers(D1.plusDays(1), 1, 1, 4),
            new DailyFollowers(D1.plusDays(2), 0, 0, 4),
            new DailyFollowers(D1.plusDays(3), 1, 0, 5),
            new DailyFollowers(D1.plusDays(4), 0, 0, 5));
    assertThat(summary.history().get(24)).isEqualTo(new DailyFollowers(D1.minusDays(1), 0, 0, 0));
  }

  @Test
  void keepsOnlyTheLast400DaysOfHistory() {
    addFollower("f1", T1);
    addFollower("f2", T1.plus(Duration.ofDays(399)));
    assertThat(kit.getState().history()).hasSize(2);
    addFollower("f3", T1.plus(Duration.ofDays(400)));
    assertThat(kit.getState().history())
        .containsExactly(
            new DailyFollowers(D1.plusDays(399), 1, 0, 2),
            new DailyFollowers(D1.plusDays(400), 1, 0, 3));
    // a change older than the window still counts, without a history entry of its own
    removeFollower("f1", T1);
    assertThat(kit.getState().history())
        .containsExactly(
            new DailyFollowers(D1.plusDays(399), 1, 0, 1),
            new DailyFollowers(D1.plusDays(400), 1, 0, 2));
  }

  @Test
  void pagesVideosNewestFirst() {
    for (int i = 1; i <= 5; i++) {
      assertThat(addVideo("v" + i, T1.plusSeconds(i)).reply().getValue())
          .isEqualTo(new VideoChange(true, true, i));
    }
    var again = addVideo("v3", T1.plusSeconds(99));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(new VideoChange(true, false, 5));

    Page first = videos(Optional.empty(), 2);
    assertThat(first.items()).containsExactly("v5", "v4");
    assertThat(first.next()).isPresent();
    // removing a video already served, and adding a newer one, changes nothing for the next page
    assertThat(removeVideo("v4").reply().getValue()).isEqualTo(new VideoChange(false, true, 4));
    addVideo("v6", T1.plusSeconds(6));
    Page second = videos(first.next(), 2);
    assertThat(second.items()).containsExactly("v3", "v2");
    Page last = videos(second.next(), 2);
    assertThat(last.items()).containsExactly("v1");
    assertThat(last.next()).isEmpty();

    assertThat(videos(Optional.empty(), 10).items()).containsExactly("v6", "v5", "v3", "v2", "v1");
    var removedAgain = removeVideo("v4");
    assertThat(removedAgain.hasNoEvents()).isTrue();
    assertThat(removedAgain.reply().getValue()).isEqualTo(new VideoChange(false, false, 5));
    // an older video added late takes its place by time
    addVideo("v0", T1);
    assertThat(videos(Optional.empty(), 10).items())
        .containsExactly("v6", "v5", "v3", "v2", "v1", "v0");

    assertThat(
            kit.<StatusReply<Page>>runCommand(
                    r -> new CreatorActor.GetVideos(Optional.of("%%%"), 2, r))
                .reply()
                .isError())
        .isTrue();
    assertThat(summary().videoCount()).isEqualTo(6);
  }

  @Test
  void pagesFollowersMostRecentFirst() {
    for (int i = 1; i <= 3; i++) {
      addFollower("f" + i, T1.plusSeconds(i));
    }
    var page =
        kit.<StatusReply<Page>>runCommand(
                r -> new CreatorActor.GetFollowers(Optional.empty(), 2, r))
            .reply()
            .getValue();
    assertThat(page.items()).containsExactly("f3", "f2");
    var rest =
        kit.<StatusReply<Page>>runCommand(r -> new CreatorActor.GetFollowers(page.next(), 2, r))
            .reply()
            .getValue();
    assertThat(rest).isEqualTo(new Page(List.of("f1"), Optional.empty()));
  }

  @Test
  void aRestartKeepsEverything() {
    addFollower("f1", T1);
    addFollower("f2", T1.plus(Duration.ofDays(1)));
    removeFollower("f1", T1.plus(Duration.ofDays(2)));
    addVideo("v1", T1);
    addVideo("v2", T1.plusSeconds(1));
    removeVideo("v1");
    CreatorActor.State before = kit.getState();
    CreatorSummary summary = summary();

    kit.restart();
    assertThat(kit.getState()).isEqualTo(before);
    assertThat(summary()).isEqualTo(summary);
    assertThat(addFollower("f2", T1).hasNoEvents()).isTrue();
  }

  @Test
  void recoversFromASnapshot() {
    for (int i = 0; i < SETTINGS.snapshotEvery(); i++) {
      addFollower("f" + i, T1.plus(Duration.ofHours(i)));
    }
    var snapshots = kit.snapshotTestKit().orElseThrow();
    assertThat(
            snapshots
                .expectNextPersistedClass("Creator|c1", CreatorActor.State.class)
                .followers()
                .size())
        .isEqualTo(100);
    CreatorActor.State before = kit.getState();

    // with the journal gone, only the snapshot can bring the state back
    kit.persistenceTestKit().clearByPersistenceId("Creator|c1");
    kit.restart();
    assertThat(kit.getState()).isEqualTo(before);
    assertThat(summary().followers()).isEqualTo(100);
  }

  // ---- helpers

  private CommandResultWithReply<
          CreatorActor.Command, CreatorActor.Event, CreatorActor.State, StatusReply<FollowerChange>>
      addFollower(String followerId, Instant at) {
    return kit.runCommand(r -> new CreatorActor.AddFollower(followerId, at, r));
  }

  private CommandResultWithReply<
          CreatorActor.Command, CreatorActor.Event, CreatorActor.State, StatusReply<FollowerChange>>
      removeFollower(String followerId, Instant at) {
    return kit.runCommand(r -> new CreatorActor.RemoveFollower(followerId, at, r));
  }

  private CommandResultWithReply<
          CreatorActor.Command, CreatorActor.Event, CreatorActor.State, StatusReply<VideoChange>>
      addVideo(String videoId, Instant at) {
    return kit.runCommand(r -> new CreatorActor.AddVideo(videoId, at, r));
  }

  private CommandResultWithReply<
          CreatorActor.Command, CreatorActor.Event, CreatorActor.State, StatusReply<VideoChange>>
      removeVideo(String videoId) {
    return kit.runCommand(r -> new CreatorActor.RemoveVideo(videoId, r));
  }

  private Page videos(Optional<String> cursor, int limit) {
    return kit.<StatusReply<Page>>runCommand(r -> new CreatorActor.GetVideos(cursor, limit, r))
        .reply()
        .getValue();
  }

  private CreatorSummary summary() {
    return kit.<CreatorSummary>runCommand(CreatorActor.GetCreator::new).reply();
  }
}
