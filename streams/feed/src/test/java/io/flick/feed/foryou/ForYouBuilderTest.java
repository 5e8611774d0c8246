package io.flick.feed.foryou;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.ConfigFactory;
import io.flick.feed.rank.Candidates;
import io.flick.feed.rank.Engagement;
import io.flick.feed.rank.Recommender;
import io.flick.feed.rank.UserContext;
import io.flick.feed.rank.VideoInfo;
import io.flick.user.ForYouSource;
import io.flick.user.Profile;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ForYouBuilderTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static Recommender catalogue() {
    Recommender recommender = new Recommender(FeedSettings.from(ConfigFactory.load()).model());
    long now = System.currentTimeMillis();
    for (int i = 0; i < 60; i++) {
      recommender.publish(
          new VideoInfo("v" + i, "creator" + (i % 6), List.of("tag" + (i % 4)), null, now));
    }
    for (int u = 0; u < 30; u++) {
      recommender.learn(
          new Engagement(
              "u" + u,
              "v" + (u % 10),
              "creator" + (u % 6),
              List.of(),
              null,
              "DE",
              Engagement.COMPLETE,
              now + u));
    }
    return recommender;
  }

  private static ForYouSource.Request request(Predicate<String> seen) {
    Profile profile =
        new Profile(
            "viewer", Instant.now(), Map.of(), Map.of(), Map.of(), Map.of(), 0, Set.of(), 0);
    return new ForYouSource.Request("viewer", "DE", profile, seen, Optional.empty(), 20);
  }

  private static double count(PrometheusRegistry registry, String path) {
    return registry.scrape().stream()
        .filter(s -> s.getMetadata().getName().equals("flick_feed_builds"))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .filter(d -> d.getLabels().get("path").equals(path))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }

  @Test
  void buildsARankedMixedRefillThatLeavesOutWhatWasSeen() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Recommender recommender = catalogue();
    ForYouBuilder builder =
        new ForYouBuilder(
            testKit.system(), recommender, FeedSettings.from(ConfigFactory.load()), null, registry);
    Set<String> seen = Set.of("v0", "v1", "v2");
    List<String> refill =
        builder.next(request(seen::contains)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(20, refill.size(), refill.toString());
    assertEquals(20, new HashSet<>(refill).size());
    assertFalse(refill.stream().anyMatch(seen::contains), refill.toString());
    assertEquals(1.0, count(registry, "ranked"));
  }

  @Test
  void slowRankingFallsBackToTrendingOrderAndOpensTheBreaker() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Recommender recommender = catalogue();
    FeedSettings settings =
        FeedSettings.from(
            ConfigFactory.parseString(
                    "flick.feed.ranking-timeout = 50ms\nflick.feed.breaker.max-failures = 2")
                .withFallback(ConfigFactory.load()));
    CountDownLatch released = new CountDownLatch(1);
    ForYouPlanner stuck =
        new ForYouPlanner(recommender, settings.mixer(), settings.candidates()) {
          @Override
          public List<String> rankAndMix(
              UserContext user,
              Candidates candidates,
              Predicate<String> seen,
              String previousVideo,
              int size) {
            try {
              // a ranker that hangs (until the test ends)
              released.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return List.of();
          }
        };
    ForYouBuilder builder =
        new ForYouBuilder(testKit.system(), recommender, stuck, settings, null, registry);
    try {
      for (int i = 0; i < 3; i++) {
        List<String> refill =
            builder.next(request(id -> false)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(20, refill.size(), "the fallback still fills the page");
      }
      assertEquals(3.0, count(registry, "fallback"));
      assertEquals(0.0, count(registry, "ranked"));
      double open =
          registry.scrape().stream()
              .filter(s -> s.getMetadata().getName().equals("flick_feed_ranker_breaker_open"))
              .flatMap(s -> ((GaugeSnapshot) s).getDataPoints().stream())
              .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue)
              .findFirst()
              .orElseThrow();
      assertEquals(1.0, open, "the breaker is open and /metrics says so");
    } finally {
      released.countDown();
    }
  }
}
