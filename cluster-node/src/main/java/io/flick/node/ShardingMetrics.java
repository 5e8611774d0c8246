package io.flick.node;

import io.flick.api.metrics.Metrics;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Shards and entities hosted by this node, per entity type, polled from the shard regions every few
 * seconds (a scrape never waits on the cluster).
 */
final class ShardingMetrics {
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  private record Counts(int shards, int entities) {}

  private ShardingMetrics() {}

  static void register(ActorSystem<?> system, Metrics metrics, List<EntityTypeKey<?>> types) {
    Map<String, Counts> latest = new ConcurrentHashMap<>();
    types.forEach(type -> latest.put(type.name(), new Counts(0, 0)));
    GaugeWithCallback.builder()
        .name("flick_sharding_entities")
        .help("Entities alive on this node, by entity type")
        .labelNames("type")
        .callback(cb -> latest.forEach((type, c) -> cb.call(c.entities(), type)))
        .register(metrics.registry());
    GaugeWithCallback.builder()
        .name("flick_sharding_shards")
        .help("Shards hosted by this node, by entity type")
        .labelNames("type")
        .callback(cb -> latest.forEach((type, c) -> cb.call(c.shards(), type)))
        .register(metrics.registry());

    ClusterSharding sharding = ClusterSharding.get(system);
    system
        .scheduler()
        .scheduleWithFixedDelay(
            INTERVAL,
            INTERVAL,
            () ->
                types.forEach(
                    type ->
                        AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                                sharding.shardState(),
                                replyTo -> new GetShardRegionState(type, replyTo),
                                INTERVAL,
                                system.scheduler())
                            .thenAccept(
                                state -> {
                                  int entities = 0;
                                  for (ShardRegion.ShardState shard : state.getShards()) {
                                    entities += shard.getEntityIds().size();
                                  }
                                  latest.put(
                                      type.name(), new Counts(state.getShards().size(), entities));
                                })),
            system.executionContext());
  }
}
