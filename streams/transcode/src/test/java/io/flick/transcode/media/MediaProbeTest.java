package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad upload the issue lists is rejected, with a reason a person can read. */
@Timeout(60)
class MediaProbeTest {

  @TempDir static Path dir;

  private static final MediaLimits LIMITS = MediaLimits.defaults();
  private final MediaProbe probe = new MediaProbe(Media.PATHS.ffprobe());

  static Path good;
  static Path rotated;

  @BeforeAll
  static void clips() throws Exception {
    good = Media.clip(dir, "good.mp4", "testsrc2", 360, 640, 2, true);
    Path landscape = Media.clip(dir, "landscape.mp4", "testsrc2", 320, 180, 2, false);
    rotated = dir.resolve("rotated.mp4");
    Media.ffmpeg(
        "-i", landscape.toString(), "-c", "copy", "-metadata:s:v", "rotate=90", rotated.toString());
  }

  @Test
  void describesAGoodClip() throws Exception {
    MediaInfo info = probe.probeAndValidate(good, LIMITS);
    assertThat(info.videoCodec()).isEqualTo("h264");
    assertThat(info.displaySize()).isEqualTo("360x640");
    assertThat(info.isPortrait()).isTrue();
    assertThat(info.durationSeconds()).isBetween(1.9, 2.1);
    assertThat(info.frameRate()).isEqualTo(30);
    assertThat(info.audio()).get().extracting(MediaInfo.Audio::codec).isEqualTo("aac");
  }

  @Test
  void reportsDisplaySizeAfterRotation() throws Exception {
    MediaInfo info = probe.probeAndValidate(rotated, LIMITS);
    assertThat(info.codedWidth()).isEqualTo(320);
    assertThat(info.codedHeight()).isEqualTo(180);
    assertThat(info.rotation()).isIn(90, 270);
    assertThat(info.displaySize()).isEqualTo("180x320");
    assertThat(info.isPortrait()).isTrue();
    assertThat(info.hasAudio()).isFalse();
  }

  @Test
  void rejectsAnEmptyFile() throws Exception {
    Path f = Files.createFile(dir.resolve("zero.mp4"));
    assertRejected(f, LIMITS, MediaRejection.Reason.EMPTY_FILE, "empty");
  }

  @Test
  void rejectsRandomBytesNamedMp4() throws Exception {
    byte[] junk = new byte[100_000];
    new Random(42).nextBytes(junk);
    Path f = Files.write(dir.resolve("random.mp4"), junk);
    assertRejected(f, LIMITS, MediaRejection.Reason.NOT_A_VIDEO, "not a video");
  }

  @Test
  void rejectsAPng() throws Exception {
    Path png = dir.resolve("picture.png");
    Media.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", png.toString());
    // named like a video, to show the name is not trusted
    Path disguised = Files.copy(png, dir.resolve("picture.mp4"));
    assertRejected(disguised, LIMITS, MediaRejection.Reason.STILL_IMAGE, "still image");
  }

  @Test
  void rejectsAnMp4WhoseMoovAtomWasCutOff() throws Exception {
    // without +faststart the moov atom is written last; an interrupted upload loses it
    Path full = Media.clip(dir, "full.mp4", "testsrc2", 320, 240, 2, true);
    byte[] bytes = Files.readAllBytes(full);
    Path cut =
        Files.write(dir.resolve("cut.mp4"), java.util.Arrays.copyOf(bytes, bytes.length * 3 / 4));
    assertRejected(cut, LIMITS, MediaRejection.Reason.TRUNCATED, "incomplete");
  }

  @Test
  void rejectsAFaststartMp4WhoseMediaDataWasCutOff() throws Exception {
    // with +faststart the index survives the cut, but the data it points to does not
    Path full = dir.resolve("faststart.mp4");
    Media.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=30",
        "-t",
        "2",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-movflags",
        "+faststart",
        full.toString());
    assertThat(probe.probeAndValidate(full, LIMITS).durationSeconds()).isPositive();
    byte[] bytes = Files.readAllBytes(full);
    Path cut =
        Files.write(
            dir.resolve("faststart-cut.mp4"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertRejected(cut, LIMITS, MediaRejection.Reason.TRUNCATED, "incomplete");
  }

  @Test
  void rejectsAudioOnly() throws Exception {
    Path m4a = dir.resolve("voice.m4a");
    Media.ffmpeg("-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", m4a.toString());
    assertRejected(m4a, LIMITS, MediaRejection.Reason.NO_VIDEO_STREAM, "only audio");
  }

  @Test
  void rejectsHalfASecond() throws Exception {
    Path f = Media.clip(dir, "short.mp4", "testsrc2", 320, 240, 0.5, true);
    assertRejected(f, LIMITS, MediaRejection.Reason.TOO_SHORT, "0.5 s long; the minimum is 1 s");
  }

  @Test
  void rejectsLongerThanTheConfiguredLimit() throws Exception {
    Path f = Media.clip(dir, "long.mp4", "testsrc2", 176, 320, 5, false);
    assertRejected(
        f,
        LIMITS.withDuration(1, 4),
        MediaRejection.Reason.TOO_LONG,
        "5 s long; the maximum is 4 s");
  }

  @Test
  void rejectsTinyDimensions() throws Exception {
    Path f = Media.clip(dir, "tiny.mp4", "testsrc2", 16, 16, 2, false);
    assertRejected(f, LIMITS, MediaRejection.Reason.DIMENSIONS_TOO_SMALL, "16x16");
  }

  @Test
  void rejectsHugeDimensions() throws Exception {
    Path f = dir.resolve("huge.mkv");
    Media.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "color=c=gray:s=10000x10000:r=1:d=2",
        "-c:v",
        "mjpeg",
        "-q:v",
        "31",
        f.toString());
    assertRejected(f, LIMITS, MediaRejection.Reason.DIMENSIONS_TOO_LARGE, "10000x10000");
  }

  @Test
  void rejectsAFileOverTheByteLimit() throws Exception {
    assertRejected(
        good, LIMITS.withMaxBytes(1000), MediaRejection.Reason.FILE_TOO_LARGE, "the limit is");
  }

  @Test
  void aMissingFileOrFfprobeIsTransient() {
    TranscodeException missing =
        catchThrowableOfType(
            TranscodeException.class, () -> probe.probe(dir.resolve("does-not-exist.mp4")));
    assertThat(missing.isTransient()).isTrue();
    TranscodeException noTool =
        catchThrowableOfType(
            TranscodeException.class,
            () -> new MediaProbe(dir.resolve("no-ffprobe-here")).probe(good));
    assertThat(noTool.isTransient()).isTrue();
    assertThat(noTool.rejection()).isEmpty();
  }

  private void assertRejected(
      Path file, MediaLimits limits, MediaRejection.Reason reason, String messagePart) {
    TranscodeException e =
        catchThrowableOfType(TranscodeException.class, () -> probe.probeAndValidate(file, limits));
    assertThat(e).as("%s must be rejected", file.getFileName()).isNotNull();
    assertThat(e.isTransient()).isFalse();
    assertThat(e.rejection()).get().extracting(MediaRejection::reason).isEqualTo(reason);
    assertThat(e.getMessage()).contains(messagePart).endsWith(".");
  }
}
