package io.flick.node.infra;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue depth of each of Flick's consumer groups (transcode, counters, profiles, studio):
 * messages written but not yet committed, summed and per partition (a hot or stuck partition
 * shows), polled with the node's admin client on the blocking dispatcher every few seconds so a
 * scrape never waits on Kafka. A group that keeps its offsets outside Kafka (the studio's, in
 * Cassandra next to its rows) names where to read them.
 */
public final class KafkaLagMetrics {
  private static final Logger log = LoggerFactory.getLogger(KafkaLagMetrics.class);
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  /** The next offset to read of each partition a group has got to, kept outside Kafka. */
  @FunctionalInterface
  public interface StoredOffsets {
    Map<TopicPartition, Long> read() throws Exception;
  }

  private KafkaLagMetrics() {}

  public static void register(
      ActorSystem<?> system, Admin admin, List<String> groups, PrometheusRegistry registry) {
    register(system, admin, groups, Map.of(), registry);
  }

  public static void register(
      ActorSystem<?> system,
      Admin admin,
      List<String> groups,
      Map<String, StoredOffsets> storedElsewhere,
      PrometheusRegistry registry) {
    Map<String, Long> lag = new ConcurrentHashMap<>();
    Map<String, Map<TopicPartition, Long>> partitions = new ConcurrentHashMap<>();
    groups.forEach(group -> lag.put(group, 0L));
    storedElsewhere.keySet().forEach(group -> lag.put(group, 0L));
    GaugeWithCallback.builder()
        .name("flick_kafka_consumer_lag")
        .help("Messages not yet processed and committed, by consumer group")
        .labelNames("group")
        .callback(cb -> lag.forEach((group, value) -> cb.call(value, group)))
        .register(registry);
    // bounded: the groups are Flick's three, the partitions those of their topics
    GaugeWithCallback.builder()
        .name("flick_kafka_consumer_partition_lag")
        .help("Messages not yet processed and committed, by consumer group, topic and partition")
        .labelNames("group", "topic", "partition")
        .callback(
            cb ->
                partitions.forEach(
                    (group, byPartition) ->
                        byPartition.forEach(
                            (tp, value) ->
                                cb.call(value, group, tp.topic(), String.valueOf(tp.partition())))))
        .register(registry);
    var blocking =
        system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking());
    system
        .scheduler()
        .scheduleWithFixedDelay(
            INTERVAL,
            INTERVAL,
            () -> {
              groups.forEach(group -> poll(admin, group, lag, partitions, null));
              storedElsewhere.forEach(
                  (group, stored) -> poll(admin, group, lag, partitions, stored));
            },
            blocking);
  }

  private static void poll(
      Admin admin,
      String group,
      Map<String, Long> lag,
      Map<String, Map<TopicPartition, Long>> partitions,
      StoredOffsets storedElsewhere) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
      if (storedElsewhere == null) {
        committed.putAll(
            admin
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(5, TimeUnit.SECONDS));
      } else {
        storedElsewhere
            .read()
            .forEach((tp, next) -> committed.put(tp, new OffsetAndMetadata(next)));
      }
      if (committed.isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
      long total = 0;
      Map<TopicPartition, Long> byPartition = new HashMap<>();
      for (var entry : committed.entrySet()) {
        if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
          long behind = Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
          byPartition.put(entry.getKey(), behind);
          total += behind;
        }
      }
      lag.put(group, total);
      partitions.put(group, byPartition);
    } catch (Exception e) {
      log.debug("consumer lag of {} not read: {}", group, e.toString());
    }
  }
}
