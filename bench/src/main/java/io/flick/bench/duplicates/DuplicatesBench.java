package io.flick.bench.duplicates;

import io.flick.moderation.duplicates.NearDuplicateIndex;
import io.flick.video.fingerprint.DHash;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Near-duplicate lookup at scale: the multi-index-hashing {@link NearDuplicateIndex} against a
 * naive scan (every indexed video's every frame compared by Hamming distance, the same match rule)
 * on the same queries. See bench/duplicates/run.
 */
public final class DuplicatesBench {
  private static final int SECONDS = 30;

  public static void main(String[] args) {
    int videos = Integer.getInteger("videos", 100_000);
    int queries = Integer.getInteger("queries", 2_000);
    SplittableRandom random = new SplittableRandom(18);
    long[][] originals = new long[videos][];
    NearDuplicateIndex index = new NearDuplicateIndex();
    long t0 = System.nanoTime();
    for (int v = 0; v < videos; v++) {
      originals[v] = clip(random);
      index.add("v" + v, originals[v]);
    }
    System.out.printf(
        "indexed %,d videos of %d s in %.1f s%n", videos, SECONDS, (System.nanoTime() - t0) / 1e9);

    long[][] query = new long[queries * 2][];
    int[] expected = new int[queries * 2];
    for (int q = 0; q < queries; q++) {
      int v = random.nextInt(videos);
      query[2 * q] = disturbed(originals[v], random);
      expected[2 * q] = v;
      query[2 * q + 1] = clip(random);
      expected[2 * q + 1] = -1;
    }
    // warm-up
    for (int i = 0; i < Math.min(200, query.length); i++) {
      index.bestMatch("w", query[i]);
    }
    long[] nanos = new long[query.length];
    int found = 0;
    int falseMatches = 0;
    long started = System.nanoTime();
    for (int i = 0; i < query.length; i++) {
      long s = System.nanoTime();
      var match = index.bestMatch("q" + i, query[i]);
      nanos[i] = System.nanoTime() - s;
      if (expected[i] >= 0
          && match.isPresent()
          && match.get().videoId().equals("v" + expected[i])) {
        found++;
      } else if (expected[i] < 0 && match.isPresent()) {
        falseMatches++;
      }
    }
    double indexSeconds = (System.nanoTime() - started) / 1e9;
    Arrays.sort(nanos);

    // the baseline: a scan, on a sample of the same queries (it is slow)
    int scanned = Math.min(query.length, 40);
    long[] scanNanos = new long[scanned];
    int scanFound = 0;
    for (int i = 0; i < scanned; i++) {
      long s = System.nanoTime();
      int best = scan(originals, query[i]);
      scanNanos[i] = System.nanoTime() - s;
      if (expected[i] >= 0 && best == expected[i]) {
        scanFound++;
      }
    }
    Arrays.sort(scanNanos);
    double p50 = nanos[nanos.length / 2] / 1e6;
    double p99 = nanos[(int) (nanos.length * 0.99)] / 1e6;
    double scanP50 = scanNanos[scanned / 2] / 1e6;
    System.out.printf(
        "index: %,d lookups, p50 %.3f ms, p99 %.3f ms, %.0f lookups/s; re-uploads found %d/%d,"
            + " unrelated clips matched %d/%d%n",
        query.length, p50, p99, query.length / indexSeconds, found, queries, falseMatches, queries);
    System.out.printf(
        "baseline (scan of every video): %d lookups, p50 %.1f ms (found %d/%d)%n",
        scanned, scanP50, scanFound, (scanned + 1) / 2);
    System.out.printf("index p50 is %.0fx faster than the scan%n", scanP50 / p50);
  }

  /** The naive match: the video with the most frames within the distance, by the same rule. */
  private static int scan(long[][] originals, long[] frames) {
    int best = -1;
    int bestCount = 0;
    for (int v = 0; v < originals.length; v++) {
      int count = 0;
      for (long f : frames) {
        for (long g : originals[v]) {
          if (DHash.hamming(f, g) <= NearDuplicateIndex.FRAME_DISTANCE) {
            count++;
            break;
          }
        }
      }
      if (count > bestCount) {
        bestCount = count;
        best = v;
      }
    }
    int needed =
        Math.max(
            NearDuplicateIndex.MIN_FRAMES,
            (int) Math.ceil(NearDuplicateIndex.MIN_SHARE * frames.length));
    return bestCount >= needed ? best : -1;
  }

  private static long[] clip(SplittableRandom random) {
    long[] frames = new long[SECONDS];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = random.nextLong();
    }
    return frames;
  }

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
