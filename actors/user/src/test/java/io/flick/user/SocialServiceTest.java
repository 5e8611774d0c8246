package io.flick.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import io.flick.common.Ids;
import io.flick.user.UserCommand.FollowState;
import io.flick.user.UserCommand.LikeChange;
import io.flick.user.UserCommand.Page;
import io.flick.user.UserCommand.SignalAt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
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
class SocialServiceTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "SocialServiceTest",
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

  private static final SocialService social = new SocialService(testKit.system());

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
    UserActor.init(testKit.system());
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

  private static String registeredUser(String handle) throws Exception {
    String id = Ids.newId();
    await(
        ClusterSharding.get(testKit.system())
            .entityRefFor(UserActor.ENTITY_TYPE_KEY, id)
            .<Account>askWithStatus(
                r -> new UserCommand.Register(handle, "DE", Instant.now(), r),
                Duration.ofSeconds(5)));
    return id;
  }

  @Test
  void followsLikesAndLearns() throws Exception {
    String ada = registeredUser("ada");
    String bob = Ids.newId();
    String video = Ids.newId();

    assertThat(await(social.follow(ada, bob))).isEqualTo(new FollowState(true, 1));
    assertThat(await(social.follow(ada, bob))).isEqualTo(new FollowState(true, 1));
    assertThat(await(social.following(ada, Optional.empty(), 10)))
        .isEqualTo(new Page(List.of(bob), Optional.empty()));

    assertThat(await(social.like(ada, video, bob, List.of("#Cats"), Optional.of("s1"))))
        .isEqualTo(new LikeChange(true, true));
    assertThat(await(social.like(ada, video, bob, List.of("#Cats"), Optional.of("s1"))))
        .isEqualTo(new LikeChange(true, false));
    Instant watchedAt = Instant.now();
    // a watch and a share as the interactions stream hands them over
    assertThat(
            await(
                social.learnSignals(
                    ada,
                    List.of(
                        new SignalAt(
                            0,
                            0,
                            Signal.watch(
                                Ids.newId(),
                                bob,
                                List.of("dogs"),
                                Optional.empty(),
                                9000,
                                9000,
                                true,
                                watchedAt)),
                        new SignalAt(
                            0,
                            1,
                            Signal.share(
                                Ids.newId(), bob, List.of("cats"), Optional.empty(), watchedAt))),
                    Map.of())))
        .isEqualTo(Done.getInstance());

    Profile profile = await(social.profile(ada, watchedAt));
    assertThat(profile.hashtags().keySet()).containsExactly("cats", "dogs");
    assertThat(profile.creators().get(bob)).isCloseTo(6.0, within(0.01));
    assertThat(profile.following()).containsExactly(bob);
    assertThat(await(social.profile(ada)).likedCount()).isEqualTo(1);

    assertThat(await(social.social(ada)).likedVideoIds()).containsExactly(video);
    assertThat(await(social.unlike(ada, video))).isEqualTo(new LikeChange(false, true));
    assertThat(await(social.unfollow(ada, bob))).isEqualTo(new FollowState(false, 0));
  }

  @Test
  void mapsRefusalsToExceptions() throws Exception {
    String ada = registeredUser("ada2");
    assertThat(failureOf(social.follow(ada, ada)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("you cannot follow yourself");
    assertThat(failureOf(social.follow(ada, "NOT-AN-ID")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(failureOf(social.like(ada, "../etc", ada, List.of(), Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(failureOf(social.following(ada, Optional.of("garbage"), 10)))
        .isInstanceOf(IllegalArgumentException.class);

    String nobody = Ids.newId();
    assertThat(failureOf(social.follow(nobody, ada)))
        .isInstanceOf(SocialService.UnknownUserException.class);
    assertThat(failureOf(social.profile(nobody)))
        .isInstanceOf(SocialService.UnknownUserException.class);
    assertThat(failureOf(social.social("NOT-AN-ID")))
        .isInstanceOf(SocialService.UnknownUserException.class);
  }
}
