package io.flick.moderation;

import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code flick.moderation}. */
public final class ModerationSettings {
  /** The reporter of the reports the pipeline's moderation hook files. */
  public static final String SYSTEM_REPORTER = "s".repeat(26);

  private ModerationSettings() {}

  /**
   * The user ids with the moderator role: {@code flick.moderation.moderators}, comma-separated
   * ({@code FLICK_MODERATORS}). Not grantable through the API.
   */
  public static Set<String> moderators(Config config) {
    return Arrays.stream(config.getString("flick.moderation.moderators").split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }
}
