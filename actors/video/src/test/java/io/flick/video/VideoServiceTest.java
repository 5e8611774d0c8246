package io.flick.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.common.Ids;
import io.flick.video.VideoEvent.CountsFlushed;
import io.flick.video.VideoSummary.Counts;
import io.flick.video.VideoSummary.Engagement;
import io.flick.video.VideoSummary.Rendition;
import io.flick.video.VideoSummary.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The facade over a real one-node sharded cluster, every message serialized. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VideoServiceTest {
  private static final Duration FLUSH_INTERVAL = Duration.ofMillis(200);

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "VideoServiceTest",
          ConfigFactory.parseString(
                  """
                  pekko.actor.provider = cluster
                  pekko.actor.serialize-messages = on
                  pekko.remote.artery.canonical.hostname = 127.0.0.1
                  pekko.remote.artery.canonical.port = 0
                  pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                  flick.video.counter-flush-interval = %dms
                  """
                      .formatted(FLUSH_INTERVAL.toMillis()))
              .withFallback(PersistenceTestKitPlugin.config())
              .withFallback(PersistenceTestKitSnapshotPlugin.config())
              .withFallback(ConfigFactory.load()));

  private static final VideoService videos =
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

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  private static CompletionStage<VideoSummary> create(String id) {
    return videos.create(
        id,
        "c1",
        "hello",
        List.of("#Fun"),
        Optional.empty(),
        1000,
        "video/mp4",
        "uploads/" + id,
        Instant.now().plus(Duration.ofHours(1)));
  }

  @Test
  void drivesAVideoToReadyAndDeletesIt() throws Exception {
    String id = Ids.newId();
    assertThat(await(videos.get(id))).isEmpty();
    assertThat(await(create(id)).hashtags()).containsExactly("fun");
    assertThat(await(videos.completeUpload(id, "c1")).status()).isEqualTo(Status.PROCESSING);
    assertThat(
            await(
                    videos.publishFirstRung(
                        id, 9000, 360, 640, R360, "videos/x/m.m3u8", Optional.empty()))
                .playable())
        .isTrue();
    VideoSummary ready =
        await(
            videos.markReady(
                id,
                9000,
                360,
                640,
                List.of(R360),
                "videos/x/master.m3u8",
                Optional.of("videos/x/p.jpg"),
                Optional.empty()));
    assertThat(ready.status()).isEqualTo(Status.READY);
    assertThat(await(videos.get(id))).contains(ready);

    assertThat(await(videos.delete(id, "c1"))).isEqualTo(Done.getInstance());
    assertThat(await(videos.get(id))).isEmpty();
    assertThat(failureOf(videos.completeUpload(id, "c1")))
        .isInstanceOf(VideoService.VideoNotFoundException.class);
  }

  @Test
  void mapsRefusalsToExceptions() throws Exception {
    String id = Ids.newId();
    assertThat(failureOf(videos.completeUpload(id, "c1")))
        .isInstanceOf(VideoService.VideoNotFoundException.class);

    await(create(id));
    assertThat(failureOf(videos.completeUpload(id, "someone-else")))
        .isInstanceOf(VideoService.NotCreatorException.class)
        .hasMessageStartingWith("only the creator can");
    assertThat(failureOf(videos.delete(id, "someone-else")))
        .isInstanceOf(VideoService.NotCreatorException.class);
    assertThat(failureOf(videos.markFailed(id, " "))).isInstanceOf(IllegalArgumentException.class);
    assertThat(
            failureOf(
                videos.markReady(
                    id, 1, 1, 1, List.of(R360), "m", Optional.empty(), Optional.empty())))
        .isInstanceOf(VideoService.VideoStateException.class);

    await(videos.markFailed(id, "not a video"));
    assertThat(failureOf(videos.completeUpload(id, "c1")))
        .isInstanceOf(VideoService.VideoStateException.class)
        .hasMessageContaining("not a video");
  }

  @Test
  void refusesIdsThatCannotExist() throws Exception {
    assertThat(await(videos.get("../etc"))).isEmpty();
    assertThat(failureOf(create("NOT-AN-ID"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(failureOf(videos.delete("NOT-AN-ID", "c1")))
        .isInstanceOf(VideoService.VideoNotFoundException.class);
  }

  // ---- write-back counters

  @Test
  void concurrentBatchesAreCountedExactlyWithOneWritePerFlushInterval() throws Exception {
    String id = Ids.newId();
    await(create(id));
    int partitions = 4;
    int batches = 100;

    // one sender per partition, each sending its batches in offset order without waiting
    ExecutorService senders = Executors.newFixedThreadPool(partitions);
    List<CompletableFuture<Done>> answers = new ArrayList<>();
    long start = System.nanoTime();
    try {
      List<Future<List<CompletableFuture<Done>>>> sending = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        int partition = p;
        sending.add(senders.submit(() -> sendBatches(id, partition, batches)));
      }
      for (var sent : sending) {
        answers.addAll(sent.get(30, TimeUnit.SECONDS));
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } finally {
      senders.shutdownNow();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    int total = partitions * batches;
    VideoSummary video = await(videos.get(id)).orElseThrow();
    assertThat(video.counts()).isEqualTo(new Counts(total, total, total / 2, total));
    assertThat(video.engagement()).isEqualTo(new Engagement(total * 250L, total / 2));
    // the n-th flush fires at least n intervals after the first batch came in
    long flushes = flushes(id);
    assertThat(flushes).isBetween(1L, elapsed.toMillis() / FLUSH_INTERVAL.toMillis());
    assertThat(flushes).isLessThan(total / 10);

    // Kafka redelivers everything: nothing is counted twice, nothing is written
    List<CompletableFuture<Done>> again = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      again.addAll(sendBatches(id, p, batches));
    }
    CompletableFuture.allOf(again.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(await(videos.get(id)).orElseThrow().counts()).isEqualTo(video.counts());
    assertThat(flushes(id)).isEqualTo(flushes);
  }

  /** Batch {@code b} of {@code partition} covers offsets 10b..10b+9. */
  private static List<CompletableFuture<Done>> sendBatches(String id, int partition, int batches)
      throws InterruptedException {
    List<CompletableFuture<Done>> answers = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      var deltas = new CountDeltas(1, 1, b % 2, 1, 250, b % 2);
      answers.add(
          videos
              .applyCounts(
                  id,
                  partition,
                  b * 10L,
                  b * 10L + 9,
                  b == 0 ? VideoCommand.NO_PREVIOUS : b * 10L - 1,
                  deltas,
                  List.of())
              .toCompletableFuture());
      Thread.sleep(4); // spread over a few flush intervals
    }
    return answers;
  }

  private static long flushes(String id) {
    return PersistenceTestKit.create(testKit.system()).persistedInStorage("Video|" + id).stream()
        .filter(CountsFlushed.class::isInstance)
        .count();
  }

  @Test
  void countsForNoVideoSucceedAndOverlapsAreRefusedWithWhereToCut() throws Exception {
    var one = new CountDeltas(1, 0, 0, 0, 0, 0);
    assertThat(
            await(
                videos.applyCounts(Ids.newId(), 0, 0, 9, VideoCommand.NO_PREVIOUS, one, List.of())))
        .isEqualTo(Done.getInstance());
    assertThat(
            await(
                videos.applyCounts("NOT-AN-ID", 0, 0, 9, VideoCommand.NO_PREVIOUS, one, List.of())))
        .isEqualTo(Done.getInstance());

    String id = Ids.newId();
    await(create(id));
    await(videos.applyCounts(id, 2, 0, 9, VideoCommand.NO_PREVIOUS, one, List.of()));
    var overlap =
        failureOf(videos.applyCounts(id, 2, 5, 19, VideoCommand.NO_PREVIOUS, one, List.of()));
    assertThat(overlap).isInstanceOf(VideoService.CountsOverlapException.class);
    assertThat(((VideoService.CountsOverlapException) overlap).countedThrough()).isEqualTo(9);
    assertThat(
            failureOf(videos.applyCounts(id, 2, 19, 10, VideoCommand.NO_PREVIOUS, one, List.of())))
        .isInstanceOf(IllegalArgumentException.class);
    await(videos.applyCounts(id, 2, 10, 19, VideoCommand.NO_PREVIOUS, one, List.of()));
    assertThat(await(videos.get(id)).orElseThrow().counts().views()).isEqualTo(2);

    await(videos.delete(id, "c1"));
    assertThat(await(videos.applyCounts(id, 2, 20, 29, VideoCommand.NO_PREVIOUS, one, List.of())))
        .isEqualTo(Done.getInstance());
  }
}
