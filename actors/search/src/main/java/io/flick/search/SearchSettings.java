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
 */
public record SearchSettings(
    String url,
    String indexPrefix,
    Duration requestTimeout,
    Duration popularityRefresh,
    int popularityRefreshMax) {

  public static SearchSettings from(Config config) {
    Config c = config.getConfig("flick.search");
    return new SearchSettings(
        c.getString("url"),
        c.getString("index-prefix"),
        c.getDuration("request-timeout"),
        c.getDuration("popularity-refresh.interval"),
        c.getInt("popularity-refresh.max-videos"));
  }
}
