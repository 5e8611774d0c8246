package io.flick.feed.eval;

import io.flick.feed.rank.Parallel;
import java.util.SplittableRandom;

/**
 * Matrix factorisation for implicit feedback (Hu, Koren and Volinsky, ICDM 2008), solved by
 * alternating least squares: preference p_ui = 1 for the user's positive items, confidence c_ui = 1
 * + α for them and 1 elsewhere, minimise Σ c_ui (p_ui − x_uᵀ y_i)² + reg (‖x‖² + ‖y‖²); each side's
 * exact solution per row with the YᵀY trick. Scores x_uᵀ y_i.
 */
final class ImplicitAls implements Ranker {
  private final UserItemMatrix matrix;
  private final int factors;
  private final double[][] userFactors;
  private final double[][] itemFactors;

  private ImplicitAls(UserItemMatrix matrix, int factors, double[][] x, double[][] y) {
    this.matrix = matrix;
    this.factors = factors;
    this.userFactors = x;
    this.itemFactors = y;
  }

  static ImplicitAls train(
      UserItemMatrix matrix,
      int factors,
      double alpha,
      double reg,
      int iterations,
      long seed,
      int threads) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] x = new double[matrix.users()][factors];
    double[][] y = new double[matrix.items()][factors];
    for (double[] row : y) {
      for (int f = 0; f < factors; f++) {
        row[f] = 0.01 * (random.nextDouble() * 2 - 1);
      }
    }
    for (int it = 0; it < iterations; it++) {
      solve(x, y, matrix::itemsOf, alpha, reg, threads);
      solve(y, x, matrix::usersOf, alpha, reg, threads);
    }
    return new ImplicitAls(matrix, factors, x, y);
  }

  /** Each row r of {@code target}: (YᵀY + α Σ_{i∈rows(r)} y_i y_iᵀ + reg I) t_r = (1 + α) Σ y_i. */
  private static void solve(
      double[][] target,
      double[][] fixed,
      java.util.function.IntFunction<int[]> rows,
      double alpha,
      double reg,
      int threads) {
    int f = fixed.length == 0 ? 0 : fixed[0].length;
    double[][] gram = new double[f][f];
    for (double[] v : fixed) {
      for (int a = 0; a < f; a++) {
        double va = v[a];
        for (int b = a; b < f; b++) {
          gram[a][b] += va * v[b];
        }
      }
    }
    for (int a = 0; a < f; a++) {
      for (int b = 0; b < a; b++) {
        gram[a][b] = gram[b][a];
      }
    }
    Parallel.forEach(
        threads,
        target.length,
        r -> {
          int[] items = rows.apply(r);
          double[][] m = new double[f][f];
          double[] rhs = new double[f];
          for (int a = 0; a < f; a++) {
            System.arraycopy(gram[a], 0, m[a], 0, f);
            m[a][a] += reg;
          }
          for (int i : items) {
            double[] v = fixed[i];
            for (int a = 0; a < f; a++) {
              double va = alpha * v[a];
              rhs[a] += (1 + alpha) * v[a];
              for (int b = 0; b < f; b++) {
                m[a][b] += va * v[b];
              }
            }
          }
          target[r] = choleskySolve(m, rhs);
        });
  }

  /** Solves m x = rhs for a symmetric positive definite m (overwritten). */
  static double[] choleskySolve(double[][] m, double[] rhs) {
    int f = rhs.length;
    for (int j = 0; j < f; j++) {
      double s = m[j][j];
      for (int k = 0; k < j; k++) {
        s -= m[j][k] * m[j][k];
      }
      double l = Math.sqrt(Math.max(s, 1e-12));
      m[j][j] = l;
      for (int i = j + 1; i < f; i++) {
        double t = m[i][j];
        for (int k = 0; k < j; k++) {
          t -= m[i][k] * m[j][k];
        }
        m[i][j] = t / l;
      }
    }
    double[] z = new double[f];
    for (int i = 0; i < f; i++) {
      double t = rhs[i];
      for (int k = 0; k < i; k++) {
        t -= m[i][k] * z[k];
      }
      z[i] = t / m[i][i];
    }
    double[] x = new double[f];
    for (int i = f - 1; i >= 0; i--) {
      double t = z[i];
      for (int k = i + 1; k < f; k++) {
        t -= m[k][i] * x[k];
      }
      x[i] = t / m[i][i];
    }
    return x;
  }

  @Override
  public void score(String userId, double[] out) {
    int u = matrix.user(userId);
    if (u < 0) {
      matrix.popularity(out);
      return;
    }
    double[] xu = userFactors[u];
    for (int i = 0; i < out.length; i++) {
      double[] yi = itemFactors[i];
      double s = 0;
      for (int a = 0; a < factors; a++) {
        s += xu[a] * yi[a];
      }
      out[i] = s;
    }
  }
}
