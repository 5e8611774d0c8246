package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flick.proto.events.VideoCatalogEntry;
import io.flick.video.catalog.VideoCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The For You and Trending feeds over real HTTP, on the real pipeline: videos reach every feed once
 * READY (through the {@code videos} topic), views reach trending and the ranker (through {@code
 * interactions}), nothing is served twice, and a deleted video disappears.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeedIT {
  @TempDir static Path clips;

  private static final Duration FEEDS = Duration.ofSeconds(60);
  private static ApiClient alice;
  private static ApiClient bob;
  private static final Map<String, String> creatorOf = new java.util.HashMap<>();

  @BeforeAll
  static void twoCreatorsWithTwoVideosEach() throws Exception {
    TestCluster cluster = TestCluster.get();
    alice = ApiClient.signedUp(cluster, "alice");
    bob = ApiClient.signedUp(cluster, "bob");
    byte[] clip = ApiClient.testClip(clips, 2);
    List<String> uploaded = new ArrayList<>();
    for (ApiClient creator : List.of(alice, bob, alice, bob)) {
      String id = creator.upload(clip, "video/mp4", "feed test #feeds");
      uploaded.add(id);
      creatorOf.put(id, creator.userId);
    }
    for (String id : uploaded) {
      assertThat(alice.awaitOutcome(id).get("status").asText()).isEqualTo("READY");
    }
  }

  private static List<String> ids(JsonNode page) {
    return StreamSupport.stream(page.get("items").spliterator(), false)
        .map(v -> v.get("id").asText())
        .toList();
  }

  @Test
  @Order(1)
  void anAnonymousViewerGetsTheNewVideosAtOnce() throws Exception {
    ApiClient anonymous = new ApiClient(TestCluster.get().baseUrl());
    JsonNode page =
        anonymous.awaitJson(
            "/api/v1/feed/foryou?limit=50", p -> ids(p).containsAll(creatorOf.keySet()), FEEDS);
    for (JsonNode video : page.get("items")) {
      assertThat(video.get("status").asText()).isEqualTo("READY");
      assertThat(video.get("hls").asText()).contains("/media/");
    }
  }

  @Test
  @Order(2)
  void aViewersFeedNeverRepeatsAVideoNorTheSameCreatorTwiceInARow() throws Exception {
    ApiClient viewer = ApiClient.signedUp(TestCluster.get(), "viewer");
    List<String> served = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      var response = viewer.get("/api/v1/feed/foryou?limit=2");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode page = viewer.json(response);
      for (JsonNode item : page.get("items")) {
        // the page says what the viewer likes (nothing yet), from the same UserActor answer
        assertThat(item.get("viewer").get("liked").asBoolean()).as("%s", item).isFalse();
      }
      served.addAll(ids(page));
      if (page.get("next").isNull()) {
        break;
      }
    }
    assertThat(new HashSet<>(served)).as("no video twice: %s", served).hasSameSizeAs(served);
    assertThat(served).containsAll(creatorOf.keySet());
    List<String> ours = served.stream().filter(creatorOf::containsKey).toList();
    for (int i = 1; i < served.size(); i++) {
      String previous = creatorOf.get(served.get(i - 1));
      if (previous != null) {
        assertThat(creatorOf.get(served.get(i)))
            .as("creator twice in a row in %s", ours)
            .isNotEqualTo(previous);
      }
    }
  }

  @Test
  @Order(3)
  void viewsMakeAVideoTrendingAndTeachTheRanker() throws Exception {
    String hot = creatorOf.keySet().iterator().next();
    for (int i = 0; i < 3; i++) {
      ApiClient viewer = ApiClient.signedUp(TestCluster.get(), "fan");
      var view =
          viewer.post("/api/v1/videos/" + hot + "/views", "{\"watchMs\":2000,\"completed\":true}");
      assertThat(view.statusCode()).as(view.body()).isEqualTo(202);
    }
    // other tests share the node and its trending list: judge among this test's videos only
    alice.awaitJson(
        "/api/v1/feed/trending?limit=50",
        p -> ids(p).stream().filter(creatorOf::containsKey).findFirst().orElse("").equals(hot),
        FEEDS);
    // the trainer publishes a version and this node installs it
    String metrics =
        alice.awaitBody(
            "/metrics",
            body ->
                body.lines()
                    .anyMatch(
                        l -> l.startsWith("flick_feed_model_version ") && !l.endsWith(" 0.0")),
            FEEDS);
    assertThat(metrics.lines().filter(l -> l.startsWith("flick_feed_model_version ")))
        .as(metrics)
        .singleElement()
        .satisfies(l -> assertThat(l).doesNotEndWith(" 0.0"));
    assertThat(metrics).contains("flick_feed_builds_total{path=\"ranked\"}");
    assertThat(metrics).contains("flick_feed_ranker_breaker_open 0");
  }

  @Test
  @Order(4)
  void aDeletedVideoLeavesEveryFeed() throws Exception {
    String gone =
        creatorOf.entrySet().stream()
            .filter(e -> e.getValue().equals(bob.userId))
            .findFirst()
            .orElseThrow()
            .getKey();
    assertThat(bob.delete("/api/v1/videos/" + gone).statusCode()).isEqualTo(204);
    ApiClient anonymous = new ApiClient(TestCluster.get().baseUrl());
    anonymous.awaitJson(
        "/api/v1/feed/foryou?limit=50", p -> !ids(p).contains(gone) && !ids(p).isEmpty(), FEEDS);
    assertThat(ids(anonymous.json(anonymous.get("/api/v1/feed/trending?limit=50"))))
        .doesNotContain(gone);
    ApiClient newcomer = ApiClient.signedUp(TestCluster.get(), "newcomer");
    Set<String> served = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      JsonNode page = newcomer.json(newcomer.get("/api/v1/feed/foryou?limit=5"));
      served.addAll(ids(page));
      if (page.get("next").isNull()) {
        break;
      }
    }
    assertThat(served).isNotEmpty().doesNotContain(gone);
  }

  /**
   * The transcode pipeline computed each video's content vector and the READY entry on {@code
   * videos} carries it: every node's recommender reads it from there into {@code VideoInfo}
   * (CatalogueContentTest covers that last step).
   */
  @Test
  void aReadyVideoIsPublishedWithItsContentVector() throws Exception {
    Map<String, VideoCatalogEntry> ready = new java.util.HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestCluster.get().endpoints().kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(VideoCatalog.TOPIC).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + FEEDS.toNanos();
      while (!ready.keySet().containsAll(creatorOf.keySet())) {
        assertThat(System.nanoTime()).as("READY entries on videos").isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          VideoCatalogEntry entry = VideoCatalogEntry.parseFrom(record.value());
          if (creatorOf.containsKey(entry.getVideoId()) && !entry.getRemoved()) {
            ready.putIfAbsent(entry.getVideoId(), entry);
          }
        }
      }
    }
    for (VideoCatalogEntry entry : ready.values()) {
      assertThat(entry.getContentList()).as(entry.getVideoId()).hasSizeGreaterThan(8);
      double norm = 0;
      for (float x : entry.getContentList()) {
        assertThat(Float.isFinite(x)).isTrue();
        norm += x * x;
      }
      assertThat(Math.sqrt(norm)).isBetween(0.999, 1.001);
    }
  }

  @Test
  void badFeedRequestsAreClear4xx() throws Exception {
    ApiClient anonymous = new ApiClient(TestCluster.get().baseUrl());
    var region = anonymous.get("/api/v1/feed/foryou?region=Germany");
    assertThat(region.statusCode()).isEqualTo(400);
    assertThat(region.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(region.body()).contains("ISO 3166");
    assertThat(anonymous.get("/api/v1/feed/trending?cursor=abc").statusCode()).isEqualTo(400);
    assertThat(anonymous.get("/api/v1/feed/foryou?limit=0").statusCode()).isEqualTo(400);
    ApiClient forged = new ApiClient(TestCluster.get().baseUrl());
    forged.token = "not-a-token";
    assertThat(forged.get("/api/v1/feed/foryou").statusCode()).isEqualTo(401);
  }
}
