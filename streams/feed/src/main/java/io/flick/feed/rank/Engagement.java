package io.flick.feed.rank;

import java.util.List;
import java.util.Objects;

/**
 * One thing a user did with a video, as the recommender learns from it. {@code weight} is the
 * strength of the signal: positive for engagement ({@link #VIEW} … {@link #SHARE}), zero or less
 * for a skip. {@code creatorId}, {@code soundId} and {@code region} may be null and {@code
 * hashtags} empty (offline data often has only user and item).
 */
public record Engagement(
    String userId,
    String videoId,
    String creatorId,
    List<String> hashtags,
    String soundId,
    String region,
    double weight,
    long timestampMs) {

  /** A fast skip: the viewer swiped away early. */
  public static final double SKIP = -1.0;

  /** A view that was neither a skip nor watched to the end. */
  public static final double VIEW = 0.5;

  /** Watched to the end. */
  public static final double COMPLETE = 1.0;

  public static final double COMMENT = 1.5;
  public static final double LIKE = 2.0;
  public static final double SHARE = 3.0;

  public Engagement {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(videoId, "videoId");
    hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
  }

  public static Engagement of(String userId, String videoId, double weight, long timestampMs) {
    return new Engagement(userId, videoId, null, List.of(), null, null, weight, timestampMs);
  }

  public boolean positive() {
    return weight > 0;
  }
}
