package io.segfx.stats;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Whether a regression design with an intercept has full column rank, judged on a scale-free
 * version of it so that units and offsets do not matter.
 *
 * <p>For rows x_i = (1, z_i) the design [1 Z] has full rank exactly when the centred columns z_j −
 * z̄_j are linearly independent, so the intercept is handled by centring, and each centred column
 * is divided by its norm:
 *
 * <pre>
 *   u_j = (z_j − z̄_j 1) / ‖z_j − z̄_j 1‖,   U = [u_1 … u_q]
 * </pre>
 *
 * Centring a column that is large relative to its spread magnifies the rounding of its values by
 * κ_j = ‖z_j‖ / ‖z_j − z̄_j 1‖ (an input value carries relative error ε = 2⁻⁵², so u_j carries
 * about κ_j ε). The design is rank-deficient when
 *
 * <pre>
 *   κ_j ≥ 1 / (m ε) for some j   (the column is constant up to rounding), or
 *   σ_min(U) ≤ m ε max_j κ_j σ_max(U),   m = max(n, q + 1)
 * </pre>
 *
 * the second being the numerical-rank rule of LAPACK and numpy's {@code matrix_rank} (Golub &amp;
 * Van Loan, <i>Matrix Computations</i>, 4th ed., section 5.4.1) with the tolerance widened by the
 * rounding that centring exposes. A column that is constant, an exact linear function of others, or
 * equal to the trend is caught; a column at 1e9 with unit spread, or one in units of 1e-12, is not.
 */
public final class DesignRank {
  private static final double EPS = Math.ulp(1.0);

  private DesignRank() {}

  /**
   * True when the rows {@code rows} of {@code x} (each row starting with the intercept's 1) do not
   * have full column rank by the rule above.
   *
   * @throws IllegalArgumentException with fewer rows than columns
   */
  public static boolean deficient(double[][] x, int[] rows) {
    int n = rows.length;
    int p = x[rows[0]].length;
    if (n < p) {
      throw new IllegalArgumentException(
          "rank check needs at least as many rows as columns, got " + n + " < " + p);
    }
    int q = p - 1;
    if (q == 0) {
      return false;
    }
    double m = Math.max(n, p) * EPS;
    double[][] u = new double[n][q];
    double kappaMax = 1;
    for (int j = 0; j < q; j++) {
      double mean = 0;
      for (int r : rows) {
        mean += x[r][j + 1];
      }
      mean /= n;
      double raw = 0;
      double centred = 0;
      for (int k = 0; k < n; k++) {
        double v = x[rows[k]][j + 1];
        u[k][j] = v - mean;
        raw += v * v;
        centred += u[k][j] * u[k][j];
      }
      // Written so that a zero spread (or a NaN) counts as constant.
      if (!(centred > 0) || !(Math.sqrt(raw / centred) * m < 1)) {
        return true;
      }
      kappaMax = Math.max(kappaMax, Math.sqrt(raw / centred));
      double norm = Math.sqrt(centred);
      for (int k = 0; k < n; k++) {
        u[k][j] /= norm;
      }
    }
    double[] sv =
        new SingularValueDecomposition(new Array2DRowRealMatrix(u, false)).getSingularValues();
    return !(sv[sv.length - 1] > m * kappaMax * sv[0]);
  }
}
