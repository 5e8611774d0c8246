package io.flick.feed.eval;

import io.flick.feed.rank.Parallel;
import io.flick.feed.rank.SpdInverse;

/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): the item × item
 * weights B that minimise ‖X − XB‖² + λ‖B‖² with diag(B) = 0 have the closed form P = (XᵀX + λI)⁻¹,
 * B_ij = −P_ij / P_jj (i ≠ j); a user's scores are x_u B. X is the binary {@link UserItemMatrix};
 * the inverse is {@link SpdInverse#invert}, a blocked in-place Cholesky inverse in float (XᵀX + λI
 * is symmetric positive definite), dense: n² floats of memory, n³/2 multiply-adds of time. XᵀX is
 * computed once ({@link #gram}) and shared by every λ of the grid.
 */
final class Ease implements Ranker {
  private final UserItemMatrix matrix;
  private final float[][] weights; // row i: item i's contribution to every item's score

  private Ease(UserItemMatrix matrix, float[][] weights) {
    this.matrix = matrix;
    this.weights = weights;
  }

  static Ease train(UserItemMatrix matrix, double lambda, int threads) {
    return train(matrix, gram(matrix, threads), lambda, threads);
  }

  /** XᵀX (co-occurrence counts), dense; read-only to {@link #train}. */
  static float[][] gram(UserItemMatrix matrix, int threads) {
    int n = matrix.items();
    float[][] g = new float[n][n];
    Parallel.forEach(
        threads,
        n,
        i -> {
          float[] row = g[i];
          for (int u : matrix.usersOf(i)) {
            for (int j : matrix.itemsOf(u)) {
              row[j] += 1;
            }
          }
        });
    return g;
  }

  /** Fits B for one λ from the shared {@code gram} (copied, not changed). */
  static Ease train(UserItemMatrix matrix, float[][] gram, double lambda, int threads) {
    if (!(lambda > 0)) {
      throw new IllegalArgumentException("lambda must be > 0: " + lambda);
    }
    int n = matrix.items();
    float[][] a = new float[n][];
    Parallel.forEach(
        threads,
        n,
        i -> {
          a[i] = gram[i].clone();
          a[i][i] += (float) lambda;
        });
    SpdInverse.invert(a, threads);
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
}
