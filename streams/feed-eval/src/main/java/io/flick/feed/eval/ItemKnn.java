package io.flick.feed.eval;

import io.flick.feed.rank.Parallel;
import java.util.Arrays;

/**
 * Item-based k-nearest neighbours over the binary {@link UserItemMatrix}: cosine similarity sim(i,
 * j) = |U_i ∩ U_j| / √(|U_i| |U_j|); each item keeps its {@code k} most similar items; a user's
 * score for item j is the sum of sim(i, j) over their items i that have j among their neighbours.
 * {@link Similarities} are computed once for the largest k tried and cut for each.
 */
final class ItemKnn implements Ranker {
  private final UserItemMatrix matrix;
  private final Similarities similarities;
  private final int k;

  ItemKnn(Similarities similarities, int k) {
    this.matrix = similarities.matrix;
    this.similarities = similarities;
    this.k = k;
  }

  int neighbours() {
    return k;
  }

  @Override
  public void score(String userId, double[] out) {
    int u = matrix.user(userId);
    if (u < 0) {
      matrix.popularity(out);
      return;
    }
    Arrays.fill(out, 0);
    for (int i : matrix.itemsOf(u)) {
      int[] items = similarities.neighbours[i];
      float[] sims = similarities.values[i];
      for (int r = 0; r < Math.min(k, items.length); r++) {
        out[items[r]] += sims[r];
      }
    }
  }

  /** Every item's most similar items (best first, ties → lower index), up to a maximum. */
  static final class Similarities {
    private final UserItemMatrix matrix;
    private final int[][] neighbours;
    private final float[][] values;

    Similarities(UserItemMatrix matrix, int max, int threads) {
      this.matrix = matrix;
      int n = matrix.items();
      neighbours = new int[n][];
      values = new float[n][];
      ThreadLocal<int[]> scratch = ThreadLocal.withInitial(() -> new int[n]);
      ThreadLocal<int[]> touched = ThreadLocal.withInitial(() -> new int[n]);
      Parallel.forEach(
          threads,
          n,
          i -> {
            int[] co = scratch.get();
            int[] list = touched.get();
            int size = 0;
            for (int u : matrix.usersOf(i)) {
              for (int j : matrix.itemsOf(u)) {
                if (j != i && co[j]++ == 0) {
                  list[size++] = j;
                }
              }
            }
            double ni = matrix.usersOf(i).length;
            double[] sim = new double[size];
            for (int t = 0; t < size; t++) {
              int j = list[t];
              sim[t] = co[j] / Math.sqrt(ni * matrix.usersOf(j).length);
              co[j] = 0;
            }
            Integer[] order = new Integer[size];
            for (int t = 0; t < size; t++) {
              order[t] = t;
            }
            Arrays.sort(
                order,
                (x, y) -> sim[x] != sim[y] ? Double.compare(sim[y], sim[x]) : list[x] - list[y]);
            int keep = Math.min(max, size);
            int[] items = new int[keep];
            float[] vals = new float[keep];
            for (int r = 0; r < keep; r++) {
              items[r] = list[order[r]];
              vals[r] = (float) sim[order[r]];
            }
            neighbours[i] = items;
            values[i] = vals;
          });
    }

    /** The r-th neighbour of item i (tests). */
    int neighbour(int i, int r) {
      return neighbours[i][r];
    }

    double similarity(int i, int r) {
      return values[i][r];
    }
  }
}
