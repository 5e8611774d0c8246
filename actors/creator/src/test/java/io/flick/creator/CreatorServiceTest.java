package io.flick.creator;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.common.Ids;
import io.flick.creator.CreatorActor.CreatorSummary;
import io.flick.creator.CreatorActor.FollowerChange;
import io.flick.creator.CreatorActor.VideoChange;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
class CreatorServiceTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "CreatorServiceTest",
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

  private static final CreatorService creators = new CreatorService(testKit.system());

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
    CreatorActor.init(testKit.system());
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

  @Test
  void countsFollowersAndListsVideos() throws Exception {
    String creator = Ids.newId();
    String fan = Ids.newId();
    String video = Ids.newId();
    Instant now = Instant.now();

    assertThat(await(creators.summary(creator)).followers()).isZero();
    assertThat(await(creators.addFollower(creator, fan, now)))
        .isEqualTo(new FollowerChange(true, true, 1));
    assertThat(await(creators.addFollower(creator, fan, now)))
        .isEqualTo(new FollowerChange(true, false, 1));
    assertThat(await(creators.followers(creator, Optional.empty(), 10)).items())
        .containsExactly(fan);
    assertThat(await(creators.addVideo(creator, video, now)))
        .isEqualTo(new VideoChange(true, true, 1));
    assertThat(await(creators.videos(creator, Optional.empty(), 10)).items())
        .containsExactly(video);

    CreatorSummary summary = await(creators.summary(creator));
    assertThat(summary.followers()).isEqualTo(1);
    assertThat(summary.videoCount()).isEqualTo(1);
    assertThat(summary.history()).hasSize(30);
    assertThat(summary.history().get(29).gained()).isEqualTo(1);

    assertThat(await(creators.removeVideo(creator, video)))
        .isEqualTo(new VideoChange(false, true, 0));
    assertThat(await(creators.removeFollower(creator, fan, now)))
        .isEqualTo(new FollowerChange(false, true, 0));
  }

  @Test
  void refusesWhatCannotBe() {
    String creator = Ids.newId();
    assertThat(failureOf(creators.addFollower(creator, creator, Instant.now())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a creator cannot follow itself");
    assertThat(failureOf(creators.addFollower("NOT-AN-ID", Ids.newId(), Instant.now())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(failureOf(creators.addVideo(creator, "../x", Instant.now())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(failureOf(creators.videos(creator, Optional.of("garbage"), 10)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(failureOf(creators.followers(creator, Optional.empty(), 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(failureOf(creators.summary("NOT-AN-ID")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
