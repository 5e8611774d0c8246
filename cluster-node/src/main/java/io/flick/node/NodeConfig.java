package io.flick.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's config: application.conf with its ${?ENV} overrides, plus the endpoint variables that
 * dev mode also reads (FLICK_CASSANDRA_CONTACT_POINT, FLICK_REDIS_ADDRESS) and the roles
 * (FLICK_ROLES), whose shapes HOCON substitution cannot express.
 */
public final class NodeConfig {
  private NodeConfig() {}

  public static Config load() {
    return fromEnvironment(System.getenv()).withFallback(ConfigFactory.load()).resolve();
  }

  static Config fromEnvironment(Map<String, String> env) {
    Map<String, Object> overrides = new HashMap<>();
    String cassandra = env.get("FLICK_CASSANDRA_CONTACT_POINT");
    if (cassandra != null && !cassandra.isBlank()) {
      List<String> points = Arrays.stream(cassandra.split(",")).map(String::strip).toList();
      overrides.put("datastax-java-driver.basic.contact-points", points);
    }
    String redis = env.get("FLICK_REDIS_ADDRESS");
    if (redis != null && !redis.isBlank()) {
      int colon = redis.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("FLICK_REDIS_ADDRESS must be host:port, not " + redis);
      }
      overrides.put("flick.redis.host", redis.substring(0, colon));
      overrides.put("flick.redis.port", Integer.parseInt(redis.substring(colon + 1)));
    }
    // a comma-separated list, as a Kubernetes env value can hold ("feed,projections"); the
    // HOCON list syntax FLICK_ROLES.0=… works too
    String roles = env.get("FLICK_ROLES");
    if (roles != null && !roles.isBlank()) {
      overrides.put(
          "pekko.cluster.roles",
          Arrays.stream(roles.split(",")).map(String::strip).filter(r -> !r.isEmpty()).toList());
    }
    return ConfigFactory.parseMap(overrides);
  }
}
