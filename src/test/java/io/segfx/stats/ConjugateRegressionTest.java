package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The conjugate regression of notebook section 6 against a brute-force reference that never sees
 * {@link ExactMoments}: X'X, X'y and y'y summed exactly from the raw rows in BigDecimal, the normal
 * equations solved in 60-digit decimal arithmetic. Agreement 1e-12 relative on centred data and
 * 1e-10 with y = 1e9 + noise and covariates around 1e3 (where y'y - beta'X'y cancels some 18 of the
 * working precision's 32 digits).
 */
class ConjugateRegressionTest {
  private static final MathContext MC = new MathContext(60);

  @Test
  void matchesAHighPrecisionReference() {
    Random r = new Random(8);
    for (int c = 0; c < 40; c++) {
      boolean far = c % 2 == 1;
      int k = c % 3;
      int nc = 30 + r.nextInt(500);
      int nt = 30 + r.nextInt(500);
      double[][] rows = new double[nc + nt][k + 2];
      ExactMoments control = new ExactMoments(k + 1);
      ExactMoments treatment = new ExactMoments(k + 1);
      for (int i = 0; i < rows.length; i++) {
        boolean t = i >= nc;
        double[] v = new double[k + 1];
        double y = (far ? 1e9 : 0) + (t ? 0.3 : 0) + r.nextGaussian();
        for (int j = 0; j < k; j++) {
          v[j] = (far ? 1e3 : 0) + r.nextGaussian();
          y += 0.5 * v[j];
        }
        v[k] = y;
        (t ? treatment : control).accept(v);
        rows[i][0] = t ? 1 : 0;
        System.arraycopy(v, 0, rows[i], 1, k + 1);
      }
      int[] z = new int[k];
      for (int j = 0; j < k; j++) {
        z[j] = j;
      }
      double v0 = 1e6;
      double a0 = 1e-3;
      double b0 = 1e-3;
      NigPosterior got = ConjugateRegression.fit(control, treatment, k, z, v0, a0, b0);
      double[] ref = reference(rows, k, v0, a0, b0);
      double tol = far ? 1e-10 : 1e-12;
      assertEquals(ref[0], got.mu(), tol * Math.abs(ref[0]), "mu, case " + c);
      assertEquals(ref[1], got.scale(), tol * ref[1], "scale, case " + c);
      assertEquals(ref[2], got.dof(), 0.0, "dof, case " + c);
    }
  }

  /** {mu, scale, dof} from rows {treated, z_1..z_k, y}. */
  private static double[] reference(double[][] rows, int k, double v0, double a0, double b0) {
    int p = k + 2;
    BigDecimal[][] a = new BigDecimal[p][p + 2];
    for (BigDecimal[] row : a) {
      Arrays.fill(row, BigDecimal.ZERO);
    }
    BigDecimal yty = BigDecimal.ZERO;
    BigDecimal[] xty = new BigDecimal[p];
    Arrays.fill(xty, BigDecimal.ZERO);
    for (double[] row : rows) {
      BigDecimal[] x = new BigDecimal[p];
      x[0] = BigDecimal.ONE;
      x[1] = new BigDecimal(row[0]);
      for (int j = 0; j < k; j++) {
        x[2 + j] = new BigDecimal(row[1 + j]);
      }
      BigDecimal y = new BigDecimal(row[1 + k]);
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          a[i][j] = a[i][j].add(x[i].multiply(x[j]));
        }
        xty[i] = xty[i].add(x[i].multiply(y));
      }
      yty = yty.add(y.multiply(y));
    }
    BigDecimal ridge = new BigDecimal(1.0 / v0);
    for (int i = 0; i < p; i++) {
      a[i][i] = a[i][i].add(ridge);
      a[i][p] = xty[i];
      a[i][p + 1] = i == 1 ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    // Gauss-Jordan without pivoting: the matrix is symmetric positive definite.
    for (int col = 0; col < p; col++) {
      for (int r = 0; r < p; r++) {
        if (r != col) {
          BigDecimal f = a[r][col].divide(a[col][col], MC);
          for (int cc = col; cc < p + 2; cc++) {
            a[r][cc] = a[r][cc].subtract(f.multiply(a[col][cc], MC), MC);
          }
        }
      }
    }
    BigDecimal fit = BigDecimal.ZERO;
    BigDecimal[] beta = new BigDecimal[p];
    for (int i = 0; i < p; i++) {
      beta[i] = a[i][p].divide(a[i][i], MC);
      fit = fit.add(beta[i].multiply(xty[i], MC), MC);
    }
    double vtt = a[1][p + 1].divide(a[1][1], MC).doubleValue();
    double an = a0 + rows.length / 2.0;
    double bn = b0 + 0.5 * yty.subtract(fit, MC).doubleValue();
    return new double[] {beta[1].doubleValue(), Math.sqrt(bn / an * vtt), 2 * an};
  }
}
