package io.flick.feed.rank;

import java.util.Arrays;

/**
 * An item-item neighbour table fitted in one go from the users' recent positives (the histories the
 * {@link Recommender} already keeps): EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse
 * Data", WWW 2019), the item × item weights B minimising ‖X − XB‖² + λ‖B‖² with diag(B) = 0, closed
 * form P = (XᵀX + λI)⁻¹, B_ij = −P_ij / P_jj. It is the strongest co-engagement signal on sparse
 * data (most viewers have one or two positives), where the online co-engagement counts are noisy;
 * the recommender blends it into its score and draws candidates from it.
 *
 * <p>Dense in the fitted items: {@code maxItems}² floats of memory and {@code maxItems}³/2
 * multiply-adds while fitting ({@link SpdInverse}), so only the {@code maxItems} most engaged items
 * are fitted; each keeps its {@code keep} largest positive weights (a sparse table for serving).
 * Refit periodically.
 */
public final class ItemItemTable {
  /** No neighbours: what the recommender holds until a first fit. */
  public static final ItemItemTable EMPTY = new ItemItemTable(new IntFloatMap[0], 0, 0);

  private final IntFloatMap[] rows; // by the recommender's item id: item → weight, or null
  private final int fitted;
  private final long fitMillis;

  private ItemItemTable(IntFloatMap[] rows, int fitted, long fitMillis) {
    this.rows = rows;
    this.fitted = fitted;
    this.fitMillis = fitMillis;
  }

  /**
   * Fits the table.
   *
   * @param users each user's distinct positive items (ids below {@code itemCount})
   * @param lambda the ridge λ (&gt; 0)
   * @param maxItems at most this many items, the most frequent (ties: lower id), are fitted
   * @param keep neighbours kept per item
   */
  public static ItemItemTable fit(
      int[][] users, int itemCount, double lambda, int maxItems, int keep, int threads) {
    if (!(lambda > 0) || maxItems < 1 || keep < 1) {
      throw new IllegalArgumentException("lambda, maxItems and keep must be > 0");
    }
    long start = System.nanoTime();
    int[] counts = new int[itemCount];
    for (int[] items : users) {
      for (int item : items) {
        counts[item]++;
      }
    }
    Integer[] order =
        java.util.stream.IntStream.range(0, itemCount)
            .filter(i -> counts[i] > 0)
            .boxed()
            .toArray(Integer[]::new);
    Arrays.sort(order, (a, b) -> counts[a] != counts[b] ? counts[b] - counts[a] : a - b);
    int n = Math.min(maxItems, order.length);
    int[] itemOf = new int[n];
    int[] local = new int[itemCount];
    Arrays.fill(local, -1);
    for (int k = 0; k < n; k++) {
      itemOf[k] = order[k];
      local[order[k]] = k;
    }
    float[][] a = new float[n][n];
    int[] row = new int[64];
    for (int[] items : users) {
      int size = 0;
      if (row.length < items.length) {
        row = new int[items.length];
      }
      for (int item : items) {
        if (local[item] >= 0) {
          row[size++] = local[item];
        }
      }
      for (int x = 0; x < size; x++) {
        float[] r = a[row[x]];
        for (int y = 0; y < size; y++) {
          r[row[y]] += 1;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      a[i][i] += (float) lambda;
    }
    SpdInverse.invert(a, threads);
    float[] diagonal = new float[n];
    for (int j = 0; j < n; j++) {
      diagonal[j] = a[j][j];
    }
    IntFloatMap[] rows = new IntFloatMap[itemCount];
    Parallel.forEach(
        threads,
        n,
        i -> {
          float[] r = a[i];
          // B_ij = −P_ij / P_jj; keep the largest positive ones
          IntFloatMap kept = new IntFloatMap(Math.min(keep, n));
          for (int j = 0; j < n; j++) {
            float w = -r[j] / diagonal[j];
            if (j != i && w > 0) {
              kept.add(itemOf[j], w);
            }
          }
          if (kept.size() > keep) {
            kept.retainTop(keep);
          }
          a[i] = null; // let the dense row go as soon as it is read
          rows[itemOf[i]] = kept.size() == 0 ? null : kept;
        });
    return new ItemItemTable(rows, n, (System.nanoTime() - start) / 1_000_000);
  }

  /** The items fitted (0 = empty). */
  public int fittedItems() {
    return fitted;
  }

  public long fitMillis() {
    return fitMillis;
  }

  /** B_ij as kept (0 when not among i's kept neighbours). */
  public float weight(int i, int j) {
    IntFloatMap row = i < rows.length ? rows[i] : null;
    return row == null ? 0 : row.get(j);
  }

  IntFloatMap row(int item) {
    return item < rows.length ? rows[item] : null;
  }
}
