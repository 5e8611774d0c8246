package io.flick.feed.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RankingMetricsTest {
  private static final double LOG2_3 = Math.log(3) / Math.log(2);
  private static final double LOG2_5 = Math.log(5) / Math.log(2);

  @Test
  void recallDividesByTheSmallerOfKAndTheTargets() {
    // targets 3, 7, 9; top-2 holds two of them → 2 / min(2, 3) = 1
    assertThat(RankingMetrics.recall(new int[] {7, 3}, 2, new int[] {3, 7, 9}, 2)).isEqualTo(1.0);
    // top-4 holds one of two targets → 1 / 2
    assertThat(RankingMetrics.recall(new int[] {1, 2, 3, 4}, 4, new int[] {3, 8}, 4))
        .isEqualTo(0.5);
    assertThat(RankingMetrics.recall(new int[] {1, 2}, 2, new int[] {5}, 2)).isZero();
  }

  @Test
  void ndcgIsBinaryWithLog2DiscountAndIdealOverMinKTargets() {
    // hits at ranks 2 and 4; three targets, K = 4 → ideal = 1 + 1/log2(3) + 1/log2(4)
    double dcg = 1 / LOG2_3 + 1 / LOG2_5;
    double ideal = 1 + 1 / LOG2_3 + 0.5;
    assertThat(RankingMetrics.ndcg(new int[] {0, 10, 1, 20}, 4, new int[] {10, 20, 30}, 4))
        .isCloseTo(dcg / ideal, within(1e-12));
    // more targets than K: a top-K of only hits is perfect
    assertThat(RankingMetrics.ndcg(new int[] {5, 6}, 2, new int[] {5, 6, 7}, 2))
        .isCloseTo(1.0, within(1e-12));
    // one target found first is perfect, found second is 1/log2(3)
    assertThat(RankingMetrics.ndcg(new int[] {4, 9}, 2, new int[] {4}, 2)).isEqualTo(1.0);
    assertThat(RankingMetrics.ndcg(new int[] {9, 4}, 2, new int[] {4}, 2))
        .isCloseTo(1 / LOG2_3, within(1e-12));
  }

  @Test
  void topKBreaksTiesByTheLowerIndexAndSkipsMasked() {
    double[] scores = {1, 3, 3, 2, 3, Double.NaN, 2};
    boolean[] masked = {false, false, true, false, false, false, false};
    int[] top = new int[4];
    int n = new TopK(4).select(scores, masked, top);
    assertThat(n).isEqualTo(4);
    assertThat(top).containsExactly(1, 4, 3, 6);
    // fewer unmasked items than K; NaN ranks last
    boolean[] most = {true, true, true, true, true, false, false};
    n = new TopK(4).select(scores, most, top);
    assertThat(Arrays.copyOf(top, n)).containsExactly(6, 5);
  }

  @Test
  void topKAgreesWithAFullSort() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      int n = 1 + random.nextInt(300);
      int k = 1 + random.nextInt(40);
      double[] scores = new double[n];
      boolean[] masked = new boolean[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextInt(10); // many ties
        masked[i] = random.nextInt(5) == 0;
      }
      int[] expected =
          IntStream.range(0, n)
              .filter(i -> !masked[i])
              .boxed()
              .sorted(
                  Comparator.<Integer>comparingDouble(i -> -scores[i])
                      .thenComparing(Comparator.naturalOrder()))
              .limit(k)
              .mapToInt(Integer::intValue)
              .toArray();
      int[] top = new int[k];
      int count = new TopK(k).select(scores, masked, top);
      assertThat(Arrays.copyOf(top, count)).containsExactly(expected);
    }
  }
}
