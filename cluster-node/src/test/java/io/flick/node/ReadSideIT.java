package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flick.node.infra.RedisDeadlineIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/**
 * The read side over real Cassandra: views derived from the entities' journals by projections
 * converge on the facts, however the writes interleave and whenever the node stops.
 */
@Timeout(300)
class ReadSideIT {
  // eventsByTag reads 2 s behind the newest write, then the projection writes the view
  private static final Duration PROJECTED = Duration.ofSeconds(60);

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
}
