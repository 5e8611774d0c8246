package io.flick.transcode.media;

import java.util.Locale;
import java.util.Optional;

/**
 * What Flick accepts as a source video. All values are configurable; {@link #defaults()} are the
 * product's defaults (1 s to 3 min, short side at least 144 px, long side at most 4096 px).
 *
 * @param minDurationSeconds shortest accepted duration (inclusive)
 * @param maxDurationSeconds longest accepted duration (inclusive)
 * @param minShortSide smallest accepted shorter display side in pixels
 * @param maxLongSide largest accepted longer display side in pixels
 * @param maxAspectRatio largest accepted long side / short side
 * @param maxBytes largest accepted file size
 */
public record MediaLimits(
    double minDurationSeconds,
    double maxDurationSeconds,
    int minShortSide,
    int maxLongSide,
    double maxAspectRatio,
    long maxBytes) {

  /** Tolerance on durations, so a "3:00" phone clip of 180.02 s is not rejected. */
  private static final double DURATION_SLACK_SECONDS = 0.05;

  public MediaLimits {
    if (minDurationSeconds < 0 || maxDurationSeconds < minDurationSeconds) {
      throw new IllegalArgumentException("need 0 <= minDuration <= maxDuration");
    }
    if (minShortSide < 2 || maxLongSide < minShortSide) {
      throw new IllegalArgumentException("need 2 <= minShortSide <= maxLongSide");
    }
    if (maxAspectRatio < 1) {
      throw new IllegalArgumentException("maxAspectRatio must be >= 1");
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
  }

  /** 1–180 s, short side ≥ 144, long side ≤ 4096, aspect ≤ 4:1, ≤ 2 GiB. */
  public static MediaLimits defaults() {
    return new MediaLimits(1.0, 180.0, 144, 4096, 4.0, 2L * 1024 * 1024 * 1024);
  }

  public MediaLimits withDuration(double minSeconds, double maxSeconds) {
    return new MediaLimits(
        minSeconds, maxSeconds, minShortSide, maxLongSide, maxAspectRatio, maxBytes);
  }

  public MediaLimits withDimensions(int minShort, int maxLong) {
    return new MediaLimits(
        minDurationSeconds, maxDurationSeconds, minShort, maxLong, maxAspectRatio, maxBytes);
  }

  public MediaLimits withMaxBytes(long bytes) {
    return new MediaLimits(
        minDurationSeconds, maxDurationSeconds, minShortSide, maxLongSide, maxAspectRatio, bytes);
  }

  /** Checks only the file size (before spending a probe on it). */
  public Optional<MediaRejection> checkSize(long sizeBytes) {
    if (sizeBytes <= 0) {
      return Optional.of(
          MediaRejection.of(
              MediaRejection.Reason.EMPTY_FILE,
              "The file is empty (0 bytes); nothing was uploaded."));
    }
    if (sizeBytes > maxBytes) {
      return Optional.of(
          MediaRejection.of(
              MediaRejection.Reason.FILE_TOO_LARGE,
              "The file is %s; the limit is %s.",
              bytes(sizeBytes),
              bytes(maxBytes)));
    }
    return Optional.empty();
  }

  /** Checks a probed video against these limits; empty when it is acceptable. */
  public Optional<MediaRejection> check(MediaInfo info) {
    Optional<MediaRejection> size = checkSize(info.sizeBytes());
    if (size.isPresent()) {
      return size;
    }
    double d = info.durationSeconds();
    if (!(d > 0) || Double.isInfinite(d)) {
      return Optional.of(
          MediaRejection.of(
              MediaRejection.Reason.UNKNOWN_DURATION,
              "The video's duration could not be determined; the file may be damaged."));
    }
    if (d + DURATION_SLACK_SECONDS < minDurationSeconds) {
      return Optional.of(
          MediaRejection.of(
              MediaRejection.Reason.TOO_SHORT,
              "The video is %s long; the minimum is %s.",
              seconds(d),
              seconds(minDurationSeconds)));
    }
    if (d - DURATION_SLACK_SECONDS > maxDurationSeconds) {
      return Optional.of(
          MediaRejection.of(
              MediaRejection.Reason.TOO_LONG,
              "The video is %s long; the maximum is %s.",
              seconds(d),
              seconds(maxDurationSeconds)));
    }
    if (info.shortSide() < minShortSide) {
      return Optional.of(
          MediaRejection.of(
              MediaRejection.Reason.DIMENSIONS_TOO_SMALL,
              "The video is %s pixels; its shorter side must be at least %d pixels.",
              info.displaySize(),
              minShortSide));
    }
    if (info.longSide() > maxLongSide) {
      return Optional.of(
          MediaRejection.of(
              MediaRejection.Reason.DIMENSIONS_TOO_LARGE,
              "The video is %s pixels; its longer side must be at most %d pixels.",
              info.displaySize(),
              maxLongSide));
    }
    double aspect = (double) info.longSide() / info.shortSide();
    if (aspect > maxAspectRatio) {
      return Optional.of(
          MediaRejection.of(
              MediaRejection.Reason.ASPECT_RATIO_EXTREME,
              "The video is %s pixels, an aspect ratio of %.1f:1; at most %.1f:1 is supported.",
              info.displaySize(),
              aspect,
              maxAspectRatio));
    }
    return Optional.empty();
  }

  /** "0.5 s", "42 s", "3 min", "3 min 12 s". */
  static String seconds(double s) {
    if (s < 10) {
      String t = String.format(Locale.ROOT, "%.1f", s);
      return (t.endsWith(".0") ? t.substring(0, t.length() - 2) : t) + " s";
    }
    long total = Math.round(s);
    if (total < 60) {
      return total + " s";
    }
    long min = total / 60;
    long sec = total % 60;
    return sec == 0 ? min + " min" : min + " min " + sec + " s";
  }

  static String bytes(long b) {
    if (b < 1024) {
      return b + " bytes";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = b;
    int i = -1;
    do {
      v /= 1024;
      i++;
    } while (v >= 1024 && i < units.length - 1);
    String t = String.format(Locale.ROOT, "%.1f", v);
    return (t.endsWith(".0") ? t.substring(0, t.length() - 2) : t) + " " + units[i];
  }
}
