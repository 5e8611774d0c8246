package io.flick.user;

import com.typesafe.config.Config;

/**
 * The {@code flick.user} block.
 *
 * @param maxFollowing the most accounts one user may follow
 * @param maxPageSize the longest page a list query answers
 * @param snapshotEvery the entity snapshots its state every this many events
 * @param profile how the preference profile learns
 * @param signalFlushInterval watches and shares learned through {@link UserCommand.LearnSignals}
 *     are persisted at most this long after they arrive, as one event
 */
public record UserSettings(
    int maxFollowing,
    int maxPageSize,
    int snapshotEvery,
    ProfileSettings profile,
    java.time.Duration signalFlushInterval) {

  public UserSettings {
    if (maxFollowing < 1 || maxPageSize < 1 || snapshotEvery < 1) {
      throw new IllegalArgumentException(
          "flick.user.max-following, max-page-size and snapshot-every must be positive");
    }
    if (signalFlushInterval.isNegative() || signalFlushInterval.isZero()) {
      throw new IllegalArgumentException("flick.user.signal-flush-interval must be positive");
    }
  }

  /** Reads {@code flick.user} from the whole configuration. */
  public static UserSettings fromConfig(Config config) {
    Config user = config.getConfig("flick.user");
    return new UserSettings(
        user.getInt("max-following"),
        user.getInt("max-page-size"),
        user.getInt("snapshot-every"),
        ProfileSettings.fromConfig(user.getConfig("profile")),
        user.getDuration("signal-flush-interval"));
  }

  public UserSettings withMaxFollowing(int maxFollowing) {
    return new UserSettings(maxFollowing, maxPageSize, snapshotEvery, profile, signalFlushInterval);
  }

  public UserSettings withSignalFlushInterval(java.time.Duration interval) {
    return new UserSettings(maxFollowing, maxPageSize, snapshotEvery, profile, interval);
  }
}
