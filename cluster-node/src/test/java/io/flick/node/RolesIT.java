package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flick.user.UserActor;
import io.flick.video.VideoActor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Roles honoured: a second node in the test cluster with only the {@code api} role hosts no
 * entities, yet serves every request through sharding proxies, and runs neither the transcoder nor
 * the interaction streams.
 */
@Timeout(180)
class RolesIT {
  @Test
  void anApiOnlyNodeHostsNoEntitiesButServesThroughProxiesAndConsumesNothing() throws Exception {
    TestCluster cluster = TestCluster.get();
    String seed = Cluster.get(cluster.node().system()).selfMember().address().toString();
    Config config =
        ConfigFactory.parseMap(
                Map.of(
                    "pekko.cluster.roles",
                    List.of("api"),
                    "pekko.cluster.seed-nodes",
                    List.of(seed),
                    "pekko.cluster.jmx.multi-mbeans-in-same-jvm",
                    "on",
                    // the shared node serves the management routes on its port; this one needs none
                    "flick.management.enabled",
                    false))
            .withFallback(cluster.config());
    try (FlickNode apiOnly = FlickNode.start(config, line -> System.out.println("[api] " + line))) {
      ApiClient viaApiNode = new ApiClient("http://127.0.0.1:" + apiOnly.httpPort());
      viaApiNode.awaitBody("/ready", body -> true, Duration.ofSeconds(60));

      // accounts, follows and profiles through this node: the entities live on the other one
      ApiClient creator = ApiClient.signedUp(cluster, "roles");
      ApiClient fan = new ApiClient(viaApiNode.baseUrl);
      var created =
          fan.post(
              "/api/v1/accounts",
              "{\"handle\":\"rolesfan_"
                  + System.nanoTime() % 1_000_000
                  + "\",\"password\":\""
                  + ApiClient.PASSWORD
                  + "\"}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String handle = ApiClient.JSON.readTree(created.body()).get("handle").asText();
      var session =
          fan.post(
              "/api/v1/sessions",
              "{\"handle\":\"" + handle + "\",\"password\":\"" + ApiClient.PASSWORD + "\"}");
      fan.token = ApiClient.JSON.readTree(session.body()).get("token").asText();
      var followed = fan.post("/api/v1/users/" + creator.userId + "/follow", "");
      assertThat(followed.statusCode()).as(followed.body()).isEqualTo(200);
      assertThat(fan.json(followed).get("following").asBoolean()).isTrue();
      var profile = fan.get("/api/v1/users/" + creator.userId);
      assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);

      // and none of them here
      for (EntityTypeKey<?> type : List.of(UserActor.ENTITY_TYPE_KEY, VideoActor.ENTITY_TYPE_KEY)) {
        assertThat(hostedShards(apiOnly, type)).as(type.name()).isZero();
      }
      assertThat(hostedShards(cluster.node(), UserActor.ENTITY_TYPE_KEY)).isPositive();

      // no transcoder, no counter or profile stream on this node
      String metrics = viaApiNode.get("/metrics").body();
      assertThat(metrics).doesNotContain("flick_transcode_videos_total");
      assertThat(metrics).doesNotContain("flick_interactions_counted_total");
    }
  }

  private static int hostedShards(FlickNode node, EntityTypeKey<?> type) throws Exception {
    var system = node.system();
    CurrentShardRegionState state =
        AskPattern.<ClusterShardingQuery, CurrentShardRegionState>ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(type, replyTo),
                Duration.ofSeconds(10),
                system.scheduler())
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    return state.getShards().size();
  }
}
