package io.flick.video.catalog;

import io.flick.common.kafka.KafkaSend;
import io.flick.proto.events.VideoCatalogEntry;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the public {@code videos} topic (compacted, keyed by video id): a video becomes
 * recommendable once published here as READY and never again once published as removed. A write
 * completes once Kafka has it, so the transcode pipeline commits its offset only after. A READY
 * entry carries the video's content vector when it has one, for every node's recommender.
 */
public final class VideoCatalog {
  public static final String TOPIC = "videos";

  private final Producer<String, byte[]> producer;

  public VideoCatalog(Producer<String, byte[]> producer) {
    this.producer = producer;
  }

  public CompletionStage<Void> ready(
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      long createdAtMs,
      long durationMs,
      List<Float> content) {
    VideoCatalogEntry.Builder entry =
        VideoCatalogEntry.newBuilder()
            .setVideoId(videoId)
            .setCreatorId(creatorId)
            .addAllHashtags(hashtags)
            .setCreatedAtEpochMs(createdAtMs)
            .setReadyAtEpochMs(System.currentTimeMillis())
            .setDurationMs(durationMs)
            .addAllContent(content);
    if (soundId != null) {
      entry.setSoundId(soundId);
    }
    return send(entry.build());
  }

  public CompletionStage<Void> removed(String videoId) {
    return send(VideoCatalogEntry.newBuilder().setVideoId(videoId).setRemoved(true).build());
  }

  private CompletionStage<Void> send(VideoCatalogEntry entry) {
    return KafkaSend.send(
            producer, new ProducerRecord<>(TOPIC, entry.getVideoId(), entry.toByteArray()))
        .thenApply(metadata -> null);
  }
}
