package io.flick.bench.analytics;

import static io.flick.bench.BenchHttp.post;
import static io.flick.bench.BenchHttp.signUp;
import static io.flick.bench.BenchHttp.upload;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flick.bench.BenchHttp;
import io.flick.bench.BenchNode;
import io.flick.studio.Figures;
import io.flick.studio.RowKey;
import io.flick.studio.StudioRow;
import io.flick.studio.StudioTables;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * bench/analytics: the creator studio on a real node.
 *
 * <p>Freshness: views of a READY video one after another; the clock runs from the view's 202 (the
 * event is on Kafka) to the first studio overview that counts it, polling every 10 ms. Baseline in
 * the same run: the view request itself.
 *
 * <p>Query: a creator with 1,000 videos and 90 days of figures (rows written as the stream would:
 * creator days and hours, a lifetime row per video, a video's days; sketches with thousands of
 * viewers), then the studio calls one after another. Baseline in the same run: the creator's public
 * profile, {@code GET /users/{id}}.
 */
public final class AnalyticsBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("flick.home", ".")).toAbsolutePath().normalize();
    int views = Integer.parseInt(System.getProperty("views", "100"));
    int queries = Integer.parseInt(System.getProperty("queries", "200"));
    try (BenchNode bench = BenchNode.start(home, "analytics", Map.of())) {
      HttpClient http = HttpClient.newHttpClient();
      String base = bench.baseUrl();
      String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

      // freshness: view accepted → visible in the studio API
      String[] creator = signUp(http, base, "an_creator_" + run);
      String[] viewer = signUp(http, base, "an_viewer_" + run);
      String videoId =
          upload(http, base, creator[0], BenchHttp.shortClip(), "studio", List.of("an" + run));
      BenchHttp.awaitReady(http, base, videoId);
      double[] request = new double[views];
      double[] visible = new double[views];
      for (int i = 0; i < views; i++) {
        long start = System.nanoTime();
        post(
            http,
            base + "/api/v1/videos/" + videoId + "/views",
            "{\"watchMs\":1000,\"completed\":false,\"source\":\"foryou\"}",
            viewer[0]);
        long accepted = System.nanoTime();
        request[i] = (accepted - start) / 1e6;
        while (studioViews(http, base, creator[0]) < i + 1) {
          Thread.sleep(10);
        }
        visible[i] = (System.nanoTime() - accepted) / 1e6;
      }
      System.out.printf(
          "%n%d views, one after another (ms)         p50       p99       max%n", views);
      print("view request (baseline)", request);
      print("view → studio overview (freshness)", visible);

      // query: 1,000 videos over 90 days
      String[] big = signUp(http, base, "an_big_" + run);
      // one real video, so its page passes the creator check; its days carry generated figures
      String bigVideo =
          upload(http, base, big[0], BenchHttp.shortClip(), "big", List.of("an" + run));
      BenchHttp.awaitReady(http, base, bigVideo);
      String keyspace =
          bench.node.system().settings().config().getString("flick.cassandra.keyspace");
      var e = bench.infra.endpoints();
      String firstVideo;
      try (CqlSession cql =
          CqlSession.builder()
              // the driver's defaults only: never the node's application.conf contact points
              .withConfigLoader(DriverConfigLoader.fromMap(OptionsMap.driverDefaults()))
              .addContactPoint(new InetSocketAddress(e.cassandraHost(), e.cassandraPort()))
              .withLocalDatacenter(e.cassandraDatacenter())
              .build()) {
        firstVideo = writeHistory(new StudioTables(cql, keyspace), big[1], bigVideo, 1_000, 90);
      }
      String[] calls = {
        "/api/v1/studio/overview?range=60d",
        "/api/v1/studio/overview?range=7d",
        "/api/v1/studio/videos?sort=views&limit=20",
        "/api/v1/studio/videos/" + firstVideo + "?range=60d",
        "/api/v1/studio/followers?range=60d",
      };
      System.out.printf(
          "%n%d calls each, one after another (ms)    p50       p99       max%n", queries);
      print(
          "GET /users/{id} (baseline)",
          time(http, base + "/api/v1/users/" + big[1], big[0], queries));
      for (String call : calls) {
        print(
            call.replace("/api/v1/studio", "").replace(firstVideo, "{id}"),
            time(http, base + call, big[0], queries));
      }
    }
    System.exit(0);
  }

  /** The rows the stream would have written; returns the id of the video with daily rows. */
  private static String writeHistory(
      StudioTables tables, String creatorId, String first, int videos, int days) throws Exception {
    Random random = new Random(7);
    Instant now = Instant.now();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      LocalDate day = today.minusDays(d);
      writes.add(
          write(tables, new RowKey.CreatorDay(creatorId, day), creatorId, random, 3_000, now));
      writes.add(write(tables, new RowKey.VideoDay(first, day), creatorId, random, 50, now));
    }
    for (int h = 0; h < 48; h++) {
      Instant hour = now.truncatedTo(ChronoUnit.HOURS).minus(h, ChronoUnit.HOURS);
      writes.add(
          write(tables, new RowKey.CreatorHour(creatorId, hour), creatorId, random, 200, now));
    }
    for (int v = 0; v < videos; v++) {
      writes.add(
          write(
              tables,
              new RowKey.VideoTotal(creatorId, String.format("an-video-%04d", v)),
              creatorId,
              random,
              100,
              now));
      if (writes.size() >= 64) {
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        writes.clear();
      }
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    return first;
  }

  private static CompletableFuture<Void> write(
      StudioTables tables, RowKey key, String creatorId, Random random, int plays, Instant now) {
    Figures f = new Figures();
    String[] sources = {"foryou", "following", "hashtag", "sound", "profile", "link"};
    String[] regions = {"DE", "US", "FR", "BR", "JP"};
    for (int i = 0; i < plays; i++) {
      f.addView(
          "viewer-" + random.nextInt(50_000),
          false,
          random.nextInt(15_000),
          random.nextInt(4) == 0,
          15_000,
          sources[random.nextInt(sources.length)],
          regions[random.nextInt(regions.length)],
          random.nextBoolean() ? "mobile" : "desktop");
    }
    return tables.write(key, 0, StudioRow.of(creatorId, f), now).toCompletableFuture();
  }

  private static double[] time(HttpClient http, String url, String token, int n) throws Exception {
    for (int i = 0; i < 20; i++) {
      call(http, url, token);
    }
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      call(http, url, token);
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    return ms;
  }

  private static void call(HttpClient http, String url, String token) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          url + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  private static long studioViews(HttpClient http, String base, String token) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/studio/overview?range=7d"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body()).get("figures").get("views").get("value").asLong();
  }

  private static void print(String what, double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-40s %8.1f  %8.1f  %8.1f%n",
        what,
        sorted[(int) Math.floor(0.5 * (sorted.length - 1))],
        sorted[(int) Math.ceil(0.99 * (sorted.length - 1))],
        sorted[sorted.length - 1]);
  }
}
