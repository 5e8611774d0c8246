package io.flick.transcode.media;

import java.util.Objects;
import java.util.Optional;

/**
 * What ffprobe found in a source file. Dimensions come in two flavours: the coded size of the
 * picture as stored, and the display size a viewer sees (after the sample aspect ratio and the
 * rotation metadata phones write instead of rotating pixels). Everything downstream (limits, the
 * ladder, the poster) works with the display size, because ffmpeg autorotates when decoding.
 *
 * @param sizeBytes size of the file
 * @param formatName ffprobe's {@code format_name}, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param durationSeconds container duration (or the longest stream's), 0 if unknown
 * @param videoCodec codec of the first real video stream (not cover art), e.g. {@code h264}
 * @param codedWidth stored picture width
 * @param codedHeight stored picture height
 * @param rotation clockwise display rotation in degrees: 0, 90, 180 or 270
 * @param displayWidth width as displayed (sample aspect ratio applied, rotated)
 * @param displayHeight height as displayed
 * @param frameRate average frame rate, 0 if unknown
 * @param pixelFormat e.g. {@code yuv420p}, empty if unknown
 * @param audio the first audio stream, if any
 */
public record MediaInfo(
    long sizeBytes,
    String formatName,
    double durationSeconds,
    String videoCodec,
    int codedWidth,
    int codedHeight,
    int rotation,
    int displayWidth,
    int displayHeight,
    double frameRate,
    String pixelFormat,
    Optional<Audio> audio) {

  /**
   * The first audio stream.
   *
   * @param codec e.g. {@code aac}
   * @param channels channel count, 0 if unknown
   * @param sampleRate in Hz, 0 if unknown
   */
  public record Audio(String codec, int channels, int sampleRate) {
    public Audio {
      Objects.requireNonNull(codec, "codec");
    }
  }

  public MediaInfo {
    Objects.requireNonNull(formatName, "formatName");
    Objects.requireNonNull(videoCodec, "videoCodec");
    Objects.requireNonNull(pixelFormat, "pixelFormat");
    Objects.requireNonNull(audio, "audio");
    if (rotation % 90 != 0 || rotation < 0 || rotation >= 360) {
      throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270: " + rotation);
    }
  }

  public boolean hasAudio() {
    return audio.isPresent();
  }

  /** True when the video is taller than wide as displayed. */
  public boolean isPortrait() {
    return displayHeight > displayWidth;
  }

  /** The shorter display side: what "360p"/"720p"/"1080p" refer to, in either orientation. */
  public int shortSide() {
    return Math.min(displayWidth, displayHeight);
  }

  /** The longer display side. */
  public int longSide() {
    return Math.max(displayWidth, displayHeight);
  }

  /** {@code displayWidth + "x" + displayHeight}. */
  public String displaySize() {
    return displayWidth + "x" + displayHeight;
  }
}
