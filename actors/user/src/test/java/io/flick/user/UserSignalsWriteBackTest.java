package io.flick.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import io.flick.user.UserActor.Account;
import io.flick.user.UserActor.LearnSignals;
import io.flick.user.UserActor.Profile;
import io.flick.user.UserActor.Signal;
import io.flick.user.UserActor.SignalsLearned;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Write-back profile learning: {@link LearnSignals} is acked only after its one flushed event. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserSignalsWriteBackTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private static final Duration FLUSH = Duration.ofMillis(300);
  private static final UserSettings SETTINGS =
      UserSettings.fromConfig(ConfigFactory.load()).withSignalFlushInterval(FLUSH);
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");
  private static final String PID = "User|u1";

  private final EventSourcedBehaviorTestKit<UserActor.Command, UserActor.Event, UserActor.State>
      kit =
          EventSourcedBehaviorTestKit.create(
              testKit.system(), UserActor.create("u1", SETTINGS, Clock.systemUTC()));

  @BeforeEach
  void reset() {
    kit.clear();
    kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("ada", "DE", AT, r));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void signalsWithinAFlushIntervalBecomeOneEventAndAreAckedOnlyAfterIt() {
    TestProbe<StatusReply<Done>> first = testKit.createTestProbe();
    TestProbe<StatusReply<Done>> second = testKit.createTestProbe();
    var sent =
        kit.runCommand(
            new LearnSignals(List.of(watch("v1", "Cats", true, AT), share("v2", AT)), first.ref()));
    assertThat(sent.hasNoEvents()).isTrue();
    kit.runCommand(new LearnSignals(List.of(watch("v3", "cats", false, AT)), second.ref()));
    first.expectNoMessage(Duration.ofMillis(100)); // not yet written, so not yet acked

    assertThat(first.receiveMessage(Duration.ofSeconds(5)).isSuccess()).isTrue();
    assertThat(second.receiveMessage(Duration.ofSeconds(5)).isSuccess()).isTrue();
    List<Object> events = kit.persistenceTestKit().persistedInStorage(PID);
    assertThat(events).hasSize(2); // Registered, then one SignalsLearned for all three
    SignalsLearned learned = (SignalsLearned) events.get(1);
    assertThat(learned.signals()).extracting(Signal::videoId).containsExactly("v1", "v2", "v3");
    assertThat(learned.signals().get(0).hashtags()).containsExactly("cats"); // normalised

    // the same scores as one Watched / Shared event each: 1.0 + 3.0 + 0.5 × 0.5
    assertThat(profile().hashtags().get("cats")).isCloseTo(4.25, within(1e-9));
  }

  @Test
  void anAcknowledgedSignalSurvivesARestartAndARedeliveryIsNotCountedTwice() {
    TestProbe<StatusReply<Done>> acks = testKit.createTestProbe();
    List<Signal> batch = List.of(watch("v1", "cats", true, AT), share("v2", AT));
    kit.runCommand(new LearnSignals(batch, acks.ref()));
    assertThat(acks.receiveMessage(Duration.ofSeconds(5)).isSuccess()).isTrue();
    double before = profile().hashtags().get("cats");

    kit.restart();
    assertThat(profile().hashtags().get("cats")).isCloseTo(before, within(1e-9));

    // the stream redelivers the batch (its offsets were not committed yet): acked at once, no event
    var again = kit.runCommand(new LearnSignals(batch, acks.ref()));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(acks.receiveMessage(Duration.ofSeconds(1)).isSuccess()).isTrue();
    assertThat(kit.persistenceTestKit().persistedInStorage(PID)).hasSize(2);
    assertThat(profile().hashtags().get("cats")).isCloseTo(before, within(1e-9));
  }

  @Test
  void pendingSignalsAreNotAckedBeforeTheyAreWrittenSoACrashLosesNothingAcknowledged() {
    TestProbe<StatusReply<Done>> acks = testKit.createTestProbe();
    kit.runCommand(new LearnSignals(List.of(watch("v1", "cats", true, AT)), acks.ref()));
    kit.restart(); // a crash before the flush: nothing written, nothing acked
    acks.expectNoMessage(FLUSH.multipliedBy(2));
    assertThat(kit.persistenceTestKit().persistedInStorage(PID)).hasSize(1);

    // the stream's redelivery after its ask failed is then learned and acked
    kit.runCommand(new LearnSignals(List.of(watch("v1", "cats", true, AT)), acks.ref()));
    assertThat(acks.receiveMessage(Duration.ofSeconds(5)).isSuccess()).isTrue();
    assertThat(profile().hashtags().get("cats")).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void aFullBufferFlushesAtOnceAndInvalidSignalsAreDropped() {
    TestProbe<StatusReply<Done>> acks = testKit.createTestProbe();
    List<Signal> many =
        IntStream.range(0, UserActor.RECENT_SIGNALS)
            .mapToObj(i -> watch("v" + i, "cats", true, AT.plusSeconds(i)))
            .toList();
    var full = kit.runCommand(new LearnSignals(many, acks.ref()));
    assertThat(full.events()).hasSize(1); // no wait for the timer
    assertThat(acks.receiveMessage(Duration.ofSeconds(1)).isSuccess()).isTrue();

    Signal noVideo = new Signal(Signal.WATCH, "", "c1", List.of(), null, 1, 1, true, AT);
    Signal negative = new Signal(Signal.WATCH, "v9", "c1", List.of(), null, -1, 1, true, AT);
    Signal unknownKind = new Signal("poke", "v9", "c1", List.of(), null, 1, 1, true, AT);
    var invalid =
        kit.runCommand(new LearnSignals(List.of(noVideo, negative, unknownKind), acks.ref()));
    assertThat(invalid.hasNoEvents()).isTrue();
    assertThat(acks.receiveMessage(Duration.ofSeconds(1)).isSuccess()).isTrue();
  }

  private static Signal watch(String videoId, String tag, boolean completed, Instant at) {
    return Signal.watch(
        videoId,
        "c1",
        List.of(tag),
        Optional.of("s1"),
        completed ? 30_000 : 15_000,
        30_000,
        completed,
        at);
  }

  private static Signal share(String videoId, Instant at) {
    return Signal.share(videoId, "c1", List.of("cats"), Optional.of("s1"), at);
  }

  private Profile profile() {
    return kit.<StatusReply<Profile>>runCommand(r -> new UserActor.GetProfile(Optional.of(AT), r))
        .reply()
        .getValue();
  }
}
