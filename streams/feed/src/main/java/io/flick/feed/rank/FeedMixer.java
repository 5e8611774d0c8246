package io.flick.feed.rank;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns ranked candidates into a feed page a person enjoys scrolling: about one slot in {@link
 * Rules#explorationEvery()} goes to a fresh video few have seen (so new creators get a chance), one
 * in {@link Rules#trendingEvery()} to the hot list, the rest to the personal ranking, best first.
 * Never the same creator twice in a row (across pages too, via {@code previousVideo}), at most
 * {@link Rules#maxPerSound()} videos of one sound and {@link Rules#maxPerHashtag()} of one hashtag
 * per page, nothing seen before, nothing twice.
 */
public final class FeedMixer {

  /**
   * @param explorationEvery every n-th slot explores (5 = the 80/20 split)
   * @param trendingEvery every n-th slot is a trending video
   */
  public record Rules(int explorationEvery, int trendingEvery, int maxPerSound, int maxPerHashtag) {
    public static Rules defaults() {
      return new Rules(5, 8, 2, 3);
    }
  }

  private final Rules rules;
  private final Function<String, VideoInfo> info;

  public FeedMixer(Rules rules, Function<String, VideoInfo> info) {
    this.rules = rules;
    this.info = info;
  }

  public List<String> mix(
      List<String> personalised,
      List<String> exploration,
      List<String> trending,
      int size,
      Predicate<String> seen,
      String previousVideo) {
    List<String> page = new ArrayList<>(size);
    Set<String> taken = new HashSet<>();
    Map<String, Integer> perSound = new HashMap<>();
    Map<String, Integer> perTag = new HashMap<>();
    List<String> personal = new ArrayList<>(personalised);
    List<String> explore = new ArrayList<>(exploration);
    List<String> hot = new ArrayList<>(trending);
    String lastCreator = previousVideo == null ? null : creatorOf(previousVideo);
    while (page.size() < size) {
      int slot = page.size() + 1;
      List<List<String>> order =
          slot % rules.trendingEvery() == 0
              ? List.of(hot, personal, explore)
              : slot % rules.explorationEvery() == 0
                  ? List.of(explore, personal, hot)
                  : List.of(personal, explore, hot);
      String chosen = null;
      for (List<String> source : order) {
        chosen = take(source, lastCreator, taken, seen, perSound, perTag, true);
        if (chosen != null) {
          break;
        }
      }
      if (chosen == null) {
        // the caps are a preference; the creator rule and the seen-filter are not
        for (List<String> source : order) {
          chosen = take(source, lastCreator, taken, seen, perSound, perTag, false);
          if (chosen != null) {
            break;
          }
        }
      }
      if (chosen == null) {
        break;
      }
      page.add(chosen);
      taken.add(chosen);
      VideoInfo video = info.apply(chosen);
      lastCreator = video == null ? null : video.creatorId();
      if (video != null) {
        if (video.soundId() != null) {
          perSound.merge(video.soundId(), 1, Integer::sum);
        }
        for (String tag : video.hashtags()) {
          perTag.merge(tag, 1, Integer::sum);
        }
      }
    }
    return page;
  }

  private String take(
      List<String> source,
      String lastCreator,
      Set<String> taken,
      Predicate<String> seen,
      Map<String, Integer> perSound,
      Map<String, Integer> perTag,
      boolean withCaps) {
    for (Iterator<String> it = source.iterator(); it.hasNext(); ) {
      String id = it.next();
      if (taken.contains(id) || seen.test(id)) {
        it.remove();
        continue;
      }
      VideoInfo video = info.apply(id);
      String creator = video == null ? null : video.creatorId();
      if (creator != null && Objects.equals(creator, lastCreator)) {
        continue;
      }
      if (withCaps && video != null && overCap(video, perSound, perTag)) {
        continue;
      }
      it.remove();
      return id;
    }
    return null;
  }

  private boolean overCap(
      VideoInfo video, Map<String, Integer> perSound, Map<String, Integer> perTag) {
    if (video.soundId() != null
        && perSound.getOrDefault(video.soundId(), 0) >= rules.maxPerSound()) {
      return true;
    }
    for (String tag : video.hashtags()) {
      if (perTag.getOrDefault(tag, 0) >= rules.maxPerHashtag()) {
        return true;
      }
    }
    return false;
  }

  private String creatorOf(String videoId) {
    VideoInfo video = info.apply(videoId);
    return video == null ? null : video.creatorId();
  }
}
