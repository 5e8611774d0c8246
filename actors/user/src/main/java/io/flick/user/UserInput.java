package io.flick.user;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** How a {@link UserActor} checks and normalises what it is told; shared by its handlers. */
final class UserInput {
  /** Hashtags beyond this many on one signal are ignored (a video has at most 30). */
  static final int MAX_HASHTAGS_PER_SIGNAL = 30;

  private UserInput() {}

  /** Lower case, without leading '#', blanks and tags with white space dropped, de-duplicated. */
  static List<String> normaliseHashtags(List<String> hashtags) {
    Set<String> out = new LinkedHashSet<>();
    for (String tag : hashtags == null ? List.<String>of() : hashtags) {
      String t = tag == null ? "" : tag.strip();
      int start = 0;
      while (start < t.length() && t.charAt(start) == '#') {
        start++;
      }
      t = t.substring(start).toLowerCase(Locale.ROOT);
      if (!t.isEmpty() && t.codePoints().noneMatch(Character::isWhitespace)) {
        out.add(t);
      }
      if (out.size() == MAX_HASHTAGS_PER_SIGNAL) {
        break;
      }
    }
    return List.copyOf(out);
  }

  static Optional<String> videoProblem(String videoId, String creatorId, Instant at) {
    return required(videoId, "videoId")
        .or(() -> required(creatorId, "creatorId"))
        .or(() -> required(at, "at"));
  }

  static Optional<String> required(Object value, String name) {
    boolean missing = value == null || (value instanceof String s && s.isBlank());
    return missing ? Optional.of(name + " is required") : Optional.empty();
  }

  static Optional<String> check(boolean ok, String problem) {
    return ok ? Optional.empty() : Optional.of(problem);
  }
}
