package io.flick.feed.rank;

import java.util.List;

/**
 * What the recommender knows of a video beyond its engagements: who made it, its hashtags and sound
 * (nullable), when it was published (0 when unknown, as in offline data) and its content vector
 * (null when none: any dimension, computed from the media; the recommender compares directions
 * only, so the scale does not matter).
 */
public record VideoInfo(
    String videoId,
    String creatorId,
    List<String> hashtags,
    String soundId,
    long publishedAtMs,
    float[] content) {
  public VideoInfo {
    hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
    content = content == null || content.length == 0 ? null : content.clone();
  }

  public VideoInfo(
      String videoId, String creatorId, List<String> hashtags, String soundId, long publishedAtMs) {
    this(videoId, creatorId, hashtags, soundId, publishedAtMs, null);
  }

  public VideoInfo withContent(float[] vector) {
    return new VideoInfo(videoId, creatorId, hashtags, soundId, publishedAtMs, vector);
  }

  static VideoInfo unknown(String videoId) {
    return new VideoInfo(videoId, null, List.of(), null, 0);
  }
}
