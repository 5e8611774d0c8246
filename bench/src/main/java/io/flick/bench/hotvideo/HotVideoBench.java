package io.flick.bench.hotvideo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flick.bench.BenchNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * bench/hotvideo: one viral video takes every interaction. Flick (HTTP → Kafka → batched write-back
 * counters on one VideoActor) against the seed design's naive way (one Cassandra counter write per
 * interaction), in one run on the same embedded Cassandra.
 */
public final class HotVideoBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery staple";

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(System.getProperty("seconds", "20"));
    int users = Integer.parseInt(System.getProperty("users", "200"));
    int connections = Integer.parseInt(System.getProperty("connections", "64"));
    System.out.println(
        "[bench] profile learning from views: " + (Boolean.getBoolean("profiles") ? "on" : "off"));
    Path home = Path.of(System.getProperty("flick.home", ".")).toAbsolutePath().normalize();

    try (BenchNode bench =
        BenchNode.start(
            home,
            "hotvideo",
            Map.of("flick.interactions.learn-profiles", Boolean.getBoolean("profiles")))) {
      var infra = bench.infra;
      var node = bench.node;
      String base = bench.baseUrl();
      HttpClient http = HttpClient.newHttpClient();

      String creatorToken = signUp(http, base, "creator_" + System.nanoTime() % 100000);
      String videoId = uploadClip(http, base, creatorToken, home);
      System.out.println("[bench] video " + videoId + " READY; signing up " + users + " users");
      Path tokens = Files.createTempFile("flick-tokens", ".txt");
      List<String> lines = new ArrayList<>();
      Semaphore gate = new Semaphore(8);
      List<CompletableFuture<String>> signups = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        String handle = "fan" + i + "_" + System.nanoTime() % 100000;
        gate.acquire();
        signups.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return signUp(http, base, handle);
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  } finally {
                    gate.release();
                  }
                }));
      }
      for (var s : signups) {
        lines.add(s.join());
      }
      Files.write(tokens, lines);

      String pid = "Video|" + videoId;
      var endpoints = infra.endpoints();
      try (CqlSession cql =
          CqlSession.builder()
              .addContactPoint(
                  new InetSocketAddress(endpoints.cassandraHost(), endpoints.cassandraPort()))
              .withLocalDatacenter(endpoints.cassandraDatacenter())
              .build()) {
        PreparedStatement journalRows =
            cql.prepare(
                "SELECT COUNT(*) FROM flick.messages WHERE persistence_id = ? AND partition_nr = 0");
        long journalBefore = cql.execute(journalRows.bind(pid)).one().getLong(0);

        // ---- Flick: wrk drives the HTTP API
        System.out.println(
            "[bench] Flick: "
                + seconds
                + " s of interactions from "
                + connections
                + " connections");
        long start = System.nanoTime();
        LoadResult load = drive(base, "/api/v1/videos/", lines, videoId, seconds, connections);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        long views = load.views();
        long shares = load.shares();
        long likeCalls = load.likeCalls();
        long liked = load.liked();
        long errors = load.errors();
        String wrkOut = load.latency();
        long interactions = views + shares + likeCalls;

        // counts converge once the counter stream has drained Kafka
        JsonNode counts = null;
        long drainStart = System.nanoTime();
        while (System.nanoTime() - drainStart < TimeUnit.SECONDS.toNanos(120)) {
          counts = JSON.readTree(get(http, base + "/api/v1/videos/" + videoId)).get("counts");
          if (counts.get("views").asLong() >= views
              && counts.get("shares").asLong() >= shares
              && counts.get("likes").asLong() >= liked) {
            break;
          }
          Thread.sleep(500);
        }
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        Thread.sleep(1500); // one more flush interval: anything counted twice would show now
        counts = JSON.readTree(get(http, base + "/api/v1/videos/" + videoId)).get("counts");
        long journalWrites = cql.execute(journalRows.bind(pid)).one().getLong(0) - journalBefore;
        double flushSeconds = loadSeconds + drainSeconds;

        // ---- naive, the seed design: the same HTTP stack and client, one Cassandra counter write
        // per
        // interaction (no token check, so the baseline is if anything flattered)
        cql.execute(
            "CREATE TABLE IF NOT EXISTS flick.naive_video_counts (video_id text PRIMARY KEY,"
                + " views counter, shares counter, likes counter)");
        Map<String, PreparedStatement> naiveWrite =
            Map.of(
                "views",
                    cql.prepare(
                        "UPDATE flick.naive_video_counts SET views = views + 1 WHERE video_id = ?"),
                "share",
                    cql.prepare(
                        "UPDATE flick.naive_video_counts SET shares = shares + 1 WHERE video_id = ?"),
                "like",
                    cql.prepare(
                        "UPDATE flick.naive_video_counts SET likes = likes + 1 WHERE video_id = ?"));
        Map<String, String> naiveAnswer =
            Map.of(
                "views",
                "{\"counted\":true}",
                "share",
                "{\"shared\":true}",
                "like",
                "{\"liked\":true,\"changed\":true}");
        var naiveRoutes =
            new org.apache.pekko.http.javadsl.server.AllDirectives() {
              org.apache.pekko.http.javadsl.server.Route route() {
                return pathPrefix(
                    "naive",
                    () ->
                        pathPrefix(
                            "videos",
                            () ->
                                pathPrefix(
                                    id ->
                                        path(
                                            kind ->
                                                post(
                                                    () ->
                                                        onSuccess(
                                                            cql.executeAsync(
                                                                naiveWrite.get(kind).bind(id)),
                                                            rs ->
                                                                complete(
                                                                    kind.equals("like")
                                                                        ? org.apache.pekko.http
                                                                            .javadsl.model
                                                                            .StatusCodes.OK
                                                                        : org.apache.pekko.http
                                                                            .javadsl.model
                                                                            .StatusCodes.ACCEPTED,
                                                                    naiveAnswer.get(kind))))))));
              }
            };
        var naiveBinding =
            org.apache.pekko.http.javadsl.Http.get(node.system())
                .newServerAt("127.0.0.1", 0)
                .bind(naiveRoutes.route())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        String naiveBase = "http://127.0.0.1:" + naiveBinding.localAddress().getPort();
        System.out.println(
            "[bench] naive: "
                + seconds
                + " s, same client, one Cassandra counter write per interaction");
        long naiveStart = System.nanoTime();
        LoadResult naiveLoad =
            drive(naiveBase, "/naive/videos/", lines, videoId, seconds, connections);
        double naiveSeconds = (System.nanoTime() - naiveStart) / 1e9;
        naiveBinding.unbind();
        long naiveWrites = naiveLoad.views() + naiveLoad.shares() + naiveLoad.likeCalls();
        var naiveRow =
            cql.execute(
                    "SELECT views, shares, likes FROM flick.naive_video_counts WHERE video_id = '"
                        + videoId
                        + "'")
                .one();
        long naiveCount = naiveRow.getLong(0) + naiveRow.getLong(1) + naiveRow.getLong(2);

        double flickRate = interactions / loadSeconds;
        double naiveRate = naiveWrites / naiveSeconds;
        System.out.println();
        System.out.println("Flick " + wrkOut + "; naive " + naiveLoad.latency());
        System.out.printf(
            "%-52s %12s %14s %16s%n", "", "interactions", "per second", "Cassandra writes");
        System.out.printf(
            "%-52s %12d %14.0f %16d%n",
            "Flick: HTTP -> Kafka -> write-back VideoActor",
            interactions,
            flickRate,
            journalWrites);
        System.out.printf(
            "%-52s %12d %14.0f %16d%n",
            "baseline (naive): HTTP -> one Cassandra counter UPDATE each",
            naiveWrites,
            naiveRate,
            naiveWrites);
        System.out.printf(
            "throughput Flick/naive: %.2f   Cassandra writes per interaction: Flick %.5f, naive 1 (ratio 1:%.0f)%n",
            flickRate / naiveRate,
            journalWrites / (double) Math.max(1, interactions),
            interactions / (double) Math.max(1, journalWrites));
        System.out.printf(
            "video journal writes: %d over %.1f s of load + %.1f s drain = %.2f writes/s (flush interval 1 s)%n",
            journalWrites, loadSeconds, drainSeconds, journalWrites / flushSeconds);
        System.out.printf(
            "counts: views %d/%d sent, shares %d/%d, likes %d/%d (like calls %d), errors %d -> %s%n",
            counts.get("views").asLong(),
            views,
            counts.get("shares").asLong(),
            shares,
            counts.get("likes").asLong(),
            liked,
            likeCalls,
            errors,
            counts.get("views").asLong() == views
                    && counts.get("shares").asLong() == shares
                    && counts.get("likes").asLong() == liked
                ? "EXACT"
                : "MISMATCH");
        System.out.printf("naive counter check: %d/%d%n", naiveCount, naiveWrites);
      }
    }
    System.exit(0);
  }

  record LoadResult(
      long views, long shares, long likeCalls, long liked, long errors, String latency) {}

  /**
   * {@code connections} requests in flight for {@code seconds}, then every outstanding response is
   * awaited, so "acknowledged" is exact. Mix: 90 % views, 8 % shares, 2 % likes from many users.
   */
  static LoadResult drive(
      String base, String prefix, List<String> tokens, String videoId, int seconds, int connections)
      throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(java.util.concurrent.Executors.newFixedThreadPool(2))
            .build();
    java.util.concurrent.atomic.LongAdder views = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder shares = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder likes = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder liked = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder errors = new java.util.concurrent.atomic.LongAdder();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    Semaphore inFlight = new Semaphore(connections);
    URI view = URI.create(base + prefix + videoId + "/views");
    URI share = URI.create(base + prefix + videoId + "/share");
    URI like = URI.create(base + prefix + videoId + "/like");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long n = 0;
    while (System.nanoTime() < end) {
      inFlight.acquire();
      n++;
      String token = tokens.get((int) ((n * 7) % tokens.size()));
      int r = (int) (n % 50);
      URI target = r == 0 ? like : r < 5 ? share : view;
      String body = target == view ? "{\"watchMs\":4000,\"completed\":true}" : "";
      long sent = System.nanoTime();
      client
          .sendAsync(
              HttpRequest.newBuilder(target)
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (response, error) -> {
                latencies.add(System.nanoTime() - sent);
                if (error != null) {
                  errors.increment();
                } else if (response.statusCode() == 202 && target == view) {
                  views.increment();
                } else if (response.statusCode() == 202 && target == share) {
                  shares.increment();
                } else if (response.statusCode() == 200 && target == like) {
                  likes.increment();
                  if (response.body().contains("\"changed\":true")) {
                    liked.increment();
                  }
                } else {
                  errors.increment();
                }
                inFlight.release();
              });
    }
    inFlight.acquire(connections); // every response is in: what was acknowledged is known exactly
    List<Long> sorted = new ArrayList<>(latencies);
    java.util.Collections.sort(sorted);
    String latency =
        String.format(
            "latency p50 %.1f ms, p99 %.1f ms over %d requests",
            sorted.get(sorted.size() / 2) / 1e6,
            sorted.get((int) (sorted.size() * 0.99)) / 1e6,
            sorted.size());
    return new LoadResult(
        views.sum(), shares.sum(), likes.sum(), liked.sum(), errors.sum(), latency);
  }

  private static String signUp(HttpClient http, String base, String handle) throws Exception {
    String body = "{\"handle\":\"" + handle + "\",\"password\":\"" + PASSWORD + "\"}";
    post(http, base + "/api/v1/accounts", body, null);
    return JSON.readTree(post(http, base + "/api/v1/sessions", body, null)).get("token").asText();
  }

  private static String uploadClip(HttpClient http, String base, String token, Path home)
      throws Exception {
    Path clip = home.resolve("bench/target/hotvideo-clip.mp4");
    Files.createDirectories(clip.getParent());
    Process ffmpeg =
        new ProcessBuilder(
                "ffmpeg",
                "-y",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=360x640:rate=30:duration=3",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                clip.toString())
            .inheritIO()
            .start();
    if (ffmpeg.waitFor() != 0) {
      throw new IllegalStateException("ffmpeg failed");
    }
    byte[] bytes = Files.readAllBytes(clip);
    JsonNode started =
        JSON.readTree(
            post(
                http,
                base + "/api/v1/uploads",
                "{\"caption\":\"viral #hot\",\"sizeBytes\":"
                    + bytes.length
                    + ",\"contentType\":\"video/mp4\"}",
                token));
    String videoId = started.get("videoId").asText();
    for (JsonNode part : started.get("upload").get("parts")) {
      String url = part.get("url").asText();
      http.send(
          HttpRequest.newBuilder(URI.create(url))
              .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
              .build(),
          HttpResponse.BodyHandlers.discarding());
    }
    post(http, base + "/api/v1/uploads/" + videoId + "/complete", "", token);
    for (int i = 0; i < 240; i++) {
      String status =
          JSON.readTree(get(http, base + "/api/v1/videos/" + videoId)).get("status").asText();
      if (status.equals("READY")) {
        return videoId;
      }
      if (status.equals("FAILED")) {
        throw new IllegalStateException("the clip failed to transcode");
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the clip did not become READY");
  }

  private static String post(HttpClient http, String url, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(url + " -> " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  private static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
