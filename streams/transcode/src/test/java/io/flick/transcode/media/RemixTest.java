package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The duet and stitch filter graphs, as text: what ffmpeg is asked to compose. */
class RemixTest {
  static final Path SOURCE = Path.of("/tmp/source.mp4");

  static MediaInfo info(int w, int h, double seconds, double fps, boolean audio) {
    return new MediaInfo(
        1000,
        "mov,mp4,m4a,3gp,3g2,mj2",
        seconds,
        "h264",
        w,
        h,
        0,
        w,
        h,
        fps,
        "yuv420p",
        audio ? Optional.of(new MediaInfo.Audio("aac", 2, 44100)) : Optional.empty());
  }

  @Test
  void aDuetIsAPortraitNineBySixteenCanvasAsLongAsTheNewClip() {
    Remix duet =
        Remix.duet(info(1080, 1920, 12.5, 30, true), SOURCE, info(1280, 720, 40, 25, true));
    MediaInfo out = duet.output();
    assertThat(out.displayWidth()).isEqualTo(1080);
    assertThat(out.displayHeight()).isEqualTo(1920);
    assertThat(out.durationSeconds()).isEqualTo(12.5);
    assertThat(out.frameRate()).isEqualTo(30);
    assertThat(out.hasAudio()).isTrue();
  }

  @Test
  void aDuetCanvasIsNoTallerThanTheNewClipAndHalvesEvenly() {
    Remix small = Remix.duet(info(480, 854, 5, 30, false), SOURCE, info(1080, 1920, 5, 30, false));
    int[] canvas = small.canvas();
    assertThat(canvas[1]).isEqualTo(854);
    assertThat(canvas[0] % 4).isZero();
    assertThat((double) canvas[0] / canvas[1])
        .isCloseTo(9.0 / 16, org.assertj.core.data.Offset.offset(0.01));
    // a landscape new clip still makes a portrait duet
    Remix landscape =
        Remix.duet(info(1920, 1080, 5, 30, false), SOURCE, info(1080, 1920, 5, 30, false));
    assertThat(landscape.canvas()).containsExactly(1080, 1920);
  }

  @Test
  void aDuetFitsEachSideIntoItsHalfAtOneFrameRateAndMixesBothAudioTracks() {
    Remix duet =
        Remix.duet(info(1080, 1920, 12.5, 30, true), SOURCE, info(1280, 720, 40, 25, true));
    String g = duet.filterGraph("30", 3);
    assertThat(g)
        .contains(
            "[0:v]scale=trunc(iw*sar/2)*2:ih,setsar=1,fps=30,scale=540:1920:"
                + "force_original_aspect_ratio=decrease")
        .contains("[1:v]scale=trunc(iw*sar/2)*2:ih,setsar=1,fps=30,scale=540:1920:")
        .contains("pad=540:1920:(ow-iw)/2:(oh-ih)/2")
        .contains("[rmx_nv][rmx_sv]hstack=inputs=2,trim=duration=12.500[composed];")
        .contains("[0:a]" + Remix.AUDIO_FORMAT)
        .contains("[1:a]" + Remix.AUDIO_FORMAT)
        .contains("amix=inputs=2")
        .contains("atrim=duration=12.500,asplit=3[ra0][ra1][ra2];")
        .doesNotContain("anullsrc");
    // only the part of the source the duet shows is decoded
    assertThat(duet.inputArgs()).containsExactly("-t", "12.500", "-i", SOURCE.toString());
  }

  @Test
  void aSideWithoutAudioIsSilenceAndNoAudioOnEitherSideMeansNone() {
    Remix silentSource =
        Remix.duet(info(720, 1280, 5, 30, true), SOURCE, info(720, 1280, 5, 30, false));
    assertThat(silentSource.filterGraph("30", 2))
        .contains("anullsrc=r=48000:cl=stereo")
        .doesNotContain("[1:a]");
    Remix silent = Remix.duet(info(720, 1280, 5, 30, false), SOURCE, info(720, 1280, 5, 30, false));
    assertThat(silent.output().hasAudio()).isFalse();
    assertThat(silent.filterGraph("30", 0)).doesNotContain("amix").doesNotContain("[ra0]");
  }

  @Test
  void aStitchIsThePartOfTheSourceThenTheClipInTheClipsFrame() {
    Remix stitch =
        Remix.stitch(
            info(720, 1280, 8, 30, true), SOURCE, info(1920, 1080, 30, 25, true), 2_500, 5_500);
    MediaInfo out = stitch.output();
    assertThat(out.displayWidth()).isEqualTo(720);
    assertThat(out.displayHeight()).isEqualTo(1280);
    assertThat(out.durationSeconds()).isEqualTo(11.0);
    assertThat(stitch.inputArgs())
        .containsExactly("-ss", "2.500", "-t", "3.000", "-i", SOURCE.toString());
    String g = stitch.filterGraph("30", 2);
    assertThat(g)
        .contains("[1:v]scale=trunc(iw*sar/2)*2:ih,setsar=1,fps=30,scale=720:1280:")
        .contains(",trim=duration=3.000,setpts=PTS-STARTPTS[rmx_sv];")
        .contains("atrim=duration=3.000[rmx_sa];")
        .contains("atrim=duration=8.000[rmx_na];")
        .contains("[rmx_sv][rmx_sa][rmx_nv][rmx_na]concat=n=2:v=1:a=1[composed][rmx_a];")
        .endsWith("[rmx_a]asplit=2[ra0][ra1];");
  }

  @Test
  void aStitchWithoutAudioJoinsPicturesOnly() {
    Remix stitch =
        Remix.stitch(
            info(720, 1280, 8, 30, false), SOURCE, info(720, 1280, 30, 30, false), 0, 1_000);
    assertThat(stitch.filterGraph("30", 0))
        .contains("[rmx_sv][rmx_nv]concat=n=2:v=1:a=0[composed];");
  }

  @Test
  void aStitchNeedsARange() {
    assertThatThrownBy(
            () ->
                Remix.stitch(
                    info(720, 1280, 8, 30, true), SOURCE, info(720, 1280, 8, 30, true), 3000, 3000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLadderComposesFirstAndEncodesTheComposedPictureAndAudio() {
    Remix duet = Remix.duet(info(720, 1280, 6, 30, true), SOURCE, info(720, 1280, 6, 30, true));
    LadderPlan plan = new LadderPlanner().plan(duet.output());
    HlsLadderTranscoder t = new HlsLadderTranscoder(Path.of("ffmpeg"));
    String command =
        String.join(
            " ",
            t.command(
                Path.of("/tmp/clip.mp4"),
                Optional.empty(),
                Optional.of(duet),
                Path.of("/tmp/out"),
                plan,
                TranscodeOptions.defaults()));
    assertThat(command)
        .contains("-i /tmp/clip.mp4 -t 6.000 -i " + SOURCE)
        .contains("[composed]fps=30,split=3[main][pst][dh];")
        .contains("-map [r0] -map [ra0]")
        .contains("-map [r1] -map [ra1]")
        .contains("-t 6.000")
        // a remix makes no sound of its own: no fingerprint output
        .doesNotContain("chromaprint");
  }
}
