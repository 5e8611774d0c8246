package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content vectors of real clips, made and decoded by the real ffmpeg. */
class ContentVectorTest {
  @TempDir static Path dir;

  private static final ContentVector vectors = new ContentVector(Media.PATHS.ffmpeg());
  private static float[] testsrc;
  private static float[] testsrcAgain;
  private static float[] bars;

  @BeforeAll
  static void clips() throws Exception {
    // the same look and sound at two sizes, and a different look without sound
    testsrc = vector(Media.clip(dir, "a.mp4", "testsrc2", 320, 240, 3, true), true);
    testsrcAgain = vector(Media.clip(dir, "b.mp4", "testsrc2", 480, 360, 3, true), true);
    bars = vector(Media.clip(dir, "c.mp4", "smptebars", 320, 240, 3, false), false);
  }

  private static float[] vector(Path clip, boolean audio) {
    return vectors.compute(clip, audio, new byte[0], dir).orElseThrow();
  }

  @Test
  void isUnitLengthOfFixedDimension() {
    for (float[] v : new float[][] {testsrc, testsrcAgain, bars}) {
      assertThat(v).hasSize(ContentVector.DIMENSION);
      double norm = 0;
      for (float x : v) norm += x * x;
      assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void alikeVideosPointTheSameWayAndUnlikeOnesDoNot() {
    assertThat(cosine(testsrc, testsrcAgain)).isGreaterThan(0.9);
    assertThat(cosine(testsrc, bars)).isLessThan(cosine(testsrc, testsrcAgain) - 0.3);
  }

  @Test
  void theStoredDHashBitsCount() {
    byte[] material = new byte[72 * 2];
    for (int i = 0; i < material.length; i++) material[i] = (byte) (i * 37);
    byte[] rgb = new byte[ContentVector.SIDE * ContentVector.SIDE * 3];
    float[] without = ContentVector.of(rgb, new byte[0], new byte[0]).orElseThrow();
    float[] with = ContentVector.of(rgb, new byte[0], material).orElseThrow();
    assertThat(cosine(without, with)).isLessThan(0.99);
  }

  @Test
  void aFileFfmpegCannotDecodeHasNoVector() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.mp4"), "not a video");
    assertThat(vectors.compute(junk, true, new byte[0], dir)).isEmpty();
    assertThat(ContentVector.of(new byte[0], new byte[0], new byte[0])).isEmpty();
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
