package io.flick.node.contexts;

import io.flick.node.infra.Infra;
import io.flick.search.PopularityRefresher;
import io.flick.search.SearchEngine;
import io.flick.search.SearchService;
import io.flick.search.SearchSettings;
import io.flick.search.UserSearchProjection;
import io.flick.search.VideoSearchProjection;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * The search context on this node: the OpenSearch client and its versioned indexes (any node), the
 * video and user search-document projections and the popularity refresh ({@code projections}).
 * Search being down never stops the node: the indexes are ensured again by the projections' writes
 * failing and restarting with backoff until the engine is back.
 */
public record SearchContext(SearchEngine engine, SearchService search) {

  public static SearchContext start(
      Infra infra, UserContext users, VideoContext videos, Consumer<String> progress) {
    SearchEngine engine = new SearchEngine(SearchSettings.from(infra.config()));
    CoordinatedShutdown.get(infra.system())
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "close-search-client",
            () -> {
              engine.close();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    try {
      engine.ensureIndexes().toCompletableFuture().get(60, TimeUnit.SECONDS);
      progress.accept("search      indexes " + SearchEngine.MAPPINGS.keySet() + " up to date");
    } catch (Exception e) {
      // search is optional for the rest of Flick: the projections retry, search answers 503
      progress.accept("search      OpenSearch unavailable at start (" + e.getMessage() + ")");
    }
    PopularityRefresher.start(infra.system(), engine, videos.videos());
    VideoSearchProjection.start(
        infra.system(),
        engine,
        videos.videos(),
        users.accounts(),
        videos.sounds(),
        infra.projections());
    UserSearchProjection.start(infra.system(), engine, users.accounts(), infra.projections());
    SearchService search = new SearchService(engine);
    CounterWithCallback.builder()
        .name("flick_search_first_page_cache_requests")
        .help("Top searches' first pages asked of this node: hit = answered from its memory")
        .labelNames("result")
        .callback(
            cb -> {
              SearchService.CacheCounts counts = search.firstPageCounts();
              cb.call(counts.hits(), "hit");
              cb.call(counts.misses(), "miss");
            })
        .register(infra.metrics().registry());
    CounterWithCallback.builder()
        .name("flick_search_queries_shed")
        .help(
            "Users' searches this node answered 503 at once, flick.search.max-queries-in-flight"
                + " being at the engine already")
        .callback(cb -> cb.call(engine.shedQueries()))
        .register(infra.metrics().registry());
    return new SearchContext(engine, search);
  }
}
