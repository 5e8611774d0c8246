package io.flick.studio;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flick.common.kafka.InteractionStreamSettings;
import io.flick.common.kafka.KafkaConsumerStream;
import io.flick.proto.events.Interaction;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The creator studio's aggregates from the {@code interactions} topic, within a batch window of the
 * view. Each assigned partition gets its own consumer state: it resumes at the offset stored in
 * {@code studio_offsets}, loads the rows its events touch, adds the events with {@link
 * PartitionAggregator} and writes every changed row whole (absolute figures with the offset they
 * include), then stores the partition's next offset. A row is only ever advanced from a stored copy
 * of itself, so a crash between any two writes, a restart or a rebalance that replays a batch
 * leaves the figures exact: each row skips the events it already includes.
 *
 * <p>Batches overlap: a batch is aggregated and its row writes sent while the previous batches'
 * writes are still in flight ({@link StudioSettings#batchesInFlight()}); only its offset waits, for
 * its own rows and every earlier batch's offset. A row written by two batches in flight ends with
 * the later batch's copy, since the driver stamps each write with a monotonic client timestamp at
 * send time (last write wins in send order). A row whose write is in flight is never reloaded from
 * the table (it would miss the write): it stays pinned in memory until the write is done.
 */
public final class StudioStream {
  private static final Logger log = LoggerFactory.getLogger(StudioStream.class);
  // more partitions than the topic has, so every assigned partition runs at once
  private static final int MAX_PARTITIONS = 256;

  private final ActorSystem<?> system;
  private final InteractionStreamSettings interactions;
  private final StudioSettings settings;
  private final StudioTables tables;
  private final String bootstrapServers;
  private final Counter aggregated;
  private final Counter restarts;
  private final Gauge eventAge;

  public StudioStream(
      ActorSystem<?> system,
      InteractionStreamSettings interactions,
      StudioSettings settings,
      StudioTables tables,
      String bootstrapServers,
      PrometheusRegistry registry) {
    this.system = system;
    this.interactions = interactions;
    this.settings = settings;
    this.tables = tables;
    this.bootstrapServers = bootstrapServers;
    this.aggregated =
        Counter.builder()
            .name("flick_studio_events_total")
            .help("Interaction events the studio aggregates have taken in")
            .register(registry);
    this.restarts =
        Counter.builder()
            .name("flick_studio_stream_restarts_total")
            .help("Times the studio stream failed and restarted from its stored offsets")
            .register(registry);
    this.eventAge =
        Gauge.builder()
            .name("flick_studio_event_age_seconds")
            .help("Age of the newest event in the studio's last written batch, per partition")
            .labelNames("partition")
            .register(registry);
  }

  public UniqueKillSwitch start() {
    ConsumerSettings<String, byte[]> consumerSettings =
        KafkaConsumerStream.settings(system, bootstrapServers, settings.consumerGroup())
            .withProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
            .withProperty(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(settings.batchSize()));
    return KafkaConsumerStream.run(
        system,
        "studio-stream",
        interactions.restart(),
        restarts::inc,
        () ->
            Consumer.plainPartitionedManualOffsetSource(
                    consumerSettings,
                    Subscriptions.topics(interactions.topic()),
                    this::storedOffsets,
                    revoked -> log.debug("studio partitions revoked: {}", revoked))
                .flatMapMerge(
                    MAX_PARTITIONS,
                    assigned -> {
                      PartitionState state = new PartitionState(assigned.first().partition());
                      return assigned
                          .second()
                          .groupedWithin(settings.batchSize(), settings.batchWindow())
                          // aggregated on the dispatcher, not in the stream: the partitions'
                          // sub-streams share one actor, which would add them up one at a time
                          // and hold up every partition's records meanwhile
                          .mapAsync(
                              1,
                              batch ->
                                  CompletableFuture.supplyAsync(
                                          () -> batch, system.executionContext())
                                      .thenCompose(
                                          (List<ConsumerRecord<String, byte[]>> records) ->
                                              state.aggregate(records)))
                          .mapAsync(settings.batchesInFlight(), state::stored);
                    }));
  }

  private CompletionStage<Map<TopicPartition, Object>> storedOffsets(Set<TopicPartition> assigned) {
    return tables
        .offsets(settings.consumerGroup())
        .thenApply(
            stored -> {
              Map<TopicPartition, Object> seek = new HashMap<>();
              for (TopicPartition tp : assigned) {
                Long next = stored.get(tp.partition());
                if (next != null) {
                  seek.put(tp, next);
                }
              }
              log.info("studio partitions assigned {}, resuming at {}", assigned, seek);
              return seek;
            });
  }

  /** A batch whose row writes are sent; {@code offset} completes when its offset is stored. */
  private record Written(
      List<PartitionAggregator.Record> records, CompletableFuture<Void> offset) {}

  /** A row with writes in flight: its newest copy and how many writes. */
  private record Pinned(StudioRow row, int writes) {}

  /** One assigned partition's consumer: its rows in memory, loaded on first touch. */
  private final class PartitionState {
    private final int partition;
    private final Map<RowKey, StudioRow> rows;
    private final Map<String, String> creators;
    // rows with a write in flight (their newest copy) and how many: never reloaded while here
    private final Map<RowKey, Pinned> inFlight = new ConcurrentHashMap<>();
    private CompletableFuture<Void> lastOffset = CompletableFuture.completedFuture(null);

    PartitionState(int partition) {
      this.partition = partition;
      int max = settings.cachedRows();
      this.rows =
          new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<RowKey, StudioRow> eldest) {
              return size() > max;
            }
          };
      this.creators =
          new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > max;
            }
          };
    }

    /**
     * Aggregates {@code batch} into the rows and sends their writes; done once they are sent (not
     * written), with the batch's offset write chained after them and after the previous batch's.
     */
    CompletionStage<Written> aggregate(List<ConsumerRecord<String, byte[]>> batch) {
      List<PartitionAggregator.Record> records = new ArrayList<>(batch.size());
      for (ConsumerRecord<String, byte[]> record : batch) {
        try {
          records.add(
              new PartitionAggregator.Record(
                  record.offset(), Interaction.parseFrom(record.value())));
        } catch (InvalidProtocolBufferException e) {
          log.warn("skipping an unreadable interaction at {}@{}", partition, record.offset());
        }
      }
      long nextOffset = batch.get(batch.size() - 1).offset() + 1;
      List<List<RowKey>> keys = new ArrayList<>(records.size());
      return resolveCreators(records)
          .thenCompose(
              done -> {
                keys.addAll(PartitionAggregator.rowsOf(records, creators));
                return loadRows(keys);
              })
          .thenApply(
              done -> {
                Map<RowKey, StudioRow> touched = new HashMap<>();
                for (List<RowKey> ofRecord : keys) {
                  for (RowKey key : ofRecord) {
                    touched.put(key, rows.get(key));
                  }
                }
                Set<RowKey> changed = PartitionAggregator.apply(records, keys, touched);
                Instant now = Instant.now();
                List<CompletableFuture<Void>> writes = new ArrayList<>(changed.size());
                for (RowKey key : changed) {
                  StudioRow row = touched.get(key);
                  inFlight.merge(key, new Pinned(row, 1), (a, b) -> new Pinned(row, a.writes + 1));
                  writes.add(
                      tables
                          .write(key, partition, row, now)
                          .toCompletableFuture()
                          .whenComplete((ok, failed) -> unpin(key)));
                }
                CompletableFuture<Void> rowsWritten =
                    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
                // the offset after this batch's rows and after every earlier batch's offset
                CompletableFuture<Void> offset =
                    rowsWritten
                        .thenCombine(lastOffset, (a, b) -> (Void) null)
                        .thenCompose(
                            ready ->
                                tables
                                    .saveOffset(settings.consumerGroup(), partition, nextOffset)
                                    .toCompletableFuture());
                lastOffset = offset;
                return new Written(records, offset);
              });
    }

    /** Done when the batch's rows and offset are stored. */
    CompletionStage<Done> stored(Written batch) {
      return batch
          .offset()
          .thenApply(
              done -> {
                aggregated.inc(batch.records().size());
                if (!batch.records().isEmpty()) {
                  long newest =
                      batch.records().get(batch.records().size() - 1).event().getAtEpochMs();
                  eventAge
                      .labelValues(String.valueOf(partition))
                      .set(Math.max(0, System.currentTimeMillis() - newest) / 1000.0);
                }
                return Done.getInstance();
              });
    }

    private void unpin(RowKey key) {
      inFlight.computeIfPresent(
          key, (k, p) -> p.writes <= 1 ? null : new Pinned(p.row, p.writes - 1));
    }

    /** Learns the creators events name (stored once per video), looks up those they do not. */
    private CompletionStage<Void> resolveCreators(List<PartitionAggregator.Record> records) {
      List<CompletableFuture<Void>> work = new ArrayList<>();
      Set<String> asked = new LinkedHashSet<>();
      Map<String, String> looked = new ConcurrentHashMap<>();
      for (PartitionAggregator.Record r : records) {
        Interaction e = r.event();
        if (!PartitionAggregator.counts(e)) {
          continue;
        }
        String video = e.getVideoId();
        if (!e.getCreatorId().isEmpty()) {
          if (!e.getCreatorId().equals(creators.put(video, e.getCreatorId()))) {
            work.add(tables.saveCreator(video, e.getCreatorId()).toCompletableFuture());
          }
        } else if (!creators.containsKey(video) && asked.add(video)) {
          work.add(
              tables
                  .creatorOf(video)
                  .thenAccept(found -> found.ifPresent(c -> looked.put(video, c)))
                  .toCompletableFuture());
        }
      }
      // lookups complete on the driver's threads: taken in once all are done (as loadRows does)
      return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new))
          .thenRun(() -> creators.putAll(looked));
    }

    private CompletionStage<Void> loadRows(List<List<RowKey>> keys) {
      Set<RowKey> missing = new LinkedHashSet<>();
      for (List<RowKey> ofRecord : keys) {
        for (RowKey key : ofRecord) {
          if (!rows.containsKey(key)) {
            missing.add(key);
          }
        }
      }
      List<CompletableFuture<Void>> loads = new ArrayList<>(missing.size());
      Map<RowKey, StudioRow> loaded = new ConcurrentHashMap<>();
      for (RowKey key : missing) {
        Pinned pinned = inFlight.get(key);
        if (pinned != null) {
          rows.put(key, pinned.row); // evicted while its write is in flight: the newest copy
          continue;
        }
        loads.add(
            tables
                .read(key, partition)
                .thenAccept(row -> loaded.put(key, row))
                .toCompletableFuture());
      }
      // the reads complete on the driver's threads at once: they fill a concurrent map, and the
      // rows (not thread-safe) take them in when all are done
      return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new))
          .thenRun(() -> rows.putAll(loaded));
    }
  }
}
