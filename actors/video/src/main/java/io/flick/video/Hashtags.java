package io.flick.video;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The one place hashtags are normalised: what a video stores and what a hashtag feed looks up. */
public final class Hashtags {
  public static final int MAX_PER_VIDEO = 30;
  public static final int MAX_LENGTH = 100;

  private Hashtags() {}

  /** Lower case, without leading '#', trimmed; blank when nothing is left. */
  public static String normalise(String tag) {
    if (tag == null) {
      return "";
    }
    String t = tag.strip();
    int start = 0;
    while (start < t.length() && t.charAt(start) == '#') {
      start++;
    }
    return t.substring(start).strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Normalised, blanks dropped, de-duplicated in first-seen order.
   *
   * @throws IllegalArgumentException when more than {@link #MAX_PER_VIDEO} distinct tags remain, or
   *     a tag contains white space or is longer than {@link #MAX_LENGTH}
   */
  public static List<String> normaliseAll(List<String> tags) {
    if (tags == null) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String tag : tags) {
      String t = normalise(tag);
      if (t.isEmpty()) {
        continue;
      }
      if (t.codePoints().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("hashtag '" + t + "' contains white space");
      }
      if (t.length() > MAX_LENGTH) {
        throw new IllegalArgumentException(
            "a hashtag may have at most " + MAX_LENGTH + " characters");
      }
      out.add(t);
    }
    if (out.size() > MAX_PER_VIDEO) {
      throw new IllegalArgumentException(
          "a video may have at most " + MAX_PER_VIDEO + " hashtags, got " + out.size());
    }
    return List.copyOf(new ArrayList<>(out));
  }
}
