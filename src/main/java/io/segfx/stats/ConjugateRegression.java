package io.segfx.stats;

import io.segfx.util.Checks;
import java.util.Arrays;

/**
 * The conjugate Bayesian linear regression of seed notebook sections 6 and 10, the one kernel of
 * both jobs: the segment job's {@code Y ~ 1 + treated + z} from two arms' exact sums, and the
 * causal-impact counterfactual's {@code y ~ 1 + controls (+ trend)} from the pre-period rows. With
 * prior {@code beta | sigma^2 ~ N(0, sigma^2 V0)}, {@code V0 = v0 I}, and {@code sigma^2 ~
 * InvGamma(a0, b0)} (Gelman et al., BDA3 section 14.8; Murphy 2007, section 7.6):
 *
 * <pre>
 *   Vn^{-1} = X'X + I / v0,   beta_n = Vn X'y,   a_n = a0 + n/2
 *   b_n = b0 + (y'y - beta_n' Vn^{-1} beta_n) / 2 = b0 + (y'y - beta_n' X'y) / 2
 * </pre>
 *
 * and the marginal posterior of coefficient j is Student-t with {@code 2 a_n} degrees of freedom,
 * location {@code beta_n[j]} and scale {@code sqrt(b_n / a_n [Vn]_jj)}. The normal equations are
 * held in double-double ({@link DoubleDouble}, about 32 digits): from exact sums they are rounded
 * once, from rows each product is exact and only the sums round. They are solved by Gauss–Jordan
 * elimination in double-double, so outcomes far from zero (y'y ~ 1e18 n) keep some 14 digits
 * through the cancellation in {@code y'y - beta_n' X'y}.
 */
public final class ConjugateRegression {
  /** The notebook's prior: V0 = 1e6 I, a0 = b0 = 1e-3. */
  public static final double V0_DEFAULT = 1e6;

  public static final double A0_DEFAULT = 1e-3;
  public static final double B0_DEFAULT = 1e-3;

  /** Column of the treatment indicator in the two-arm design. */
  private static final int TREATED = 1;

  private ConjugateRegression() {}

  /**
   * The posterior of every coefficient.
   *
   * @param beta beta_n
   * @param vn the computed columns of V_n (rows of the others are NaN)
   * @param an a_n
   * @param bn b_n
   */
  record Fit(double[] beta, double[][] vn, double an, double bn) {}

  /**
   * The posterior of the treatment coefficient of {@code Y ~ 1 + treated + z} from the arms' exact
   * sums; null when an arm is empty or the normal equations are singular.
   *
   * @param y column of the outcome, {@code z} columns of the covariates
   * @param v0 prior variance scale V0 = v0 I (> 0)
   * @param a0 prior shape of sigma^2 (> 0)
   * @param b0 prior scale of sigma^2 (> 0)
   */
  public static NigPosterior fit(
      ExactMoments control,
      ExactMoments treatment,
      int y,
      int[] z,
      double v0,
      double a0,
      double b0) {
    if (control == null || treatment == null || control.count() == 0 || treatment.count() == 0) {
      return null;
    }
    int k = z.length;
    int p = k + 2;
    DoubleDouble[][] xtx = new DoubleDouble[p][p];
    long n = control.count() + treatment.count();
    xtx[0][0] = DoubleDouble.of(n);
    xtx[0][1] = DoubleDouble.of(treatment.count());
    xtx[1][1] = xtx[0][1];
    for (int i = 0; i < k; i++) {
      xtx[0][2 + i] = dec(control.sumValue(z[i]).add(treatment.sumValue(z[i])));
      xtx[1][2 + i] = dec(treatment.sumValue(z[i]));
      for (int j = i; j < k; j++) {
        xtx[2 + i][2 + j] =
            dec(control.crossValue(z[i], z[j]).add(treatment.crossValue(z[i], z[j])));
      }
    }
    DoubleDouble[] xty = new DoubleDouble[p];
    xty[0] = dec(control.sumValue(y).add(treatment.sumValue(y)));
    xty[1] = dec(treatment.sumValue(y));
    for (int i = 0; i < k; i++) {
      xty[2 + i] = dec(control.crossValue(z[i], y).add(treatment.crossValue(z[i], y)));
    }
    DoubleDouble yty = dec(control.crossValue(y, y).add(treatment.crossValue(y, y)));
    Fit f = solve(xtx, xty, yty, n, v0, a0, b0, new int[] {TREATED});
    if (f == null) {
      return null;
    }
    double vtt = f.vn()[TREATED][TREATED];
    return new NigPosterior(f.beta()[TREATED], Math.sqrt(f.bn() / f.an() * vtt), 2 * f.an());
  }

  /**
   * The posterior from design rows, with every column of V_n; null when the normal equations are
   * singular.
   *
   * @param x design rows (each starting with the intercept's 1)
   * @param y outcomes
   */
  static Fit fit(double[][] x, double[] y, double v0, double a0, double b0) {
    int n = y.length;
    int p = x[0].length;
    DoubleDouble[][] xtx = new DoubleDouble[p][p];
    DoubleDouble[] xty = new DoubleDouble[p];
    for (int j = 0; j < p; j++) {
      xty[j] = DoubleDouble.ZERO;
      for (int k = j; k < p; k++) {
        xtx[j][k] = DoubleDouble.ZERO;
      }
    }
    DoubleDouble yty = DoubleDouble.ZERO;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        xty[j] = xty[j].add(DoubleDouble.product(x[i][j], y[i]));
        for (int k = j; k < p; k++) {
          xtx[j][k] = xtx[j][k].add(DoubleDouble.product(x[i][j], x[i][k]));
        }
      }
      yty = yty.add(DoubleDouble.product(y[i], y[i]));
    }
    int[] all = new int[p];
    for (int j = 0; j < p; j++) {
      all[j] = j;
    }
    return solve(xtx, xty, yty, n, v0, a0, b0, all);
  }

  /**
   * The kernel: solves {@code (X'X + I/v0) [beta_n | Vn e_c ...] = [X'y | e_c ...]} for the
   * requested columns c of V_n, then forms a_n and b_n.
   *
   * @param xtx X'X, upper triangle (the lower is not read)
   * @return the posterior, or null when the system is singular
   */
  private static Fit solve(
      DoubleDouble[][] xtx,
      DoubleDouble[] xty,
      DoubleDouble yty,
      long n,
      double v0,
      double a0,
      double b0,
      int[] columns) {
    Checks.positive("v0", v0);
    int p = xty.length;
    int width = p + 1 + columns.length;
    DoubleDouble ridge = DoubleDouble.of(1.0 / v0);
    DoubleDouble[][] a = new DoubleDouble[p][width];
    for (int r = 0; r < p; r++) {
      for (int c = r; c < p; c++) {
        if (r == c) {
          a[r][r] = xtx[r][r].add(ridge);
        } else {
          a[r][c] = xtx[r][c];
          a[c][r] = xtx[r][c];
        }
      }
      a[r][p] = xty[r];
      for (int u = 0; u < columns.length; u++) {
        a[r][p + 1 + u] = r == columns[u] ? DoubleDouble.ONE : DoubleDouble.ZERO;
      }
    }
    if (!eliminate(a, p)) {
      return null;
    }
    DoubleDouble fitTerm = DoubleDouble.ZERO;
    double[] beta = new double[p];
    for (int r = 0; r < p; r++) {
      DoubleDouble b = a[r][p].divide(a[r][r]);
      fitTerm = fitTerm.add(b.multiply(xty[r]));
      beta[r] = b.doubleValue();
    }
    double[][] vn = new double[p][p];
    for (double[] row : vn) {
      Arrays.fill(row, Double.NaN);
    }
    for (int u = 0; u < columns.length; u++) {
      for (int r = 0; r < p; r++) {
        vn[r][columns[u]] = a[r][p + 1 + u].divide(a[r][r]).doubleValue();
      }
    }
    double an = Checks.positive("a0", a0) + n / 2.0;
    double bn = Checks.positive("b0", b0) + 0.5 * Math.max(0, yty.subtract(fitTerm).doubleValue());
    return new Fit(beta, vn, an, bn);
  }

  /** An exact sum rounded once to the working precision. */
  private static DoubleDouble dec(ExactValue v) {
    return DoubleDouble.of(v);
  }

  /**
   * Gauss–Jordan elimination with partial pivoting on the p rows of [A | right-hand sides], leaving
   * A diagonal; false if singular.
   */
  private static boolean eliminate(DoubleDouble[][] a, int p) {
    int width = a[0].length;
    for (int col = 0; col < p; col++) {
      int pivot = col;
      for (int r = col + 1; r < p; r++) {
        if (a[r][col].abs().compareTo(a[pivot][col].abs()) > 0) {
          pivot = r;
        }
      }
      if (a[pivot][col].signum() == 0) {
        return false;
      }
      DoubleDouble[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      for (int r = 0; r < p; r++) {
        if (r == col || a[r][col].signum() == 0) {
          continue;
        }
        DoubleDouble f = a[r][col].divide(a[col][col]);
        for (int c = col; c < width; c++) {
          a[r][c] = a[r][c].subtract(f.multiply(a[col][c]));
        }
      }
    }
    return true;
  }
}
