package io.flick.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import io.flick.common.writeback.WriteBackReply;
import io.flick.user.UserCommand.LearnSignals;
import io.flick.user.UserCommand.SignalAt;
import io.flick.user.UserEvent.SignalsLearned;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Write-back profile learning: {@link LearnSignals} is acked only after its one flushed event, and
 * every signal is learned once, by its interactions offset.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserSignalsWriteBackTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private static final Duration FLUSH = Duration.ofMillis(300);
  private static final UserSettings SETTINGS =
      UserSettings.fromConfig(ConfigFactory.load()).withSignalFlushInterval(FLUSH);
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");
  private static final String PID = "User|u1";

  private final EventSourcedBehaviorTestKit<UserCommand, UserEvent, UserState> kit =
      EventSourcedBehaviorTestKit.create(
          testKit.system(), UserActor.create("u1", SETTINGS, Clock.systemUTC()));

  @BeforeEach
  void reset() {
    kit.clear();
    kit.<StatusReply<Account>>runCommand(r -> new UserCommand.Register("ada", "DE", AT, r));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void signalsWithinAFlushIntervalBecomeOneEventAndAreAckedOnlyAfterIt() {
    TestProbe<WriteBackReply> first = testKit.createTestProbe();
    TestProbe<WriteBackReply> second = testKit.createTestProbe();
    var sent =
        kit.runCommand(
            learn(first, at(0, 10, watch("v1", "Cats", true, AT)), at(1, 4, share("v2", AT))));
    assertThat(sent.hasNoEvents()).isTrue();
    kit.runCommand(learn(second, at(0, 11, watch("v3", "cats", false, AT))));
    first.expectNoMessage(Duration.ofMillis(100)); // not yet written, so not yet acked

    assertThat(first.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(second.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    List<Object> events = kit.persistenceTestKit().persistedInStorage(PID);
    assertThat(events).hasSize(2); // Registered, then one SignalsLearned for all three
    SignalsLearned learned = (SignalsLearned) events.get(1);
    assertThat(learned.signals()).extracting(Signal::videoId).containsExactly("v1", "v2", "v3");
    assertThat(learned.signals().get(0).hashtags()).containsExactly("cats"); // normalised
    assertThat(learned.offsets()).isEqualTo(Map.of(0, 11L, 1, 4L));

    // the same scores as one Watched / Shared event each: 1.0 + 3.0 + 0.5 × 0.5
    assertThat(profile().hashtags().get("cats")).isCloseTo(4.25, within(1e-9));
  }

  @Test
  void anAcknowledgedSignalSurvivesARestartAndARedeliveryIsNotCountedTwice() {
    TestProbe<WriteBackReply> acks = testKit.createTestProbe();
    SignalAt[] batch = {at(0, 0, watch("v1", "cats", true, AT)), at(0, 1, share("v2", AT))};
    kit.runCommand(learn(acks, batch));
    assertThat(acks.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    double before = profile().hashtags().get("cats");

    kit.restart();
    assertThat(profile().hashtags().get("cats")).isCloseTo(before, within(1e-9));

    // the stream redelivers the batch (its offsets were not committed yet): acked at once, no event
    var again = kit.runCommand(learn(acks, batch));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(acks.receiveMessage(Duration.ofSeconds(1))).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(kit.persistenceTestKit().persistedInStorage(PID)).hasSize(2);
    assertThat(profile().hashtags().get("cats")).isCloseTo(before, within(1e-9));
  }

  @Test
  void aLongRedeliveryIsLearnedOnceHoweverManySignalsItHolds() {
    TestProbe<WriteBackReply> acks = testKit.createTestProbe();
    // more than any window of remembered signals: the offsets say what was learned
    SignalAt[] batch =
        IntStream.range(0, 500)
            .mapToObj(i -> at(3, 1000 + i, watch("v" + i, "cats", true, AT)))
            .toArray(SignalAt[]::new);
    kit.runCommand(learn(acks, batch));
    assertThat(acks.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    double once = profile().hashtags().get("cats");
    int events = kit.persistenceTestKit().persistedInStorage(PID).size();

    kit.restart();
    var again = kit.runCommand(learn(acks, batch));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(acks.receiveMessage(Duration.ofSeconds(1))).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(kit.persistenceTestKit().persistedInStorage(PID)).hasSize(events);
    assertThat(profile().hashtags().get("cats")).isCloseTo(once, within(1e-9));
  }

  @Test
  void pendingSignalsAreNotAckedBeforeTheyAreWrittenSoACrashLosesNothingAcknowledged() {
    TestProbe<WriteBackReply> acks = testKit.createTestProbe();
    kit.runCommand(learn(acks, at(0, 0, watch("v1", "cats", true, AT))));
    kit.restart(); // a crash before the flush: nothing written, nothing acked
    acks.expectNoMessage(FLUSH.multipliedBy(2));
    assertThat(kit.persistenceTestKit().persistedInStorage(PID)).hasSize(1);

    // the stream's redelivery after its ask failed is then learned and acked
    kit.runCommand(learn(acks, at(0, 0, watch("v1", "cats", true, AT))));
    assertThat(acks.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(profile().hashtags().get("cats")).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void aBatchWhosePredecessorWasLostIsRefusedSoTheRedeliveryLearnsBoth() {
    TestProbe<WriteBackReply> acks = testKit.createTestProbe();
    SignalAt first = at(2, 7, watch("v1", "cats", true, AT));
    SignalAt second = at(2, 9, watch("v2", "cats", true, AT));
    kit.runCommand(learn(acks, first)); // pending, then lost: the entity stops before its flush
    kit.restart();

    // the stream's next batch for this user, sent while the first was unanswered
    var next = kit.runCommand(new LearnSignals(List.of(second), Map.of(2, 7L), acks.ref()));
    assertThat(next.hasNoEvents()).isTrue();
    assertThat(acks.receiveMessage()).isInstanceOf(WriteBackReply.Gap.class);

    // the stream restarts from its committed offset: both, learned once
    kit.runCommand(learn(acks, first));
    kit.runCommand(new LearnSignals(List.of(second), Map.of(2, 7L), acks.ref()));
    assertThat(acks.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(acks.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(profile().hashtags().get("cats")).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void aFullBufferFlushesAtOnceAndInvalidSignalsAreDropped() {
    TestProbe<WriteBackReply> acks = testKit.createTestProbe();
    SignalAt[] many =
        IntStream.range(0, ProfileLearning.FLUSH_AT_SIGNALS)
            .mapToObj(i -> at(0, i, watch("v" + i, "cats", true, AT.plusSeconds(i))))
            .toArray(SignalAt[]::new);
    var full = kit.runCommand(learn(acks, many));
    assertThat(full.events()).hasSize(1); // no wait for the timer
    assertThat(acks.receiveMessage(Duration.ofSeconds(1))).isEqualTo(WriteBackReply.WRITTEN);
    double before = profile().hashtags().get("cats");

    Signal noVideo = new Signal(Signal.WATCH, "", "c1", List.of("cats"), null, 1, 1, true, AT);
    Signal negative = new Signal(Signal.WATCH, "v9", "c1", List.of("cats"), null, -1, 1, true, AT);
    Signal unknownKind = new Signal("poke", "v9", "c1", List.of("cats"), null, 1, 1, true, AT);
    kit.runCommand(learn(acks, at(0, 100, noVideo), at(0, 101, negative), at(0, 102, unknownKind)));
    // nothing learned from them, but their offsets count as dealt with once written
    assertThat(acks.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(profile().hashtags().get("cats")).isCloseTo(before, within(1e-9));
    SignalsLearned last =
        (SignalsLearned)
            kit.persistenceTestKit()
                .persistedInStorage(PID)
                .get(kit.persistenceTestKit().persistedInStorage(PID).size() - 1);
    assertThat(last.signals()).isEmpty();
    assertThat(last.offsets()).isEqualTo(Map.of(0, 102L));
  }

  @Test
  void signalsForAUserThatDoesNotExistHaveNothingToWait() {
    var unknown =
        EventSourcedBehaviorTestKit.<UserCommand, UserEvent, UserState>create(
            testKit.system(), UserActor.create("nobody", SETTINGS, Clock.systemUTC()));
    TestProbe<WriteBackReply> acks = testKit.createTestProbe();
    var sent = unknown.runCommand(learn(acks, at(0, 0, watch("v1", "cats", true, AT))));
    assertThat(sent.hasNoEvents()).isTrue();
    assertThat(acks.receiveMessage()).isEqualTo(WriteBackReply.WRITTEN);
  }

  private static LearnSignals learn(TestProbe<WriteBackReply> replyTo, SignalAt... signals) {
    return new LearnSignals(List.of(signals), Map.of(), replyTo.ref());
  }

  private static SignalAt at(int partition, long offset, Signal signal) {
    return new SignalAt(partition, offset, signal);
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
    return kit.<StatusReply<Profile>>runCommand(r -> new UserCommand.GetProfile(Optional.of(AT), r))
        .reply()
        .getValue();
  }
}
