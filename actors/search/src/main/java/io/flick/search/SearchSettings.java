package io.flick.search;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code flick.search}: where OpenSearch is and how the search context uses it.
 *
 * @param url the cluster's HTTP base URL
 * @param indexPrefix indexes are {@code <prefix>-<kind>-v<NNN>} behind the alias {@code
 *     <prefix>-<kind>}
 * @param requestTimeout how long one request to the cluster may take: the projections' writes, the
 *     index set-up, the popularity refresh
 * @param queryTimeout how long one of a user's searches may wait for a connection, and then for the
 *     engine's answer, before it answers 503 (the connection is closed then, so the engine drops
 *     the search instead of finishing it for nobody)
 * @param maxQueriesInFlight how many users' searches this node has at the engine at once; one more
 *     answers 503 at once instead of queueing behind a slow or hung engine
 * @param popularityRefresh how often the popularity of indexed videos is brought up to date
 * @param popularityRefreshMax how many of the newest indexed videos one refresh looks at
 * @param popularityRefreshPage how many of them it reads, asks about and updates at a time
 * @param refreshInterval how soon a written document is visible to search (the indexes' {@code
 *     refresh_interval}, set on every start)
 * @param querySlices how many threads one query searches the videos index with (concurrent segment
 *     search over that many slices of its segments; 1 turns it off), set on every start
 * @param firstPageCache how long a top search's first page, when full, is answered from this node's
 *     memory for every viewer (zero turns it off); see {@link SearchService}
 */
public record SearchSettings(
    String url,
    String indexPrefix,
    Duration requestTimeout,
    Duration queryTimeout,
    int maxQueriesInFlight,
    Duration popularityRefresh,
    int popularityRefreshMax,
    int popularityRefreshPage,
    Duration refreshInterval,
    int querySlices,
    Duration firstPageCache) {

  public SearchSettings {
    if (queryTimeout.isNegative() || queryTimeout.isZero()) {
      throw new IllegalArgumentException("flick.search.query-timeout must be positive");
    }
    if (maxQueriesInFlight < 1) {
      throw new IllegalArgumentException("flick.search.max-queries-in-flight must be at least 1");
    }
    if (popularityRefreshPage < 1) {
      throw new IllegalArgumentException(
          "flick.search.popularity-refresh.page-size must be at least 1");
    }
    if (querySlices < 1) {
      throw new IllegalArgumentException("flick.search.query-slices must be at least 1");
    }
    if (firstPageCache.isNegative()) {
      throw new IllegalArgumentException("flick.search.first-page-cache must not be negative");
    }
  }

  /**
   * The read journal the search projections follow the entities through: the shared Cassandra
   * query's config with a shorter consistency delay and poll (persistence.conf), so a video is
   * searchable within about a second and a half of READY instead of the shared 2–4 s.
   */
  public static final String READ_JOURNAL = "flick.search.read-journal.query";

  public static SearchSettings from(Config config) {
    Config c = config.getConfig("flick.search");
    return new SearchSettings(
        c.getString("url"),
        c.getString("index-prefix"),
        c.getDuration("request-timeout"),
        c.getDuration("query-timeout"),
        c.getInt("max-queries-in-flight"),
        c.getDuration("popularity-refresh.interval"),
        c.getInt("popularity-refresh.max-videos"),
        c.getInt("popularity-refresh.page-size"),
        c.getDuration("refresh-interval"),
        c.getInt("query-slices"),
        c.getDuration("first-page-cache"));
  }
}
