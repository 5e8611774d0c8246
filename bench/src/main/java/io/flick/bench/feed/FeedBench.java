package io.flick.bench.feed;

import com.typesafe.config.ConfigFactory;
import io.flick.bench.BenchCatalog;
import io.flick.bench.BenchNode;
import io.flick.bench.WrkRun;
import io.flick.feed.eval.Interaction;
import io.flick.feed.eval.InteractionGenerator;
import io.flick.feed.foryou.FeedSettings;
import io.flick.feed.foryou.ForYouPlanner;
import io.flick.feed.rank.Engagement;
import io.flick.feed.rank.Recommender;
import io.flick.feed.rank.UserContext;
import io.flick.feed.rank.VideoInfo;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * bench/feed: (1) cold For You builds — candidates → rank → mix on the serving code path ({@link
 * ForYouPlanner}) over the generator's catalogue and users, against a naive full ranking of every
 * video for the same users; (2) warm For You pages over HTTP from UserActor memory, driven by wrk,
 * next to the same node's {@code /health} (the HTTP stack's ceiling here) and the trending page.
 */
public final class FeedBench {
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
            "flick.user.for-you.low-watermark", 10);
    try (BenchNode bench = BenchNode.start(home, "feed", overrides)) {
      var system = bench.node.system();
      BenchCatalog.readyVideos(system, catalogue);
      List<String> bearer = BenchCatalog.viewers(system, "viewer", viewers);
      HttpClient http = HttpClient.newHttpClient();
      String base = bench.baseUrl();
      BenchCatalog.awaitModel(http, base, catalogue);
      // first page per viewer: the cold build; everything after comes from actor memory
      BenchCatalog.firstPages(http, List.of(base), bearer);
      Path script = Files.createTempFile("foryou", ".lua");
      Files.writeString(script, BenchCatalog.tokenRotationLua(bearer));
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
