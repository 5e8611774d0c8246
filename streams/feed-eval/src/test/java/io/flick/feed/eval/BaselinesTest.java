package io.flick.feed.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BaselinesTest {
  private static Interaction i(String user, String item) {
    return new Interaction(user, item, 1, 0);
  }

  // items (string order) a=0 b=1 c=2; users: u1 {a,b}, u2 {a,b}, u3 {a,c}, u4 {b,c}
  private final TrainingSet train =
      TrainingSet.of(
          List.of(
              i("u1", "a"),
              i("u1", "b"),
              i("u2", "a"),
              i("u2", "b"),
              i("u3", "a"),
              i("u3", "c"),
              i("u4", "b"),
              i("u4", "c")));

  @Test
  void easeMatchesTheClosedFormOnAThreeByThreeCase() {
    double lambda = 2;
    Ease ease = Ease.train(new UserItemMatrix(train), lambda, 1);
    // G = XᵀX + λI = [[3+λ, 2, 1], [2, 3+λ, 1], [1, 1, 2+λ]]; P = adj(G) / det(G)
    double[][] g = {{3 + lambda, 2, 1}, {2, 3 + lambda, 1}, {1, 1, 2 + lambda}};
    double[][] p = inverse3(g);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        double expected = r == c ? 0 : -p[r][c] / p[c][c];
        assertThat(ease.weight(r, c)).as("B[%d][%d]", r, c).isCloseTo(expected, within(1e-5));
      }
    }
    // u3 {a, c} scores b = B_ab + B_cb
    double[] scores = new double[3];
    ease.score("u3", scores);
    assertThat(scores[1]).isCloseTo(-p[0][1] / p[1][1] - p[2][1] / p[1][1], within(1e-5));
  }

  @Test
  void theBlockedInverseInvertsAcrossSeveralBlocks() {
    int n = 150; // three blocks of 64
    Random random = new Random(3);
    double[][] m = new double[n][n];
    for (int k = 0; k < 3 * n; k++) { // a sparse-ish Gram matrix plus a ridge
      int x = random.nextInt(n);
      int y = random.nextInt(n);
      m[x][y] += 1;
      m[y][x] += 1;
      m[x][x] += 1;
      m[y][y] += 1;
    }
    float[][] a = new float[n][n];
    for (int r = 0; r < n; r++) {
      m[r][r] += 1;
      for (int c = 0; c < n; c++) {
        a[r][c] = (float) m[r][c];
      }
    }
    io.flick.feed.rank.SpdInverse.invert(a, 2);
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        double sum = 0;
        for (int t = 0; t < n; t++) {
          sum += m[r][t] * a[t][c];
        }
        assertThat(sum).isCloseTo(r == c ? 1 : 0, within(1e-3));
      }
    }
  }

  @Test
  void itemKnnRanksTheObviousNeighbourFirst() {
    // a: {u1,u2,u3}, b: {u1,u2,u4}, c: {u3,u4}: sim(a,b) = 2/3, sim(a,c) = 1/√6
    UserItemMatrix matrix = new UserItemMatrix(train);
    ItemKnn.Similarities sims = new ItemKnn.Similarities(matrix, 10, 1);
    assertThat(sims.neighbour(0, 0)).isEqualTo(1);
    assertThat(sims.similarity(0, 0)).isCloseTo(2.0 / 3, within(1e-6));
    assertThat(sims.similarity(0, 1)).isCloseTo(1 / Math.sqrt(6), within(1e-6));
    TrainingSet more =
        TrainingSet.of(
            new ArrayList<>(train.inTimeOrder()) {
              {
                add(i("u5", "a"));
              }
            });
    double[] scores = new double[3];
    new ItemKnn(new ItemKnn.Similarities(new UserItemMatrix(more), 10, 1), 1).score("u5", scores);
    assertThat(scores[1]).isGreaterThan(scores[2]); // b, not c, with one neighbour kept
    assertThat(scores[2]).isZero();
  }

  @Test
  void alsScoresTheUsersGroupAboveTheOther() {
    List<Interaction> lines = new ArrayList<>();
    for (int u = 0; u < 40; u++) {
      String group = u < 20 ? "x" : "y";
      for (int k = 0; k < 5; k++) {
        if ((u + k) % 6 != 0) {
          lines.add(i("u" + u, group + k));
        }
      }
    }
    TrainingSet set = TrainingSet.of(lines);
    ImplicitAls als = ImplicitAls.train(new UserItemMatrix(set), 4, 10, 0.1, 10, 1, 2);
    double[] scores = new double[set.catalog().size()];
    als.score("u0", scores); // u0 did not watch x0
    int x0 = set.catalog().indexOf("x0");
    for (int k = 0; k < 5; k++) {
      assertThat(scores[x0]).isGreaterThan(scores[set.catalog().indexOf("y" + k)]);
    }
    double[] solved =
        ImplicitAls.choleskySolve(new double[][] {{4, 2}, {2, 3}}, new double[] {2, 1});
    assertThat(solved[0]).isCloseTo(0.5, within(1e-12));
    assertThat(solved[1]).isCloseTo(0, within(1e-12));
  }

  private static double[][] inverse3(double[][] m) {
    double det =
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    double[][] inv = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        int r1 = (c + 1) % 3;
        int r2 = (c + 2) % 3;
        int c1 = (r + 1) % 3;
        int c2 = (r + 2) % 3;
        inv[r][c] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
      }
    }
    return inv;
  }
}
