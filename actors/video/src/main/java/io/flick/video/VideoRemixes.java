package io.flick.video;

import io.flick.video.VideoSummary.RemixKind;
import io.flick.video.VideoSummary.RemixOf;
import java.util.Optional;

/**
 * The rules of a remix that hold whatever the source is: a stitch takes 1–5 s of its source, a duet
 * takes all of it (no range), and nothing remixes itself. Whether the source exists, is READY, lets
 * itself be remixed and is long enough is asked of the source's own entity by the upload service.
 */
public final class VideoRemixes {
  /** The shortest part of a source a stitch may start with. */
  public static final long MIN_STITCH_MS = 1_000;

  /** The longest part of a source a stitch may start with. */
  public static final long MAX_STITCH_MS = 5_000;

  private VideoRemixes() {}

  /** What is wrong with {@code remix} as a remix by video {@code videoId}; empty when nothing. */
  public static Optional<String> problem(String videoId, RemixOf remix) {
    if (remix.videoId().equals(videoId)) {
      return Optional.of("remix.of: a video cannot remix itself");
    }
    return rangeProblem(remix.kind(), remix.fromMs(), remix.toMs());
  }

  /** What is wrong with a remix's range ({@code 0, 0} for a duet); empty when nothing. */
  public static Optional<String> rangeProblem(RemixKind kind, long fromMs, long toMs) {
    if (kind == RemixKind.DUET) {
      return fromMs != 0 || toMs != 0
          ? Optional.of("remix: a duet takes the whole source; fromMs and toMs are for a stitch")
          : Optional.empty();
    }
    long length = toMs - fromMs;
    if (fromMs < 0) {
      return Optional.of("remix.fromMs must be 0 or more, not " + fromMs);
    }
    if (length < MIN_STITCH_MS || length > MAX_STITCH_MS) {
      return Optional.of(
          "remix: a stitch takes "
              + MIN_STITCH_MS
              + " to "
              + MAX_STITCH_MS
              + " ms of the source (toMs - fromMs), not "
              + length
              + " ms");
    }
    return Optional.empty();
  }
}
