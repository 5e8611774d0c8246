package io.flick.feed.foryou;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flick.common.kafka.InteractionPublisher;
import io.flick.common.kafka.KafkaConsumerStream;
import io.flick.common.kafka.StreamMetrics;
import io.flick.feed.rank.Recommender;
import io.flick.feed.rank.VideoInfo;
import io.flick.proto.events.Interaction;
import io.flick.proto.events.RankerModelVersion;
import io.flick.proto.events.VideoCatalogEntry;
import io.flick.video.catalog.VideoCatalog;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's {@link Recommender} current: the catalogue from {@code videos}, engagements
 * from {@code interactions} and ranker versions from {@code ranker-models}. The model is a cache of
 * those topics: each node reads them from the beginning under a group of its own and commits
 * nothing, so a restarted node rebuilds exactly what the others hold.
 */
public final class FeedModelStream {
  public static final String MODELS_TOPIC = "ranker-models";
  private static final Logger log = LoggerFactory.getLogger(FeedModelStream.class);

  private final ActorSystem<?> system;
  private final FeedSettings settings;
  private final Recommender recommender;
  private final String bootstrapServers;
  private final RestartSettings restart;
  private final java.util.concurrent.Executor learning;
  private final Counter applied;
  private final StreamMetrics stream;

  public FeedModelStream(
      ActorSystem<?> system,
      FeedSettings settings,
      Recommender recommender,
      String bootstrapServers,
      RestartSettings restart,
      PrometheusRegistry registry) {
    this.system = system;
    this.settings = settings;
    this.recommender = recommender;
    this.bootstrapServers = bootstrapServers;
    this.restart = restart;
    this.stream = StreamMetrics.of(registry);
    this.learning =
        system.dispatchers().lookup(DispatcherSelector.fromConfig("flick-feed-ranking-dispatcher"));
    this.applied =
        Counter.builder()
            .name("flick_feed_model_events_total")
            .help("events applied to this node's recommender, by topic")
            .labelNames("topic")
            .register(registry);
    GaugeWithCallback.builder()
        .name("flick_feed_model_version")
        .help("the ranker version this node scores with (0: none yet)")
        .callback(cb -> cb.call(recommender.modelVersion()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flick_feed_model_trained_examples")
        .help("examples the ranker this node scores with was trained on")
        .callback(cb -> cb.call(recommender.trainedExamples()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flick_feed_model_videos")
        .help("videos this node's recommender knows")
        .callback(cb -> cb.call(recommender.itemCount()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flick_feed_item_item_videos")
        .help("videos in this node's item-item table (0: none fitted yet)")
        .callback(cb -> cb.call(recommender.itemItem().fittedItems()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flick_feed_item_item_fit_seconds")
        .help("how long this node's last item-item table fit took")
        .callback(cb -> cb.call(recommender.itemItem().fitMillis() / 1e3))
        .register(registry);
  }

  /**
   * Refits the recommender's item-item table every {@code flick.feed.model.item-item.interval} on a
   * thread of its own (a fit is seconds of CPU: never on the ranking dispatcher), unless its weight
   * is 0. A fit still running when the next is due makes that one skip.
   */
  private void scheduleItemItemRefits() {
    if (settings.model().itemItemWeight() <= 0) {
      return;
    }
    java.util.concurrent.ScheduledExecutorService refits =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "flick-feed-item-item");
              thread.setDaemon(true);
              thread.setPriority(Thread.MIN_PRIORITY);
              return thread;
            });
    long every = settings.itemItemInterval().toMillis();
    refits.scheduleWithFixedDelay(
        () -> {
          try {
            recommender.refreshItemItem(1);
            log.info(
                "item-item table refitted: {} videos in {} ms",
                recommender.itemItem().fittedItems(),
                recommender.itemItem().fitMillis());
          } catch (RuntimeException | OutOfMemoryError e) {
            log.warn("item-item table refit failed; keeping the previous one", e);
          }
        },
        // a first table soon after start (the model is rebuilding from the topics meanwhile)
        Math.min(every, 60_000),
        every,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    system.getWhenTerminated().thenRun(refits::shutdownNow);
  }

  public UniqueKillSwitch start() {
    scheduleItemItemRefits();
    ConsumerSettings<String, byte[]> consumerSettings =
        // a group of its own: every node's recommender reads every event
        KafkaConsumerStream.settings(
                system, bootstrapServers, "flick-feed-model-" + UUID.randomUUID())
            .withProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
            // a ranker version is ~0.4 MB
            .withProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 << 20));
    String name = "feed-model-stream";
    return KafkaConsumerStream.run(
        system,
        name,
        restart,
        () -> stream.restarted(name),
        () ->
            Consumer.plainSource(
                    consumerSettings,
                    Subscriptions.topics(
                        VideoCatalog.TOPIC, InteractionPublisher.TOPIC, MODELS_TOPIC))
                .via(stream.count(name, "consumed"))
                .groupedWithin(settings.batchSize(), settings.batchWindow())
                // learning a batch is CPU work for tens of ms: off the stream's dispatcher
                .mapAsync(
                    1,
                    stream.inFlight(
                        name,
                        "learn-batch",
                        batch -> CompletableFuture.supplyAsync(() -> apply(batch), learning)))
                .via(stream.count(name, "batches-learned")));
  }

  private Done apply(List<ConsumerRecord<String, byte[]>> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        switch (record.topic()) {
          case VideoCatalog.TOPIC ->
              catalogue(recommender, VideoCatalogEntry.parseFrom(record.value()));
          case InteractionPublisher.TOPIC ->
              Engagements.from(Interaction.parseFrom(record.value())).ifPresent(recommender::learn);
          case MODELS_TOPIC -> install(RankerModelVersion.parseFrom(record.value()));
          default -> {}
        }
        applied.labelValues(record.topic()).inc();
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        // one bad event must not stop the feed from learning
        log.warn(
            "skipped {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            e.toString());
      }
    }
    return Done.getInstance();
  }

  /**
   * One {@code videos} entry into the recommender: the same {@link VideoInfo} the offline eval
   * builds from {@code --item-features}, content vector included when the entry has one.
   */
  static void catalogue(Recommender recommender, VideoCatalogEntry entry) {
    if (entry.getRemoved()) {
      recommender.withdraw(entry.getVideoId());
    } else {
      recommender.publish(
          new VideoInfo(
              entry.getVideoId(),
              entry.getCreatorId(),
              entry.getHashtagsList(),
              entry.getSoundId().isEmpty() ? null : entry.getSoundId(),
              entry.getReadyAtEpochMs(),
              content(entry)));
    }
  }

  private static float[] content(VideoCatalogEntry entry) {
    float[] vector = new float[entry.getContentCount()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = entry.getContent(i);
    }
    return vector; // empty: VideoInfo holds none
  }

  private void install(RankerModelVersion version) {
    if (recommender.install(ModelCodec.decode(version))) {
      log.info(
          "ranker version {} installed ({} training examples)",
          version.getVersion(),
          version.getTrainedExamples());
    }
  }
}
