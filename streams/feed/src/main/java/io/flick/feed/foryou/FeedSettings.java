package io.flick.feed.foryou;

import com.typesafe.config.Config;
import io.flick.feed.rank.FeedMixer;
import io.flick.feed.rank.RecommenderParams;
import java.time.Duration;

/** The {@code flick.feed} block. */
public record FeedSettings(
    int candidates,
    Duration rankingTimeout,
    int breakerMaxFailures,
    Duration breakerResetTimeout,
    Duration modelPublishInterval,
    Duration itemItemInterval,
    Duration hotListInterval,
    int hotListSize,
    Duration coldStartTtl,
    Duration videoCacheTtl,
    Duration stashTtl,
    int batchSize,
    Duration batchWindow,
    RecommenderParams model,
    FeedMixer.Rules mixer) {

  public static FeedSettings from(Config config) {
    Config c = config.getConfig("flick.feed");
    Config m = c.getConfig("model");
    Config x = c.getConfig("mixer");
    return new FeedSettings(
        c.getInt("candidates"),
        c.getDuration("ranking-timeout"),
        c.getInt("breaker.max-failures"),
        c.getDuration("breaker.reset-timeout"),
        c.getDuration("model-publish-interval"),
        c.getDuration("model.item-item.interval"),
        c.getDuration("hot-list-interval"),
        c.getInt("hot-list-size"),
        c.getDuration("cold-start-ttl"),
        c.getDuration("video-cache-ttl"),
        c.getDuration("stash-ttl"),
        c.getInt("batch-size"),
        c.getDuration("batch-window"),
        new RecommenderParams(
            m.getInt("history-per-user"),
            m.getInt("neighbours-per-item"),
            m.getDuration("popularity-half-life").toMillis() / 3_600_000d,
            m.getDouble("learning-rate"),
            m.getDouble("l1"),
            m.getInt("negatives-per-positive"),
            m.getInt("max-users"),
            m.getLong("seed"),
            m.getDouble("item-item.weight"),
            m.getDouble("item-item.lambda"),
            m.getInt("item-item.max-items")),
        new FeedMixer.Rules(
            x.getInt("exploration-every"),
            x.getInt("trending-every"),
            x.getInt("max-per-sound"),
            x.getInt("max-per-hashtag")));
  }
}
