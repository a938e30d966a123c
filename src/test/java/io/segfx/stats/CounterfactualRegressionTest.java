package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The causal-impact counterfactual regression, fitted by the shared {@link ConjugateRegression}
 * kernel, against a brute-force reference: X'X, X'y and y'y summed exactly from the rows in
 * BigDecimal and the normal equations solved in 60-digit decimal arithmetic. The series are shaped
 * like {@code SeriesGenerator}'s (controls around 40 and 28 with a trend, so the intercept and the
 * controls are nearly collinear); the predictive scale of the post-period sum, {@code g' V_n g},
 * cancels the most. Agreement 1e-13 relative (about 500 ulps: the double-double solve is exact to
 * some 30 digits and only the final roundings and the double-precision {@code g' V_n g} remain).
 */
class CounterfactualRegressionTest {
  private static final MathContext MC = new MathContext(60);

  @Test
  void matchesAHighPrecisionReference() {
    Random r = new Random(20);
    for (int c = 0; c < 20; c++) {
      int n = 40 + r.nextInt(80);
      double[][] x = new double[n][];
      double[] y = new double[n];
      for (int t = 0; t < n; t++) {
        double c1 = 40 + 0.22 * t + 3.0 * Math.sin(t / 8.0) + 1.5 * r.nextGaussian();
        double c2 = 28 + 0.15 * t + 2.0 * Math.cos(t / 10.0) + 1.4 * r.nextGaussian();
        x[t] = new double[] {1, c1, c2, (double) t / n};
        y[t] = 8 + 0.58 * c1 + 0.42 * c2 + 1.8 * r.nextGaussian();
      }
      double[] g = new double[4];
      for (int t = n / 2; t < n; t++) {
        for (int j = 0; j < 4; j++) {
          g[j] += x[t][j];
        }
      }
      double cc = n - n / 2;
      CounterfactualRegression got = CounterfactualRegression.fit(x, y, 1e6, 1e-3, 1e-3);
      double[] ref = reference(x, y, g, cc, 1e6, 1e-3, 1e-3);
      for (int j = 0; j < 4; j++) {
        assertEquals(ref[j], got.betaN()[j], 1e-13 * Math.abs(ref[j]), "beta " + j + ", " + c);
      }
      assertEquals(ref[4], got.scale(g, cc), 1e-13 * ref[4], "scale, case " + c);
      assertEquals(ref[5], got.dof(), 0.0, "dof, case " + c);
    }
  }

  /** {beta_0..3, scale of the sum with weights g, dof}, all in 60 digits. */
  static double[] reference(
      double[][] x, double[] y, double[] g, double cc, double v0, double a0, double b0) {
    int p = x[0].length;
    BigDecimal[][] a = new BigDecimal[p][p + 1 + p];
    for (BigDecimal[] row : a) {
      Arrays.fill(row, BigDecimal.ZERO);
    }
    BigDecimal[] xty = new BigDecimal[p];
    Arrays.fill(xty, BigDecimal.ZERO);
    BigDecimal yty = BigDecimal.ZERO;
    for (int t = 0; t < y.length; t++) {
      BigDecimal yt = new BigDecimal(y[t]);
      for (int i = 0; i < p; i++) {
        BigDecimal xi = new BigDecimal(x[t][i]);
        for (int j = 0; j < p; j++) {
          a[i][j] = a[i][j].add(xi.multiply(new BigDecimal(x[t][j])));
        }
        xty[i] = xty[i].add(xi.multiply(yt));
      }
      yty = yty.add(yt.multiply(yt));
    }
    for (int i = 0; i < p; i++) {
      a[i][i] = a[i][i].add(new BigDecimal(1.0 / v0));
      a[i][p] = xty[i];
      a[i][p + 1 + i] = BigDecimal.ONE;
    }
    // Gauss-Jordan without pivoting: the matrix is symmetric positive definite.
    for (int col = 0; col < p; col++) {
      for (int r = 0; r < p; r++) {
        if (r != col) {
          BigDecimal f = a[r][col].divide(a[col][col], MC);
          for (int k = col; k < 2 * p + 1; k++) {
            a[r][k] = a[r][k].subtract(f.multiply(a[col][k], MC), MC);
          }
        }
      }
    }
    double[] out = new double[p + 2];
    BigDecimal fit = BigDecimal.ZERO;
    BigDecimal q = BigDecimal.ZERO;
    for (int i = 0; i < p; i++) {
      BigDecimal beta = a[i][p].divide(a[i][i], MC);
      fit = fit.add(beta.multiply(xty[i], MC), MC);
      out[i] = beta.doubleValue();
      for (int j = 0; j < p; j++) {
        BigDecimal vij = a[i][p + 1 + j].divide(a[i][i], MC);
        q = q.add(new BigDecimal(g[i]).multiply(vij, MC).multiply(new BigDecimal(g[j]), MC), MC);
      }
    }
    double an = a0 + y.length / 2.0;
    double bn = b0 + 0.5 * yty.subtract(fit, MC).doubleValue();
    out[p] = Math.sqrt(bn / an * q.add(new BigDecimal(cc), MC).doubleValue());
    out[p + 1] = 2 * an;
    return out;
  }
}
