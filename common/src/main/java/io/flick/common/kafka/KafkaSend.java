package io.flick.common.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** A producer send as a CompletionStage: completes once Kafka acknowledged the record. */
public final class KafkaSend {
  private KafkaSend() {}

  public static <K, V> CompletionStage<RecordMetadata> send(
      Producer<K, V> producer, ProducerRecord<K, V> record) {
    CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null) {
            sent.completeExceptionally(error);
          } else {
            sent.complete(metadata);
          }
        });
    return sent;
  }
}
