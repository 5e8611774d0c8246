package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    clip = tone(dir.resolve("clip.mp4"), "testsrc2=size=360x640:rate=30", 880, 6, false);
    // landscape pixels shown portrait (rotation metadata), 25 fps, 440 Hz
    source = tone(dir.resolve("source.mp4"), "mandelbrot=size=640x360:rate=25", 440, 10, true);
    clipInfo = PROBE.probeAndValidate(clip, MediaLimits.defaults());
    sourceInfo = PROBE.probe(source);
  }

  static Path tone(Path out, String video, int hz, double seconds, boolean rotated)
      throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "-f",
                "lavfi",
                "-i",
                video,
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=" + hz + ":sample_rate=44100",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-b:a",
                "96k",
                "-t",
                Double.toString(seconds)));
    Path coded = rotated ? dir.resolve("coded-" + out.getFileName()) : out;
    args.add(coded.toString());
    Media.ffmpeg(args.toArray(String[]::new));
    if (rotated) {
      // rotation metadata is set when remuxing (as a phone writes it)
      Media.ffmpeg(
          "-i", coded.toString(), "-c", "copy", "-metadata:s:v", "rotate=90", out.toString());
    }
    return out;
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
      assertThat(band(out, range[0], range[1], 880))
          .as("the new clip, %s", range)
          .isGreaterThan(-40);
      assertThat(band(out, range[0], range[1], 440)).as("the source, %s", range).isGreaterThan(-40);
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
    double source440 = band(out, 0.3, 2.2, 440);
    assertThat(source440).isGreaterThan(-40);
    assertThat(band(out, 0.3, 2.2, 880)).isLessThan(source440 - 20);
    // then the clip: its tone, not the source's
    double clip880 = band(out, 3.0, 8.0, 880);
    assertThat(clip880).isGreaterThan(-40);
    assertThat(band(out, 3.0, 8.0, 440)).isLessThan(clip880 - 20);
  }

  private static final Pattern MEAN = Pattern.compile("mean_volume: (-?[0-9.]+|-inf) dB");

  /** Mean level (dB) of the {@code hz} band between {@code from} and {@code to} seconds. */
  static double band(Path media, double from, double to, int hz) throws Exception {
    String q = "bandpass=f=" + hz + ":width_type=q:w=5";
    Process p =
        new ProcessBuilder(
                Media.PATHS.ffmpeg().toString(),
                "-hide_banner",
                "-nostdin",
                "-ss",
                Double.toString(from),
                "-t",
                Double.toString(to - from),
                "-i",
                media.toString(),
                "-vn",
                "-af",
                q + "," + q + ",volumedetect",
                "-f",
                "null",
                "-")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectErrorStream(false)
            .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Matcher m = MEAN.matcher(err);
    assertThat(m.find()).as(err).isTrue();
    return m.group(1).equals("-inf") ? -200 : Double.parseDouble(m.group(1));
  }
}
