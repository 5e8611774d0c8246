package io.flick.node.contexts;

import io.flick.common.NodeRoles;
import io.flick.common.kafka.InteractionStreamSettings;
import io.flick.node.infra.Infra;
import io.flick.studio.StudioFollowsProjection;
import io.flick.studio.StudioQueries;
import io.flick.studio.StudioSettings;
import io.flick.studio.StudioStream;
import io.flick.studio.StudioTables;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The creator studio on this node: its aggregates from the interactions topic and the follower rows
 * from the UserActors' journal (both on {@code projections} nodes), and the queries the API answers
 * from (any node).
 */
public final class StudioContext {
  private StudioContext() {}

  public static StudioQueries start(Infra infra, Consumer<String> progress) {
    StudioTables tables = new StudioTables(infra.cql(), infra.keyspace());
    StudioFollowsProjection.start(infra.system(), tables, infra.projections());
    if (NodeRoles.has(infra.system(), NodeRoles.PROJECTIONS)) {
      new StudioStream(
              infra.system(),
              InteractionStreamSettings.from(infra.config()),
              StudioSettings.from(infra.config()),
              tables,
              infra.kafka().bootstrapServers(),
              infra.metrics().registry())
          .start();
      progress.accept("studio      aggregating the interactions topic");
    }
    return new StudioQueries(tables, Clock.systemUTC());
  }
}
