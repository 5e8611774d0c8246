package io.flick.feed.interactions;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flick.proto.events.Interaction;
import io.flick.user.SocialService;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * preference profile the For You feed ranks with. At-least-once; the UserActor ignores a
 * redelivered watch or share.
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
                        .mapAsync(1, this::apply)
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
    return Source.from(messages)
        .mapAsyncUnordered(settings.askParallelism(), m -> learn(m.record().value()))
        .runWith(Sink.ignore(), system)
        .thenApply(done -> offsets);
  }

  private CompletionStage<Done> learn(byte[] value) {
    Interaction event;
    try {
      event = Interaction.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    if (event.getUserId().isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    Optional<String> sound = Optional.of(event.getSoundId()).filter(s -> !s.isEmpty());
    Instant at = Instant.ofEpochMilli(event.getAtEpochMs());
    CompletionStage<Done> learned =
        switch (event.getKind()) {
          case VIEW ->
              social.recordWatch(
                  event.getUserId(),
                  event.getVideoId(),
                  event.getCreatorId(),
                  event.getHashtagsList(),
                  sound,
                  event.getWatchMs(),
                  event.getDurationMs(),
                  event.getCompleted(),
                  at);
          case SHARE ->
              social.recordShare(
                  event.getUserId(),
                  event.getVideoId(),
                  event.getCreatorId(),
                  event.getHashtagsList(),
                  sound,
                  at);
          default -> CompletableFuture.completedFuture(Done.getInstance());
        };
    // an unknown or deleted user must not stall the stream
    return learned.exceptionally(
        error -> {
          log.debug("profile update skipped for {}: {}", event.getUserId(), error.toString());
          return Done.getInstance();
        });
  }
}
