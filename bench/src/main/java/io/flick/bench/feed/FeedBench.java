package io.flick.bench.feed;

import com.typesafe.config.ConfigFactory;
import io.flick.api.auth.TokenService;
import io.flick.bench.BenchNode;
import io.flick.bench.WrkRun;
import io.flick.common.Ids;
import io.flick.feed.eval.Interaction;
import io.flick.feed.eval.InteractionGenerator;
import io.flick.feed.foryou.FeedSettings;
import io.flick.feed.foryou.ForYouPlanner;
import io.flick.feed.rank.Engagement;
import io.flick.feed.rank.Recommender;
import io.flick.feed.rank.UserContext;
import io.flick.feed.rank.VideoInfo;
import io.flick.node.infra.KafkaTopics;
import io.flick.user.Account;
import io.flick.user.UserActor;
import io.flick.user.UserCommand;
import io.flick.video.MediaKeys;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary.Rendition;
import io.flick.video.catalog.VideoCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * bench/feed: (1) cold For You builds — candidates → rank → mix on the serving code path ({@link
 * ForYouPlanner}) over the generator's catalogue and users, against a naive full ranking of every
 * video for the same users; (2) warm For You pages over HTTP from UserActor memory, driven by wrk,
 * next to the same node's {@code /health} (the HTTP stack's ceiling here) and the trending page.
 */
public final class FeedBench {
  private static final String JWT_SECRET = "benchmark-secret-of-at-least-32-bytes-long";

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("flick.home", ".")).toAbsolutePath().normalize();
    int users = Integer.getInteger("users", 100_000);
    int videos = Integer.getInteger("videos", 10_000);
    int seconds = Integer.getInteger("seconds", 15);
    int connections = Integer.getInteger("connections", 32);
    String phases = System.getProperty("phases", "cold,warm");
    if (phases.contains("cold")) {
      coldBuilds(users, videos);
    }
    if (phases.contains("warm")) {
      warmPages(home, seconds, connections);
    }
  }

  // ---- (1) cold builds

  private static void coldBuilds(int users, int videos) {
    System.out.printf("== cold builds: generating %,d users × %,d videos%n", users, videos);
    InteractionGenerator.Dataset data =
        InteractionGenerator.generate(
            new InteractionGenerator.Settings(users, videos, videos / 5, 40, 42));
    Map<String, InteractionGenerator.Video> byId = new HashMap<>();
    data.videos().forEach(v -> byId.put(v.videoId(), v));
    FeedSettings settings = FeedSettings.from(ConfigFactory.load());
    Recommender recommender = new Recommender(settings.model());
    long publishedAt = data.train().isEmpty() ? 0 : data.train().get(0).timestamp();
    for (InteractionGenerator.Video v : data.videos()) {
      recommender.publish(
          new VideoInfo(v.videoId(), v.creatorId(), List.of(v.hashtag()), null, publishedAt));
    }
    long learnStart = System.nanoTime();
    for (Interaction i : data.train()) {
      InteractionGenerator.Video v = byId.get(i.itemId());
      recommender.learn(
          new Engagement(
              i.userId(),
              i.itemId(),
              v == null ? null : v.creatorId(),
              v == null ? List.of() : List.of(v.hashtag()),
              null,
              null,
              i.weight(),
              i.timestamp()));
    }
    double learnSeconds = (System.nanoTime() - learnStart) / 1e9;
    System.out.printf(
        "learned %,d engagements online in %.1f s (%,.0f/s)%n",
        data.train().size(), learnSeconds, data.train().size() / learnSeconds);
    // what every node does every flick.feed.model.item-item.interval: builds then use the table
    recommender.refreshItemItem(2);
    System.out.printf(
        "item-item table: %,d videos fitted in %.1f s%n",
        recommender.itemItem().fittedItems(), recommender.itemItem().fitMillis() / 1e3);

    ForYouPlanner planner = new ForYouPlanner(recommender, settings.mixer(), settings.candidates());
    List<String> sample = sampleUsers(data.train(), 2_000);
    List<String> items = recommender.items();
    double[] scores = new double[items.size()];
    // warm the JIT on both paths first
    for (String user : sample.subList(0, 200)) {
      planner.build(recommender.context(user), id -> false, null, 40);
      fullRanking(recommender, recommender.context(user), items, scores, 40);
    }
    long[] flick = new long[sample.size()];
    long[] naive = new long[sample.size()];
    for (int k = 0; k < sample.size(); k++) {
      UserContext user = recommender.context(sample.get(k));
      long t0 = System.nanoTime();
      List<String> page = planner.build(user, id -> false, null, 40);
      long t1 = System.nanoTime();
      fullRanking(recommender, user, items, scores, 40);
      long t2 = System.nanoTime();
      flick[k] = t1 - t0;
      naive[k] = t2 - t1;
      if (page.isEmpty()) {
        throw new IllegalStateException("empty build for " + sample.get(k));
      }
    }
    System.out.printf(
        "%-44s %9s %9s%n", "cold build, " + sample.size() + " users", "p50 ms", "p99 ms");
    System.out.printf(
        "%-44s %9.2f %9.2f%n",
        "Flick: candidates → rank → mix (40 videos)", ms(flick, 0.50), ms(flick, 0.99));
    System.out.printf(
        "%-44s %9.2f %9.2f%n",
        "naive: rank all " + items.size() + " videos, top 40", ms(naive, 0.50), ms(naive, 0.99));
    System.out.printf(
        "ratio naive/Flick at p99: %.1f×%n%n", ms(naive, 0.99) / Math.max(1e-9, ms(flick, 0.99)));
  }

  private static List<String> fullRanking(
      Recommender recommender, UserContext user, List<String> items, double[] scores, int n) {
    recommender.scoreAll(user, items, scores);
    Integer[] order = new Integer[items.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    List<String> top = new ArrayList<>(n);
    for (int i = 0; i < n && i < order.length; i++) {
      top.add(items.get(order[i]));
    }
    return top;
  }

  private static List<String> sampleUsers(List<Interaction> train, int n) {
    List<String> distinct = train.stream().map(Interaction::userId).distinct().toList();
    List<String> shuffled = new ArrayList<>(distinct);
    java.util.Collections.shuffle(shuffled, new Random(7));
    return shuffled.subList(0, Math.min(n, shuffled.size()));
  }

  private static double ms(long[] nanos, double quantile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
  }

  // ---- (2) warm pages over HTTP

  private static void warmPages(Path home, int seconds, int connections) throws Exception {
    int catalogue = Integer.getInteger("warmVideos", 2_000);
    int viewers = Integer.getInteger("warmUsers", 1_000);
    System.out.printf(
        "== warm pages: %,d READY videos, %,d signed-in viewers, wrk %d s × %d connections%n",
        catalogue, viewers, seconds, connections);
    // big refills so nearly every page is served from actor memory
    Map<String, Object> overrides =
        Map.of(
            "flick.user.for-you.refill-size", 400,
            "flick.user.for-you.low-watermark", 10,
            "flick.auth.jwt-secret", JWT_SECRET);
    try (BenchNode bench = BenchNode.start(home, "feed", overrides)) {
      var system = bench.node.system();
      var config = system.settings().config();
      VideoService videoService = new VideoService(system);
      Producer<String, byte[]> producer = KafkaTopics.producer(KafkaTopics.Settings.from(config));
      VideoCatalog catalog = new VideoCatalog(producer);
      List<CompletableFuture<?>> pending = new ArrayList<>();
      for (int i = 0; i < catalogue; i++) {
        pending.add(readyVideo(videoService, catalog, "creator" + (i % 200), i));
        if (pending.size() == 64) {
          CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
              .get(60, TimeUnit.SECONDS);
          pending.clear();
        }
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      producer.flush();
      producer.close();

      TokenService tokens = new TokenService(JWT_SECRET, Duration.ofHours(2), Clock.systemUTC());
      ClusterSharding sharding = ClusterSharding.get(system);
      List<String> bearer = new ArrayList<>();
      for (int u = 0; u < viewers; u++) {
        String id = Ids.newId();
        String handle = "viewer" + u;
        sharding
            .entityRefFor(UserActor.ENTITY_TYPE_KEY, id)
            .<Account>askWithStatus(
                r -> new UserCommand.Register(handle, "DE", Instant.now(), r),
                Duration.ofSeconds(10))
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
        bearer.add(tokens.issue(id, "viewer" + u, "DE").token());
      }
      HttpClient http = HttpClient.newHttpClient();
      String base = bench.baseUrl();
      awaitCatalogue(http, base, catalogue);
      // first page per viewer: the cold build; everything after comes from actor memory
      for (String token : bearer) {
        HttpResponse<String> first =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/feed/foryou?limit=10"))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 200 || !first.body().contains("\"id\"")) {
          throw new IllegalStateException("first page: " + first.statusCode() + " " + first.body());
        }
      }
      Path script = Files.createTempFile("foryou", ".lua");
      Files.writeString(script, wrkScript(bearer));
      WrkRun health = wrk(base + "/health", null, seconds, connections);
      WrkRun trending = wrk(base + "/api/v1/feed/trending?limit=10", null, seconds, connections);
      WrkRun warm = wrk(base + "/api/v1/feed/foryou?limit=10", script, seconds, connections);
      WrkRun half =
          wrk(base + "/api/v1/feed/foryou?limit=10", script, seconds, Math.max(1, connections / 8));
      System.out.printf(
          "%-46s %10s %9s %9s%n", "HTTP, 10 videos a page", "req/s", "p50 ms", "p99 ms");
      print("GET /health (the HTTP stack's ceiling here)", health);
      print("GET /feed/trending", trending);
      print("GET /feed/foryou warm (" + connections + " connections)", warm);
      print("GET /feed/foryou warm (" + Math.max(1, connections / 8) + " connections)", half);
      System.out.printf("warm For You / health: %.2f%n", warm.rps() / health.rps());
    }
  }

  private static CompletableFuture<?> readyVideo(
      VideoService videos, VideoCatalog catalog, String creator, int i) {
    String id = Ids.newId();
    String prefix = MediaKeys.mediaPrefix(id);
    List<String> tags = List.of("tag" + (i % 50));
    return videos
        .create(
            id,
            creator,
            "bench video " + i,
            tags,
            Optional.empty(),
            1_000_000,
            "video/mp4",
            prefix + "source",
            Instant.now().plusSeconds(600))
        .thenCompose(v -> videos.completeUpload(id, creator))
        .thenCompose(
            v ->
                videos.markReady(
                    id,
                    15_000,
                    720,
                    1280,
                    List.of(
                        new Rendition(
                            "720p",
                            720,
                            1280,
                            2_500_000,
                            2_000_000,
                            "avc1.64001f",
                            prefix + "hls/720p/index.m3u8")),
                    prefix + "hls/master.m3u8",
                    Optional.of(prefix + "poster.jpg"),
                    Optional.empty()))
        .thenCompose(
            v ->
                catalog.ready(
                    id, creator, tags, null, System.currentTimeMillis(), 15_000, List.of()))
        .toCompletableFuture();
  }

  private static void awaitCatalogue(HttpClient http, String base, int videos) throws Exception {
    Pattern gauge = Pattern.compile("(?m)^flick_feed_model_videos ([0-9.E]+)$");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = gauge.matcher(metrics);
      if (m.find() && Double.parseDouble(m.group(1)) >= videos) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the node's catalogue never reached " + videos + " videos");
  }

  private static String wrkScript(List<String> tokens) {
    StringBuilder lua = new StringBuilder("tokens = {\n");
    for (String t : tokens) {
      lua.append("  \"").append(t).append("\",\n");
    }
    lua.append(
        """
        }
        counter = 0
        request = function()
          counter = counter + 1
          local token = tokens[(counter % #tokens) + 1]
          return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token })
        end
        """);
    return lua.toString();
  }

  /** wrk against the node; any non-2xx answer fails the run. */
  private static WrkRun wrk(String url, Path script, int seconds, int connections)
      throws Exception {
    WrkRun run = WrkRun.run(url, script, seconds, connections, 1, Duration.ofSeconds(5));
    if (run.output().contains("Non-2xx")) {
      throw new IllegalStateException("errors under load:\n" + run.output());
    }
    return run;
  }

  private static void print(String name, WrkRun w) {
    System.out.printf("%-46s %10.0f %9.2f %9.2f%n", name, w.rps(), w.p50(), w.p99());
  }
}
