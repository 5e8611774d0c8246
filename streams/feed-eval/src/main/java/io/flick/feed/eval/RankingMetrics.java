package io.flick.feed.eval;

import java.util.Arrays;

/**
 * Per-user ranking metrics at cut-off K, binary relevance.
 *
 * <ul>
 *   <li>Recall@K = |top-K ∩ targets| / min(K, |targets|) (so a perfect ranking scores 1 even when
 *       the user has more than K targets).
 *   <li>NDCG@K = DCG / IDCG, DCG = Σ over hits at rank r (1-based) of 1 / log2(r + 1), IDCG the
 *       same sum over ranks 1..min(K, |targets|).
 * </ul>
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  public static final String RECALL_DEFINITION = "Recall@K = |top-K ∩ test| / min(K, |test|)";
  public static final String NDCG_DEFINITION =
      "NDCG@K: binary relevance, 1/log2(rank+1) discount, ideal DCG over min(K, |test|) hits";

  /** {@code top[0..count)} ranked best first; {@code targets} sorted. */
  public static double recall(int[] top, int count, int[] targets, int k) {
    return recall(top, count, targets, k, targets.length);
  }

  /**
   * As {@link #recall(int[], int, int[], int)}, with {@code relevant} ≥ |targets| relevant items of
   * which only {@code targets} could be ranked (the others count as misses).
   */
  public static double recall(int[] top, int count, int[] targets, int k, int relevant) {
    if (relevant == 0 || relevant < targets.length) {
      throw new IllegalArgumentException("no targets, or fewer relevant items than targets");
    }
    int hits = 0;
    for (int r = 0; r < Math.min(count, k); r++) {
      if (Arrays.binarySearch(targets, top[r]) >= 0) {
        hits++;
      }
    }
    return (double) hits / Math.min(k, relevant);
  }

  /** {@code top[0..count)} ranked best first; {@code targets} sorted. */
  public static double ndcg(int[] top, int count, int[] targets, int k) {
    return ndcg(top, count, targets, k, targets.length);
  }

  /** As {@link #ndcg(int[], int, int[], int)}, the ideal DCG over min(K, relevant) hits. */
  public static double ndcg(int[] top, int count, int[] targets, int k, int relevant) {
    if (relevant == 0 || relevant < targets.length) {
      throw new IllegalArgumentException("no targets, or fewer relevant items than targets");
    }
    double dcg = 0;
    for (int r = 0; r < Math.min(count, k); r++) {
      if (Arrays.binarySearch(targets, top[r]) >= 0) {
        dcg += discount(r + 1);
      }
    }
    double ideal = 0;
    for (int r = 1; r <= Math.min(k, relevant); r++) {
      ideal += discount(r);
    }
    return dcg / ideal;
  }

  /** 1 / log2(rank + 1) for a 1-based rank. */
  static double discount(int rank) {
    return Math.log(2) / Math.log(rank + 1.0);
  }
}
