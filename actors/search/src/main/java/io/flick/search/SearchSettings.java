package io.flick.search;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code flick.search}: where OpenSearch is and how the search context uses it.
 *
 * @param url the cluster's HTTP base URL
 * @param indexPrefix indexes are {@code <prefix>-<kind>-v<NNN>} behind the alias {@code
 *     <prefix>-<kind>}
 * @param requestTimeout how long one request to the cluster may take
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
    Duration popularityRefresh,
    int popularityRefreshMax,
    int popularityRefreshPage,
    Duration refreshInterval,
    int querySlices,
    Duration firstPageCache) {

  public SearchSettings {
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
        c.getDuration("popularity-refresh.interval"),
        c.getInt("popularity-refresh.max-videos"),
        c.getInt("popularity-refresh.page-size"),
        c.getDuration("refresh-interval"),
        c.getInt("query-slices"),
        c.getDuration("first-page-cache"));
  }
}
