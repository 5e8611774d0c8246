package io.flick.moderation.duplicates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The near-duplicate index on generated frame hashes: 20,000 indexed videos of 30 s, re-uploads
 * with every frame's hash disturbed by up to 3 bits (what a re-encode does, per DHashTest) are
 * found; unrelated clips are not. Lookup time at 100,000 videos is bench/duplicates' to measure.
 */
class NearDuplicateIndexTest {
  private static final int VIDEOS = 20_000;
  private static final int SECONDS = 30;

  @Test
  void reUploadsAreFoundAndUnrelatedClipsAreNot() {
    SplittableRandom random = new SplittableRandom(18);
    NearDuplicateIndex index = new NearDuplicateIndex();
    long[][] originals = new long[VIDEOS][];
    for (int v = 0; v < VIDEOS; v++) {
      originals[v] = clip(random);
      index.add("v" + v, originals[v]);
    }
    assertThat(index.size()).isEqualTo(VIDEOS);

    int queries = 1_000;
    int found = 0;
    int falseMatches = 0;
    for (int q = 0; q < queries; q++) {
      int v = random.nextInt(VIDEOS);
      var match = index.bestMatch("new-" + q, disturbed(originals[v], random));
      if (match.isPresent() && match.get().videoId().equals("v" + v)) {
        found++;
      }
      if (index.bestMatch("other-" + q, clip(random)).isPresent()) {
        falseMatches++;
      }
    }
    assertThat(found).isEqualTo(queries);
    assertThat(falseMatches).isZero();
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
