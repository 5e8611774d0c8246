package io.flick.bench.feed;

import io.flick.feed.rank.SpdInverse;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * bench/feed/inverse: the EASE inverse (XᵀX + λI)⁻¹ at the item counts the recommender fits — the
 * Cholesky {@link SpdInverse#invert} against the Gauss–Jordan it replaced ({@link
 * SpdInverse#gaussJordan}, the baseline), interleaved in the same JVM on the same matrices, fastest
 * of {@code repeat}; also the largest difference between the two inverses.
 */
public final class InverseBench {
  public static void main(String[] args) {
    int threads = Integer.getInteger("threads", 2);
    int repeat = Integer.getInteger("repeat", 1);
    String[] sizes = System.getProperty("sizes", "2000,6000").split(",");
    // warm-up: let the JIT compile both kernels before anything is timed
    for (int w = 0; w < 3; w++) {
      float[][] g = gram(400, 42);
      SpdInverse.invert(copy(g), threads);
      SpdInverse.gaussJordan(copy(g), threads);
    }
    System.out.println(
        "| items | Gauss–Jordan (baseline) | Cholesky | Gauss–Jordan ÷ Cholesky | max |difference| |");
    System.out.println("|---|---|---|---|---|");
    for (String size : sizes) {
      int n = Integer.parseInt(size.strip());
      float[][] g = gram(n, 42);
      long gaussJordan = Long.MAX_VALUE;
      long cholesky = Long.MAX_VALUE;
      float[][] a = null;
      float[][] b = null;
      for (int r = 0; r < repeat; r++) {
        a = copy(g);
        long start = System.nanoTime();
        SpdInverse.gaussJordan(a, threads);
        gaussJordan = Math.min(gaussJordan, System.nanoTime() - start);
        a = null;
        b = copy(g);
        start = System.nanoTime();
        SpdInverse.invert(b, threads);
        cholesky = Math.min(cholesky, System.nanoTime() - start);
      }
      a = copy(g);
      SpdInverse.gaussJordan(a, threads); // for the difference (untimed)
      double max = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "| %,d | %.2f s | %.2f s | ×%.2f | %.1e |%n",
          n,
          gaussJordan / 1e9,
          cholesky / 1e9,
          (double) gaussJordan / cholesky,
          max);
    }
  }

  /**
   * XᵀX + 500 I of 15·n synthetic viewers with 1–8 positives each over n items of skewed popularity
   * (the square of a uniform draw: the first items are the hits), like the fitted data.
   */
  static float[][] gram(int n, long seed) {
    Random random = new Random(seed);
    float[][] g = new float[n][n];
    int[] items = new int[8];
    for (int u = 0; u < 15 * n; u++) {
      int size = 1 + random.nextInt(8);
      for (int k = 0; k < size; k++) {
        items[k] = (int) (n * Math.pow(random.nextDouble(), 2));
      }
      Arrays.sort(items, 0, size);
      for (int x = 0; x < size; x++) {
        if (x > 0 && items[x] == items[x - 1]) {
          continue;
        }
        for (int y = 0; y < size; y++) {
          if (y > 0 && items[y] == items[y - 1]) {
            continue;
          }
          g[items[x]][items[y]] += 1;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      g[i][i] += 500;
    }
    return g;
  }

  private static float[][] copy(float[][] g) {
    float[][] c = new float[g.length][];
    for (int i = 0; i < g.length; i++) {
      c[i] = g[i].clone();
    }
    return c;
  }
}
