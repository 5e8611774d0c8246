package io.flick.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.common.Ids;
import io.flick.video.VideoActor.Rendition;
import io.flick.video.VideoActor.Status;
import io.flick.video.VideoActor.VideoSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The facade over a real one-node sharded cluster, every message serialized. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VideoServiceTest {
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
                  """)
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
}
