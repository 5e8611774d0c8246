package io.flick.feed.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SpdInverseTest {

  @Test
  void invertsAThreeByThreeGramMatrixAsTheClosedFormDoes() {
    double lambda = 2; // users {0,1}, {0,1}, {0,2}, {1,2}: G = XᵀX + λI
    double[][] g = {{3 + lambda, 2, 1}, {2, 3 + lambda, 1}, {1, 1, 2 + lambda}};
    float[][] a = toFloat(g);
    SpdInverse.invert(a, 1);
    double det =
        g[0][0] * (g[1][1] * g[2][2] - g[1][2] * g[2][1])
            - g[0][1] * (g[1][0] * g[2][2] - g[1][2] * g[2][0])
            + g[0][2] * (g[1][0] * g[2][1] - g[1][1] * g[2][0]);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        int r1 = (c + 1) % 3;
        int r2 = (c + 2) % 3;
        int c1 = (r + 1) % 3;
        int c2 = (r + 2) % 3;
        double cofactor = g[r1][c1] * g[r2][c2] - g[r1][c2] * g[r2][c1];
        assertThat((double) a[r][c]).as("P[%d][%d]", r, c).isCloseTo(cofactor / det, within(1e-6));
      }
    }
  }

  @Test
  void equalsTheGaussJordanInverseOnGramMatricesSpanningSeveralBlocks() {
    // sizes around the block edge (64) and several blocks with a ragged last one
    for (int n : new int[] {1, 63, 64, 65, 200}) {
      double[][] g = gram(n, new Random(n));
      float[][] cholesky = toFloat(g);
      float[][] gaussJordan = toFloat(g);
      SpdInverse.invert(cholesky, 2);
      SpdInverse.gaussJordan(gaussJordan, 2);
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
          assertThat(cholesky[r][c])
              .as("n=%d P[%d][%d]", n, r, c)
              .isCloseTo(gaussJordan[r][c], within(2e-6f));
          assertThat(cholesky[r][c]).isEqualTo(cholesky[c][r]); // symmetric, every entry written
        }
      }
      for (int r = 0; r < n; r++) { // and it is the inverse: G P = I
        for (int c = 0; c < n; c++) {
          double sum = 0;
          for (int t = 0; t < n; t++) {
            sum += g[r][t] * cholesky[t][c];
          }
          assertThat(sum).as("n=%d (GP)[%d][%d]", n, r, c).isCloseTo(r == c ? 1 : 0, within(1e-4));
        }
      }
    }
  }

  @Test
  void refusesAMatrixThatIsNotPositiveDefinite() {
    float[][] a = {{1, 2}, {2, 1}}; // eigenvalues 3 and −1
    assertThatThrownBy(() -> SpdInverse.invert(a, 1))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("not positive definite");
  }

  /** XᵀX + λI of random sparse binary histories: popular items, pairs, a ridge of 5. */
  private static double[][] gram(int n, Random random) {
    double[][] g = new double[n][n];
    for (int u = 0; u < 4 * n; u++) {
      int[] items = new int[1 + random.nextInt(4)];
      for (int k = 0; k < items.length; k++) {
        items[k] = (int) (n * Math.pow(random.nextDouble(), 2)); // skewed popularity
      }
      java.util.Arrays.sort(items);
      for (int k = 0; k < items.length; k++) {
        if (k > 0 && items[k] == items[k - 1]) {
          continue;
        }
        for (int m = 0; m < items.length; m++) {
          if (m > 0 && items[m] == items[m - 1]) {
            continue;
          }
          g[items[k]][items[m]] += 1;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      g[i][i] += 5;
    }
    return g;
  }

  private static float[][] toFloat(double[][] g) {
    float[][] a = new float[g.length][g.length];
    for (int r = 0; r < g.length; r++) {
      for (int c = 0; c < g.length; c++) {
        a[r][c] = (float) g[r][c];
      }
    }
    return a;
  }
}
