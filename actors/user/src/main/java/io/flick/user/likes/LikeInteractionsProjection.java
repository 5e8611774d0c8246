package io.flick.user.likes;

import io.flick.common.kafka.InteractionPublisher;
import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import io.flick.proto.events.Interaction;
import io.flick.user.UserActor;
import io.flick.user.UserEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Likes → the {@code interactions} topic, as an outbox: the UserActor journals a like or unlike
 * (the fact, answered to the user once written) and this projection publishes it, so a like is
 * counted even if Kafka is down when it is made, and nothing is ever undone.
 *
 * <p>At-least-once into Kafka, exactly-once in effect: a restart replays the events after the last
 * stored offset (at most {@code flick.projections.save-offset.after-envelopes} per tag) and
 * publishes them again with the same {@code event_id} (the journal's persistence id and sequence
 * number), which the VideoActor's counters drop as already counted.
 */
public final class LikeInteractionsProjection {
  public static final String NAME = "like-interactions";
  // a like carries no device: the user-agent is the request's, not the fact's
  private static final String DEVICE = "unknown";

  private LikeInteractionsProjection() {}

  /** Runs it over every UserActor's likes, on the nodes with the projections role. */
  public static void start(
      ActorSystem<?> system, InteractionPublisher interactions, ProjectionMetrics metrics) {
    ReadSide.start(
        system, NAME, UserActor.ENTITY_TYPE_KEY, () -> new LikesHandler(interactions), metrics);
  }

  static final class LikesHandler extends Handler<EventEnvelope<UserEvent>> {
    private final InteractionPublisher interactions;

    LikesHandler(InteractionPublisher interactions) {
      this.interactions = interactions;
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<UserEvent> envelope) {
      return interactionOf(envelope)
          .map(event -> interactions.publish(event).thenApply(v -> Done.getInstance()))
          .orElseGet(() -> CompletableFuture.completedFuture(Done.getInstance()));
    }
  }

  /** The public event of a like or unlike in the journal, with the id its position gives it. */
  static java.util.Optional<Interaction.Builder> interactionOf(EventEnvelope<UserEvent> envelope) {
    String eventId = envelope.persistenceId() + ":" + envelope.sequenceNr();
    if (envelope.event() instanceof UserEvent.Liked liked) {
      Interaction.Builder event =
          Interaction.newBuilder()
              .setEventId(eventId)
              .setKind(Interaction.Kind.LIKE)
              .setVideoId(liked.videoId())
              .setUserId(liked.userId())
              .setCreatorId(liked.creatorId())
              .addAllHashtags(liked.hashtags())
              .setSoundId(liked.soundId() == null ? "" : liked.soundId())
              .setDevice(DEVICE)
              .setAtEpochMs(liked.at().toEpochMilli());
      if (liked.region() != null) {
        event.setRegion(liked.region());
      }
      return java.util.Optional.of(event);
    }
    if (envelope.event() instanceof UserEvent.Unliked unliked) {
      return java.util.Optional.of(
          Interaction.newBuilder()
              .setEventId(eventId)
              .setKind(Interaction.Kind.UNLIKE)
              .setVideoId(unliked.videoId())
              .setUserId(unliked.userId())
              .setDevice(DEVICE)
              .setAtEpochMs(unliked.at().toEpochMilli()));
    }
    return java.util.Optional.empty();
  }
}
