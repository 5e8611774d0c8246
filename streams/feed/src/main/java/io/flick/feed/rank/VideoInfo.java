package io.flick.feed.rank;

import java.util.List;

/**
 * What the recommender knows of a video beyond its engagements: who made it, its hashtags and sound
 * (nullable), and when it was published (0 when unknown, as in offline data).
 */
public record VideoInfo(
    String videoId, String creatorId, List<String> hashtags, String soundId, long publishedAtMs) {
  public VideoInfo {
    hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
  }

  static VideoInfo unknown(String videoId) {
    return new VideoInfo(videoId, null, List.of(), null, 0);
  }
}
