package io.flick.common.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.common.CborSerializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one write-back buffer, in the smallest entity that could use it: a running sum. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WriteBackBufferTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  private static final Duration FLUSH = Duration.ofMillis(300);
  private static final AtomicInteger ids = new AtomicInteger();

  sealed interface Command extends CborSerializable {}

  record Add(int partition, long offset, long n, ActorRef<WriteBackReply> replyTo)
      implements Command {}

  record Flush() implements Command {}

  record Stop() implements Command {}

  record Drop() implements Command {}

  record Added(long total, Map<Integer, Long> offsets) implements CborSerializable {}

  record Total(long total) implements CborSerializable {}

  /** Sums what it is given, write-back: one event per flush interval. */
  static final class Sum extends EventSourcedBehaviorWithEnforcedReplies<Command, Added, Total> {
    private final WriteBackBuffer<Long> pending;

    static Behavior<Command> create(String pid) {
      return Behaviors.withTimers(timers -> new Sum(pid, timers));
    }

    private Sum(String pid, TimerScheduler<Command> timers) {
      super(PersistenceId.ofUniqueId(pid));
      pending = new WriteBackBuffer<>(timers, "flush", new Flush(), FLUSH);
    }

    @Override
    public Total emptyState() {
      return new Total(0);
    }

    @Override
    public CommandHandlerWithReply<Command, Added, Total> commandHandler() {
      return newCommandHandlerWithReplyBuilder()
          .forAnyState()
          .onCommand(
              Add.class,
              c -> {
                pending.add(c.n(), c.partition(), c.offset());
                pending.await(c.replyTo());
                pending.scheduleFlush();
                return Effect().noReply();
              })
          .onCommand(Flush.class, c -> pending.flush(Effect(), this::added))
          .onCommand(Stop.class, c -> pending.flushAndStop(Effect(), this::added))
          .onCommand(Drop.class, c -> pending.drop(Effect()))
          .build();
    }

    private Added added(WriteBack.Taken<Long> taken) {
      return new Added(taken.items().stream().mapToLong(Long::longValue).sum(), taken.offsets());
    }

    @Override
    public EventHandler<Total, Added> eventHandler() {
      return newEventHandlerBuilder()
          .forAnyState()
          .onEvent(Added.class, (s, e) -> new Total(s.total() + e.total()))
          .build();
    }
  }

  // one entity per test, so none left behind writes into the next test's journal
  private final String pid = "Sum|s" + ids.incrementAndGet();
  private final EventSourcedBehaviorTestKit<Command, Added, Total> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), Sum.create(pid));

  @BeforeEach
  void reset() {
    kit.clear();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void whatComesWithinAnIntervalIsOneWriteAnsweredOnlyAfterIt() {
    TestProbe<WriteBackReply> first = testKit.createTestProbe();
    TestProbe<WriteBackReply> second = testKit.createTestProbe();
    assertThat(kit.runCommand(new Add(0, 10, 2, first.ref())).hasNoEvents()).isTrue();
    kit.runCommand(new Add(1, 4, 3, second.ref()));
    first.expectNoMessage(Duration.ofMillis(100)); // not written yet, so not answered

    assertThat(first.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(second.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(kit.persistenceTestKit().<Object>persistedInStorage(pid))
        .containsExactly(new Added(5, Map.of(0, 10L, 1, 4L)));
    assertThat(kit.getState()).isEqualTo(new Total(5));
  }

  @Test
  void aFlushWithNothingPendingWritesNothing() {
    assertThat(kit.runCommand(new Flush()).hasNoEvents()).isTrue();
  }

  @Test
  void stoppingWritesWhatIsPendingFirst() {
    // spawned, not in the behaviour test kit, which cannot follow an entity that stops
    String spawned = pid + "-spawned";
    ActorRef<Command> sum = testKit.spawn(Sum.create(spawned));
    TestProbe<WriteBackReply> probe = testKit.createTestProbe();
    sum.tell(new Add(0, 1, 7, probe.ref()));
    sum.tell(new Stop());
    assertThat(probe.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    probe.expectTerminated(sum, Duration.ofSeconds(5));
    assertThat(PersistenceTestKit.create(testKit.system()).<Object>persistedInStorage(spawned))
        .containsExactly(new Added(7, Map.of(0, 1L)));
  }

  @Test
  void droppingAnswersWithoutWriting() {
    TestProbe<WriteBackReply> probe = testKit.createTestProbe();
    kit.runCommand(new Add(0, 1, 7, probe.ref()));
    assertThat(kit.runCommand(new Drop()).hasNoEvents()).isTrue();
    assertThat(probe.receiveMessage(Duration.ofSeconds(5))).isEqualTo(WriteBackReply.WRITTEN);
    assertThat(kit.runCommand(new Flush()).hasNoEvents()).isTrue();
  }
}
