package io.flick.video;

import io.flick.common.CborSerializable;

/**
 * What one batch of interactions adds to a video's write-back counters, or a sum of batches. Likes
 * and comments may be negative (unlikes, deleted comments). Persisted inside {@link
 * VideoEvent.CountsFlushed} and the snapshot's {@link VideoState.Counters}.
 */
public record CountDeltas(
    long views, long likes, long comments, long shares, long watchMs, long completedViews)
    implements CborSerializable {
  public static final CountDeltas ZERO = new CountDeltas(0, 0, 0, 0, 0, 0);

  /**
   * An event that may reach the counters more than once under the same {@code eventId}: likes and
   * comments, published at least once by their outbox projections, which republish with the same id
   * after a restart. Counted once per id (see {@link VideoState.Counters#hasCounted}).
   */
  public record Identified(String eventId, CountDeltas delta) implements CborSerializable {}

  public CountDeltas plus(CountDeltas other) {
    return new CountDeltas(
        views + other.views,
        likes + other.likes,
        comments + other.comments,
        shares + other.shares,
        watchMs + other.watchMs,
        completedViews + other.completedViews);
  }
}
