package io.flick.video.upload;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code flick.upload}. */
public record UploadSettings(
    long maxBytes, long partSize, Duration deadline, Duration sweepInterval) {
  public static UploadSettings from(Config config) {
    Config c = config.getConfig("flick.upload");
    return new UploadSettings(
        c.getBytes("max-bytes"),
        c.getBytes("part-size"),
        c.getDuration("deadline"),
        c.getDuration("sweep-interval"));
  }
}
