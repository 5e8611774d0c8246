package io.flick.common.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The one way a Flick stream consumes a Kafka topic: protobuf bytes keyed by string, a consumer
 * group that starts from the earliest offset when it has none, the whole stream (consumer to
 * committer) restarted with backoff on any failure — so it resumes from the committed offsets — and
 * stopped at CoordinatedShutdown's service-stop phase.
 */
public final class KafkaConsumerStream {
  private KafkaConsumerStream() {}

  /** Consumer settings of group {@code groupId}; the caller adds what its stream needs. */
  public static ConsumerSettings<String, byte[]> settings(
      ActorSystem<?> system, String bootstrapServers, String groupId) {
    return ConsumerSettings.create(system, new StringDeserializer(), new ByteArrayDeserializer())
        .withBootstrapServers(bootstrapServers)
        .withGroupId(groupId)
        .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
  }

  /**
   * Runs the stream {@code create} makes, making a new one after each failure (after backoff),
   * until the node stops; {@code onRestart} runs before each new one (a metric).
   */
  public static <T> UniqueKillSwitch run(
      ActorSystem<?> system,
      String name,
      RestartSettings restart,
      Runnable onRestart,
      Supplier<Source<T, ?>> create) {
    AtomicBoolean started = new AtomicBoolean();
    UniqueKillSwitch killSwitch =
        RestartSource.onFailuresWithBackoff(
                restart,
                () -> {
                  if (started.getAndSet(true)) {
                    onRestart.run();
                  }
                  return create.get();
                })
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.ignore(), Keep.left())
            .run(system);
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "stop-" + name,
            () -> {
              killSwitch.shutdown();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    return killSwitch;
  }
}
