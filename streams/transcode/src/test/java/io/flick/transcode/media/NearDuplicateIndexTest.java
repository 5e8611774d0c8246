package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The near-duplicate index on generated frame hashes: 100,000 indexed videos of 30 s, re-uploads
 * with every frame's hash disturbed by up to 3 bits (what a re-encode does, per DHashTest) are
 * found; unrelated clips are not (false matches counted); lookups are timed (p99 printed).
 */
class NearDuplicateIndexTest {
  private static final int VIDEOS = 100_000;
  private static final int SECONDS = 30;

  @Test
  void reUploadsAreFoundAndUnrelatedClipsAreNotAtAHundredThousandVideos() {
    SplittableRandom random = new SplittableRandom(18);
    NearDuplicateIndex index = new NearDuplicateIndex();
    long[][] originals = new long[VIDEOS][];
    for (int v = 0; v < VIDEOS; v++) {
      originals[v] = clip(random);
      index.add("v" + v, originals[v]);
    }
    assertThat(index.size()).isEqualTo(VIDEOS);

    int queries = 2_000;
    long[] nanos = new long[queries * 2];
    int found = 0;
    int falseMatches = 0;
    for (int q = 0; q < queries; q++) {
      int v = random.nextInt(VIDEOS);
      long[] reupload = disturbed(originals[v], random);
      long start = System.nanoTime();
      var match = index.bestMatch("new-" + q, reupload);
      nanos[2 * q] = System.nanoTime() - start;
      if (match.isPresent() && match.get().videoId().equals("v" + v)) {
        found++;
      }
      long[] unrelated = clip(random);
      start = System.nanoTime();
      if (index.bestMatch("other-" + q, unrelated).isPresent()) {
        falseMatches++;
      }
      nanos[2 * q + 1] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    double p99ms = nanos[(int) (nanos.length * 0.99)] / 1e6;
    System.out.printf(
        "near-duplicates: %d/%d re-uploads found, %d/%d unrelated clips matched, lookup p99 %.3f"
            + " ms at %d videos%n",
        found, queries, falseMatches, queries, p99ms, VIDEOS);
    assertThat(found).isEqualTo(queries);
    assertThat(falseMatches).isZero();
    assertThat(p99ms).isLessThan(50);
  }

  @Test
  void flatFramesAreIgnoredAndAVideoDoesNotMatchItself() {
    NearDuplicateIndex index = new NearDuplicateIndex();
    long[] black = new long[10];
    index.add("a", black);
    assertThat(index.bestMatch("b", black)).isEmpty();
    long[] clip = clip(new SplittableRandom(1));
    index.add("c", clip);
    assertThat(index.bestMatch("c", clip)).isEmpty();
    assertThat(index.bestMatch("d", clip)).get().extracting(m -> m.videoId()).isEqualTo("c");
  }

  private static long[] clip(SplittableRandom random) {
    long[] frames = new long[SECONDS];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = random.nextLong();
    }
    return frames;
  }

  /** Each frame's hash with 0 to 3 bits flipped, as a re-encode gives. */
  private static long[] disturbed(long[] frames, SplittableRandom random) {
    long[] out = frames.clone();
    for (int i = 0; i < out.length; i++) {
      int flips = random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        out[i] ^= 1L << random.nextInt(64);
      }
    }
    return out;
  }
}
