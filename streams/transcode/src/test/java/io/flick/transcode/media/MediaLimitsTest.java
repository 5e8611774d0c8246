package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MediaLimitsTest {

  private final MediaLimits limits = MediaLimits.defaults();

  static MediaInfo info(int w, int h, double seconds) {
    return new MediaInfo(
        5_000_000, "mov,mp4", seconds, "h264", w, h, 0, w, h, 30, "yuv420p", Optional.empty());
  }

  @Test
  void acceptsATypicalClip() {
    assertThat(limits.check(info(1080, 1920, 30))).isEmpty();
    assertThat(limits.check(info(1080, 1920, 180.02))).as("phone rounding").isEmpty();
    assertThat(limits.check(info(144, 256, 1))).isEmpty();
  }

  @Test
  void rejectsDurationsWithAReadableReason() {
    assertThat(limits.check(info(720, 1280, 0.5)))
        .get()
        .extracting(MediaRejection::reason, MediaRejection::message)
        .containsExactly(
            MediaRejection.Reason.TOO_SHORT, "The video is 0.5 s long; the minimum is 1 s.");
    assertThat(limits.check(info(720, 1280, 192)))
        .get()
        .extracting(MediaRejection::reason, MediaRejection::message)
        .containsExactly(
            MediaRejection.Reason.TOO_LONG, "The video is 3 min 12 s long; the maximum is 3 min.");
  }

  @Test
  void rejectsAbsurdDimensions() {
    assertThat(limits.check(info(16, 16, 5)))
        .get()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo(MediaRejection.Reason.DIMENSIONS_TOO_SMALL);
              assertThat(r.message()).contains("16x16").contains("144");
            });
    assertThat(limits.check(info(10000, 10000, 5)))
        .get()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo(MediaRejection.Reason.DIMENSIONS_TOO_LARGE);
              assertThat(r.message()).contains("10000x10000").contains("4096");
            });
    assertThat(limits.check(info(150, 4000, 5)))
        .get()
        .extracting(MediaRejection::reason)
        .isEqualTo(MediaRejection.Reason.ASPECT_RATIO_EXTREME);
  }

  @Test
  void limitsAreConfigurable() {
    MediaLimits strict = limits.withDuration(2, 10).withDimensions(360, 1920).withMaxBytes(1000);
    assertThat(strict.check(info(720, 1280, 1.5))).isPresent();
    assertThat(strict.check(info(720, 1280, 11))).isPresent();
    assertThat(strict.check(info(240, 426, 5))).isPresent();
    assertThat(strict.checkSize(1001))
        .get()
        .extracting(MediaRejection::message)
        .isEqualTo("The file is 1001 bytes; the limit is 1000 bytes.");
    assertThat(limits.checkSize(0))
        .get()
        .extracting(MediaRejection::reason)
        .isEqualTo(MediaRejection.Reason.EMPTY_FILE);
    assertThat(MediaLimits.bytes(3L * 1024 * 1024 * 1024)).isEqualTo("3 GB");
  }
}
