package io.flick.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.common.Ids;
import io.flick.video.VideoSummary.Rendition;
import io.flick.video.VideoSummary.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DeadlineSweeper} and the {@link DeadlinesProjection} that feeds its index, on a real
 * one-node sharded cluster with every message serialized. Entities idle for 300 ms are passivated,
 * so they lose their timers as they would in production after two idle minutes; processing may take
 * 4 s. Every test uses fresh video ids and its own index, and reads the journal rather than the
 * video when it must not wake the entity.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DeadlineSweeperTest {
  private static final Duration PROCESSING_TIMEOUT = Duration.ofSeconds(4);
  private static final Duration SWEEP_INTERVAL = Duration.ofMillis(200);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "DeadlineSweeperTest",
          ConfigFactory.parseString(
                  """
                  pekko.actor.provider = cluster
                  pekko.actor.serialize-messages = on
                  pekko.remote.artery.canonical.hostname = 127.0.0.1
                  pekko.remote.artery.canonical.port = 0
                  pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                  pekko.cluster.sharding.passivation.default-idle-strategy.idle-entity.timeout = 300ms
                  flick.transcode.processing-timeout = 4s
                  """)
              .withFallback(PersistenceTestKitPlugin.config())
              .withFallback(PersistenceTestKitSnapshotPlugin.config())
              .withFallback(ConfigFactory.load()));

  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  /** Without an index: sets videos up without telling any index about them. */
  private static final VideoService plain =
      new VideoService(testKit.system(), Duration.ofSeconds(5));

  private static final Rendition R360 =
      new Rendition("360p", 360, 640, 900_000, 800_000, "avc1.64001e", "videos/x/360p.m3u8");

  @BeforeAll
  static void joinCluster() {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    testKit
        .createTestProbe()
        .awaitAssert(
            () -> {
              assertThat(cluster.selfMember().status()).isEqualTo(MemberStatus.up());
              return null;
            });
    VideoActor.init(testKit.system());
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  // ---- helpers

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static CompletionStage<VideoSummary> create(
      VideoService videos, String id, Instant uploadDeadline) {
    return videos.create(
        id,
        "c1",
        "hello",
        List.of(),
        Optional.empty(),
        1000,
        "video/mp4",
        "uploads/" + id,
        uploadDeadline);
  }

  private static CompletionStage<VideoSummary> markReady(VideoService videos, String id) {
    return videos.markReady(
        id,
        9000,
        360,
        640,
        List.of(R360),
        "videos/x/master.m3u8",
        Optional.empty(),
        Optional.empty());
  }

  private static List<Object> events(String id) {
    return journal.persistedInStorage("Video|" + id);
  }

  /** Ids of the video entities alive on this node; asking does not wake any entity. */
  private static Set<String> liveEntities() {
    TestProbe<ShardRegion.CurrentShardRegionState> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .shardState()
        .tell(new GetShardRegionState(VideoActor.ENTITY_TYPE_KEY, probe.getRef()));
    return probe.receiveMessage().getShards().stream()
        .flatMap(shard -> shard.getEntityIds().stream())
        .collect(Collectors.toSet());
  }

  /** Waits until the entity of {@code id} has been passivated, and checks that was in time. */
  private static void awaitPassivatedBefore(String id, Instant deadline) {
    testKit
        .createTestProbe()
        .awaitAssert(
            PATIENCE,
            () -> {
              assertThat(liveEntities()).doesNotContain(id);
              return null;
            });
    assertThat(Instant.now())
        .as("the entity must be passivated before its deadline, or its own timer would fail it")
        .isBefore(deadline);
  }

  private static void awaitFailedWith(String id, String reason, InMemoryDeadlineIndex index) {
    testKit
        .createTestProbe()
        .awaitAssert(
            PATIENCE,
            () -> {
              assertThat(events(id)).last().isInstanceOf(VideoEvent.Failed.class);
              assertThat(((VideoEvent.Failed) events(id).get(events(id).size() - 1)).reason())
                  .isEqualTo(reason);
              assertThat(index.deadlineOf(id)).isEmpty();
              return null;
            });
  }

  /** Records every call, then does what an {@link InMemoryDeadlineIndex} does. */
  private static final class RecordingIndex implements DeadlineIndex {
    final InMemoryDeadlineIndex memory = new InMemoryDeadlineIndex();
    final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

    @Override
    public CompletionStage<Void> remember(String videoId, Instant deadline) {
      calls.add("remember " + videoId + " " + deadline);
      return memory.remember(videoId, deadline);
    }

    @Override
    public CompletionStage<Void> forget(String videoId) {
      calls.add("forget " + videoId);
      return memory.forget(videoId);
    }

    @Override
    public CompletionStage<List<String>> due(Instant now, int limit) {
      return memory.due(now, limit);
    }

    List<String> callsAbout(String id) {
      return calls.stream().filter(c -> c.contains(" " + id)).toList();
    }
  }

  // ---- the sweeper

  @Test
  void anUploadAbandonedWhileItsEntityIsPassivatedEndsFailedAfterASweep() throws Exception {
    var index = new InMemoryDeadlineIndex();
    DeadlineSweeper.start(testKit.system(), plain, index, SWEEP_INTERVAL);

    String id = Ids.newId();
    Instant deadline = Instant.now().plusSeconds(3);
    assertThat(await(create(plain, id, deadline)).deadline()).contains(deadline);
    project(id, index);
    assertThat(index.deadlineOf(id)).contains(deadline);

    // the entity sleeps through its deadline: no timer, and nobody reads the video
    awaitPassivatedBefore(id, deadline);
    assertThat(events(id)).hasSize(1);

    awaitFailedWith(id, VideoDeadlines.DEADLINE_REASON, index);
    assertThat(events(id)).hasSize(2);
  }

  @Test
  void aVideoStuckInProcessingWhileItsEntityIsPassivatedEndsFailedAfterASweep() throws Exception {
    var index = new InMemoryDeadlineIndex();
    // two sweepers over one index, as two nodes run them: duplicate Gets are harmless
    ActorRef<DeadlineSweeper.Message> sweeper =
        testKit.spawn(DeadlineSweeper.behavior(plain, index, SWEEP_INTERVAL, Clock.systemUTC()));
    ActorRef<DeadlineSweeper.Message> otherNodesSweeper =
        testKit.spawn(DeadlineSweeper.behavior(plain, index, SWEEP_INTERVAL, Clock.systemUTC()));

    String id = Ids.newId();
    await(create(plain, id, Instant.now().plus(Duration.ofHours(1))));
    VideoSummary processing = await(plain.completeUpload(id, "c1"));
    project(id, index);
    Instant deadline = processing.deadline().orElseThrow();
    assertThat(index.deadlineOf(id)).contains(deadline);

    // the transcode pipeline never reports
    awaitPassivatedBefore(id, deadline);
    assertThat(events(id)).hasSize(2);

    awaitFailedWith(id, VideoDeadlines.processingDeadlineReason(PROCESSING_TIMEOUT), index);
    assertThat(events(id)).hasSize(3);
    testKit.stop(sweeper);
    testKit.stop(otherNodesSweeper);
  }

  @Test
  void theSweeperForgetsSettledVideosAndMovesEntriesThatAreNotDueYet() throws Exception {
    String absent = Ids.newId();
    String ready = Ids.newId();
    String early = Ids.newId();
    Instant uploadDeadline = Instant.now().plus(Duration.ofHours(1));
    await(create(plain, ready, uploadDeadline));
    await(plain.completeUpload(ready, "c1"));
    await(markReady(plain, ready));
    await(create(plain, early, uploadDeadline));

    // stale entries, as a lost forget or a lost remember of the processing deadline leave them
    var index = new InMemoryDeadlineIndex();
    Instant past = Instant.now().minusSeconds(1);
    await(index.remember(absent, past));
    await(index.remember(ready, past));
    await(index.remember(early, past));
    ActorRef<DeadlineSweeper.Message> sweeper =
        testKit.spawn(DeadlineSweeper.behavior(plain, index, SWEEP_INTERVAL, Clock.systemUTC()));

    testKit
        .createTestProbe()
        .awaitAssert(
            PATIENCE,
            () -> {
              assertThat(index.snapshot()).isEqualTo(java.util.Map.of(early, uploadDeadline));
              return null;
            });
    assertThat(await(plain.get(ready)).orElseThrow().status()).isEqualTo(Status.READY);
    assertThat(await(plain.get(early)).orElseThrow().status()).isEqualTo(Status.UPLOADING);
    assertThat(await(plain.get(absent))).isEmpty();
    testKit.stop(sweeper);
  }

  @Test
  void theSweeperSurvivesAFailingIndexAndTriesAgainOnTheNextTick() throws Exception {
    var memory = new InMemoryDeadlineIndex();
    var dueCalls = new AtomicInteger();
    DeadlineIndex flaky =
        new DeadlineIndex() {
          @Override
          public CompletionStage<Void> remember(String videoId, Instant deadline) {
            return memory.remember(videoId, deadline);
          }

          @Override
          public CompletionStage<Void> forget(String videoId) {
            return memory.forget(videoId);
          }

          @Override
          public CompletionStage<List<String>> due(Instant now, int limit) {
            return switch (dueCalls.incrementAndGet()) {
              case 1 -> CompletableFuture.failedFuture(new IllegalStateException("index down"));
              case 2 -> throw new IllegalStateException("index threw");
              case 3 -> null;
              default -> memory.due(now, limit);
            };
          }
        };
    String absent = Ids.newId();
    await(memory.remember(absent, Instant.now().minusSeconds(1)));
    ActorRef<DeadlineSweeper.Message> sweeper =
        testKit.spawn(DeadlineSweeper.behavior(plain, flaky, SWEEP_INTERVAL, Clock.systemUTC()));

    testKit
        .createTestProbe()
        .awaitAssert(
            PATIENCE,
            () -> {
              assertThat(memory.deadlineOf(absent)).isEmpty();
              return null;
            });
    assertThat(dueCalls.get()).isGreaterThanOrEqualTo(4);
    testKit.stop(sweeper);
  }

  // ---- the projection keeps the index in step with the journal

  @Test
  void theProjectionRemembersEachDeadlineAndForgetsFinishedVideos() throws Exception {
    String readyId = Ids.newId();
    Instant uploadDeadline = Instant.now().plus(Duration.ofHours(1));
    await(create(plain, readyId, uploadDeadline));
    // refused: nothing written, so nothing for the index
    assertThat(plain.completeUpload(readyId, "someone-else").toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10));
    Instant before = Instant.now();
    VideoSummary processing = await(plain.completeUpload(readyId, "c1"));
    Instant processingDeadline = processing.deadline().orElseThrow();
    assertThat(processingDeadline)
        .isBetween(before.plus(PROCESSING_TIMEOUT), Instant.now().plus(PROCESSING_TIMEOUT));
    // the first rung does not move the deadline, so it does not touch the index
    await(
        plain.publishFirstRung(readyId, 9000, 360, 640, R360, "videos/x/m.m3u8", Optional.empty()));
    await(markReady(plain, readyId));

    String failedId = Ids.newId();
    await(create(plain, failedId, uploadDeadline));
    await(plain.markFailed(failedId, "no video stream"));

    String deletedId = Ids.newId();
    await(create(plain, deletedId, uploadDeadline));
    await(plain.completeUpload(deletedId, "c1"));
    await(plain.delete(deletedId, "c1"));

    var index = new RecordingIndex();
    for (String id : List.of(readyId, failedId, deletedId)) {
      project(id, index);
    }
    assertThat(index.callsAbout(readyId))
        .containsExactly(
            "remember " + readyId + " " + uploadDeadline,
            "remember " + readyId + " " + processingDeadline,
            "forget " + readyId);
    assertThat(index.callsAbout(failedId))
        .containsExactly("remember " + failedId + " " + uploadDeadline, "forget " + failedId);
    assertThat(index.callsAbout(deletedId)).hasSize(3).last().isEqualTo("forget " + deletedId);
    assertThat(index.memory.snapshot()).doesNotContainKeys(readyId, failedId, deletedId);
  }

  @Test
  void aRedeliveredSuffixEndsInTheSameIndex() throws Exception {
    String id = Ids.newId();
    await(create(plain, id, Instant.now().plus(Duration.ofHours(1))));
    VideoSummary processing = await(plain.completeUpload(id, "c1"));
    var index = new InMemoryDeadlineIndex();
    project(id, index);
    assertThat(index.deadlineOf(id)).contains(processing.deadline().orElseThrow());
    // at least once: the projection restarts from an older offset and replays the same events
    project(id, index);
    assertThat(index.snapshot()).isEqualTo(java.util.Map.of(id, processing.deadline().get()));
    await(markReady(plain, id));
    project(id, index);
    project(id, index);
    assertThat(index.deadlineOf(id)).isEmpty();
  }

  @Test
  void aFailingIndexFailsTheEventSoTheProjectionTriesItAgain() throws Exception {
    DeadlineIndex broken =
        new DeadlineIndex() {
          @Override
          public CompletionStage<Void> remember(String videoId, Instant deadline) {
            return CompletableFuture.failedFuture(new IllegalStateException("index down"));
          }

          @Override
          public CompletionStage<Void> forget(String videoId) {
            return CompletableFuture.failedFuture(new IllegalStateException("index down"));
          }

          @Override
          public CompletionStage<List<String>> due(Instant now, int limit) {
            return CompletableFuture.failedFuture(new IllegalStateException("index down"));
          }
        };
    String id = Ids.newId();
    await(create(plain, id, Instant.now().plus(Duration.ofHours(1))));
    var created = (VideoEvent) events(id).get(0);
    assertThat(DeadlinesProjection.apply(broken, PROCESSING_TIMEOUT, created).toCompletableFuture())
        .failsWithin(Duration.ofSeconds(5));
  }

  /** What the deadlines projection writes for every event of {@code id}, in journal order. */
  private static void project(String id, DeadlineIndex index) throws Exception {
    for (Object event : events(id)) {
      await(DeadlinesProjection.apply(index, PROCESSING_TIMEOUT, (VideoEvent) event));
    }
  }
}
