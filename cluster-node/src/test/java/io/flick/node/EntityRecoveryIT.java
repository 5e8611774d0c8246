package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.flick.user.Account;
import io.flick.user.UserActor;
import io.flick.user.UserCommand;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sharded, event-sourced entity writes to the real Cassandra and comes back after its whole
 * ActorSystem is gone: nothing of it lives only in memory.
 */
@Timeout(300)
class EntityRecoveryIT {
  private final TestCluster cluster = TestCluster.get();

  private ActorSystem<Void> startSystem(Config config) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "recovery", config);
    Cluster c = Cluster.get(system);
    c.manager().tell(Join.create(c.selfMember().address()));
    UserActor.init(system);
    return system;
  }

  @Test
  void registeredUserSurvivesAnActorSystemRestart() throws Exception {
    Config config = cluster.config();
    String userId = io.flick.common.Ids.newId();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Duration timeout = Duration.ofSeconds(30);

    ActorSystem<Void> first = startSystem(config);
    try {
      Account registered =
          ClusterSharding.get(first)
              .entityRefFor(UserActor.ENTITY_TYPE_KEY, userId)
              .<Account>askWithStatus(
                  replyTo ->
                      new UserCommand.Register(
                          "restart_" + userId.substring(0, 8), "FR", at, replyTo),
                  timeout)
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      assertThat(registered.id()).isEqualTo(userId);
    } finally {
      first.terminate();
      first.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    ActorSystem<Void> second = startSystem(config);
    try {
      UserCommand.AccountLookup lookup =
          ClusterSharding.get(second)
              .entityRefFor(UserActor.ENTITY_TYPE_KEY, userId)
              .ask(UserCommand.GetAccount::new, timeout)
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      assertThat(lookup.account())
          .contains(new Account(userId, "restart_" + userId.substring(0, 8), "FR", at));
    } finally {
      second.terminate();
      second.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }
}
