package io.flick.transcode.media;

import java.util.Objects;

/**
 * One rendition of the HLS ladder.
 *
 * @param name directory and label, e.g. {@code 360p} (named by the short side in both orientations)
 * @param width output width in pixels (even)
 * @param height output height in pixels (even)
 * @param videoMaxrateKbps the cap on video bitrate ({@code -maxrate}); quality is CRF-driven below
 *     it
 * @param videoBufsizeKbps the VBV buffer ({@code -bufsize}) the cap is enforced over
 * @param audioKbps AAC bitrate; unused when the source has no audio
 */
public record Rung(
    String name, int width, int height, int videoMaxrateKbps, int videoBufsizeKbps, int audioKbps) {

  public Rung {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("rung name must be a safe directory name: " + name);
    }
    if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("rung dimensions must be positive and even");
    }
    if (videoMaxrateKbps <= 0 || videoBufsizeKbps <= 0 || audioKbps <= 0) {
      throw new IllegalArgumentException("bitrates must be positive");
    }
  }

  public int shortSide() {
    return Math.min(width, height);
  }

  public boolean isPortrait() {
    return height > width;
  }

  /** {@code width + "x" + height}, the form of the master playlist's RESOLUTION. */
  public String resolution() {
    return width + "x" + height;
  }
}
