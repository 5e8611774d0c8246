package io.flick.user;

import com.typesafe.config.Config;

/**
 * The {@code flick.user.for-you} block: how much of the For You feed a UserActor keeps ready.
 *
 * @param refillSize videos built per refill
 * @param lowWatermark a refill starts in the background when fewer than this many are queued
 * @param keepAfterSignal after a like, share or watch only this many queued videos are kept, so the
 *     next refill reflects it within a page or two
 * @param seenCapacity videos the seen-filter holds at its false-positive rate before it restarts
 * @param seenFalsePositiveRate how often an unseen video is wrongly taken for seen
 */
public record ForYouSettings(
    int refillSize,
    int lowWatermark,
    int keepAfterSignal,
    int seenCapacity,
    double seenFalsePositiveRate) {

  public ForYouSettings {
    if (refillSize < 1 || lowWatermark < 0 || keepAfterSignal < 0 || seenCapacity < 1) {
      throw new IllegalArgumentException("flick.user.for-you sizes must be positive");
    }
    if (!(seenFalsePositiveRate > 0 && seenFalsePositiveRate < 1)) {
      throw new IllegalArgumentException("flick.user.for-you.seen-false-positive-rate in (0, 1)");
    }
  }

  public static ForYouSettings fromConfig(Config config) {
    Config c = config.getConfig("flick.user.for-you");
    return new ForYouSettings(
        c.getInt("refill-size"),
        c.getInt("low-watermark"),
        c.getInt("keep-after-signal"),
        c.getInt("seen-capacity"),
        c.getDouble("seen-false-positive-rate"));
  }
}
