package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The creator studio over real Kafka and Cassandra, through the HTTP API: viewers from two regions
 * and two devices watch, like, share and follow; the studio shows exactly those figures, and still
 * exactly those after the node restarts with its stored offsets gone (the whole topic replayed).
 */
@Timeout(600)
class StudioIT {
  @TempDir static Path clips;

  static final String MOBILE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148";
  static final String DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0";
  static final Duration FRESH = Duration.ofSeconds(60);

  @Test
  void theStudioShowsWhatViewersDidOnceEvenAfterTheWholeStreamIsReplayed() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "studio", "US");
    String videoId =
        creator.upload(
            ApiClient.testClip(clips, 4), "video/mp4", "studio clip", java.util.List.of("studio"));
    JsonNode video = creator.awaitOutcome(videoId);
    assertThat(video.get("status").asText()).isEqualTo("READY");
    long d = video.get("durationMs").asLong();
    assertThat(d).isPositive();

    ApiClient a = viewer(cluster, "DE", MOBILE);
    ApiClient b = viewer(cluster, "DE", DESKTOP);
    ApiClient c = viewer(cluster, "BR", MOBILE);
    ApiClient anonymous = new ApiClient(cluster.baseUrl());
    anonymous.userAgent = MOBILE;

    view(a, videoId, d, true, "foryou");
    view(b, videoId, (d + 1) / 2, false, "hashtag");
    long cWatch = d * 27 / 100; // past 25 %, short of 30 %
    view(c, videoId, cWatch, false, "following");
    view(c, videoId, d, true, "profile"); // a second view (the ITs count every view)
    view(anonymous, videoId, (d + 1) / 2, false, "shared");
    assertThat(a.post("/api/v1/videos/" + videoId + "/like", "").statusCode()).isEqualTo(200);
    assertThat(a.post("/api/v1/videos/" + videoId + "/share", "").statusCode()).isEqualTo(202);
    assertThat(a.post("/api/v1/users/" + creator.userId + "/follow", "").statusCode())
        .isEqualTo(200);
    assertThat(b.post("/api/v1/users/" + creator.userId + "/follow", "").statusCode())
        .isEqualTo(200);

    long watch = d + (d + 1) / 2 + cWatch + d + (d + 1) / 2;
    JsonNode overview =
        creator.awaitJson(
            "/api/v1/studio/overview?range=7d",
            o ->
                value(o, "views") == 5
                    && value(o, "likes") == 1
                    && value(o, "shares") == 1
                    && value(o, "followersGained") == 2,
            FRESH);
    assertOverview(overview, watch);

    JsonNode detail =
        creator.awaitJson(
            "/api/v1/studio/videos/" + videoId + "?range=28d", v -> value(v, "views") == 5, FRESH);
    assertDetail(detail, videoId, watch);
    assertThat(detail.get("daily")).hasSize(28);
    assertThat(detail.get("hourly")).isEmpty();

    // the last 48 hours by hour, from the video's hourly rows: the same figures, one series point
    // per hour (all of these views in the current hour or the one before, if it just turned)
    JsonNode hours =
        creator.awaitJson(
            "/api/v1/studio/videos/" + videoId + "?range=48h", v -> value(v, "views") == 5, FRESH);
    assertThat(hours.get("range").asText()).isEqualTo("48h");
    assertThat(hours.get("daily")).isEmpty();
    assertThat(hours.get("hourly")).hasSize(48);
    assertThat(sumOf(hours.get("hourly"), "views")).isEqualTo(5);
    assertThat(sumOf(hours.get("hourly"), "watchMs")).isEqualTo(watch);
    assertThat(hours.get("figures").get("views").get("previous").asLong()).isZero();
    assertDetail(hours, videoId, watch);
    JsonNode overviewHours =
        creator.awaitJson("/api/v1/studio/overview?range=48h", o -> value(o, "views") == 5, FRESH);
    assertThat(value(overviewHours, "views")).isEqualTo(5);
    assertThat(value(overviewHours, "likes")).isEqualTo(1);
    assertThat(value(overviewHours, "shares")).isEqualTo(1);
    assertThat(value(overviewHours, "watchMs")).isEqualTo(watch);
    assertThat(value(overviewHours, "uniqueViewers")).isEqualTo(3);
    assertThat(overviewHours.get("figures").has("followersGained")).isFalse();
    assertThat(overviewHours.get("daily")).isEmpty();
    assertThat(sumOf(overviewHours.get("hourly"), "views")).isEqualTo(5);

    JsonNode table = creator.json(creator.get("/api/v1/studio/videos?sort=watchMs&limit=10"));
    assertThat(table.get("items")).hasSize(1);
    assertThat(table.get("items").get(0).get("removed").isNull()).isTrue();
    assertThat(table.get("items").get(0).get("videoId").asText()).isEqualTo(videoId);
    assertThat(table.get("items").get(0).get("views").asLong()).isEqualTo(5);
    assertThat(table.get("items").get(0).get("watchMs").asLong()).isEqualTo(watch);
    assertThat(table.get("items").get(0).get("uniqueViewers").asLong()).isEqualTo(3);
    assertThat(table.get("items").get(0).get("completionRate").asDouble()).isEqualTo(2 / 5.0);
    assertThat(table.get("next").isNull()).isTrue();

    JsonNode followers = creator.json(creator.get("/api/v1/studio/followers?range=7d"));
    assertThat(followers.get("gained").get("value").asLong()).isEqualTo(2);
    assertThat(followers.get("net").get("value").asLong()).isEqualTo(2);

    // only the creator sees their video's figures; a token is needed; bad input is a 400 problem
    var foreign = a.get("/api/v1/studio/videos/" + videoId);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(anonymous.get("/api/v1/studio/overview").statusCode()).isEqualTo(401);
    for (String bad :
        java.util.List.of(
            "/api/v1/studio/overview?range=9d",
            "/api/v1/studio/followers?range=week",
            "/api/v1/studio/followers?range=48h",
            "/api/v1/studio/overview?range=24h",
            "/api/v1/studio/videos/" + videoId + "?range=1y",
            "/api/v1/studio/videos?sort=popularity",
            "/api/v1/studio/videos?cursor=not-a-cursor",
            "/api/v1/studio/videos?limit=0")) {
      var refused = creator.get(bad);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type"))
          .as(bad)
          .contains("application/problem+json");
      assertThat(creator.json(refused).get("detail").asText()).as(bad).isNotBlank();
    }

    // the consumer forgets where it was (as if it crashed before storing any offset) and the node
    // restarts: the whole interactions topic is delivered again, and every row skips what it has
    try (CqlSession cql = cluster.cql()) {
      cql.execute(
          "TRUNCATE " + cluster.config().getString("flick.cassandra.keyspace") + ".studio_offsets");
    }
    cluster.restartNode();
    // the restarted node listens on a new port
    ApiClient creatorAgain = rebased(cluster, creator);
    ApiClient late = viewer(cluster, "US", DESKTOP);
    view(late, videoId, d, true, "search");
    long watchAfter = watch + d;
    JsonNode after =
        creatorAgain.awaitJson(
            "/api/v1/studio/videos/" + videoId + "?range=7d", v -> value(v, "views") == 6, FRESH);
    assertThat(value(after, "likes")).isEqualTo(1);
    assertThat(value(after, "shares")).isEqualTo(1);
    assertThat(value(after, "watchMs")).isEqualTo(watchAfter);
    assertThat(value(after, "uniqueViewers")).isEqualTo(4);
    assertThat(after.get("sources").get("search").asLong()).isEqualTo(1);
    assertThat(after.get("sources").get("foryou").asLong()).isEqualTo(1);
    JsonNode hoursAfter =
        creatorAgain.awaitJson(
            "/api/v1/studio/videos/" + videoId + "?range=48h", v -> value(v, "views") == 6, FRESH);
    assertThat(value(hoursAfter, "views")).isEqualTo(6);
    assertThat(value(hoursAfter, "likes")).isEqualTo(1);
    assertThat(value(hoursAfter, "watchMs")).isEqualTo(watchAfter);
    assertThat(sumOf(hoursAfter.get("hourly"), "views")).isEqualTo(6);
    JsonNode overviewAfter =
        creatorAgain.json(creatorAgain.get("/api/v1/studio/overview?range=7d"));
    assertThat(value(overviewAfter, "views")).isEqualTo(6);
    assertThat(value(overviewAfter, "watchMs")).isEqualTo(watchAfter);
    assertThat(value(overviewAfter, "followersGained")).isEqualTo(2);

    // the creator deletes the video: the table keeps its figures (the overview still counts its
    // views) and marks it deleted
    assertThat(creatorAgain.delete("/api/v1/videos/" + videoId).statusCode()).isEqualTo(204);
    JsonNode gone =
        creatorAgain.awaitJson(
            "/api/v1/studio/videos",
            t -> t.get("items").get(0).get("removed").asText("").equals("deleted"),
            FRESH);
    assertThat(gone.get("items")).hasSize(1);
    assertThat(gone.get("items").get(0).get("views").asLong()).isEqualTo(6);
    assertThat(
            value(creatorAgain.json(creatorAgain.get("/api/v1/studio/overview?range=7d")), "views"))
        .isEqualTo(6);
  }

  /**
   * Dev mode's demo history is marked: a demo creator's answers say {@code demo: true} and carry
   * the generated figures; another creator's do not. And the studio's lag is on /metrics.
   */
  @Test
  void demoHistoryIsMarkedAndOnlyTheDemoCreatorsAndTheLagIsOnMetrics() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient demo = ApiClient.signedUp(cluster, "demo", "DE");
    ApiClient other = ApiClient.signedUp(cluster, "notdemo", "DE");
    try (CqlSession cql = cluster.cql()) {
      int rows =
          io.flick.studio.StudioDemoHistory.write(
                  new io.flick.studio.StudioTables(
                      cql, cluster.config().getString("flick.cassandra.keyspace")),
                  demo.userId,
                  Map.of("demo-video-" + demo.userId, 6_000L),
                  5,
                  java.time.Instant.now())
              .toCompletableFuture()
              .get();
      assertThat(rows).isPositive();
    }
    JsonNode overview = demo.json(demo.get("/api/v1/studio/overview?range=7d"));
    assertThat(overview.get("demo").asBoolean()).isTrue();
    assertThat(value(overview, "views")).isPositive();
    JsonNode table = demo.json(demo.get("/api/v1/studio/videos"));
    assertThat(table.get("items").get(0).get("demo").asBoolean()).isTrue();
    JsonNode others = other.json(other.get("/api/v1/studio/overview?range=7d"));
    assertThat(others.get("demo").asBoolean()).isFalse();
    assertThat(value(others, "views")).isZero();

    String metrics = demo.get("/metrics").body();
    assertThat(metrics).contains("flick_kafka_consumer_lag{group=\"flick-studio\"}");
    assertThat(metrics).contains("flick_studio_events_total");
  }

  private static void assertOverview(JsonNode o, long watch) {
    assertThat(value(o, "uniqueViewers"))
        .isEqualTo(3); // signed-in viewers; HLL is exact this small
    assertThat(value(o, "comments")).isZero();
    assertThat(value(o, "watchMs")).isEqualTo(watch);
    assertThat(value(o, "averageWatchMs")).isEqualTo(watch / 5);
    assertThat(o.get("figures").get("completionRate").get("value").asDouble()).isEqualTo(2 / 5.0);
    assertThat(value(o, "followersNet")).isEqualTo(2);
    assertThat(o.get("figures").get("views").get("previous").asLong()).isZero();
    assertThat(o.get("daily")).hasSize(7);
    assertThat(o.get("daily").get(6).get("views").asLong()).isEqualTo(5);
    assertThat(o.get("hourly")).hasSize(48);
    long hourlyViews = 0;
    for (JsonNode hour : o.get("hourly")) {
      hourlyViews += hour.get("views").asLong();
    }
    assertThat(hourlyViews).isEqualTo(5);
  }

  private static long sumOf(JsonNode points, String figure) {
    long sum = 0;
    for (JsonNode point : points) {
      sum += point.get(figure).asLong();
    }
    return sum;
  }

  private static void assertDetail(JsonNode v, String videoId, long watch) {
    assertThat(v.get("videoId").asText()).isEqualTo(videoId);
    assertThat(value(v, "watchMs")).isEqualTo(watch);
    assertThat(value(v, "uniqueViewers")).isEqualTo(3);
    // 5 plays: complete (a), half (b), 30 % (c), complete (c's repeat), half (anonymous)
    JsonNode retention = v.get("retention");
    assertThat(retention).hasSize(21);
    assertThat(retention.get(0).get("share").asDouble()).isEqualTo(1.0);
    assertThat(retention.get(5).get("share").asDouble()).isEqualTo(1.0); // 25 %
    assertThat(retention.get(6).get("share").asDouble()).isEqualTo(4 / 5.0); // 30 %: c left
    assertThat(retention.get(10).get("share").asDouble()).isEqualTo(4 / 5.0); // 50 %
    assertThat(retention.get(11).get("share").asDouble()).isEqualTo(2 / 5.0); // 55 %
    assertThat(retention.get(20).get("share").asDouble()).isEqualTo(2 / 5.0); // the end
    assertThat(ApiClient.JSON.convertValue(v.get("sources"), Map.class))
        .isEqualTo(Map.of("foryou", 1, "hashtag", 1, "following", 1, "profile", 1, "shared", 1));
    assertThat(ApiClient.JSON.convertValue(v.get("regions"), Map.class))
        .isEqualTo(Map.of("DE", 2, "BR", 2, "ZZ", 1));
    assertThat(ApiClient.JSON.convertValue(v.get("devices"), Map.class))
        .isEqualTo(Map.of("mobile", 4, "desktop", 1));
  }

  /** A figure's value in a Studio answer. */
  static long value(JsonNode o, String figure) {
    return o.get("figures").get(figure).get("value").asLong();
  }

  /** A new viewer account in {@code region}, whose requests say {@code agent}. */
  static ApiClient viewer(TestCluster cluster, String region, String agent) throws Exception {
    ApiClient viewer = ApiClient.signedUp(cluster, "viewer", region);
    viewer.userAgent = agent;
    return viewer;
  }

  private static ApiClient rebased(TestCluster cluster, ApiClient client) {
    ApiClient again = new ApiClient(cluster.baseUrl());
    again.token = client.token;
    again.userId = client.userId;
    return again;
  }

  /** One view of {@code videoId}, acknowledged. */
  static void view(ApiClient viewer, String videoId, long watchMs, boolean completed, String source)
      throws Exception {
    var response =
        viewer.post(
            "/api/v1/videos/" + videoId + "/views",
            "{\"watchMs\":"
                + watchMs
                + ",\"completed\":"
                + completed
                + ",\"source\":\""
                + source
                + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
  }
}
