package io.flick.feed.rank;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the ranker knows of a viewer at request time: recent positive engagements (newest first),
 * decayed affinities (creator, hashtag, sound → score; negative for what they skip) and whom they
 * follow. In serving the affinities come from the UserActor's profile; offline, from the
 * recommender's own memory of the training data.
 */
public record UserContext(
    String userId,
    String region,
    List<String> recentVideos,
    Map<String, Double> creators,
    Map<String, Double> hashtags,
    Map<String, Double> sounds,
    Set<String> following) {

  public UserContext {
    recentVideos = recentVideos == null ? List.of() : List.copyOf(recentVideos);
    creators = creators == null ? Map.of() : Map.copyOf(creators);
    hashtags = hashtags == null ? Map.of() : Map.copyOf(hashtags);
    sounds = sounds == null ? Map.of() : Map.copyOf(sounds);
    following = following == null ? Set.of() : Set.copyOf(following);
  }

  /** A viewer we know nothing about (anonymous, or new). */
  public static UserContext anonymous(String region) {
    return new UserContext("", region, List.of(), Map.of(), Map.of(), Map.of(), Set.of());
  }

  public boolean isCold() {
    return recentVideos.isEmpty()
        && creators.isEmpty()
        && hashtags.isEmpty()
        && following.isEmpty();
  }
}
