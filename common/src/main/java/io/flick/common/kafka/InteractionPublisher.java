package io.flick.common.kafka;

import io.flick.proto.events.Interaction;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the public {@code interactions} events, keyed by video id so a video's events share one
 * partition (the counters rely on that). A write completes only once Kafka has it (the node's
 * producer is idempotent with acks=all), so a 202 means the interaction will be counted.
 */
public final class InteractionPublisher {
  public static final String TOPIC = "interactions";

  private final Producer<String, byte[]> producer;

  public InteractionPublisher(Producer<String, byte[]> producer) {
    this.producer = producer;
  }

  public CompletionStage<Void> publish(Interaction.Builder interaction) {
    if (interaction.getEventId().isEmpty()) {
      interaction.setEventId(UUID.randomUUID().toString());
    }
    if (interaction.getAtEpochMs() == 0) {
      interaction.setAtEpochMs(System.currentTimeMillis());
    }
    Interaction event = interaction.build();
    return KafkaSend.send(
            producer, new ProducerRecord<>(TOPIC, event.getVideoId(), event.toByteArray()))
        .thenApply(metadata -> null);
  }
}
