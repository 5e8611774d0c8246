package io.flick.moderation;

import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The default moderation check: a caption word or hashtag on the configured blocklist ({@code
 * flick.moderation.blocklist}, comma-separated, case-insensitive) flags the video for review.
 */
public final class CaptionBlocklist {
  private final Set<String> words;

  public CaptionBlocklist(Set<String> words) {
    this.words =
        words.stream()
            .map(w -> w.strip().toLowerCase(Locale.ROOT).replaceFirst("^#", ""))
            .filter(w -> !w.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  public static CaptionBlocklist from(Config config) {
    return new CaptionBlocklist(Set.of(config.getString("flick.moderation.blocklist").split(",")));
  }

  /** Why the caption or hashtags need review, if they do. */
  public Optional<String> check(String caption, List<String> hashtags) {
    if (words.isEmpty()) {
      return Optional.empty();
    }
    for (String tag : hashtags == null ? List.<String>of() : hashtags) {
      String t = tag.toLowerCase(Locale.ROOT).replaceFirst("^#", "");
      if (words.contains(t)) {
        return Optional.of("hashtag #" + t + " is on the blocklist");
      }
    }
    if (caption != null) {
      Optional<String> word =
          Arrays.stream(caption.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_]+"))
              .filter(words::contains)
              .findFirst();
      if (word.isPresent()) {
        return Optional.of("caption word '" + word.get() + "' is on the blocklist");
      }
    }
    return Optional.empty();
  }
}
