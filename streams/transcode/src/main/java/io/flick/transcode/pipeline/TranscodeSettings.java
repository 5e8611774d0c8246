package io.flick.transcode.pipeline;

import com.typesafe.config.Config;
import io.flick.transcode.media.MediaLimits;
import java.nio.file.Path;
import java.time.Duration;

/** {@code flick.transcode}. */
public record TranscodeSettings(
    int parallelism,
    String preset,
    String lowestRungPreset,
    double minDurationSeconds,
    double maxDurationSeconds,
    int minShortSide,
    int maxLongSide,
    int maxAttempts,
    Duration retryBackoff,
    Duration outageMaxBackoff,
    String consumerGroup,
    Path workDir,
    Duration restartMinBackoff,
    Duration restartMaxBackoff,
    double restartRandomFactor) {

  public static TranscodeSettings from(Config config) {
    Config c = config.getConfig("flick.transcode");
    return new TranscodeSettings(
        c.getInt("parallelism") > 0
            ? c.getInt("parallelism")
            : Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
        c.getString("preset"),
        c.getString("lowest-rung-preset"),
        c.getDuration("min-duration").toMillis() / 1000.0,
        c.getDuration("max-duration").toMillis() / 1000.0,
        c.getInt("min-short-side"),
        c.getInt("max-long-side"),
        c.getInt("max-attempts"),
        c.getDuration("retry-backoff"),
        c.getDuration("outage-max-backoff"),
        c.getString("consumer-group"),
        Path.of(c.getString("work-dir")),
        c.getDuration("restart.min-backoff"),
        c.getDuration("restart.max-backoff"),
        c.getDouble("restart.random-factor"));
  }

  public MediaLimits limits(long maxBytes) {
    return MediaLimits.defaults()
        .withDuration(minDurationSeconds, maxDurationSeconds)
        .withDimensions(minShortSide, maxLongSide)
        .withMaxBytes(maxBytes);
  }
}
