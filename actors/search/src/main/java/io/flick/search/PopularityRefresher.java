package io.flick.search;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.flick.common.NodeRoles;
import io.flick.common.projection.ReadSide;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the popularity of indexed videos up to date at a bounded rate: every interval, the newest
 * {@code max-videos} documents are compared, a page at a time, with their VideoActors' flushed
 * counts and each page's changed ones get one bulk partial update. Not per view: a viral video
 * costs the index one update per interval, whatever its traffic. Partial updates without upsert: a
 * document removed meanwhile stays removed. One instance in the cluster (a sharded daemon process
 * on the projections nodes).
 */
public final class PopularityRefresher {
  private static final Logger log = LoggerFactory.getLogger(PopularityRefresher.class);

  public static final String NAME = "search-popularity";

  /** A hit's sort values, the next page's {@code search_after}. */
  private static final TypeReference<List<Object>> SORT_VALUES = new TypeReference<>() {};

  private PopularityRefresher() {}

  /** Local messages: the timer's tick and the end of a pass. */
  interface Message extends NoSerializationVerificationNeeded {}

  enum Tick implements Message {
    INSTANCE
  }

  record Refreshed(Integer updated, Throwable failure) implements Message {}

  public static void start(ActorSystem<?> system, SearchEngine engine, VideoService videos) {
    Behavior<Message> refresher =
        Behaviors.setup(
            context ->
                Behaviors.withTimers(
                    timers -> {
                      timers.startSingleTimer(Tick.INSTANCE, engine.settings().popularityRefresh());
                      return Behaviors.receive(Message.class)
                          .onMessage(
                              Tick.class,
                              tick -> {
                                // one pass at a time: the next tick is set when this one ends
                                context.pipeToSelf(refresh(engine, videos), Refreshed::new);
                                return Behaviors.same();
                              })
                          .onMessage(
                              Refreshed.class,
                              done -> {
                                if (done.failure() != null) {
                                  log.warn(
                                      "popularity refresh failed; the next one tries again: {}",
                                      done.failure().toString());
                                }
                                timers.startSingleTimer(
                                    Tick.INSTANCE, engine.settings().popularityRefresh());
                                return Behaviors.same();
                              })
                          .build();
                    }));
    ShardedDaemonProcess.get(system)
        .init(
            Message.class,
            NAME,
            1,
            i -> Behaviors.supervise(refresher).onFailure(SupervisorStrategy.restart()),
            NodeRoles.restrictTo(system, ReadSide.ROLE)
                .map(ShardedDaemonProcessSettings.create(system)::withRole)
                .orElse(ShardedDaemonProcessSettings.create(system)),
            java.util.Optional.empty());
  }

  /**
   * One pass; completes with how many documents it updated. It writes, so it first ensures the
   * indexes like the projections do: a node that started while the engine was down or slow creates
   * them within one interval of its return, even before any document is written (searches until
   * then would find no index).
   */
  public static CompletionStage<Integer> refresh(SearchEngine engine, VideoService videos) {
    return engine.writable().thenCompose(ensured -> refreshEnsured(engine, videos));
  }

  private static CompletionStage<Integer> refreshEnsured(SearchEngine engine, VideoService videos) {
    return refreshPages(engine, videos, null, 0, 0);
  }

  /**
   * Walks the newest documents a page at a time ({@code search_after} on the creation time and the
   * id), each page's changes sent as their own bulk. Pages keep every response and bulk body small:
   * one body for all {@code max-videos} was a humongous allocation for the node's G1 every interval
   * (its pauses showed in the search p99), and its thousands of asks to VideoActors came at once.
   */
  private static CompletionStage<Integer> refreshPages(
      SearchEngine engine, VideoService videos, List<Object> after, int seen, int updated) {
    SearchSettings settings = engine.settings();
    int size = Math.min(settings.popularityRefreshPage(), settings.popularityRefreshMax() - seen);
    Map<String, Object> query = new HashMap<>();
    query.put("size", size);
    query.put("track_total_hits", false);
    query.put("_source", List.of("views", "likes", "popularity"));
    query.put("sort", List.of(Map.of("createdAt", "desc"), Map.of("id", "asc")));
    query.put("query", Map.of("match_all", Map.of()));
    if (after != null) {
      query.put("search_after", after);
    }
    return engine
        .send("POST", "/" + engine.alias("videos") + "/_search", query)
        .thenApply(a -> SearchEngine.ok(a, "listing indexed videos"))
        .thenCompose(
            a -> {
              JsonNode hits = a.body().path("hits").path("hits");
              Map<String, JsonNode> indexed = new HashMap<>();
              for (JsonNode hit : hits) {
                indexed.put(hit.path("_id").asText(), hit.path("_source"));
              }
              if (indexed.isEmpty()) {
                return CompletableFuture.completedFuture(updated);
              }
              boolean last =
                  hits.size() < size || seen + hits.size() >= settings.popularityRefreshMax();
              List<Object> next =
                  SearchEngine.JSON.convertValue(
                      hits.get(hits.size() - 1).path("sort"), SORT_VALUES);
              return videos
                  .getAll(List.copyOf(indexed.keySet()))
                  .thenCompose(live -> update(engine, indexed, live))
                  .thenCompose(
                      changed ->
                          last
                              ? CompletableFuture.completedFuture(updated + changed)
                              : refreshPages(
                                  engine, videos, next, seen + hits.size(), updated + changed));
            });
  }

  private static CompletionStage<Integer> update(
      SearchEngine engine, Map<String, JsonNode> indexed, List<VideoSummary> live) {
    StringBuilder bulk = new StringBuilder();
    int changed = 0;
    for (VideoSummary video : live) {
      JsonNode doc = indexed.get(video.id());
      Map<String, Object> now = VideoSearchProjection.popularity(video.counts());
      if (doc == null
          || (doc.path("views").asLong() == (long) now.get("views")
              && doc.path("likes").asLong() == (long) now.get("likes")
              && doc.path("popularity").asDouble() == (double) now.get("popularity"))) {
        continue;
      }
      try {
        bulk.append(
                SearchEngine.JSON.writeValueAsString(
                    Map.of("update", Map.of("_index", engine.alias("videos"), "_id", video.id()))))
            .append('\n')
            .append(SearchEngine.JSON.writeValueAsString(Map.of("doc", now)))
            .append('\n');
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      changed++;
    }
    if (changed == 0) {
      return CompletableFuture.completedFuture(0);
    }
    int updated = changed;
    return engine
        .send("POST", "/_bulk", bulk.toString())
        .thenApply(a -> SearchEngine.ok(a, "updating popularity"))
        .thenApply(a -> updated);
  }
}
