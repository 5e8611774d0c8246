package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.video.fingerprint.AudioFingerprint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sound-matching rule on real Chromaprint fingerprints of synthetic "songs" (ffmpeg lavfi):
 * re-encodes, trims under a second and -6 dB match their original; different songs do not.
 */
class AudioFingerprintTest {

  /** Eight different 20 s "songs": stepped melodies, rhythms and noise beds. */
  static final List<String> SONGS =
      List.of(
          "aevalsrc=0.4*sin(2*PI*(220+40*floor(mod(t*2\\,4)))*t)"
              + "+0.3*sin(2*PI*(330+55*floor(mod(t*3\\,5)))*t)*gt(mod(t\\,0.5)\\,0.25)",
          "aevalsrc=0.4*sin(2*PI*(523-60*floor(mod(t*1.5\\,6)))*t)"
              + "+0.2*sin(2*PI*(784+30*floor(mod(t*4\\,3)))*t)*lt(mod(t\\,0.4)\\,0.2)",
          "aevalsrc=0.5*sin(2*PI*(110*pow(2\\,floor(mod(t*2\\,8))/12))*t)",
          "aevalsrc=0.5*sin(2*PI*(880*pow(2\\,-floor(mod(t*3\\,7))/12))*t)*gt(mod(t\\,0.33)\\,0.1)",
          "aevalsrc=0.3*sin(2*PI*300*t)*gt(mod(t\\,1)\\,0.5)+0.3*sin(2*PI*450*t)*lt(mod(t\\,0.75)\\,0.3)",
          "aevalsrc=0.4*sin(2*PI*(196+98*floor(mod(t*5\\,3)))*t)+0.1*random(0)",
          "aevalsrc=0.4*sin(2*PI*(659-20*floor(mod(t*2.5\\,9)))*t)*abs(sin(PI*t))",
          "aevalsrc=0.3*sin(2*PI*(247+123*floor(mod(t\\,2)))*t)"
              + "+0.3*sin(2*PI*(370+185*floor(mod(t*2\\,2)))*t)*gt(mod(t\\,0.25)\\,0.12)");

  @TempDir static Path dir;
  static final AudioFingerprinter FP =
      new AudioFingerprinter(Media.PATHS.ffmpeg(), Duration.ofMinutes(1));
  static final List<Path> originals = new ArrayList<>();

  @BeforeAll
  static void songs() throws Exception {
    for (int i = 0; i < SONGS.size(); i++) {
      Path song = dir.resolve("song" + i + ".m4a");
      Media.ffmpeg(
          "-f",
          "lavfi",
          "-i",
          SONGS.get(i) + ":s=44100:d=20",
          "-c:a",
          "aac",
          "-b:a",
          "128k",
          song.toString());
      originals.add(song);
    }
  }

  @Test
  void theSameAudioReEncodedTrimmedOrQuieterMatches() throws Exception {
    double worstMatch = 0;
    for (int i = 0; i < originals.size(); i++) {
      Path song = originals.get(i);
      AudioFingerprint original = FP.fingerprint(song);
      assertThat(original.isFeatureless()).as("song %d", i).isFalse();
      assertThat(original.seconds()).as("Chromaprint covers all but ~3 s").isBetween(16.0, 20.0);
      Path lowBitrate = dir.resolve("low" + i + ".mp3");
      Media.ffmpeg(
          "-i", song.toString(), "-c:a", "libmp3lame", "-b:a", "48k", lowBitrate.toString());
      Path trimmed = dir.resolve("trim" + i + ".m4a");
      Media.ffmpeg(
          "-ss",
          "0.7",
          "-i",
          song.toString(),
          "-t",
          "18.8",
          "-c:a",
          "aac",
          "-b:a",
          "96k",
          trimmed.toString());
      Path quieter = dir.resolve("quiet" + i + ".m4a");
      Media.ffmpeg(
          "-i",
          song.toString(),
          "-af",
          "volume=-6dB",
          "-c:a",
          "aac",
          "-b:a",
          "64k",
          quieter.toString());
      for (Path variant : List.of(lowBitrate, trimmed, quieter)) {
        AudioFingerprint v = FP.fingerprint(variant);
        worstMatch = Math.max(worstMatch, v.bitErrorRate(original));
        assertThat(v.matches(original))
            .as(
                "%s vs song %d: bit error rate %s",
                variant.getFileName(), i, v.bitErrorRate(original))
            .isTrue();
      }
    }
    // the figures docs/SOUNDS.md quotes
    System.out.printf("sound corpus: worst same-audio bit error rate %.3f%n", worstMatch);
  }

  @Test
  void differentSongsDoNotMatch() throws Exception {
    List<AudioFingerprint> fps = new ArrayList<>();
    for (Path song : originals) {
      fps.add(FP.fingerprint(song));
    }
    double best = 1;
    for (int i = 0; i < fps.size(); i++) {
      for (int j = i + 1; j < fps.size(); j++) {
        best = Math.min(best, fps.get(i).bitErrorRate(fps.get(j)));
        assertThat(fps.get(i).matches(fps.get(j)))
            .as("song %d vs song %d: bit error rate %s", i, j, fps.get(i).bitErrorRate(fps.get(j)))
            .isFalse();
      }
    }
    System.out.printf("sound corpus: closest different-audio bit error rate %.3f%n", best);
  }

  @Test
  void silenceAndSteadyTonesMatchNothing() throws Exception {
    Path silence = dir.resolve("silence.m4a");
    Media.ffmpeg("-f", "lavfi", "-i", "anullsrc=d=10", "-c:a", "aac", silence.toString());
    Path tone = dir.resolve("tone.m4a");
    Media.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:d=10", "-c:a", "aac", tone.toString());
    AudioFingerprint s = FP.fingerprint(silence);
    AudioFingerprint t = FP.fingerprint(tone);
    assertThat(s.isFeatureless()).isTrue();
    assertThat(t.isFeatureless()).isTrue();
    assertThat(t.matches(t)).isFalse();
  }

  @Test
  void aClipWithoutAudioHasNoFingerprint() throws Exception {
    Path clip = Media.clip(dir, "silent.mp4", "testsrc2", 320, 240, 2, false);
    assertThat(FP.fingerprint(clip).isEmpty()).isTrue();
  }

  @Test
  void theLadderRunWritesTheSameFingerprint() throws Exception {
    Path clip = dir.resolve("withsong.mp4");
    Media.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x568:rate=30",
        "-f",
        "lavfi",
        "-i",
        SONGS.get(0) + ":s=44100:d=20",
        "-t",
        "8",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        clip.toString());
    MediaInfo info = new MediaProbe(Media.PATHS.ffprobe()).probe(clip);
    LadderPlan plan = new LadderPlanner().plan(info);
    TranscodeResult result =
        new HlsLadderTranscoder(Media.PATHS.ffmpeg())
            .transcode(clip, dir.resolve("out"), plan, TranscodeOptions.defaults(), e -> {});
    AudioFingerprint fromLadder = AudioFingerprint.fromRaw(result.audioFingerprint());
    assertThat(fromLadder.seconds()).isBetween(4.0, 8.0);
    assertThat(fromLadder.matches(FP.fingerprint(clip))).isTrue();
    assertThat(fromLadder.matches(FP.fingerprint(originals.get(0)))).isTrue();
    assertThat(fromLadder.matches(FP.fingerprint(originals.get(1)))).isFalse();
  }
}
