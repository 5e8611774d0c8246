package io.flick.user;

import io.flick.common.CborSerializable;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A user's preference profile as of {@code asOf}. Each map is key → decayed score, highest first;
 * scores are positive for what the user engages with and negative for what it skips.
 */
public record Profile(
    String userId,
    Instant asOf,
    Map<String, Double> hashtags,
    Map<String, Double> topics,
    Map<String, Double> sounds,
    Map<String, Double> creators,
    int followingCount,
    Set<String> following,
    int likedCount)
    implements CborSerializable {
  public Profile {
    hashtags = ordered(hashtags);
    topics = ordered(topics);
    sounds = ordered(sounds);
    creators = ordered(creators);
    following = following == null ? Set.of() : Set.copyOf(following);
  }

  private static Map<String, Double> ordered(Map<String, Double> scores) {
    return scores == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(scores));
  }
}
