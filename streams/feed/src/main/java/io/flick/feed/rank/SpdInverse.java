package io.flick.feed.rank;

/**
 * In-place inverse of a dense symmetric positive definite float matrix — the EASE Gram matrix XᵀX +
 * λI of {@link ItemItemTable} and the offline evaluation's EASE baseline — by Cholesky: A = LLᵀ, M
 * = L⁻¹, A⁻¹ = MᵀM. Each of the three steps costs n³/6 multiply-adds, n³/2 in all where a
 * Gauss–Jordan inverse (which ignores the symmetry) costs n³.
 *
 * <p>Hand-written rather than a library's (EJML has an SPD inverse): the matrices here are the
 * callers' {@code float[][]} rows, n² floats = 400 MB at 10,000 items, inverted in place on the
 * same {@link Parallel} threads the rest of the fit uses; a library would mean a second copy in its
 * own matrix type, and its dense inverses run on one thread where this one uses every core. Every
 * step here is blocked by {@value #BLOCK} rows so that each row update is a rank-{@value #BLOCK}
 * update from rows shared by all threads (cache-resident), over contiguous float runs the JIT
 * vectorises, parallel over rows; the {@value #BLOCK} × {@value #BLOCK} diagonal blocks are
 * factored in double. Precision: float is enough for a ridge-regularised Gram matrix (condition
 * number ≤ (max item count + λ) / λ); the unit tests check it against the closed form and the
 * Gauss–Jordan inverse.
 */
public final class SpdInverse {
  static final int BLOCK = 64;

  private SpdInverse() {}

  /**
   * Replaces {@code a} (n × n, symmetric positive definite; only its lower triangle and diagonal
   * are read) by its inverse, every entry written.
   *
   * @throws ArithmeticException when {@code a} is not positive definite
   */
  public static void invert(float[][] a, int threads) {
    cholesky(a, threads);
    invertLower(a, threads);
    multiplyTransposed(a, threads);
  }

  /** Lower triangle and diagonal of {@code a} ← L with A = LLᵀ; the upper triangle ← 0. */
  static void cholesky(float[][] a, int threads) {
    int n = a.length;
    for (int k0 = 0; k0 < n; k0 += BLOCK) {
      int k1 = Math.min(n, k0 + BLOCK);
      int b = k1 - k0;
      int start = k0;
      // the diagonal block, already updated by every earlier block: factored in double
      double[][] l = new double[b][b];
      for (int r = 0; r < b; r++) {
        float[] row = a[start + r];
        for (int c = 0; c <= r; c++) {
          double s = row[start + c];
          for (int t = 0; t < c; t++) {
            s -= l[r][t] * l[c][t];
          }
          if (r == c) {
            if (!(s > 0)) {
              throw new ArithmeticException(
                  "matrix is not positive definite (pivot " + s + " at " + (start + r) + ")");
            }
            l[r][r] = Math.sqrt(s);
          } else {
            l[r][c] = s / l[c][c];
          }
        }
        for (int c = 0; c < b; c++) {
          row[start + c] = c <= r ? (float) l[r][c] : 0;
        }
        java.util.Arrays.fill(row, k1, n, 0); // upper triangle: the later steps rely on zeros
      }
      if (k1 == n) {
        break;
      }
      // the panel below it: L_iK = A_iK L_KK⁻ᵀ, kept transposed too for the trailing update
      float[][] panel = new float[b][n];
      Parallel.forEach(
          threads,
          n - k1,
          x -> {
            int i = k1 + x;
            float[] row = a[i];
            double[] y = new double[b];
            for (int c = 0; c < b; c++) {
              double s = row[start + c];
              for (int t = 0; t < c; t++) {
                s -= y[t] * l[c][t];
              }
              y[c] = s / l[c][c];
              row[start + c] = (float) y[c];
              panel[c][i] = (float) y[c];
            }
          });
      // the trailing lower triangle: A_ij −= Σ_s L_is L_js for k1 ≤ j ≤ i
      Parallel.forEach(
          threads,
          n - k1,
          x -> {
            int i = n - 1 - x; // the long rows first
            float[] row = a[i];
            float[] f = new float[b];
            System.arraycopy(row, start, f, 0, b);
            subtract(row, f, panel, k1, i + 1);
          });
    }
  }

  /**
   * Lower triangle and diagonal of {@code a} (L from {@link #cholesky}, upper triangle zero) ← M =
   * L⁻¹, by rows: M_i = (e_i − Σ_{k&lt;i} L_ik M_k) / L_ii, each finished block of rows subtracted
   * from every later row at once.
   */
  static void invertLower(float[][] a, int threads) {
    int n = a.length;
    for (int k0 = 0; k0 < n; k0 += BLOCK) {
      int k1 = Math.min(n, k0 + BLOCK);
      int b = k1 - k0;
      int start = k0;
      // rows of this block: the earlier blocks are already subtracted; now the block's own rows
      for (int i = start; i < k1; i++) {
        float[] row = a[i];
        float[] g = new float[i - start];
        System.arraycopy(row, start, g, 0, g.length);
        float d = row[i];
        java.util.Arrays.fill(row, start, i + 1, 0);
        row[i] = 1;
        for (int t = start; t < i; t++) {
          float f = g[t - start];
          if (f == 0) {
            continue;
          }
          float[] src = a[t];
          for (int j = 0; j <= t; j++) {
            row[j] -= f * src[j];
          }
        }
        float inv = 1 / d;
        for (int j = 0; j <= i; j++) {
          row[j] *= inv;
        }
      }
      if (k1 == n) {
        break;
      }
      float[][] block = new float[b][];
      for (int s = 0; s < b; s++) {
        block[s] = a[start + s]; // M rows, zero beyond their diagonal
      }
      Parallel.forEach(
          threads,
          n - k1,
          x -> {
            float[] row = a[k1 + x];
            float[] f = new float[b];
            System.arraycopy(row, start, f, 0, b);
            java.util.Arrays.fill(row, start, k1, 0);
            subtract(row, f, block, 0, k1);
          });
    }
  }

  /**
   * {@code a} (M = L⁻¹ in the lower triangle, upper triangle zero) ← MᵀM, every entry: first into
   * the upper triangle and diagonal, X_jp = Σ_{k≥p} M_kj M_kp for p ≥ j, which never overlaps the
   * cells still read (M_kp, p &lt; k, and M's diagonal kept aside), then mirrored.
   */
  static void multiplyTransposed(float[][] a, int threads) {
    int n = a.length;
    float[] diagonal = new float[n];
    for (int k = 0; k < n; k++) {
      diagonal[k] = a[k][k];
      a[k][k] = 0;
    }
    for (int k0 = 0; k0 < n; k0 += BLOCK) {
      int k1 = Math.min(n, k0 + BLOCK);
      int start = k0;
      Parallel.forEach(
          threads,
          k1,
          j -> {
            float[] t = a[j];
            int k = Math.max(j, start);
            for (; k + 3 < k1; k += 4) {
              float c0 = k == j ? diagonal[j] : a[k][j];
              float c1 = a[k + 1][j];
              float c2 = a[k + 2][j];
              float c3 = a[k + 3][j];
              float[] s0 = a[k];
              float[] s1 = a[k + 1];
              float[] s2 = a[k + 2];
              float[] s3 = a[k + 3];
              for (int p = j; p < k; p++) {
                t[p] += c0 * s0[p] + c1 * s1[p] + c2 * s2[p] + c3 * s3[p];
              }
              t[k] += c0 * diagonal[k] + c1 * s1[k] + c2 * s2[k] + c3 * s3[k];
              t[k + 1] += c1 * diagonal[k + 1] + c2 * s2[k + 1] + c3 * s3[k + 1];
              t[k + 2] += c2 * diagonal[k + 2] + c3 * s3[k + 2];
              t[k + 3] += c3 * diagonal[k + 3];
            }
            for (; k < k1; k++) {
              float c = k == j ? diagonal[j] : a[k][j];
              float[] s = a[k];
              for (int p = j; p < k; p++) {
                t[p] += c * s[p];
              }
              t[k] += c * diagonal[k];
            }
          });
    }
    // mirror the upper triangle into the lower, tile by tile
    int tiles = (n + BLOCK - 1) / BLOCK;
    Parallel.forEach(
        threads,
        tiles,
        ti -> {
          int i0 = ti * BLOCK;
          int i1 = Math.min(n, i0 + BLOCK);
          for (int j0 = 0; j0 < i1; j0 += BLOCK) {
            int j1 = Math.min(n, j0 + BLOCK);
            for (int i = i0; i < i1; i++) {
              float[] row = a[i];
              for (int j = j0; j < Math.min(j1, i); j++) {
                row[j] = a[j][i];
              }
            }
          }
        });
  }

  /** {@code row[j] −= Σ_s f[s] src[s][j]} for {@code from ≤ j < to}, four sources at a time. */
  private static void subtract(float[] row, float[] f, float[][] src, int from, int to) {
    int b = f.length;
    int s = 0;
    for (; s + 3 < b; s += 4) {
      float f0 = f[s];
      float f1 = f[s + 1];
      float f2 = f[s + 2];
      float f3 = f[s + 3];
      if (f0 == 0 && f1 == 0 && f2 == 0 && f3 == 0) {
        continue;
      }
      float[] p0 = src[s];
      float[] p1 = src[s + 1];
      float[] p2 = src[s + 2];
      float[] p3 = src[s + 3];
      for (int j = from; j < to; j++) {
        row[j] -= f0 * p0[j] + f1 * p1[j] + f2 * p2[j] + f3 * p3[j];
      }
    }
    for (; s < b; s++) {
      float fs = f[s];
      if (fs == 0) {
        continue;
      }
      float[] p = src[s];
      for (int j = from; j < to; j++) {
        row[j] -= fs * p[j];
      }
    }
  }

  /**
   * The inverse used before {@link #invert} (n³ multiply-adds): block Gauss–Jordan, one block of
   * {@value #BLOCK} pivots at a time (the pivot block inverted in double), the rest of the matrix
   * updated row by row in parallel; no pivoting. Kept as the reference that the tests and {@code
   * bench/feed/inverse} compare {@link #invert} with.
   */
  public static void gaussJordan(float[][] a, int threads) {
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
