package io.flick.feed.eval;

/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): the item × item
 * weights B that minimise ‖X − XB‖² + λ‖B‖² with diag(B) = 0 have the closed form P = (XᵀX + λI)⁻¹,
 * B_ij = −P_ij / P_jj (i ≠ j); a user's scores are x_u B. X is the binary {@link UserItemMatrix};
 * the inverse is a blocked in-place Gauss–Jordan in float (XᵀX + λI is symmetric positive definite,
 * so no pivoting), dense: n² floats of memory, n³ multiply-adds of time.
 */
final class Ease implements Ranker {
  private static final int BLOCK = 64;

  private final UserItemMatrix matrix;
  private final float[][] weights; // row i: item i's contribution to every item's score

  private Ease(UserItemMatrix matrix, float[][] weights) {
    this.matrix = matrix;
    this.weights = weights;
  }

  static Ease train(UserItemMatrix matrix, double lambda, int threads) {
    if (!(lambda > 0)) {
      throw new IllegalArgumentException("lambda must be > 0: " + lambda);
    }
    int n = matrix.items();
    float[][] a = new float[n][n];
    Parallel.forEach(
        threads,
        n,
        i -> {
          float[] row = a[i];
          for (int u : matrix.usersOf(i)) {
            for (int j : matrix.itemsOf(u)) {
              row[j] += 1;
            }
          }
          row[i] += (float) lambda;
        });
    invert(a, threads);
    float[] diagonal = new float[n];
    for (int j = 0; j < n; j++) {
      diagonal[j] = a[j][j];
    }
    Parallel.forEach(
        threads,
        n,
        i -> {
          float[] row = a[i];
          for (int j = 0; j < n; j++) {
            row[j] = -row[j] / diagonal[j];
          }
          row[i] = 0;
        });
    return new Ease(matrix, a);
  }

  /** B_ij, for tests. */
  double weight(int i, int j) {
    return weights[i][j];
  }

  @Override
  public void score(String userId, double[] out) {
    int u = matrix.user(userId);
    if (u < 0) {
      matrix.popularity(out);
      return;
    }
    java.util.Arrays.fill(out, 0);
    for (int i : matrix.itemsOf(u)) {
      float[] row = weights[i];
      for (int j = 0; j < out.length; j++) {
        out[j] += row[j];
      }
    }
  }

  /**
   * Replaces the symmetric positive definite {@code a} by its inverse: block Gauss–Jordan, one
   * block of {@value #BLOCK} pivots at a time (the pivot block inverted in double), the rest of the
   * matrix updated row by row in parallel.
   */
  static void invert(float[][] a, int threads) {
    int n = a.length;
    for (int k0 = 0; k0 < n; k0 += BLOCK) {
      int k1 = Math.min(n, k0 + BLOCK);
      int b = k1 - k0;
      double[][] d = new double[b][b];
      for (int r = 0; r < b; r++) {
        for (int c = 0; c < b; c++) {
          d[r][c] = a[k0 + r][k0 + c];
        }
      }
      invertSmall(d);
      // the pivot rows: D⁻¹ A_K·, and D⁻¹ on the block itself
      float[][] pivot = new float[b][];
      int start = k0;
      Parallel.forEach(
          threads,
          b,
          r -> {
            double[] acc = new double[n];
            for (int s = 0; s < b; s++) {
              double f = d[r][s];
              float[] src = a[start + s];
              for (int j = 0; j < n; j++) {
                acc[j] += f * src[j];
              }
            }
            float[] row = new float[n];
            for (int j = 0; j < n; j++) {
              row[j] = (float) acc[j];
            }
            for (int c = 0; c < b; c++) {
              row[start + c] = (float) d[r][c];
            }
            pivot[r] = row;
          });
      // every other row: A_i· −= A_iK (D⁻¹ A_K·); A_iK = −A_iK D⁻¹
      Parallel.forEach(
          threads,
          n,
          i -> {
            if (i >= start && i < start + b) {
              return;
            }
            float[] row = a[i];
            float[] f = new float[b];
            boolean any = false;
            for (int s = 0; s < b; s++) {
              f[s] = row[start + s];
              any |= f[s] != 0;
            }
            if (!any) {
              return;
            }
            int s = 0;
            for (; s + 3 < b; s += 4) {
              float f0 = f[s];
              float f1 = f[s + 1];
              float f2 = f[s + 2];
              float f3 = f[s + 3];
              if (f0 == 0 && f1 == 0 && f2 == 0 && f3 == 0) {
                continue;
              }
              float[] p0 = pivot[s];
              float[] p1 = pivot[s + 1];
              float[] p2 = pivot[s + 2];
              float[] p3 = pivot[s + 3];
              for (int j = 0; j < n; j++) {
                row[j] -= f0 * p0[j] + f1 * p1[j] + f2 * p2[j] + f3 * p3[j];
              }
            }
            for (; s < b; s++) {
              float fs = f[s];
              if (fs == 0) {
                continue;
              }
              float[] p = pivot[s];
              for (int j = 0; j < n; j++) {
                row[j] -= fs * p[j];
              }
            }
            for (int c = 0; c < b; c++) {
              double sum = 0;
              for (int t = 0; t < b; t++) {
                sum += f[t] * d[t][c];
              }
              row[start + c] = (float) -sum;
            }
          });
      for (int r = 0; r < b; r++) {
        a[start + r] = pivot[r];
      }
    }
  }

  /** In-place Gauss–Jordan inverse of a small symmetric positive definite matrix. */
  static void invertSmall(double[][] d) {
    int b = d.length;
    for (int k = 0; k < b; k++) {
      double p = d[k][k];
      if (!(p > 0)) {
        throw new ArithmeticException("matrix is not positive definite (pivot " + p + ")");
      }
      d[k][k] = 1;
      for (int j = 0; j < b; j++) {
        d[k][j] /= p;
      }
      for (int i = 0; i < b; i++) {
        if (i == k) {
          continue;
        }
        double f = d[i][k];
        if (f == 0) {
          continue;
        }
        d[i][k] = 0;
        for (int j = 0; j < b; j++) {
          d[i][j] -= f * d[k][j];
        }
      }
    }
  }
}
