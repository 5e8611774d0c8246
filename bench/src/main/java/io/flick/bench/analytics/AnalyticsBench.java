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
import io.flick.common.kafka.InteractionPublisher;
import io.flick.node.infra.KafkaTopics;
import io.flick.proto.events.Interaction;
import io.flick.studio.Figures;
import io.flick.studio.RowKey;
import io.flick.studio.StudioRow;
import io.flick.studio.StudioTables;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * bench/analytics: the creator studio on a real node.
 *
 * <p>Freshness: views of a READY video one after another; the clock runs from the view's 202 (the
 * event is on Kafka) to the first studio overview that counts it, polling every 10 ms. Baseline in
 * the same run: the view request itself.
 *
 * <p>Aggregation throughput: a batch of generated interactions on real videos, published straight
 * to the {@code interactions} topic at once; each consumer is timed from the first send until its
 * figure has taken in the whole batch: the studio's {@code flick_studio_events_total} (rows and
 * offsets written) next to, in the same run on the same events, the counter stream's {@code
 * flick_interactions_counted_total} (every VideoActor of a batch flushed), read from /metrics. Each
 * consumer's rate is printed twice: over the whole batch from the first send, and between the
 * moments it had taken in 10 % and 90 % of it (the steady rate, without the partitions' start and
 * the last batch window), with the machine's load average (the box is shared).
 *
 * <p>Query: a creator with 1,000 videos and 90 days of figures (rows written as the stream would:
 * creator days and 96 hours, a lifetime row per video, a video's days and 96 hours; sketches with
 * thousands of viewers), then the studio calls one after another. Baseline in the same run: the
 * creator's public profile, {@code GET /users/{id}}.
 */
public final class AnalyticsBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("flick.home", ".")).toAbsolutePath().normalize();
    int views = Integer.parseInt(System.getProperty("views", "100"));
    int queries = Integer.parseInt(System.getProperty("queries", "200"));
    int events = Integer.parseInt(System.getProperty("events", "100000"));
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

      // aggregation throughput: the studio next to the counter stream, on the same events
      List<String> videos = new ArrayList<>(List.of(videoId));
      List<String> more = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        more.add(
            upload(
                http, base, creator[0], BenchHttp.shortClip(), "studio " + i, List.of("an" + run)));
      }
      for (String v : more) {
        BenchHttp.awaitReady(http, base, v);
        videos.add(v);
      }
      throughput(bench, http, base, creator[1], videos, events);

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
        "/api/v1/studio/overview?range=48h",
        "/api/v1/studio/videos/" + firstVideo + "?range=48h",
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

  private static final String STUDIO = "flick_studio_events_total";
  private static final String COUNTERS = "flick_interactions_counted_total";

  private static void throughput(
      BenchNode bench, HttpClient http, String base, String creatorId, List<String> videos, int n)
      throws Exception {
    // both consumers idle and caught up first
    double[] before = {metric(http, base, STUDIO), metric(http, base, COUNTERS)};
    for (int quiet = 0; quiet < 20; ) {
      Thread.sleep(100);
      double[] now = {metric(http, base, STUDIO), metric(http, base, COUNTERS)};
      quiet = Arrays.equals(now, before) ? quiet + 1 : 0;
      before = now;
    }
    Random random = new Random(11);
    String[] sources = {"foryou", "following", "hashtag", "sound", "profile", "search", "link"};
    String[] regions = {"DE", "US", "FR", "BR", "JP"};
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(n);
    long at = System.currentTimeMillis();
    for (int i = 0; i < n; i++) {
      String video = videos.get(random.nextInt(videos.size()));
      int roll = random.nextInt(100);
      Interaction.Builder event =
          Interaction.newBuilder()
              .setVideoId(video)
              .setCreatorId(creatorId)
              .setAtEpochMs(at)
              .setRegion(regions[random.nextInt(regions.length)])
              .setDevice(random.nextBoolean() ? "mobile" : "desktop");
      // a fifth of the viewers signed out; the rest from a pool of 500
      if (random.nextInt(5) > 0) {
        event.setUserId("an-bench-viewer-" + random.nextInt(500));
      }
      if (roll < 90) {
        event
            .setKind(Interaction.Kind.VIEW)
            .setWatchMs(random.nextInt(3_000))
            .setCompleted(random.nextInt(4) == 0)
            .setDurationMs(3_000)
            .setSource(sources[random.nextInt(sources.length)]);
      } else if (roll < 95) {
        event.setKind(Interaction.Kind.SHARE);
      } else {
        event.setKind(Interaction.Kind.LIKE).setEventId("an-bench-like-" + i);
      }
      records.add(
          new ProducerRecord<>(InteractionPublisher.TOPIC, video, event.build().toByteArray()));
    }
    // per consumer: when it had taken in 10 %, 90 % and all of the batch (s from the first send)
    double[][] at10 = new double[2][1], at90 = new double[2][1], done = new double[2][1];
    String load = loadAverage();
    long start;
    long published;
    try (Producer<String, byte[]> producer =
        KafkaTopics.producer(KafkaTopics.Settings.from(bench.node.system().settings().config()))) {
      start = System.nanoTime();
      for (ProducerRecord<String, byte[]> record : records) {
        producer.send(record);
      }
      producer.flush();
      published = System.nanoTime();
    }
    while (done[0][0] == 0 || done[1][0] == 0) {
      double[] taken = {
        metric(http, base, STUDIO) - before[0], metric(http, base, COUNTERS) - before[1]
      };
      double now = (System.nanoTime() - start) / 1e9;
      for (int c = 0; c < 2; c++) {
        mark(at10[c], taken[c] >= 0.1 * n, now);
        mark(at90[c], taken[c] >= 0.9 * n, now);
        mark(done[c], taken[c] >= n, now);
      }
      Thread.sleep(20);
    }
    System.out.printf(
        "%n%,d interactions on %d videos, published in %.2f s; load average %s before, %s after%n",
        n, videos.size(), (published - start) / 1e9, load, loadAverage());
    System.out.printf(
        "%-34s %7s %9s %9s %9s %11s   %s%n",
        "(s from the first send; events/s)",
        "10 % at",
        "90 % at",
        "all at",
        "total /s",
        "10→90 % /s",
        "after the last ack");
    // the consumers read while the batch is being sent: the time past the last ack is their lag;
    // the 10 %→90 % rate leaves out the start (partitions assigned, rows loaded) and the last
    // window; a consumer that keeps up with the producer takes in the middle at the send rate, one
    // that fell behind at the rate it catches up
    double sent = (published - start) / 1e9;
    String[] names = {"studio aggregation", "counter stream (baseline)"};
    double[] steady = new double[2];
    for (int c : new int[] {1, 0}) {
      steady[c] = 0.8 * n / (at90[c][0] - at10[c][0]);
      System.out.printf(
          "%-34s %7.2f %9.2f %9.2f %9.0f %11.0f   +%.2f s%n",
          names[c],
          at10[c][0],
          at90[c][0],
          done[c][0],
          n / done[c][0],
          steady[c],
          done[c][0] - sent);
    }
    System.out.printf(
        "%-40s %8.2f (total)  %.2f (10 %%→90 %%)%n",
        "studio rate ÷ counter rate", done[1][0] / done[0][0], steady[0] / steady[1]);
  }

  /** Sets {@code mark[0]} to {@code now} the first time {@code reached}. */
  private static void mark(double[] mark, boolean reached, double now) {
    if (mark[0] == 0 && reached) {
      mark[0] = now;
    }
  }

  /** The machine's 1-minute load average (the box is shared: a busy run is not comparable). */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** A counter's value on the node's /metrics. */
  private static double metric(HttpClient http, String base, String name) throws Exception {
    String text = BenchHttp.get(http, base + "/metrics");
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return 0;
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
    // 96 hours: the last 48 and the 48 before them (the 48-hour range's previous period)
    for (int h = 0; h < 96; h++) {
      Instant hour = now.truncatedTo(ChronoUnit.HOURS).minus(h, ChronoUnit.HOURS);
      writes.add(
          write(tables, new RowKey.CreatorHour(creatorId, hour), creatorId, random, 200, now));
      writes.add(write(tables, new RowKey.VideoHour(first, hour), creatorId, random, 10, now));
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
