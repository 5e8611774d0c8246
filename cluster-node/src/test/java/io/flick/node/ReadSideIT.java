package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flick.common.kafka.InteractionPublisher;
import io.flick.node.infra.RedisDeadlineIndex;
import io.flick.proto.events.Interaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The read side over real Cassandra: views derived from the entities' journals by projections
 * converge on the facts, however the writes interleave and whenever the node stops.
 */
@Timeout(300)
class ReadSideIT {
  // eventsByTag reads 2 s behind the newest write, then the projection writes the view
  private static final Duration PROJECTED = Duration.ofSeconds(60);

  @TempDir static Path clips;

  /**
   * Fans follow and unfollow one creator concurrently, several times each: once the projection has
   * caught up, the creator's followers are exactly the fans whose last word was "follow".
   */
  @Test
  void followStormsEndWithTheCreatorsFollowersEqualToTheFollowRelations() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "storm");
    List<ApiClient> fans = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      fans.add(ApiClient.signedUp(cluster, "fan"));
    }
    String path = "/api/v1/users/" + creator.userId + "/follow";
    ExecutorService pool = Executors.newFixedThreadPool(fans.size());
    List<Future<Boolean>> lastWords = new ArrayList<>();
    for (int i = 0; i < fans.size(); i++) {
      ApiClient fan = fans.get(i);
      Random random = new Random(i);
      lastWords.add(
          pool.submit(
              () -> {
                boolean following = false;
                for (int op = 0; op < 6; op++) {
                  following = random.nextBoolean();
                  var response = following ? fan.post(path, "") : fan.delete(path);
                  assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                }
                return following;
              }));
    }
    Set<String> following = new HashSet<>();
    for (int i = 0; i < fans.size(); i++) {
      if (lastWords.get(i).get()) {
        following.add(fans.get(i).userId);
      }
    }
    pool.shutdown();

    JsonNode listed =
        creator.awaitJson(
            "/api/v1/users/" + creator.userId + "/followers",
            page -> ids(page).equals(following),
            PROJECTED);
    assertThat(ids(listed)).isEqualTo(following);
    JsonNode profile = creator.json(creator.get("/api/v1/users/" + creator.userId));
    assertThat(profile.get("counts").get("followers").asLong()).isEqualTo(following.size());
  }

  private static Set<String> ids(JsonNode page) {
    Set<String> ids = new HashSet<>();
    page.get("items").forEach(item -> ids.add(item.get("id").asText()));
    return ids;
  }

  /**
   * A follow written to the UserActor's journal right before the node stops (the projection has not
   * read it yet: it reads seconds behind) reaches the creator after the restart, once.
   */
  @Test
  void aFollowJournaledJustBeforeTheNodeStopsReachesTheCreatorAfterTheRestart() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "restart");
    ApiClient fan = ApiClient.signedUp(cluster, "fan");
    var followed = fan.post("/api/v1/users/" + creator.userId + "/follow", "");
    assertThat(followed.statusCode()).as(followed.body()).isEqualTo(200);
    assertThat(fan.json(followed).get("followers").asLong()).isEqualTo(1);

    cluster.restartNode();

    ApiClient reader = new ApiClient(cluster.baseUrl());
    JsonNode profile =
        reader.awaitJson(
            "/api/v1/users/" + creator.userId,
            p -> p.get("counts").get("followers").asLong() == 1,
            PROJECTED);
    assertThat(profile.get("counts").get("followers").asLong()).isEqualTo(1);
    String metrics = reader.get("/metrics").body();
    assertThat(metrics).contains("flick_projection_events_total{projection=\"creator-followers\"");
    // caught up: every tag's stored offset is within seconds of its journal's newest event
    reader.awaitBody(
        "/metrics",
        body -> {
          List<Double> lags =
              body.lines()
                  .filter(
                      l ->
                          l.startsWith(
                              "flick_projection_lag_seconds{projection=\"creator-followers\""))
                  .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                  .toList();
          return lags.size() == 4 && lags.stream().allMatch(lag -> lag < 5);
        },
        PROJECTED);
  }

  /**
   * The deadline index follows the video's journal: an upload's deadline reaches the Redis index
   * the sweeper reads, and leaves it once the video is deleted.
   */
  @Test
  void anUploadsDeadlineReachesTheSweepersIndexAndLeavesItOnDelete() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "deadline");
    var started =
        creator.post(
            "/api/v1/uploads",
            "{\"caption\":\"never finished\",\"sizeBytes\":1000,\"contentType\":\"video/mp4\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String videoId = creator.json(started).get("videoId").asText();
    try (RedisClient redis =
        RedisClient.create(cluster.endpoints().redisHost(), cluster.endpoints().redisPort())) {
      awaitIndexed(redis, videoId, true);
      assertThat(creator.delete("/api/v1/videos/" + videoId).statusCode()).isEqualTo(204);
      awaitIndexed(redis, videoId, false);
    }
  }

  private static void awaitIndexed(RedisClient redis, String videoId, boolean indexed)
      throws InterruptedException {
    long deadline = System.nanoTime() + PROJECTED.toNanos();
    while ((redis.zscore(RedisDeadlineIndex.KEY, videoId) != null) != indexed) {
      assertThat(System.nanoTime())
          .as("video %s %s the deadline index", videoId, indexed ? "in" : "out of")
          .isLessThan(deadline);
      Thread.sleep(200); // Redis offers nothing to wait on
    }
  }

  /**
   * Comments reach the {@code interactions} topic through the comment-interactions projection (an
   * outbox), not from the route. A comment posted, and later its delete, each journaled just before
   * the node stops (the projection reads seconds behind), is listed at once, counted on the video
   * after the restart, and uncounted after the next: each effect applied once, each published under
   * its one deterministic event id.
   */
  @Test
  void aCommentAndItsDeleteJournaledJustBeforeTheNodeStopsAreCountedOnceAfterTheRestart()
      throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "talked");
    String videoId = creator.upload(clip(), "video/mp4", "talk about it");
    assertThat(creator.awaitOutcome(videoId).get("status").asText()).isEqualTo("READY");
    ApiClient talker = ApiClient.signedUp(cluster, "talker");
    String comments = "/api/v1/videos/" + videoId + "/comments";

    var posted = talker.post(comments, "{\"text\":\"before the stop\"}");
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
    String commentId = talker.json(posted).get("id").asText();
    // listed at once: the entity writes the row before it answers
    assertThat(commentIds(talker.json(talker.get(comments)))).containsExactly(commentId);

    cluster.restartNode();
    talker = sameCaller(cluster, talker);
    awaitComments(talker, videoId, 1);

    assertThat(talker.delete("/api/v1/comments/" + commentId).statusCode()).isEqualTo(204);
    assertThat(talker.json(talker.get(comments)).get("items")).isEmpty();

    cluster.restartNode();
    talker = sameCaller(cluster, talker);
    awaitComments(talker, videoId, 0);
    assertThat(talker.json(talker.get(comments)).get("items")).isEmpty();
    assertThat(talker.delete("/api/v1/comments/" + commentId).statusCode()).isEqualTo(404);

    // a later comment on the same video (its events share one partition): once it is counted, so
    // is anything published before it, so a second copy of either effect would show here
    var marker = talker.post(comments, "{\"text\":\"after the restarts\"}");
    assertThat(marker.statusCode()).as(marker.body()).isEqualTo(201);
    JsonNode video = awaitComments(talker, videoId, 1);
    assertThat(video.get("counts").get("comments").asLong()).isEqualTo(1);

    List<Interaction> published = interactionsOf(cluster, videoId);
    assertThat(
            published.stream()
                .filter(e -> e.getEventId().contains(commentId))
                .map(e -> e.getKind() + " " + e.getEventId())
                .distinct())
        .containsExactly(
            "COMMENT comment:" + commentId + ":posted",
            "COMMENT_DELETED comment:" + commentId + ":deleted");
    Interaction comment =
        published.stream().filter(e -> e.getKind() == Interaction.Kind.COMMENT).findFirst().get();
    assertThat(comment.getUserId()).isEqualTo(talker.userId);
    assertThat(comment.getCreatorId()).isEqualTo(creator.userId);
    assertThat(comment.getDurationMs()).isPositive();
  }

  /**
   * Likes go out through an outbox: a like journaled right before the node stops is published by
   * the like-interactions projection after the restart and counted once (a republished copy carries
   * the same event id, which the counters drop); the route never undoes anything.
   */
  @Test
  void aLikeJournaledJustBeforeTheNodeStopsIsCountedOnceAfterTheRestart() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "liked");
    String videoId = creator.upload(clip(), "video/mp4", "like it");
    assertThat(creator.awaitOutcome(videoId).get("status").asText()).isEqualTo("READY");
    ApiClient fan = ApiClient.signedUp(cluster, "liker");
    String like = "/api/v1/videos/" + videoId + "/like";

    var liked = fan.post(like, "");
    assertThat(liked.statusCode()).as(liked.body()).isEqualTo(200);
    assertThat(fan.json(liked).get("changed").asBoolean()).isTrue();

    cluster.restartNode();
    fan = sameCaller(cluster, fan);
    awaitLikes(fan, videoId, 1);

    // a later like on the same video (same partition): once it is counted, so is anything
    // published before it, so a second copy of the first like would show here
    ApiClient marker = ApiClient.signedUp(cluster, "marker");
    assertThat(marker.post(like, "").statusCode()).isEqualTo(200);
    assertThat(awaitLikes(fan, videoId, 2).get("counts").get("likes").asLong()).isEqualTo(2);

    assertThat(fan.delete(like).statusCode()).isEqualTo(200);
    awaitLikes(fan, videoId, 1);

    String fanId = fan.userId;
    List<Interaction> published =
        interactionsOf(cluster, videoId).stream().filter(e -> e.getUserId().equals(fanId)).toList();
    // every copy of each fact carries the id of its place in the fan's journal
    assertThat(published.stream().map(e -> e.getKind() + " " + e.getEventId()).distinct())
        .hasSize(2)
        .anyMatch(e -> e.startsWith("LIKE ") && e.contains(fanId))
        .anyMatch(e -> e.startsWith("UNLIKE ") && e.contains(fanId));
    Interaction first =
        published.stream().filter(e -> e.getKind() == Interaction.Kind.LIKE).findFirst().get();
    assertThat(first.getCreatorId()).isEqualTo(creator.userId);
    assertThat(first.getRegion()).isNotEmpty();
  }

  private static JsonNode awaitLikes(ApiClient client, String videoId, long count)
      throws Exception {
    return client.awaitJson(
        "/api/v1/videos/" + videoId,
        v -> v.get("counts").get("likes").asLong() == count,
        PROJECTED);
  }

  /**
   * The video-listings and video-deadlines projections after a stop: a video READY and an upload
   * started right before the node stops are listed (once) and indexed after the restart.
   */
  @Test
  void aReadyVideoAndAnUploadJournaledJustBeforeTheNodeStopsAreListedAndIndexedAfterTheRestart()
      throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "relisted");
    String tag = "relisted" + System.nanoTime() % 1_000_000;
    String videoId = creator.upload(clip(), "video/mp4", "again", List.of(tag));
    assertThat(creator.awaitOutcome(videoId).get("status").asText()).isEqualTo("READY");
    var started =
        creator.post(
            "/api/v1/uploads",
            "{\"caption\":\"left open\",\"sizeBytes\":1000,\"contentType\":\"video/mp4\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String openUpload = creator.json(started).get("videoId").asText();

    cluster.restartNode();
    creator = sameCaller(cluster, creator);

    JsonNode listed =
        creator.awaitJson(
            "/api/v1/hashtags/" + tag + "/videos",
            page -> page.get("items").findValuesAsText("id").contains(videoId),
            PROJECTED);
    assertThat(listed.get("items").findValuesAsText("id")).containsExactly(videoId);
    JsonNode own =
        creator.awaitJson(
            "/api/v1/users/" + creator.userId + "/videos",
            page -> page.get("items").findValuesAsText("id").contains(videoId),
            PROJECTED);
    assertThat(own.get("items").findValuesAsText("id")).containsOnlyOnce(videoId);
    try (RedisClient redis =
        RedisClient.create(cluster.endpoints().redisHost(), cluster.endpoints().redisPort())) {
      awaitIndexed(redis, openUpload, true);
    }
  }

  private static List<String> commentIds(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("items").forEach(item -> ids.add(item.get("id").asText()));
    return ids;
  }

  /** The same account on the restarted node, which listens on a new port. */
  private static ApiClient sameCaller(TestCluster cluster, ApiClient caller) {
    ApiClient again = new ApiClient(cluster.baseUrl());
    again.token = caller.token;
    again.userId = caller.userId;
    return again;
  }

  private static JsonNode awaitComments(ApiClient client, String videoId, long count)
      throws Exception {
    return client.awaitJson(
        "/api/v1/videos/" + videoId,
        v -> v.get("counts").get("comments").asLong() == count,
        PROJECTED);
  }

  /** Every event of {@code videoId} on the interactions topic so far, in partition order. */
  private static List<Interaction> interactionsOf(TestCluster cluster, String videoId)
      throws Exception {
    List<Interaction> events = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.endpoints().kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(InteractionPublisher.TOPIC).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + PROJECTED.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        assertThat(System.nanoTime()).as("read the interactions topic").isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (videoId.equals(record.key())) {
            events.add(Interaction.parseFrom(record.value()));
          }
        }
      }
    }
    return events;
  }

  private static byte[] clip() throws Exception {
    return ApiClient.testClip(clips, 3);
  }
}
