package io.flick.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.typesafe.config.ConfigFactory;
import io.flick.common.writeback.WriteBackReply;
import io.flick.video.VideoEvent.CountsFlushed;
import io.flick.video.VideoState.Live;
import io.flick.video.VideoSummary.Counts;
import io.flick.video.VideoSummary.Engagement;
import io.flick.video.VideoSummary.Rendition;
import io.flick.video.VideoSummary.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The write-back counters. The flush timer runs on {@link ManualTime}, so a test decides when a
 * flush happens; every test has its own video id, so an entity a finished test leaves behind (with
 * a flush pending) can never write into the next test's journal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VideoActorCountsTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  // the journal's call timeout runs on the manual clock too: advancing it by hours
                  // must not time out a write that is merely in flight
                  "pekko.persistence.journal-plugin-fallback.circuit-breaker.call-timeout = 180 days\n"
                      + "pekko.persistence.snapshot-store-plugin-fallback.circuit-breaker.call-timeout"
                      + " = 180 days")
              .withFallback(ManualTime.config())
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));
  private static final ManualTime manualTime = ManualTime.get(testKit.system());
  private static final AtomicInteger ids = new AtomicInteger();

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  // flick.video.counter-flush-interval, from this module's reference.conf
  private static final Duration FLUSH = Duration.ofSeconds(1);
  private static final Rendition R360 =
      new Rendition("360p", 360, 640, 900_000, 800_000, "avc1.64001e", "videos/v/360p.m3u8");

  private final String id = "v" + ids.incrementAndGet();
  private final String pid = "Video|" + id;
  private final TestClock clock = new TestClock(T0);
  private final EventSourcedBehaviorTestKit<VideoCommand, VideoEvent, VideoState> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), VideoActor.create(id, clock));

  @BeforeEach
  void reset() {
    kit.clear();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static CountDeltas views(long views) {
    return new CountDeltas(views, 0, 0, 0, 0, 0);
  }

  private void create() {
    kit.<StatusReply<VideoSummary>>runCommand(
        r ->
            new VideoCommand.Create(
                "c1",
                "clip",
                List.of(),
                Optional.empty(),
                10,
                "video/mp4",
                "uploads/" + id + "/original",
                T0.plus(Duration.ofHours(1)),
                r));
  }

  /** Sends one batch; its answer goes to the returned probe. */
  private TestProbe<WriteBackReply> send(
      int partition, long fromOffset, long toOffset, CountDeltas deltas) {
    TestProbe<WriteBackReply> probe = testKit.createTestProbe();
    var sent =
        kit.runCommand(
            new VideoCommand.ApplyCounts(partition, fromOffset, toOffset, deltas, probe.ref()));
    assertThat(sent.hasNoEvents()).as("a batch alone writes nothing").isTrue();
    return probe;
  }

  /** The flush timer fires; returns once the flush it causes is written. */
  private void flushInterval() {
    manualTime.timePasses(FLUSH);
    kit.getState(); // queues behind the timer's message, and behind the write it causes
  }

  private static void expectAck(TestProbe<WriteBackReply> probe) {
    assertThat(probe.receiveMessage()).isInstanceOf(WriteBackReply.Written.class);
  }

  private VideoState.Counters counters() {
    return ((Live) kit.getState()).counters();
  }

  private VideoSummary video() {
    return ((Live) kit.getState()).video();
  }

  private List<CountsFlushed> flushes() {
    return journal().stream()
        .filter(CountsFlushed.class::isInstance)
        .map(CountsFlushed.class::cast)
        .toList();
  }

  private List<Object> journal() {
    return kit.persistenceTestKit().persistedInStorage(pid);
  }

  // ---- one write per interval

  @Test
  void manyBatchesInOneIntervalAreOneEventAndAnsweredOnlyAfterIt() {
    create();
    List<TestProbe<WriteBackReply>> probes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      probes.add(send(0, i * 10, i * 10 + 9, new CountDeltas(2, 1, 1, 1, 1_500, 1)));
      probes.add(send(3, i * 5, i * 5 + 4, new CountDeltas(1, 0, 0, 0, 500, 0)));
    }
    manualTime.expectNoMessageFor(FLUSH.minusMillis(1), probes.toArray(TestProbe[]::new));
    assertThat(flushes()).isEmpty();
    assertThat(video().counts()).isEqualTo(Counts.ZERO);

    manualTime.timePasses(Duration.ofMillis(1));
    expectAck(probes.get(0));
    // the first answer comes after the write
    assertThat(flushes())
        .containsExactly(
            new CountsFlushed(
                id, new CountDeltas(30, 10, 10, 10, 20_000, 10), Map.of(0, 99L, 3, 49L)));
    probes.subList(1, probes.size()).forEach(VideoActorCountsTest::expectAck);

    VideoSummary video = video();
    assertThat(video.counts()).isEqualTo(new Counts(30, 10, 10, 10));
    assertThat(video.engagement()).isEqualTo(new Engagement(20_000, 10));
    assertThat(counters().countedOffsets()).isEqualTo(Map.of(0, 99L, 3, 49L));

    // nothing pending: the timer is not armed again, and no empty event is written
    manualTime.timePasses(FLUSH.multipliedBy(3));
    assertThat(flushes()).hasSize(1);
  }

  @Test
  void eachIntervalWithBatchesIsOneWrite() {
    create();
    for (int interval = 0; interval < 3; interval++) {
      var a = send(0, interval * 100, interval * 100 + 49, views(1));
      var b = send(0, interval * 100 + 50, interval * 100 + 99, views(2));
      flushInterval();
      expectAck(a);
      expectAck(b);
    }
    assertThat(flushes())
        .extracting(CountsFlushed::total, CountsFlushed::offsets)
        .containsExactly(
            tuple(views(3), Map.of(0, 99L)),
            tuple(views(3), Map.of(0, 199L)),
            tuple(views(3), Map.of(0, 299L)));
    assertThat(video().counts().views()).isEqualTo(9);
  }

  // ---- identified events (likes and comments from outboxes) count once per id

  private TestProbe<WriteBackReply> sendIdentified(
      long fromOffset, long toOffset, List<CountDeltas.Identified> identified) {
    TestProbe<WriteBackReply> probe = testKit.createTestProbe();
    kit.runCommand(
        new VideoCommand.ApplyCounts(
            0,
            fromOffset,
            toOffset,
            VideoCommand.NO_PREVIOUS,
            CountDeltas.ZERO,
            identified,
            probe.ref()));
    return probe;
  }

  private static CountDeltas.Identified like(String eventId) {
    return new CountDeltas.Identified(eventId, new CountDeltas(0, 1, 0, 0, 0, 0));
  }

  @Test
  void aLikeRepublishedUnderTheSameIdCountsOnceWhereverItArrives() {
    create();
    // twice in one batch, and again in a later batch of the same flush interval
    var a = sendIdentified(0, 2, List.of(like("User|u1:7"), like("User|u1:7"), like("User|u2:3")));
    var b = sendIdentified(3, 3, List.of(like("User|u1:7")));
    flushInterval();
    expectAck(a);
    expectAck(b);
    assertThat(video().counts().likes()).isEqualTo(2);

    // after it was written
    var c = sendIdentified(4, 5, List.of(like("User|u2:3"), like("User|u3:1")));
    flushInterval();
    expectAck(c);
    assertThat(video().counts().likes()).isEqualTo(3);
    assertThat(flushes())
        .extracting(CountsFlushed::eventIds)
        .containsExactly(List.of("User|u1:7", "User|u2:3"), List.of("User|u3:1"));

    // and by an incarnation recovered from the journal
    kit.restart();
    var d = sendIdentified(6, 6, List.of(like("User|u3:1"), like("User|u1:7")));
    flushInterval();
    expectAck(d);
    assertThat(video().counts().likes()).isEqualTo(3);
  }

  @Test
  void theCountersRememberTheNewestIdsOnly() {
    create();
    int window = VideoState.Counters.EVENT_ID_WINDOW;
    List<CountDeltas.Identified> likes = new ArrayList<>();
    for (int i = 0; i <= window; i++) {
      likes.add(like("User|u" + i + ":1"));
    }
    var all = sendIdentified(0, window, likes);
    flushInterval();
    expectAck(all);
    assertThat(video().counts().likes()).isEqualTo(window + 1);
    assertThat(counters().recentEventIds()).hasSize(window);

    // the oldest is forgotten (a repeat that late cannot come: see EVENT_ID_WINDOW); the newest not
    var repeats =
        sendIdentified(
            window + 1, window + 2, List.of(like("User|u0:1"), like("User|u" + window + ":1")));
    flushInterval();
    expectAck(repeats);
    assertThat(video().counts().likes()).isEqualTo(window + 2);
  }

  // ---- nothing counted twice

  @Test
  void aBatchAlreadyCountedIsAnsweredAtOnceAndNotCountedAgain() {
    create();
    var first = send(1, 0, 20, views(5));
    flushInterval();
    expectAck(first);

    for (long toOffset : List.of(20L, 15L)) {
      var again = send(1, 0, toOffset, views(5));
      expectAck(again); // no time passes: answered at once
    }
    manualTime.timePasses(FLUSH);
    assertThat(flushes()).hasSize(1);
    assertThat(video().counts().views()).isEqualTo(5);

    // another partition is counted on its own
    var other = send(2, 0, 20, views(7));
    flushInterval();
    expectAck(other);
    assertThat(video().counts().views()).isEqualTo(12);
  }

  @Test
  void aBatchRedeliveredWhileItIsPendingIsCountedOnceAndAnsweredWithTheFlush() {
    create();
    var first = send(0, 0, 9, views(4));
    var redelivered = send(0, 0, 9, views(4));
    var covered = send(0, 5, 9, views(2)); // cut differently, but inside what is pending
    manualTime.expectNoMessageFor(FLUSH.minusMillis(1), first, redelivered, covered);

    manualTime.timePasses(Duration.ofMillis(1));
    expectAck(first);
    expectAck(redelivered);
    expectAck(covered);
    assertThat(flushes()).containsExactly(new CountsFlushed(id, views(4), Map.of(0, 9L)));
    assertThat(video().counts().views()).isEqualTo(4);
  }

  @Test
  void aBatchReachingIntoCountedOffsetsIsRefusedWithWhereToCut() {
    create();
    send(0, 0, 9, views(4));
    flushInterval();
    send(0, 10, 14, views(1)); // pending

    for (long fromOffset : List.of(5L, 14L)) {
      TestProbe<WriteBackReply> probe = testKit.createTestProbe();
      var overlapping =
          kit.runCommand(new VideoCommand.ApplyCounts(0, fromOffset, 20, views(9), probe.ref()));
      assertThat(overlapping.hasNoEvents()).isTrue();
      WriteBackReply reply = probe.receiveMessage();
      assertThat(reply).isInstanceOf(WriteBackReply.Overlap.class);
      assertThat(((WriteBackReply.Overlap) reply).writtenThrough()).isEqualTo(14L);
    }
    // cut after the offset it names, it is counted
    var rest = send(0, 15, 20, views(9));
    flushInterval();
    expectAck(rest);
    assertThat(video().counts().views()).isEqualTo(14);
    assertThat(counters().countedThrough(0)).isEqualTo(20);
  }

  @Test
  void aBatchWhosePredecessorWasLostIsRefusedSoTheRedeliveryCountsBoth() {
    create();
    send(0, 0, 9, views(4)); // pending, then lost: the entity stops before its flush (Cassandra)
    kit.restart();

    // the consumer's next batch, sent while the first was in flight, must not move past it
    TestProbe<WriteBackReply> probe = testKit.createTestProbe();
    var next = kit.runCommand(new VideoCommand.ApplyCounts(0, 10, 19, 9, views(2), probe.ref()));
    assertThat(next.hasNoEvents()).isTrue();
    WriteBackReply reply = probe.receiveMessage();
    assertThat(reply).isInstanceOf(WriteBackReply.Gap.class);
    assertThat(((WriteBackReply.Gap) reply).detail()).contains("never counted");

    // the consumer restarts from its committed offset: both batches, counted once
    var first = send(0, 0, 9, views(4));
    TestProbe<WriteBackReply> secondProbe = testKit.createTestProbe();
    kit.runCommand(new VideoCommand.ApplyCounts(0, 10, 19, 9, views(2), secondProbe.ref()));
    flushInterval();
    expectAck(first);
    expectAck(secondProbe);
    assertThat(video().counts().views()).isEqualTo(6);
    assertThat(counters().countedThrough(0)).isEqualTo(19);
  }

  /**
   * The rest of an overlapping batch follows what the entity said it covers. If the entity loses
   * that before the rest arrives (its flush failed: a new incarnation counted less), the rest is
   * refused, so it cannot be counted past the lost offsets; the redelivery then counts them all.
   */
  @Test
  void theRestOfAnOverlappingBatchIsRefusedByAnIncarnationThatLostWhatItOverlapped() {
    create();
    send(0, 0, 9, views(10)); // a batch of the stream before a restart, pending
    // the restarted stream redelivers 0..14 cut as one batch: refused, covered through 9
    TestProbe<WriteBackReply> probe = testKit.createTestProbe();
    kit.runCommand(new VideoCommand.ApplyCounts(0, 0, 14, views(15), probe.ref()));
    WriteBackReply overlap = probe.receiveMessage();
    assertThat(overlap).isInstanceOf(WriteBackReply.Overlap.class);
    assertThat(((WriteBackReply.Overlap) overlap).writtenThrough()).isEqualTo(9L);

    kit.restart(); // the flush of 0..9 failed: the entity stopped with it pending

    // the rest 10..14, sent as following offset 9, must not skip 0..9
    TestProbe<WriteBackReply> restProbe = testKit.createTestProbe();
    var rest =
        kit.runCommand(new VideoCommand.ApplyCounts(0, 10, 14, 9, views(5), restProbe.ref()));
    assertThat(rest.hasNoEvents()).isTrue();
    assertThat(restProbe.receiveMessage()).isInstanceOf(WriteBackReply.Gap.class);

    // the stream fails and redelivers from its committed offset: all fifteen, once
    var redelivered = send(0, 0, 14, views(15));
    flushInterval();
    expectAck(redelivered);
    assertThat(video().counts().views()).isEqualTo(15);
    assertThat(counters().countedThrough(0)).isEqualTo(14);
  }

  @Test
  void malformedBatchesAreRefused() {
    create();
    List<VideoCommand.ApplyCounts> bad = new ArrayList<>();
    TestProbe<WriteBackReply> probe = testKit.createTestProbe();
    bad.add(new VideoCommand.ApplyCounts(0, 10, 9, views(1), probe.ref()));
    bad.add(new VideoCommand.ApplyCounts(-1, 0, 9, views(1), probe.ref()));
    bad.add(new VideoCommand.ApplyCounts(0, -1, 9, views(1), probe.ref()));
    bad.add(new VideoCommand.ApplyCounts(0, 0, 9, null, probe.ref()));
    bad.add(new VideoCommand.ApplyCounts(0, 0, 9, views(-1), probe.ref()));
    bad.add(new VideoCommand.ApplyCounts(0, 0, 9, new CountDeltas(0, 0, 0, 0, -5, 0), probe.ref()));
    for (var cmd : bad) {
      assertThat(kit.runCommand(cmd).hasNoEvents()).isTrue();
      assertThat(probe.receiveMessage())
          .as(cmd.toString())
          .isInstanceOf(WriteBackReply.Invalid.class);
    }
    manualTime.timePasses(FLUSH);
    assertThat(flushes()).isEmpty();
  }

  // ---- nothing lost

  @Test
  void countsAndOffsetsSurviveARestartAndWhatWasCountedBeforeIsSkipped() {
    create();
    var counted = send(0, 0, 9, new CountDeltas(3, 2, 1, 1, 9_000, 2));
    flushInterval();
    expectAck(counted);
    VideoSummary before = video();

    // a batch pending when the entity goes is not answered: the consumer sends it again
    var lost = send(0, 10, 19, views(100));
    var restarted = kit.restart();
    assertThat(((Live) restarted.state()).video()).isEqualTo(before);
    assertThat(((Live) restarted.state()).counters().countedOffsets()).isEqualTo(Map.of(0, 9L));
    lost.expectNoMessage(Duration.ofMillis(100));

    var old = send(0, 0, 9, new CountDeltas(3, 2, 1, 1, 9_000, 2));
    expectAck(old);
    var redelivered = send(0, 10, 19, views(100));
    flushInterval();
    expectAck(redelivered);
    assertThat(video().counts()).isEqualTo(new Counts(103, 2, 1, 1));
    assertThat(video().engagement()).isEqualTo(new Engagement(9_000, 2));
    assertThat(flushes()).hasSize(2);
  }

  @Test
  void aSnapshotKeepsCountsAndOffsets() {
    // a journal of Created and flushes one short of a snapshot, then one flush more
    List<Object> events = new ArrayList<>();
    events.add(
        new VideoEvent.Created(
            id,
            "c1",
            "clip",
            List.of(),
            null,
            10,
            "video/mp4",
            "uploads/" + id,
            T0.plusSeconds(3600),
            T0));
    for (long offset = 0; events.size() < VideoActor.SNAPSHOT_EVERY - 1; offset++) {
      events.add(new CountsFlushed(id, views(1), Map.of((int) offset % 2, offset)));
    }
    kit.initialize(events.toArray());
    assertThat(kit.snapshotTestKit().orElseThrow().persistedInStorage(pid)).isEmpty();
    var probe = send(0, 1000, 1000, views(1));
    flushInterval();
    expectAck(probe);
    assertThat(kit.snapshotTestKit().orElseThrow().persistedInStorage(pid)).hasSize(1);
    VideoState before = kit.getState();

    var restarted = kit.restart();
    assertThat(restarted.state()).isEqualTo(before);
    assertThat(video().counts().views()).isEqualTo(VideoActor.SNAPSHOT_EVERY - 1);
    assertThat(counters().countedOffsets()).isEqualTo(Map.of(0, 1000L, 1, 197L));
    expectAck(send(1, 0, 197, views(1)));
    manualTime.timePasses(FLUSH);
    assertThat(video().counts().views()).isEqualTo(VideoActor.SNAPSHOT_EVERY - 1);
  }

  @Test
  void passivationWritesWhatIsPendingFirst() {
    String videoId = id + "p";
    ActorRef<VideoCommand> video = testKit.spawn(VideoActor.create(videoId, clock));
    TestProbe<StatusReply<VideoSummary>> created = testKit.createTestProbe();
    video.tell(
        new VideoCommand.Create(
            "c1",
            "clip",
            List.of(),
            Optional.empty(),
            10,
            "video/mp4",
            "uploads/" + videoId,
            T0.plus(Duration.ofHours(1)),
            created.ref()));
    created.receiveMessage();
    TestProbe<WriteBackReply> counted = testKit.createTestProbe();
    video.tell(new VideoCommand.ApplyCounts(0, 0, 9, views(6), counted.ref()));
    video.tell(new VideoCounters.Passivate());

    expectAck(counted); // no time passed: the stop wrote it
    counted.expectTerminated(video);
    assertThat(PersistenceTestKit.create(testKit.system()).persistedInStorage("Video|" + videoId))
        .last()
        .isEqualTo(new CountsFlushed(videoId, views(6), Map.of(0, 9L)));
  }

  // ---- which videos count

  @Test
  void countsApplyInEveryLiveState() {
    create();
    expectCounted(0, 1); // UPLOADING
    kit.<StatusReply<VideoSummary>>runCommand(r -> new VideoCommand.CompleteUpload("c1", r));
    expectCounted(1, 2); // PROCESSING
    kit.<StatusReply<VideoSummary>>runCommand(
        r ->
            new VideoCommand.MarkReady(
                9_000,
                360,
                640,
                List.of(R360),
                "videos/m.m3u8",
                Optional.empty(),
                Optional.empty(),
                r));
    assertThat(video().status()).isEqualTo(Status.READY);
    expectCounted(2, 3);
    assertThat(video().counts().views()).isEqualTo(3);
    assertThat(video().media().renditions()).containsExactly(R360);
  }

  @Test
  void aFailedVideoKeepsItsCountsAndCountsOn() {
    create();
    expectCounted(0, 1);
    kit.<StatusReply<VideoSummary>>runCommand(r -> new VideoCommand.MarkFailed("broken", r));
    assertThat(video().status()).isEqualTo(Status.FAILED);
    assertThat(video().counts().views()).isEqualTo(1);
    expectCounted(1, 2);
  }

  /** One batch of one view at {@code offset}, flushed; the views then total {@code views}. */
  private void expectCounted(long offset, long views) {
    var probe = send(0, offset, offset, views(1));
    flushInterval();
    expectAck(probe);
    assertThat(video().counts().views()).isEqualTo(views);
  }

  @Test
  void anUnknownVideoAnswersAtOnceAndCountsNothing() {
    var probe = send(0, 0, 9, views(3));
    expectAck(probe);
    manualTime.timePasses(FLUSH);
    assertThat(journal()).isEmpty();
    assertThat(kit.getState()).isEqualTo(new VideoState.Empty());
  }

  @Test
  void aDeletedVideoAnswersAtOnceAndCountsNothing() {
    create();
    var pendingAtDelete = send(0, 0, 9, views(3));
    kit.<StatusReply<Done>>runCommand(r -> new VideoCommand.Delete("c1", r));
    // the flush finds nothing left to count for: answered, not written
    flushInterval();
    expectAck(pendingAtDelete);
    expectAck(send(0, 10, 19, views(3)));
    manualTime.timePasses(FLUSH);
    assertThat(flushes()).isEmpty();
    assertThat(journal()).hasSize(2);
  }

  // ---- what is shown

  @Test
  void likesAndCommentsNeverShowBelowZeroAndEngagementSumsUp() {
    create();
    var down = send(0, 0, 9, new CountDeltas(2, -3, -1, 0, 4_000, 1));
    flushInterval();
    expectAck(down);
    assertThat(video().counts()).isEqualTo(new Counts(2, 0, 0, 0));
    assertThat(video().engagement()).isEqualTo(new Engagement(4_000, 1));

    var up = send(0, 10, 19, new CountDeltas(1, 5, 4, 2, 6_500, 2));
    flushInterval();
    expectAck(up);
    // the counter is the plain sum of what was counted: -3 + 5 likes, -1 + 4 comments
    assertThat(video().counts()).isEqualTo(new Counts(3, 2, 3, 2));
    assertThat(video().engagement()).isEqualTo(new Engagement(10_500, 3));
  }

  @Test
  void countersAndTheirEventSerialize() {
    create();
    var probe = send(4, 0, 9, new CountDeltas(1, -1, 2, 3, 4, 5));
    flushInterval();
    expectAck(probe);
    var serialization = new SerializationTestKit(testKit.system());
    serialization.verifySerialization(flushes().get(0), true);
    serialization.verifySerialization(kit.getState(), true);
  }
}
