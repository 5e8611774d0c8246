package io.flick.node;

import io.flick.api.Json;
import io.flick.creator.CreatorActor;
import io.flick.user.UserActor;
import io.flick.video.VideoActor;
import io.flick.video.comments.CommentActor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /ops/cluster}: what the {@code /ops} page shows of the whole cluster — its members
 * with status, roles and app version, and each entity type's shards and entities per node (asked of
 * every shard region, so a region that does not answer in time is listed as such). Operations, not
 * the public API: no personal data, only addresses and counts.
 */
public final class ClusterOps extends AllDirectives {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  static final List<EntityTypeKey<?>> TYPES =
      List.of(
          UserActor.ENTITY_TYPE_KEY,
          VideoActor.ENTITY_TYPE_KEY,
          CreatorActor.ENTITY_TYPE_KEY,
          CommentActor.ENTITY_TYPE_KEY);

  private final ActorSystem<?> system;

  public ClusterOps(ActorSystem<?> system) {
    this.system = system;
  }

  public Route routes() {
    return path(
        PathMatchers.segment("ops").slash("cluster"),
        () ->
            get(
                () ->
                    onSuccess(
                        state(),
                        body -> complete(HttpResponse.create().withEntity(Json.entity(body))))));
  }

  CompletionStage<Map<String, Object>> state() {
    Cluster cluster = Cluster.get(system);
    List<Map<String, Object>> members = new ArrayList<>();
    for (Member member :
        StreamSupport.stream(cluster.state().getMembers().spliterator(), false).toList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", member.address().toString());
      m.put("status", member.status().toString());
      m.put(
          "roles", member.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().toList());
      m.put("appVersion", member.appVersion().version());
      m.put("self", member.equals(cluster.selfMember()));
      m.put("reachable", !cluster.state().getUnreachable().contains(member));
      members.add(m);
    }
    Map<String, CompletableFuture<Object>> shards = new LinkedHashMap<>();
    for (EntityTypeKey<?> type : TYPES) {
      shards.put(type.name(), shardsPerNode(type).toCompletableFuture());
    }
    return CompletableFuture.allOf(shards.values().toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("self", cluster.selfMember().address().toString());
              body.put("members", members);
              Map<String, Object> byType = new LinkedHashMap<>();
              shards.forEach((type, result) -> byType.put(type, result.join()));
              body.put("shards", byType);
              return body;
            });
  }

  /** One node's part of an entity type: its shards, their entities, shards that failed to start. */
  record RegionShards(String address, int shards, int entities, int failedShards) {}

  /** {address: {shards, entities, failedShards}}, or an error when the regions did not answer. */
  private CompletionStage<Object> shardsPerNode(EntityTypeKey<?> type) {
    return shards(type)
        .thenApply(
            answer ->
                answer
                    .<Object>map(
                        regions -> {
                          Map<String, Object> nodes = new TreeMap<>();
                          for (RegionShards r : regions) {
                            nodes.put(
                                r.address(),
                                Map.of(
                                    "shards",
                                    r.shards(),
                                    "entities",
                                    r.entities(),
                                    "failedShards",
                                    r.failedShards()));
                          }
                          return nodes;
                        })
                    .orElse(Map.of("error", "no answer in time")));
  }

  /** Every region of {@code type}, by address; empty when they did not answer in time. */
  CompletionStage<Optional<List<RegionShards>>> shards(EntityTypeKey<?> type) {
    return AskPattern.<ClusterShardingQuery, ClusterShardingStats>ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetClusterShardingStats(type, TIMEOUT, replyTo),
            TIMEOUT.plusSeconds(1),
            system.scheduler())
        .thenApply(
            stats -> {
              List<RegionShards> regions = new ArrayList<>();
              stats
                  .getRegions()
                  .forEach(
                      (address, region) -> {
                        // entities per shard (Scala Ints, boxed)
                        Map<String, Object> counts = region.getStats();
                        regions.add(
                            new RegionShards(
                                address.toString(),
                                counts.size(),
                                counts.values().stream()
                                    .mapToInt(n -> ((Number) n).intValue())
                                    .sum(),
                                region.getFailed().size()));
                      });
              regions.sort(java.util.Comparator.comparing(RegionShards::address));
              return Optional.of(List.copyOf(regions));
            })
        .exceptionally(error -> Optional.empty());
  }
}
