package io.flick.user.profile;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flick.common.kafka.InteractionStreamSettings;
import io.flick.common.kafka.KafkaConsumerStream;
import io.flick.common.kafka.StreamMetrics;
import io.flick.common.writeback.InFlight;
import io.flick.proto.events.Interaction;
import io.flick.user.Signal;
import io.flick.user.SocialService;
import io.flick.user.UserCommand;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * Teaches each viewer's UserActor from what they watched and shared (likes reach it directly): the
 * preference profile the For You feed ranks with. One {@code LearnSignals} per user per batch, each
 * signal with its partition and offset; the UserActor persists what it learned at most once per
 * flush interval, with the offsets it covers, and answers after that write, and offsets are
 * committed only when every user of the batch has answered. Exactly once: a redelivered signal is
 * at or below the offset its UserActor learned through, and a batch whose predecessor was lost in a
 * stopped UserActor is refused (see {@link InFlight}), so the stream redelivers both.
 */
public final class UserProfileStream {
  private static final Logger log = LoggerFactory.getLogger(UserProfileStream.class);

  private final ActorSystem<?> system;
  private final InteractionStreamSettings settings;
  private final SocialService social;
  private final String bootstrapServers;
  private final StreamMetrics stream;

  public UserProfileStream(
      ActorSystem<?> system,
      InteractionStreamSettings settings,
      SocialService social,
      String bootstrapServers,
      PrometheusRegistry registry) {
    this.system = system;
    this.settings = settings;
    this.social = social;
    this.bootstrapServers = bootstrapServers;
    this.stream = StreamMetrics.of(registry);
  }

  public UniqueKillSwitch start() {
    ConsumerSettings<String, byte[]> consumerSettings =
        KafkaConsumerStream.settings(system, bootstrapServers, settings.profilesGroup());
    String name = "user-profile-stream";
    return KafkaConsumerStream.run(
        system,
        name,
        settings.restart(),
        () -> stream.restarted(name),
        () -> {
          InFlight inFlight = new InFlight();
          return Consumer.committableSource(
                  consumerSettings, Subscriptions.topics(settings.topic()))
              .via(stream.count(name, "consumed"))
              .groupedWithin(settings.batchSize(), settings.batchWindow())
              // replies come after the UserActors' next flush: keep several batches going
              .mapAsync(
                  settings.batchesInFlight(),
                  stream.inFlight(name, "learn-batch", messages -> apply(messages, inFlight)))
              .via(stream.count(name, "batches-learned"))
              .via(Committer.batchFlow(CommitterSettings.create(system)));
        });
  }

  private CompletionStage<ConsumerMessage.CommittableOffsetBatch> apply(
      List<CommittableMessage<String, byte[]>> messages, InFlight inFlight) {
    ConsumerMessage.CommittableOffsetBatch offsets =
        ConsumerMessage.createCommittableOffsetBatch(
            messages.stream()
                .map(m -> (ConsumerMessage.Committable) m.committableOffset())
                .toList());
    // Every ask of this batch is sent now, before the next batch's: a user's batches then reach
    // its UserActor in offset order, which the previousThrough check relies on.
    Map<String, List<UserCommand.SignalAt>> users =
        byUser(messages.stream().map(CommittableMessage::record).toList());
    List<CompletableFuture<Done>> asks = new ArrayList<>(users.size());
    users.forEach(
        (userId, signals) -> {
          CompletableFuture<Done> outcome = new CompletableFuture<>();
          Map<Integer, InFlight.Sent> previous = new HashMap<>();
          throughByPartition(signals)
              .forEach(
                  (partition, through) ->
                      inFlight
                          .sent(userId + "/" + partition, through, outcome)
                          .ifPresent(sent -> previous.put(partition, sent)));
          asks.add(InFlight.completing(outcome, learn(userId, signals, previous, true)));
        });
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(done -> offsets);
  }

  private static Map<Integer, Long> throughByPartition(List<UserCommand.SignalAt> signals) {
    Map<Integer, Long> through = new HashMap<>();
    signals.forEach(s -> through.merge(s.partition(), s.offset(), Math::max));
    return through;
  }

  /**
   * The batch's watches and shares per user, in offset order; anonymous, unreadable and other
   * events are left out.
   */
  static Map<String, List<UserCommand.SignalAt>> byUser(
      List<ConsumerRecord<String, byte[]>> records) {
    Map<String, List<UserCommand.SignalAt>> signals = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      Interaction event;
      try {
        event = Interaction.parseFrom(record.value());
      } catch (InvalidProtocolBufferException e) {
        continue;
      }
      if (event.getUserId().isEmpty()) {
        continue;
      }
      Optional<String> sound = Optional.of(event.getSoundId()).filter(s -> !s.isEmpty());
      Instant at = Instant.ofEpochMilli(event.getAtEpochMs());
      Signal signal =
          switch (event.getKind()) {
            case VIEW ->
                Signal.watch(
                    event.getVideoId(),
                    event.getCreatorId(),
                    event.getHashtagsList(),
                    sound,
                    event.getWatchMs(),
                    event.getDurationMs(),
                    event.getCompleted(),
                    at);
            case SHARE ->
                Signal.share(
                    event.getVideoId(), event.getCreatorId(), event.getHashtagsList(), sound, at);
            default -> null;
          };
      if (signal != null) {
        signals
            .computeIfAbsent(event.getUserId(), u -> new ArrayList<>())
            .add(new UserCommand.SignalAt(record.partition(), record.offset(), signal));
      }
    }
    return signals;
  }

  /**
   * One ask per user per batch; it completes once the UserActor has persisted the signals (or had
   * nothing to learn: an unknown user, a redelivery). Any failure (a timed-out ask, a journal
   * failure) fails the batch: its offsets stay uncommitted, the stream restarts with backoff and
   * Kafka delivers the batch again. A gap (the UserActor has not got this user's previous batch
   * yet) is answered, once, by waiting for that batch's outcome and asking again.
   */
  private CompletionStage<Done> learn(
      String userId,
      List<UserCommand.SignalAt> signals,
      Map<Integer, InFlight.Sent> previous,
      boolean mayWaitForPrevious) {
    Map<Integer, Long> previousThrough = new HashMap<>();
    previous.forEach((partition, sent) -> previousThrough.put(partition, sent.through()));
    return social
        .learnSignals(userId, signals, previousThrough)
        .exceptionallyCompose(
            error -> {
              Throwable cause = InFlight.cause(error);
              return InFlight.retryAfterGap(
                      cause,
                      previous.values(),
                      mayWaitForPrevious,
                      () -> learn(userId, signals, previous, false))
                  .orElseGet(() -> CompletableFuture.failedFuture(cause));
            });
  }
}
