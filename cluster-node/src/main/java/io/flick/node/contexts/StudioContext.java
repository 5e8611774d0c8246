package io.flick.node.contexts;

import io.flick.common.NodeRoles;
import io.flick.common.kafka.InteractionStreamSettings;
import io.flick.node.infra.Infra;
import io.flick.studio.StudioFollowsProjection;
import io.flick.studio.StudioQueries;
import io.flick.studio.StudioSettings;
import io.flick.studio.StudioStream;
import io.flick.studio.StudioTables;
import io.flick.studio.StudioVideoRemovalsProjection;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The creator studio on this node: its aggregates from the interactions topic, the follower rows
 * from the UserActors' journal and the removed videos from the VideoActors' (all on {@code
 * projections} nodes), and the queries the API answers from (any node).
 */
public record StudioContext(
    StudioQueries queries, StudioTables tables, String consumerGroup, String topic) {

  public static StudioContext start(Infra infra, Consumer<String> progress) {
    StudioTables tables = new StudioTables(infra.cql(), infra.keyspace());
    StudioSettings settings = StudioSettings.from(infra.config());
    InteractionStreamSettings interactions = InteractionStreamSettings.from(infra.config());
    StudioFollowsProjection.start(infra.system(), tables, infra.projections());
    StudioVideoRemovalsProjection.start(infra.system(), tables, infra.projections());
    if (NodeRoles.has(infra.system(), NodeRoles.PROJECTIONS)) {
      new StudioStream(
              infra.system(),
              interactions,
              settings,
              tables,
              infra.kafka().bootstrapServers(),
              infra.metrics().registry())
          .start();
      progress.accept("studio      aggregating the interactions topic");
    }
    return new StudioContext(
        new StudioQueries(tables, Clock.systemUTC()),
        tables,
        settings.consumerGroup(),
        interactions.topic());
  }

  /** Where the studio's consumer has got to per partition (for the lag metric). */
  public Map<TopicPartition, Long> storedOffsets() throws Exception {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    tables
        .offsets(consumerGroup)
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS)
        .forEach((partition, next) -> offsets.put(new TopicPartition(topic, partition), next));
    return offsets;
  }
}
