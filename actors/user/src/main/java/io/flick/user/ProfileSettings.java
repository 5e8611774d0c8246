package io.flick.user;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Set;

/**
 * How the preference profile learns: the {@code flick.user.profile} block.
 *
 * @param halfLife a score loses half its weight in this time
 * @param maxKeysPerKind keys kept per kind (hashtags, topics, sounds, creators)
 * @param completedWeight what a completed view adds
 * @param partialWeight what a partial view adds, times the fraction watched
 * @param fastSkipWeight what a fast skip adds (negative)
 * @param likeWeight what a like adds
 * @param shareWeight what a share adds
 * @param fastSkipBelowFraction a fast skip watched less than this fraction of the video...
 * @param fastSkipBelowWatch ...and for less than this long
 * @param ignoredHashtags hashtags that are not learned
 */
public record ProfileSettings(
    Duration halfLife,
    int maxKeysPerKind,
    double completedWeight,
    double partialWeight,
    double fastSkipWeight,
    double likeWeight,
    double shareWeight,
    double fastSkipBelowFraction,
    Duration fastSkipBelowWatch,
    Set<String> ignoredHashtags) {

  public ProfileSettings {
    if (halfLife.isNegative() || halfLife.isZero()) {
      throw new IllegalArgumentException("flick.user.profile.half-life must be positive");
    }
    if (maxKeysPerKind < 1) {
      throw new IllegalArgumentException("flick.user.profile.max-keys-per-kind must be positive");
    }
    ignoredHashtags = Set.copyOf(ignoredHashtags);
  }

  /** Reads a {@code flick.user.profile} block. */
  public static ProfileSettings fromConfig(Config profile) {
    return new ProfileSettings(
        profile.getDuration("half-life"),
        profile.getInt("max-keys-per-kind"),
        profile.getDouble("weights.completed"),
        profile.getDouble("weights.partial"),
        profile.getDouble("weights.fast-skip"),
        profile.getDouble("weights.like"),
        profile.getDouble("weights.share"),
        profile.getDouble("fast-skip.below-fraction"),
        profile.getDuration("fast-skip.below-watch"),
        Set.copyOf(profile.getStringList("ignored-hashtags")));
  }

  /**
   * What a view is worth: the completed weight when it was watched to the end, the fast-skip weight
   * when it was dropped early, otherwise the partial weight times the fraction watched. A view of
   * unknown duration ({@code durationMs <= 0}) counts as watched for no fraction at all.
   */
  public double watchSignal(long watchMs, long durationMs, boolean completed) {
    if (completed || (durationMs > 0 && watchMs >= durationMs)) {
      return completedWeight;
    }
    double fraction = durationMs > 0 ? (double) watchMs / durationMs : 0.0;
    if (fraction < fastSkipBelowFraction && watchMs < fastSkipBelowWatch.toMillis()) {
      return fastSkipWeight;
    }
    return partialWeight * fraction;
  }
}
