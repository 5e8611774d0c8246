package io.flick.video.counters;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flick.common.kafka.InteractionStreamSettings;
import io.flick.common.kafka.KafkaConsumerStream;
import io.flick.common.kafka.StreamMetrics;
import io.flick.common.writeback.InFlight;
import io.flick.proto.events.Interaction;
import io.flick.video.CountDeltas;
import io.flick.video.VideoCommand;
import io.flick.video.VideoService;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.kafka.CommitterSettings;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.ConsumerMessage.CommittableMessage;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Committer;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow 4's write-back counters: {@code interactions} → batches → one {@code ApplyCounts} per video
 * and partition per batch (asked, with bounded parallelism) → offsets committed only after every
 * VideoActor of the batch has flushed what it was given. The actor persists at most one counter
 * event per flush interval, with the offsets it covers, so a crash anywhere replays exactly the
 * events not yet counted.
 */
public final class VideoCounterStream {
  private static final Logger log = LoggerFactory.getLogger(VideoCounterStream.class);

  /** The events of one video from one partition in a batch, in offset order. */
  record VideoBatch(String videoId, int partition, List<Counted> events) {
    long fromOffset() {
      return events.get(0).offset();
    }

    long toOffset() {
      return events.get(events.size() - 1).offset();
    }

    /** The sum of the events without ids. */
    CountDeltas deltas() {
      return events.stream()
          .filter(e -> e.eventId() == null)
          .map(Counted::delta)
          .reduce(CountDeltas.ZERO, CountDeltas::plus);
    }

    /** The events with ids, each counted once by the VideoActor whatever offsets it arrives at. */
    List<CountDeltas.Identified> identified() {
      return events.stream()
          .filter(e -> e.eventId() != null)
          .map(e -> new CountDeltas.Identified(e.eventId(), e.delta()))
          .toList();
    }

    /** The part of this batch after what the VideoActor already counted (a re-cut redelivery). */
    Optional<VideoBatch> after(long countedThrough) {
      List<Counted> rest = events.stream().filter(e -> e.offset() > countedThrough).toList();
      return rest.isEmpty()
          ? Optional.empty()
          : Optional.of(new VideoBatch(videoId, partition, rest));
    }
  }

  /** One event: {@code eventId} is null unless it may be repeated (see {@link #identityOf}). */
  record Counted(long offset, CountDeltas delta, String eventId) {
    Counted(long offset, CountDeltas delta) {
      this(offset, delta, null);
    }
  }

  /**
   * Where a batch is counted: {@link VideoService#applyCounts} (an interface so a test can answer).
   */
  @FunctionalInterface
  interface Counts {
    CompletionStage<Done> apply(
        String videoId,
        int partition,
        long fromOffset,
        long toOffset,
        long previousThrough,
        CountDeltas deltas,
        List<CountDeltas.Identified> identified);
  }

  private final ActorSystem<?> system;
  private final InteractionStreamSettings settings;
  private final VideoService videos;
  private final String bootstrapServers;
  private final Counter counted;
  private final Counter restarts;
  private final StreamMetrics stream;

  public VideoCounterStream(
      ActorSystem<?> system,
      InteractionStreamSettings settings,
      VideoService videos,
      String bootstrapServers,
      PrometheusRegistry registry) {
    this.system = system;
    this.settings = settings;
    this.videos = videos;
    this.bootstrapServers = bootstrapServers;
    this.counted =
        Counter.builder()
            .name("flick_interactions_counted_total")
            .help("Interaction events applied to VideoActor counters")
            .register(registry);
    this.stream = StreamMetrics.of(registry);
    this.restarts =
        Counter.builder()
            .name("flick_interactions_counter_stream_restarts_total")
            .help("Times the counter stream failed and restarted from its committed offsets")
            .register(registry);
  }

  public UniqueKillSwitch start() {
    ConsumerSettings<String, byte[]> consumerSettings =
        KafkaConsumerStream.settings(system, bootstrapServers, settings.countersGroup())
            .withProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    CommitterSettings committerSettings = CommitterSettings.create(system);
    String name = "video-counter-stream";
    return KafkaConsumerStream.run(
        system,
        name,
        settings.restart(),
        () -> {
          restarts.inc();
          stream.restarted(name);
        },
        () -> {
          InFlight inFlight = new InFlight();
          return Consumer.committableSource(
                  consumerSettings, Subscriptions.topics(settings.topic()))
              .via(stream.count(name, "consumed"))
              .groupedWithin(settings.batchSize(), settings.batchWindow())
              .mapAsync(
                  settings.batchesInFlight(),
                  stream.inFlight(name, "apply-batch", messages -> apply(messages, inFlight)))
              .via(stream.count(name, "batches-applied"))
              .via(Committer.batchFlow(committerSettings));
        });
  }

  private CompletionStage<ConsumerMessage.CommittableOffsetBatch> apply(
      List<CommittableMessage<String, byte[]>> messages, InFlight inFlight) {
    Map<String, VideoBatch> batches =
        aggregate(messages.stream().map(CommittableMessage::record).toList());
    ConsumerMessage.CommittableOffsetBatch offsets =
        ConsumerMessage.createCommittableOffsetBatch(
            messages.stream()
                .map(m -> (ConsumerMessage.Committable) m.committableOffset())
                .toList());
    // Every ask of this batch is sent now, before the next batch's: a video's batches then reach
    // it in offset order (one sender, one shard region), which the previousThrough check relies
    // on. Asks in flight stay bounded: at most batch-size per batch, batches-in-flight batches.
    List<CompletableFuture<Done>> asks = new ArrayList<>(batches.size());
    for (VideoBatch batch : batches.values()) {
      CompletableFuture<Done> outcome = new CompletableFuture<>();
      Optional<InFlight.Sent> previous =
          inFlight.sent(batch.videoId() + "/" + batch.partition(), batch.toOffset(), outcome);
      asks.add(InFlight.completing(outcome, applyBatch(videos::applyCounts, batch, previous)));
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              counted.inc(messages.size());
              return offsets;
            });
  }

  /**
   * Asks the batch's VideoActor to count it. An overlap (a redelivery cut differently from what was
   * counted) is answered by sending the uncounted rest, as following what the actor said it covers:
   * if the actor loses that before the rest arrives (its flush failed and a new incarnation counted
   * less), the rest is refused as a gap and the stream redelivers, instead of counting the rest
   * past the lost offsets. A gap (the VideoActor has not got the batch before this one) is
   * answered, once, by waiting for that batch's own outcome and sending this one again: after a
   * restart, the first batch of a video may be refused as overlapping and its rest sent behind this
   * one, so the rest arrives after it. If the batch before failed, this one fails with it and the
   * stream redelivers both.
   */
  static CompletionStage<Done> applyBatch(
      Counts counts, VideoBatch batch, Optional<InFlight.Sent> previous) {
    return applyBatch(
        counts,
        batch,
        previous.map(InFlight.Sent::through).orElse(VideoCommand.NO_PREVIOUS),
        previous,
        true);
  }

  private static CompletionStage<Done> applyBatch(
      Counts counts,
      VideoBatch batch,
      long previousThrough,
      Optional<InFlight.Sent> previous,
      boolean mayWaitForPrevious) {
    return counts
        .apply(
            batch.videoId(),
            batch.partition(),
            batch.fromOffset(),
            batch.toOffset(),
            previousThrough,
            batch.deltas(),
            batch.identified())
        .exceptionallyCompose(
            error -> {
              Throwable cause = InFlight.cause(error);
              if (cause instanceof VideoService.CountsOverlapException overlap) {
                long covered = overlap.countedThrough();
                return batch
                    .after(covered)
                    .map(
                        rest ->
                            applyBatch(
                                counts,
                                rest,
                                Math.max(previousThrough, covered),
                                previous,
                                mayWaitForPrevious))
                    .orElseGet(() -> CompletableFuture.completedFuture(Done.getInstance()));
              }
              return InFlight.retryAfterGap(
                      cause,
                      previous.stream().toList(),
                      mayWaitForPrevious,
                      () -> applyBatch(counts, batch, previousThrough, previous, false))
                  .orElseGet(() -> CompletableFuture.failedFuture(cause));
            });
  }

  /**
   * Each video's events per partition, once per offset and in offset order; unreadable records are
   * logged and skipped. A batch can hold a partition's records twice: when a rebalance takes a
   * partition away and gives it back to this consumer, Kafka fetches it again from the committed
   * offset while records fetched before are still on their way, so the offsets go back within the
   * stream. Summed as they came, such a batch would carry the repeated events' counts under a range
   * that starts after them, and the VideoActor would count them twice.
   */
  static Map<String, VideoBatch> aggregate(List<ConsumerRecord<String, byte[]>> records) {
    Map<String, TreeMap<Long, Counted>> events = new LinkedHashMap<>();
    Map<String, String> videoOf = new HashMap<>();
    Map<String, Integer> partitionOf = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      Interaction event;
      try {
        event = Interaction.parseFrom(record.value());
      } catch (InvalidProtocolBufferException e) {
        log.warn(
            "skipping an unreadable interaction at {}-{}@{}",
            record.topic(),
            record.partition(),
            record.offset());
        continue;
      }
      String key = event.getVideoId() + "/" + record.partition();
      events
          .computeIfAbsent(key, x -> new TreeMap<>())
          .putIfAbsent(
              record.offset(), new Counted(record.offset(), deltaOf(event), identityOf(event)));
      videoOf.putIfAbsent(key, event.getVideoId());
      partitionOf.putIfAbsent(key, record.partition());
    }
    Map<String, VideoBatch> batches = new LinkedHashMap<>();
    events.forEach(
        (key, list) ->
            batches.put(
                key,
                new VideoBatch(
                    videoOf.get(key), partitionOf.get(key), List.copyOf(list.values()))));
    return batches;
  }

  /**
   * The id a like or comment event is counted once by: their outbox projections publish at least
   * once, repeating an event under the same id after a restart. Views and shares come from requests
   * (one record each, idempotent producer), so their offsets alone make them count once.
   */
  static String identityOf(Interaction event) {
    return switch (event.getKind()) {
      case LIKE, UNLIKE, COMMENT, COMMENT_DELETED ->
          event.getEventId().isEmpty() ? null : event.getEventId();
      default -> null;
    };
  }

  static CountDeltas deltaOf(Interaction event) {
    return switch (event.getKind()) {
      // a repeated view (same viewer, same video, within the window) is not counted again
      case VIEW ->
          event.getRepeat()
              ? CountDeltas.ZERO
              : new CountDeltas(
                  1, 0, 0, 0, Math.max(0, event.getWatchMs()), event.getCompleted() ? 1 : 0);
      case LIKE -> new CountDeltas(0, 1, 0, 0, 0, 0);
      case UNLIKE -> new CountDeltas(0, -1, 0, 0, 0, 0);
      case SHARE -> new CountDeltas(0, 0, 0, 1, 0, 0);
      case COMMENT -> new CountDeltas(0, 0, 1, 0, 0, 0);
      case COMMENT_DELETED -> new CountDeltas(0, 0, -1, 0, 0, 0);
      default -> CountDeltas.ZERO;
    };
  }
}
