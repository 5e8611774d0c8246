package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Duet and stitch through the real ffmpeg: the new clip plays an 880 Hz tone, the source (another
 * size, frame rate and orientation) a 440 Hz one, so each side's audio can be told apart in the
 * output by band level over time.
 */
@Timeout(180)
class RemixTranscodeTest {
  @TempDir static Path dir;

  static final MediaProbe PROBE = new MediaProbe(Media.PATHS.ffprobe());
  static final HlsLadderTranscoder TRANSCODER = new HlsLadderTranscoder(Media.PATHS.ffmpeg());
  static final LadderPlanner PLANNER = new LadderPlanner();

  static Path clip;
  static Path source;
  static MediaInfo clipInfo;
  static MediaInfo sourceInfo;

  @BeforeAll
  static void makeClips() throws Exception {
    clip = Media.tone(dir.resolve("clip.mp4"), "testsrc2=size=360x640:rate=30", 880, 6, false);
    // landscape pixels shown portrait (rotation metadata), 25 fps, 440 Hz
    source =
        Media.tone(dir.resolve("source.mp4"), "mandelbrot=size=640x360:rate=25", 440, 10, true);
    clipInfo = PROBE.probeAndValidate(clip, MediaLimits.defaults());
    sourceInfo = PROBE.probe(source);
  }

  static TranscodeResult transcode(Remix remix, String name) throws Exception {
    LadderPlan plan = PLANNER.plan(remix.output());
    return TRANSCODER.transcode(
        clip,
        Optional.empty(),
        Optional.of(remix),
        dir.resolve(name),
        plan,
        TranscodeOptions.defaults(),
        event -> {});
  }

  /** The top rung's segments joined (MPEG-TS concatenates). */
  static Path topRung(TranscodeResult result, String name) throws Exception {
    Path joined = dir.resolve(name);
    try (var out = Files.newOutputStream(joined)) {
      for (Path segment : result.rungs().get(result.rungs().size() - 1).segments()) {
        Files.copy(segment, out);
      }
    }
    return joined;
  }

  @Test
  void aDuetIsPortraitAsLongAsTheNewClipWithBothSidesAudible() throws Exception {
    assertThat(sourceInfo.displayWidth()).as("the source is shown portrait").isEqualTo(360);
    TranscodeResult duet = transcode(Remix.duet(clipInfo, source, sourceInfo), "duet");
    RungOutput top = duet.rungs().get(duet.rungs().size() - 1);
    assertThat(top.rung().width() * 16).isEqualTo(top.rung().height() * 9);
    Path out = topRung(duet, "duet.ts");
    assertThat(Media.videoSize(out)).containsExactly(top.rung().width(), top.rung().height());
    assertThat(duet.durationSeconds()).as("the new clip's length").isCloseTo(6.0, within(1 / 30.0));
    for (double[] range : new double[][] {{0.3, 2.5}, {3.5, 5.5}}) {
      assertThat(Media.band(out, range[0], range[1], 880))
          .as("the new clip, %s", range)
          .isGreaterThan(-40);
      assertThat(Media.band(out, range[0], range[1], 440))
          .as("the source, %s", range)
          .isGreaterThan(-40);
    }
  }

  @Test
  void aStitchPlaysThePartOfTheSourceThenTheNewClip() throws Exception {
    TranscodeResult stitch =
        transcode(Remix.stitch(clipInfo, source, sourceInfo, 1_000, 3_500), "stitch");
    RungOutput top = stitch.rungs().get(stitch.rungs().size() - 1);
    assertThat(top.rung().resolution()).isEqualTo("360x640");
    assertThat(stitch.durationSeconds())
        .as("2.5 s of the source + the 6 s clip")
        .isCloseTo(8.5, within(1 / 30.0));
    Path out = topRung(stitch, "stitch.ts");
    // the source's part: its tone, not the clip's
    double source440 = Media.band(out, 0.3, 2.2, 440);
    assertThat(source440).isGreaterThan(-40);
    assertThat(Media.band(out, 0.3, 2.2, 880)).isLessThan(source440 - 20);
    // then the clip: its tone, not the source's
    double clip880 = Media.band(out, 3.0, 8.0, 880);
    assertThat(clip880).isGreaterThan(-40);
    assertThat(Media.band(out, 3.0, 8.0, 440)).isLessThan(clip880 - 20);
  }
}
