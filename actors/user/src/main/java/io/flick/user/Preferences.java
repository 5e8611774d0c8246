package io.flick.user;

import io.flick.common.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A user's taste: per hashtag, topic, sound and creator, a score that every signal moves and that
 * decays exponentially with time (see {@link ProfileSettings#halfLife()}).
 *
 * <p>Each key keeps its score as of the last time it changed, and decay is applied lazily when the
 * key is read or changed. Everything is computed from the instants carried by events, never from
 * the wall clock, and with {@link StrictMath}, so replaying the same events gives the same scores
 * on every node. Each kind keeps at most {@link ProfileSettings#maxKeysPerKind()} keys: past that
 * the weakest score (the one closest to zero at the time of the change) is dropped, so a strong
 * dislike is remembered as long as a strong like.
 *
 * <p>A topic is a hashtag's first token: {@code food_asmr} and {@code food-prep} both count for
 * {@code food}; a hashtag without separator is its own topic.
 */
public record Preferences(
    Map<String, Affinity> hashtags,
    Map<String, Affinity> topics,
    Map<String, Affinity> sounds,
    Map<String, Affinity> creators)
    implements CborSerializable {

  public static final Preferences NONE = new Preferences(Map.of(), Map.of(), Map.of(), Map.of());

  /** A score as of {@code at}. */
  public record Affinity(double score, Instant at) implements CborSerializable {
    public Affinity {
      Objects.requireNonNull(at, "at");
    }

    /** The score decayed (or, for an earlier instant, grown back) to {@code when}. */
    public double scoreAt(Instant when, Duration halfLife) {
      return score * decay(Duration.between(at, when), halfLife);
    }

    /**
     * This affinity after a signal at {@code when}. A signal older than the last change (events
     * from a late stream) is added already decayed to the last change, which keeps its instant.
     */
    Affinity plus(double signal, Instant when, Duration halfLife) {
      if (when.isBefore(at)) {
        return new Affinity(score + signal * decay(Duration.between(when, at), halfLife), at);
      }
      return new Affinity(scoreAt(when, halfLife) + signal, when);
    }

    private static double decay(Duration elapsed, Duration halfLife) {
      return StrictMath.pow(0.5, (double) elapsed.toMillis() / halfLife.toMillis());
    }
  }

  public Preferences {
    hashtags = copy(hashtags);
    topics = copy(topics);
    sounds = copy(sounds);
    creators = copy(creators);
  }

  /**
   * These preferences after one signal about a video. {@code hashtags} should be normalised (lower
   * case, no '#'); {@code soundId} and {@code creatorId} may be null.
   */
  public Preferences learn(
      String creatorId,
      List<String> hashtags,
      String soundId,
      double signal,
      Instant at,
      ProfileSettings settings) {
    if (signal == 0.0) {
      return this;
    }
    Set<String> tags = new LinkedHashSet<>();
    Set<String> topicKeys = new LinkedHashSet<>();
    for (String tag : hashtags == null ? List.<String>of() : hashtags) {
      if (!settings.ignoredHashtags().contains(tag)) {
        tags.add(tag);
        topicKeys.add(topicOf(tag));
      }
    }
    return new Preferences(
        add(this.hashtags, tags, signal, at, settings),
        add(this.topics, topicKeys, signal, at, settings),
        add(this.sounds, soundId == null ? Set.of() : Set.of(soundId), signal, at, settings),
        add(this.creators, creatorId == null ? Set.of() : Set.of(creatorId), signal, at, settings));
  }

  /** The first token of a hashtag: what comes before its first '_', '-' or '.'. */
  public static String topicOf(String hashtag) {
    for (int i = 1; i < hashtag.length(); i++) {
      char c = hashtag.charAt(i);
      if (c == '_' || c == '-' || c == '.') {
        return hashtag.substring(0, i);
      }
    }
    return hashtag;
  }

  /** Scores decayed to {@code asOf}, highest first (ties by key), read-only. */
  public static Map<String, Double> scoresAt(
      Map<String, Affinity> affinities, Instant asOf, Duration halfLife) {
    List<Map.Entry<String, Double>> scored = new ArrayList<>(affinities.size());
    affinities.forEach((key, a) -> scored.add(Map.entry(key, a.scoreAt(asOf, halfLife))));
    scored.sort(
        Map.Entry.<String, Double>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    Map<String, Double> out = new LinkedHashMap<>();
    scored.forEach(e -> out.put(e.getKey(), e.getValue()));
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, Affinity> add(
      Map<String, Affinity> current,
      Collection<String> keys,
      double signal,
      Instant at,
      ProfileSettings settings) {
    if (keys.isEmpty()) {
      return current;
    }
    Duration halfLife = settings.halfLife();
    Map<String, Affinity> next = new HashMap<>(current);
    for (String key : keys) {
      next.merge(key, new Affinity(signal, at), (old, fresh) -> old.plus(signal, at, halfLife));
    }
    int excess = next.size() - settings.maxKeysPerKind();
    if (excess > 0) {
      Comparator<Map.Entry<String, Affinity>> weakestFirst =
          Comparator.<Map.Entry<String, Affinity>>comparingDouble(
                  e -> Math.abs(e.getValue().scoreAt(at, halfLife)))
              .thenComparing(Map.Entry::getKey);
      next.entrySet().stream()
          .sorted(weakestFirst)
          .limit(excess)
          .map(Map.Entry::getKey)
          .toList()
          .forEach(next::remove);
    }
    return next;
  }

  private static Map<String, Affinity> copy(Map<String, Affinity> affinities) {
    return affinities == null ? Map.of() : Map.copyOf(affinities);
  }
}
