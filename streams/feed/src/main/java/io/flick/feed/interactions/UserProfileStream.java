package io.flick.feed.interactions;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flick.proto.events.Interaction;
import io.flick.user.SocialService;
import io.flick.user.UserActor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.kafka.CommitterSettings;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.ConsumerMessage.CommittableMessage;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Committer;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teaches each viewer's UserActor from what they watched and shared (likes reach it directly): the
 * preference profile the For You feed ranks with. One {@code LearnSignals} per user per batch; the
 * UserActor persists what it learned at most once per flush interval and answers after that write,
 * and offsets are committed only when every user of the batch has answered. At-least-once; the
 * UserActor ignores a redelivered watch or share.
 */
public final class UserProfileStream {
  private static final Logger log = LoggerFactory.getLogger(UserProfileStream.class);

  private final ActorSystem<?> system;
  private final InteractionStreamSettings settings;
  private final SocialService social;
  private final String bootstrapServers;

  public UserProfileStream(
      ActorSystem<?> system,
      InteractionStreamSettings settings,
      SocialService social,
      String bootstrapServers) {
    this.system = system;
    this.settings = settings;
    this.social = social;
    this.bootstrapServers = bootstrapServers;
  }

  public UniqueKillSwitch start() {
    ConsumerSettings<String, byte[]> consumerSettings =
        ConsumerSettings.create(system, new StringDeserializer(), new ByteArrayDeserializer())
            .withBootstrapServers(bootstrapServers)
            .withGroupId(settings.profilesGroup())
            .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    UniqueKillSwitch killSwitch =
        RestartSource.onFailuresWithBackoff(
                settings.restart(),
                () ->
                    Consumer.committableSource(
                            consumerSettings, Subscriptions.topics(InteractionPublisher.TOPIC))
                        .groupedWithin(settings.batchSize(), settings.batchWindow())
                        // replies come after the UserActors' next flush: keep several batches going
                        .mapAsync(settings.batchesInFlight(), this::apply)
                        .via(Committer.batchFlow(CommitterSettings.create(system))))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.ignore(), Keep.left())
            .run(system);
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "stop-user-profile-stream",
            () -> {
              killSwitch.shutdown();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    return killSwitch;
  }

  private CompletionStage<ConsumerMessage.CommittableOffsetBatch> apply(
      List<CommittableMessage<String, byte[]>> messages) {
    ConsumerMessage.CommittableOffsetBatch offsets =
        ConsumerMessage.createCommittableOffsetBatch(
            messages.stream()
                .map(m -> (ConsumerMessage.Committable) m.committableOffset())
                .toList());
    return Source.from(byUser(messages.stream().map(m -> m.record().value()).toList()).entrySet())
        .mapAsyncUnordered(settings.askParallelism(), user -> learn(user.getKey(), user.getValue()))
        .runWith(Sink.ignore(), system)
        .thenApply(done -> offsets);
  }

  /**
   * The batch's watches and shares per user, in offset order; anonymous, unreadable and other
   * events are left out.
   */
  static Map<String, List<UserActor.Signal>> byUser(List<byte[]> values) {
    Map<String, List<UserActor.Signal>> signals = new LinkedHashMap<>();
    for (byte[] value : values) {
      Interaction event;
      try {
        event = Interaction.parseFrom(value);
      } catch (InvalidProtocolBufferException e) {
        continue;
      }
      if (event.getUserId().isEmpty()) {
        continue;
      }
      Optional<String> sound = Optional.of(event.getSoundId()).filter(s -> !s.isEmpty());
      Instant at = Instant.ofEpochMilli(event.getAtEpochMs());
      UserActor.Signal signal =
          switch (event.getKind()) {
            case VIEW ->
                UserActor.Signal.watch(
                    event.getVideoId(),
                    event.getCreatorId(),
                    event.getHashtagsList(),
                    sound,
                    event.getWatchMs(),
                    event.getDurationMs(),
                    event.getCompleted(),
                    at);
            case SHARE ->
                UserActor.Signal.share(
                    event.getVideoId(), event.getCreatorId(), event.getHashtagsList(), sound, at);
            default -> null;
          };
      if (signal != null) {
        signals.computeIfAbsent(event.getUserId(), u -> new ArrayList<>()).add(signal);
      }
    }
    return signals;
  }

  /**
   * One ask per user per batch; it completes once the UserActor has persisted them. A user that
   * does not exist (never registered, or deleted) is skipped so it cannot stall the stream; any
   * other failure (a timed-out ask, a journal failure) fails the batch: its offsets stay
   * uncommitted, the stream restarts with backoff and Kafka delivers the batch again (a redelivered
   * signal is learned once: the UserActor drops the recent signals it has already learned).
   */
  private CompletionStage<Done> learn(String userId, List<UserActor.Signal> signals) {
    return social
        .learnSignals(userId, signals)
        .exceptionallyCompose(
            error -> {
              Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
              if (cause instanceof SocialService.UnknownUserException) {
                log.debug("profile update skipped for unknown user {}", userId);
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              return CompletableFuture.failedFuture(cause);
            });
  }
}
