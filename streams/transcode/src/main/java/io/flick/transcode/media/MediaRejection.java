package io.flick.transcode.media;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Why an upload cannot become a video. Permanent: retrying the same file gives the same answer.
 *
 * @param reason a stable code for programs (metrics, API error types)
 * @param message a sentence for the uploader, e.g. "The video is 0.5 s long; the minimum is 1 s."
 */
public record MediaRejection(Reason reason, String message) implements Serializable {

  /** Stable reasons; the message carries the specifics. */
  public enum Reason {
    /** The file has no bytes. */
    EMPTY_FILE,
    /** The file is bigger than the configured maximum. */
    FILE_TOO_LARGE,
    /** Not a container/codec ffprobe recognises (random bytes, a document...). */
    NOT_A_VIDEO,
    /** A still image (PNG, JPEG...) rather than a video. */
    STILL_IMAGE,
    /** A media file without a video track (audio only). */
    NO_VIDEO_STREAM,
    /** A recognisable but incomplete file, e.g. an MP4 whose index (moov atom) is missing. */
    TRUNCATED,
    /** The duration could not be determined. */
    UNKNOWN_DURATION,
    /** Shorter than the minimum duration. */
    TOO_SHORT,
    /** Longer than the maximum duration. */
    TOO_LONG,
    /** The shorter side is below the minimum. */
    DIMENSIONS_TOO_SMALL,
    /** The longer side is above the maximum. */
    DIMENSIONS_TOO_LARGE,
    /** Width and height are too far apart. */
    ASPECT_RATIO_EXTREME,
    /** Probing passed but the video could not be decoded while transcoding. */
    UNDECODABLE,
    /** The sound chosen at upload has no media left to take its audio from. */
    SOUND_UNAVAILABLE,
    /** The video a duet or stitch remixes has no media left to compose with. */
    REMIX_SOURCE_UNAVAILABLE
  }

  public MediaRejection {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  static MediaRejection of(Reason reason, String format, Object... args) {
    return new MediaRejection(reason, String.format(Locale.ROOT, format, args));
  }

  @Override
  public String toString() {
    return reason + ": " + message;
  }
}
