package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environment a deployment (deploy/k8s) sets becomes the node's config. */
class NodeConfigTest {
  @Test
  void rolesFromACommaSeparatedVariable() {
    var config = NodeConfig.fromEnvironment(Map.of("FLICK_ROLES", "feed, projections"));
    assertThat(config.getStringList("pekko.cluster.roles")).containsExactly("feed", "projections");
  }

  @Test
  void endpointsFromTheirVariables() {
    var config =
        NodeConfig.fromEnvironment(
            Map.of(
                "FLICK_CASSANDRA_CONTACT_POINT", "c-0:9042, c-1:9042",
                "FLICK_REDIS_ADDRESS", "redis:6380"));
    assertThat(config.getStringList("datastax-java-driver.basic.contact-points"))
        .containsExactly("c-0:9042", "c-1:9042");
    assertThat(config.getString("flick.redis.host")).isEqualTo("redis");
    assertThat(config.getInt("flick.redis.port")).isEqualTo(6380);
  }

  @Test
  void nothingSetChangesNothing() {
    assertThat(NodeConfig.fromEnvironment(Map.of()).isEmpty()).isTrue();
  }

  @Test
  void managementAndBootstrapAreOffUnlessAskedFor() {
    var packaged = com.typesafe.config.ConfigFactory.load();
    assertThat(packaged.getBoolean("flick.management.enabled")).isFalse();
    assertThat(packaged.getBoolean("flick.management.bootstrap")).isFalse();
    assertThat(
            packaged.getString(
                "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"))
        .isEqualTo("kubernetes-api");
  }
}
