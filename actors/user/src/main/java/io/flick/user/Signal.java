package io.flick.user;

import io.flick.common.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One watch or share for the profile. {@code kind} is {@link #WATCH} or {@link #SHARE}; {@code
 * soundId} is null when the video has no sound; {@code watchMs}, {@code durationMs} and {@code
 * completed} only matter for a watch. Persisted inside {@link UserEvent.SignalsLearned}.
 */
public record Signal(
    String kind,
    String videoId,
    String creatorId,
    List<String> hashtags,
    String soundId,
    long watchMs,
    long durationMs,
    boolean completed,
    Instant at)
    implements CborSerializable {
  public static final String WATCH = "watch";
  public static final String SHARE = "share";

  public Signal {
    hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
  }

  public static Signal watch(
      String videoId,
      String creatorId,
      List<String> hashtags,
      Optional<String> soundId,
      long watchMs,
      long durationMs,
      boolean completed,
      Instant at) {
    return new Signal(
        WATCH, videoId, creatorId, hashtags, soundOf(soundId), watchMs, durationMs, completed, at);
  }

  public static Signal share(
      String videoId,
      String creatorId,
      List<String> hashtags,
      Optional<String> soundId,
      Instant at) {
    return new Signal(SHARE, videoId, creatorId, hashtags, soundOf(soundId), 0, 0, false, at);
  }

  /** A sound id, stripped; null when there is none. */
  static String soundOf(Optional<String> soundId) {
    return Objects.requireNonNullElse(soundId, Optional.<String>empty())
        .map(String::strip)
        .filter(id -> !id.isEmpty())
        .orElse(null);
  }
}
