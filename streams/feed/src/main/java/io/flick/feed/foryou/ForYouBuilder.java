package io.flick.feed.foryou;

import io.flick.feed.rank.Candidates;
import io.flick.feed.rank.Recommender;
import io.flick.feed.rank.UserContext;
import io.flick.user.ForYouSource;
import io.flick.user.Profile;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.pattern.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Builds For You pages on this node: candidates from the node's {@link Recommender}, ranked by its
 * learned ranker inside a circuit breaker (slow or failing ranking falls back to the trending
 * order, counted in /metrics), then mixed by the {@link FeedMixer}. Also the anonymous cold-start
 * feed and the trending lists, and the Redis side: stashes of passivated users' queues and the hot
 * lists that serve cold starts while this node's model is still empty.
 */
public final class ForYouBuilder implements ForYouSource {
  private static final Logger log = LoggerFactory.getLogger(ForYouBuilder.class);
  static final String HOT_KEY = "flick:hot:";
  static final String STASH_KEY = "flick:foryou:";

  private final Recommender recommender;
  private final FeedSettings settings;
  private final ForYouPlanner planner;
  private final CircuitBreaker breaker;
  private final Executor ranking;
  private final Executor blocking;
  private final UnifiedJedis redis;
  private final Counter builds;
  private final Histogram buildSeconds;
  private final Map<String, ColdStart> coldStarts = new ConcurrentHashMap<>();

  private record ColdStart(List<String> videoIds, long builtAtMs) {}

  public ForYouBuilder(
      ActorSystem<?> system,
      Recommender recommender,
      FeedSettings settings,
      UnifiedJedis redis,
      PrometheusRegistry registry) {
    this(
        system,
        recommender,
        new ForYouPlanner(recommender, settings.mixer(), settings.candidates()),
        settings,
        redis,
        registry);
  }

  ForYouBuilder(
      ActorSystem<?> system,
      Recommender recommender,
      ForYouPlanner planner,
      FeedSettings settings,
      UnifiedJedis redis,
      PrometheusRegistry registry) {
    this.recommender = recommender;
    this.settings = settings;
    this.planner = planner;
    this.ranking =
        system.dispatchers().lookup(DispatcherSelector.fromConfig("flick-feed-ranking-dispatcher"));
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.redis = redis;
    this.breaker =
        CircuitBreaker.create(
            system.classicSystem().scheduler(),
            settings.breakerMaxFailures(),
            settings.rankingTimeout(),
            settings.breakerResetTimeout());
    this.builds =
        Counter.builder()
            .name("flick_feed_builds_total")
            .help("For You refills built, by path: ranked, or fallback (trending order)")
            .labelNames("path")
            .register(registry);
    this.buildSeconds =
        Histogram.builder()
            .name("flick_feed_build_seconds")
            .help("time to build one For You refill (candidates, rank, mix)")
            .classicUpperBounds(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1)
            .register(registry);
    GaugeWithCallback.builder()
        .name("flick_feed_ranker_breaker_open")
        .help("1 while the ranking circuit breaker is open (feeds fall back to trending)")
        .callback(cb -> cb.call(breaker.isOpen() ? 1 : 0))
        .register(registry);
  }

  // ---- personal feed (the UserActor's refills)

  @Override
  public CompletionStage<List<String>> next(Request request) {
    long started = System.nanoTime();
    UserContext user = contextOf(request);
    return CompletableFuture.supplyAsync(() -> planner.candidates(user, request.seen()), ranking)
        .thenCompose(candidates -> rankOrFallback(user, candidates, request))
        .whenComplete((ids, error) -> buildSeconds.observe((System.nanoTime() - started) / 1e9));
  }

  private CompletionStage<List<String>> rankOrFallback(
      UserContext user, Candidates candidates, Request request) {
    String previous = request.previousVideo().orElse(null);
    CompletionStage<List<String>> ranked =
        breaker.callWithCircuitBreakerCS(
            () ->
                CompletableFuture.supplyAsync(
                    () ->
                        planner.rankAndMix(
                            user, candidates, request.seen(), previous, request.size()),
                    ranking));
    return ranked
        .thenApply(
            ids -> {
              builds.labelValues("ranked").inc();
              return ids;
            })
        .exceptionally(
            error -> {
              builds.labelValues("fallback").inc();
              log.debug("ranking failed, trending order instead: {}", error.toString());
              return planner.fallback(candidates, request.seen(), previous, request.size());
            });
  }

  private UserContext contextOf(Request request) {
    Profile profile = request.profile();
    return new UserContext(
        request.userId(),
        request.region(),
        recommender.recentVideos(request.userId()),
        profile.creators(),
        profile.hashtags(),
        profile.sounds(),
        profile.following());
  }

  // ---- anonymous and trending

  /**
   * The cold-start feed for someone we know nothing about: the region's trending videos mixed with
   * fresh ones, rebuilt every {@code cold-start-ttl} so pages of one visit stay consistent.
   */
  public CompletionStage<List<String>> coldStart(String region) {
    String key = region == null ? "" : region;
    ColdStart cached = coldStarts.get(key);
    long now = System.currentTimeMillis();
    if (cached != null && now - cached.builtAtMs() < settings.coldStartTtl().toMillis()) {
      return CompletableFuture.completedFuture(cached.videoIds());
    }
    return CompletableFuture.supplyAsync(
            () -> {
              UserContext anonymous = UserContext.anonymous(region);
              return planner.rankAndMix(
                  anonymous,
                  planner.candidates(anonymous, id -> false),
                  id -> false,
                  null,
                  settings.hotListSize());
            },
            ranking)
        .thenCompose(
            ids -> ids.isEmpty() ? hotList(region) : CompletableFuture.completedFuture(ids))
        .thenApply(
            ids -> {
              coldStarts.put(key, new ColdStart(ids, now));
              return ids;
            });
  }

  /** Trending in the region (global when null), hottest first. */
  public CompletionStage<List<String>> trending(String region, int n) {
    List<String> local = recommender.trending(region, n, id -> false);
    if (!local.isEmpty()) {
      return CompletableFuture.completedFuture(local);
    }
    // this node's model is empty (just started): the cluster's last hot list
    return hotList(region);
  }

  /**
   * Hashtags ({@code sounds} false) or sounds trending in the region (global when null), from this
   * node's model, which every feed node learns from the whole interaction stream.
   */
  public List<io.flick.feed.rank.Recommender.TrendingTerm> trendingTerms(
      String region, boolean sounds, int n, int sample) {
    return recommender.trendingTerms(region, sounds, n, sample);
  }

  /** Creators of the region's trending videos (global when null), hottest first, distinct. */
  public CompletionStage<List<String>> popularCreators(String region, int n) {
    return trending(region, 200)
        .thenApply(
            ids ->
                ids.stream()
                    .map(recommender::info)
                    .filter(java.util.Objects::nonNull)
                    .map(io.flick.feed.rank.VideoInfo::creatorId)
                    .filter(java.util.Objects::nonNull)
                    .distinct()
                    .limit(n)
                    .toList());
  }

  private CompletionStage<List<String>> hotList(String region) {
    return CompletableFuture.supplyAsync(
            () -> redis.lrange(HOT_KEY + (region == null ? "global" : region), 0, -1), blocking)
        .thenApply(ids -> ids.stream().filter(recommender::isAvailable).toList())
        .exceptionally(
            error -> {
              log.debug("no hot list from Redis: {}", error.toString());
              return List.of();
            });
  }

  /** Writes the global and regional hot lists to Redis (blocking: call from a scheduler). */
  public void writeHotLists(List<String> regions) {
    write("global", recommender.trending(null, settings.hotListSize(), id -> false));
    for (String region : regions) {
      write(region, recommender.trending(region, settings.hotListSize(), id -> false));
    }
  }

  private void write(String name, List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    String key = HOT_KEY + name;
    String staging = key + ":next";
    redis.del(staging);
    redis.rpush(staging, ids.toArray(String[]::new));
    redis.rename(staging, key);
  }

  // ---- stashes of passivated users

  @Override
  public void stash(String userId, Stash stash) {
    CompletableFuture.runAsync(
            () ->
                redis.set(
                    (STASH_KEY + userId).getBytes(StandardCharsets.UTF_8),
                    encode(stash),
                    SetParams.setParams().ex(settings.stashTtl().toSeconds())),
            blocking)
        .exceptionally(
            error -> {
              log.debug("For You stash of {} not kept: {}", userId, error.toString());
              return null;
            });
  }

  @Override
  public CompletionStage<Optional<Stash>> restore(String userId) {
    return CompletableFuture.supplyAsync(
            () -> {
              byte[] bytes = redis.get((STASH_KEY + userId).getBytes(StandardCharsets.UTF_8));
              return Optional.ofNullable(bytes).map(ForYouBuilder::decode);
            },
            blocking)
        .exceptionally(
            error -> {
              log.debug("For You stash of {} unreadable: {}", userId, error.toString());
              return Optional.empty();
            });
  }

  static byte[] encode(Stash stash) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(stash.queue().size());
      for (String id : stash.queue()) {
        out.writeUTF(id);
      }
      out.writeInt(stash.seenFilter().length);
      out.write(stash.seenFilter());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  static Stash decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int n = in.readInt();
      List<String> queue = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        queue.add(in.readUTF());
      }
      byte[] filter = new byte[in.readInt()];
      in.readFully(filter);
      return new Stash(queue, filter);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a For You stash", e);
    }
  }

  /** Whether a video may be shown: READY, and not withdrawn (deleted) as far as this node knows. */
  public boolean available(String videoId) {
    return recommender.isAvailable(videoId);
  }

  public FeedSettings settings() {
    return settings;
  }
}
