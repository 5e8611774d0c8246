package io.flick.video.upload;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code flick.upload}. {@code bindPartLength}: each presigned part URL is signed with the part's
 * Content-Length, so storage refuses a PUT of any other length (the declared size is enforced
 * before a byte is stored; {@code complete} checks the total again either way).
 */
public record UploadSettings(
    long maxBytes,
    long partSize,
    Duration deadline,
    Duration sweepInterval,
    boolean bindPartLength) {
  public static UploadSettings from(Config config) {
    Config c = config.getConfig("flick.upload");
    return new UploadSettings(
        c.getBytes("max-bytes"),
        c.getBytes("part-size"),
        c.getDuration("deadline"),
        c.getDuration("sweep-interval"),
        c.getBoolean("bind-part-length"));
  }
}
