package io.flick.transcode.media;

import java.util.Objects;
import java.util.Optional;

/**
 * A probe or transcode that did not produce a video. Two kinds, and callers must tell them apart:
 *
 * <ul>
 *   <li><b>permanent</b> ({@link #isTransient()} false): the content is the problem. {@link
 *       #rejection()} carries a reason the uploader can read; retrying the same file is pointless
 *       and the video should become FAILED with {@code rejection().message()}.
 *   <li><b>transient</b> ({@link #isTransient()} true): the process is the problem — ffmpeg was
 *       killed by a signal, exited non-zero without a recognisable content error, timed out, the
 *       disk filled up, the thread was interrupted. Retry with backoff (another node may succeed).
 * </ul>
 *
 * <p>The accessor is {@code isTransient()} because {@code transient} is a Java keyword.
 */
public final class TranscodeException extends Exception {

  private static final long serialVersionUID = 1L;

  private final MediaRejection rejection;
  private final boolean isTransient;
  private final Integer exitCode;
  private final String ffmpegLog;

  private TranscodeException(
      String message,
      Throwable cause,
      MediaRejection rejection,
      boolean isTransient,
      Integer exitCode,
      String ffmpegLog) {
    super(message, cause);
    this.rejection = rejection;
    this.isTransient = isTransient;
    this.exitCode = exitCode;
    this.ffmpegLog = ffmpegLog == null ? "" : ffmpegLog;
  }

  /** A permanent failure: the content is unacceptable for the given reason. */
  public static TranscodeException rejected(MediaRejection rejection) {
    Objects.requireNonNull(rejection, "rejection");
    return new TranscodeException(rejection.message(), null, rejection, false, null, null);
  }

  static TranscodeException rejected(MediaRejection rejection, Integer exitCode, String log) {
    return new TranscodeException(rejection.message(), null, rejection, false, exitCode, log);
  }

  /** A transient failure: retrying may succeed. */
  public static TranscodeException transientFailure(String message, Throwable cause) {
    return new TranscodeException(message, cause, null, true, null, null);
  }

  static TranscodeException transientFailure(String message, Integer exitCode, String log) {
    return new TranscodeException(message, null, null, true, exitCode, log);
  }

  /** True when a retry may succeed (process killed, timeout, I/O); false for content problems. */
  public boolean isTransient() {
    return isTransient;
  }

  /** Present exactly when the failure is permanent. */
  public Optional<MediaRejection> rejection() {
    return Optional.ofNullable(rejection);
  }

  /** ffmpeg's/ffprobe's exit code when the failure came from a process that exited. */
  public Optional<Integer> exitCode() {
    return Optional.ofNullable(exitCode);
  }

  /** The tail of ffmpeg's log (stderr), empty when none; for operators, not for uploaders. */
  public String ffmpegLog() {
    return ffmpegLog;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + (isTransient ? "[transient]" : "[permanent " + rejection.reason() + "]")
        + ": "
        + getMessage();
  }
}
