package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.common.kafka.InteractionPublisher;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The interaction counter stream (interactions topic → the videos' and users' counters) as the ITs
 * see it from outside: its consumer group's committed offsets against the ends of the topic. Once
 * it is caught up, a count that is still short lost a write, and one that is over counted one
 * twice.
 */
final class CounterStream {
  private CounterStream() {}

  /** Until the counter stream's committed offsets reach the end of every interactions partition. */
  static void awaitCaughtUp(TestCluster cluster, Duration within) throws Exception {
    String group = group(cluster);
    try (Admin admin = admin(cluster)) {
      long deadline = System.nanoTime() + within.toNanos();
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin
            .describeTopics(List.of(InteractionPublisher.TOPIC))
            .allTopicNames()
            .get()
            .get(InteractionPublisher.TOPIC)
            .partitions()
            .forEach(
                p ->
                    latest.put(
                        new TopicPartition(InteractionPublisher.TOPIC, p.partition()),
                        OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        // a partition is caught up when it is empty or the group committed up to its end
        boolean caughtUp =
            ends.entrySet().stream()
                .allMatch(
                    e -> {
                      OffsetAndMetadata at = committed.get(e.getKey());
                      long end = e.getValue().offset();
                      return end == 0 || (at != null && at.offset() >= end);
                    });
        if (caughtUp) {
          return;
        }
        assertThat(System.nanoTime())
            .as("counters caught up with Kafka: committed %s, ends %s", committed, ends)
            .isLessThan(deadline);
        Thread.sleep(200); // polling the broker: there is no event to wait on from outside
      }
    }
  }

  /**
   * What a stuck counter shows about the stream, printed for the log: its restarts and what it
   * counted (from /metrics), and its consumer group: state, members, assignment, committed offsets
   * against the ends of the partitions.
   */
  static void describe(TestCluster cluster) {
    try {
      ApiClient reader = new ApiClient(cluster.baseUrl());
      reader
          .get("/metrics")
          .body()
          .lines()
          .filter(l -> l.startsWith("flick_interactions_") || l.startsWith("flick_projection_"))
          .forEach(l -> System.out.println("[it] metric " + l));
      String group = group(cluster);
      try (Admin admin = admin(cluster)) {
        var description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        System.out.println("[it] counter group " + description);
        var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        committed.forEach(
            (tp, at) ->
                System.out.printf(
                    "[it] %s committed %d end %d%n", tp, at.offset(), ends.get(tp).offset()));
      }
    } catch (Exception e) {
      System.out.println("[it] could not describe the counter stream: " + e);
    }
  }

  private static String group(TestCluster cluster) {
    return cluster.config().getString("flick.interactions.consumer-group-counters");
  }

  private static Admin admin(TestCluster cluster) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.endpoints().kafkaBootstrap()));
  }
}
