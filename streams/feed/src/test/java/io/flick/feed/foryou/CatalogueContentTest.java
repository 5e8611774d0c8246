package io.flick.feed.foryou;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.feed.rank.Recommender;
import io.flick.feed.rank.RecommenderParams;
import io.flick.proto.events.VideoCatalogEntry;
import io.flick.video.catalog.VideoCatalog;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The content vector a READY video is published with on {@code videos} reaches the recommender's
 * {@code VideoInfo}, the one the ranker reads (the same path the offline eval's item features
 * take).
 */
class CatalogueContentTest {
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
  private final VideoCatalog catalog = new VideoCatalog(producer);
  private final Recommender recommender = new Recommender(RecommenderParams.defaults());

  private void consumeAll() throws Exception {
    for (var record : producer.history()) {
      FeedModelStream.catalogue(recommender, VideoCatalogEntry.parseFrom(record.value()));
    }
    producer.clear();
  }

  @Test
  void theContentVectorPublishedAtReadyIsTheOneTheRecommenderRanksWith() throws Exception {
    catalog
        .ready("v1", "alice", List.of("cats"), null, 1_000, 15_000, List.of(0.6f, -0.8f, 0f))
        .toCompletableFuture()
        .join();
    consumeAll();
    assertThat(recommender.isAvailable("v1")).isTrue();
    assertThat(recommender.info("v1").content()).containsExactly(0.6f, -0.8f, 0f);
    assertThat(recommender.info("v1").hashtags()).containsExactly("cats");
  }

  @Test
  void aVideoWithoutAVectorIsPublishedWithNone() throws Exception {
    catalog
        .ready("v2", "bob", List.of(), "s1", 1_000, 15_000, List.of())
        .toCompletableFuture()
        .join();
    consumeAll();
    assertThat(recommender.isAvailable("v2")).isTrue();
    assertThat(recommender.info("v2").content()).isNull();
  }

  @Test
  void aRemovedVideoIsWithdrawn() throws Exception {
    catalog
        .ready("v3", "bob", List.of(), null, 1_000, 15_000, List.of(1f))
        .toCompletableFuture()
        .join();
    catalog.removed("v3").toCompletableFuture().join();
    consumeAll();
    assertThat(recommender.isAvailable("v3")).isFalse();
  }
}
