package io.flick.common;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What a node runs, from {@code pekko.cluster.roles}: {@link #API} (HTTP and gRPC), {@link
 * #ENTITIES} (the shard regions; other nodes reach the entities through proxies), {@link
 * #TRANSCODE} (the upload pipeline), {@link #FEED} (the interaction streams and the ranker
 * trainer), {@link #PROJECTIONS} (the read side). A node with every role is dev mode. A node
 * configured with no role at all (a test's ActorSystem) runs every part, so a context's own tests
 * need no roles.
 */
public final class NodeRoles {
  public static final String API = "api";
  public static final String ENTITIES = "entities";
  public static final String TRANSCODE = "transcode";
  public static final String FEED = "feed";
  public static final String PROJECTIONS = "projections";

  private NodeRoles() {}

  /** The roles as configured: empty for a node that runs every part. */
  public static List<String> configured(ActorSystem<?> system) {
    return system.settings().config().getStringList("pekko.cluster.roles");
  }

  /** Whether this node runs the parts of {@code role}. */
  public static boolean has(ActorSystem<?> system, String role) {
    List<String> roles = configured(system);
    return roles.isEmpty() || roles.contains(role);
  }

  /**
   * The role to restrict a cluster-wide part (shard regions, a singleton, daemon processes) to, or
   * empty when this cluster runs without roles.
   */
  public static Optional<String> restrictTo(ActorSystem<?> system, String role) {
    return configured(system).isEmpty() ? Optional.empty() : Optional.of(role);
  }
}
