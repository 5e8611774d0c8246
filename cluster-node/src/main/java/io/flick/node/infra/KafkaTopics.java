package io.flick.node.infra;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Creates Flick's topics with their configured partition counts when they are missing. */
public final class KafkaTopics {
  public record Settings(
      String bootstrapServers,
      boolean createTopics,
      short replicationFactor,
      Map<String, Integer> topics,
      Map<String, Map<String, String>> topicConfigs) {
    public static Settings from(Config config) {
      Config c = config.getConfig("flick.kafka");
      Map<String, Integer> topics = new java.util.LinkedHashMap<>();
      c.getConfig("topics").root().keySet().stream()
          .sorted()
          .forEach(name -> topics.put(name, c.getConfig("topics").getInt("\"" + name + "\"")));
      Map<String, Map<String, String>> configs = new java.util.LinkedHashMap<>();
      if (c.hasPath("topic-configs")) {
        Config tc = c.getConfig("topic-configs");
        for (String topic : tc.root().keySet()) {
          Map<String, String> settings = new java.util.LinkedHashMap<>();
          tc.getConfig("\"" + topic + "\"")
              .entrySet()
              .forEach(
                  e ->
                      settings.put(
                          e.getKey().replace("\"", ""), e.getValue().unwrapped().toString()));
          configs.put(topic, settings);
        }
      }
      return new Settings(
          c.getString("bootstrap-servers"),
          c.getBoolean("create-topics"),
          (short) c.getInt("replication-factor"),
          topics,
          configs);
    }
  }

  private KafkaTopics() {}

  public static Admin admin(Settings settings) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
  }

  /**
   * The node's producer for events that must not be lost: idempotent, acks=all, so a send that
   * completes is on every in-sync replica exactly once.
   */
  public static Producer<String, byte[]> producer(Settings settings) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            settings.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            30_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            10_000),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /** Blocking, at startup. Existing topics are left as they are. */
  public static void ensure(Admin admin, Settings settings)
      throws ExecutionException, InterruptedException, TimeoutException {
    if (!settings.createTopics()) {
      return;
    }
    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    settings
        .topics()
        .forEach(
            (name, partitions) -> {
              if (!existing.contains(name)) {
                missing.add(
                    new NewTopic(name, partitions, settings.replicationFactor())
                        .configs(settings.topicConfigs().getOrDefault(name, Map.of())));
              }
            });
    if (!missing.isEmpty()) {
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // another node created it between list and create: that is fine
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
          throw e;
        }
      }
    }
  }
}
