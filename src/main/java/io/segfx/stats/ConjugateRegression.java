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
    Planes m = new Planes(p, 1);
    long n = control.count() + treatment.count();
    m.set(0, 0, n);
    m.set(0, 1, treatment.count());
    m.set(1, 1, treatment.count());
    for (int i = 0; i < k; i++) {
      m.set(0, 2 + i, control.sumValue(z[i]).add(treatment.sumValue(z[i])));
      m.set(1, 2 + i, treatment.sumValue(z[i]));
      for (int j = i; j < k; j++) {
        m.set(2 + i, 2 + j, control.crossValue(z[i], z[j]).add(treatment.crossValue(z[i], z[j])));
      }
    }
    m.set(0, p, control.sumValue(y).add(treatment.sumValue(y)));
    m.set(1, p, treatment.sumValue(y));
    for (int i = 0; i < k; i++) {
      m.set(2 + i, p, control.crossValue(z[i], y).add(treatment.crossValue(z[i], y)));
    }
    m.setYty(control.crossValue(y, y).add(treatment.crossValue(y, y)));
    Fit f = solve(m, n, v0, a0, b0, new int[] {TREATED});
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
    Planes m = new Planes(p, p);
    for (int j = 0; j < p; j++) {
      all[j] = j;
      m.set(j, p, xty[j]);
      for (int k = j; k < p; k++) {
        m.set(j, k, xtx[j][k]);
      }
    }
    m.setYty(yty);
    return solve(m, n, v0, a0, b0, all);
  }

  /**
   * The augmented system {@code [X'X | X'y | e_c ...]} in double-double, as two planes of doubles
   * (leading and trailing parts) so that the elimination allocates nothing per operation; X'X's
   * upper triangle is set and mirrored, and {@code y'y} kept beside.
   */
  private static final class Planes {
    final int p;
    final double[][] hi;
    final double[][] lo;
    final double[] xtyHi;
    final double[] xtyLo;
    double ytyHi;
    double ytyLo;

    Planes(int p, int columns) {
      this.p = p;
      int width = p + 1 + columns;
      this.hi = new double[p][width];
      this.lo = new double[p][width];
      this.xtyHi = new double[p];
      this.xtyLo = new double[p];
    }

    /** Entry (r, c) of X'X (r <= c, mirrored) or of X'y (c = p) from a double-double. */
    void set(int r, int c, DoubleDouble v) {
      set(r, c, v.hi(), v.lo());
    }

    /** An exact sum rounded once to the working precision ({@link DoubleDouble#of(ExactValue)}). */
    void set(int r, int c, ExactValue v) {
      set(r, c, DoubleDouble.of(v));
    }

    /** An exact count ({@link DoubleDouble#of(long)}). */
    void set(int r, int c, long v) {
      set(r, c, DoubleDouble.of(v));
    }

    private void set(int r, int c, double h, double l) {
      hi[r][c] = h;
      lo[r][c] = l;
      if (c == p) {
        xtyHi[r] = h;
        xtyLo[r] = l;
      } else {
        hi[c][r] = h;
        lo[c][r] = l;
      }
    }

    void setYty(ExactValue v) {
      setYty(DoubleDouble.of(v));
    }

    void setYty(DoubleDouble v) {
      ytyHi = v.hi();
      ytyLo = v.lo();
    }
  }

  /**
   * The kernel: solves {@code (X'X + I/v0) [beta_n | Vn e_c ...] = [X'y | e_c ...]} for the
   * requested columns c of V_n, then forms a_n and b_n.
   *
   * @param m the normal equations (the requested columns' e_c are set here)
   * @return the posterior, or null when the system is singular
   */
  private static Fit solve(Planes m, long n, double v0, double a0, double b0, int[] columns) {
    Checks.positive("v0", v0);
    int p = m.p;
    double[][] h = m.hi;
    double[][] l = m.lo;
    double[] t = new double[2];
    double ridge = 1.0 / v0;
    for (int r = 0; r < p; r++) {
      DoubleDouble.add(h[r][r], l[r][r], ridge, 0, t);
      h[r][r] = t[0];
      l[r][r] = t[1];
      for (int u = 0; u < columns.length; u++) {
        h[r][p + 1 + u] = r == columns[u] ? 1 : 0;
        l[r][p + 1 + u] = 0;
      }
    }
    if (!eliminate(h, l, p, t)) {
      return null;
    }
    double fitHi = 0;
    double fitLo = 0;
    double[] beta = new double[p];
    for (int r = 0; r < p; r++) {
      DoubleDouble.divide(h[r][p], l[r][p], h[r][r], l[r][r], t);
      beta[r] = t[0] + t[1];
      DoubleDouble.multiply(t[0], t[1], m.xtyHi[r], m.xtyLo[r], t);
      DoubleDouble.add(fitHi, fitLo, t[0], t[1], t);
      fitHi = t[0];
      fitLo = t[1];
    }
    double[][] vn = new double[p][p];
    for (double[] row : vn) {
      Arrays.fill(row, Double.NaN);
    }
    for (int u = 0; u < columns.length; u++) {
      for (int r = 0; r < p; r++) {
        DoubleDouble.divide(h[r][p + 1 + u], l[r][p + 1 + u], h[r][r], l[r][r], t);
        vn[r][columns[u]] = t[0] + t[1];
      }
    }
    DoubleDouble.subtract(m.ytyHi, m.ytyLo, fitHi, fitLo, t);
    double an = Checks.positive("a0", a0) + n / 2.0;
    double bn = Checks.positive("b0", b0) + 0.5 * Math.max(0, t[0] + t[1]);
    return new Fit(beta, vn, an, bn);
  }

  /**
   * Gauss–Jordan elimination with partial pivoting on the p rows of [A | right-hand sides] (planes
   * h and l), leaving A diagonal; false if singular. {@code t} is scratch for the results.
   */
  private static boolean eliminate(double[][] h, double[][] l, int p, double[] t) {
    int width = h[0].length;
    for (int col = 0; col < p; col++) {
      int pivot = col;
      for (int r = col + 1; r < p; r++) {
        if (DoubleDouble.compareMagnitudes(h[r][col], l[r][col], h[pivot][col], l[pivot][col])
            > 0) {
          pivot = r;
        }
      }
      if (DoubleDouble.signum(h[pivot][col], l[pivot][col]) == 0) {
        return false;
      }
      swap(h, col, pivot);
      swap(l, col, pivot);
      double[] ph = h[col];
      double[] pl = l[col];
      for (int r = 0; r < p; r++) {
        if (r == col || DoubleDouble.signum(h[r][col], l[r][col]) == 0) {
          continue;
        }
        DoubleDouble.divide(h[r][col], l[r][col], ph[col], pl[col], t);
        double fh = t[0];
        double fl = t[1];
        double[] rh = h[r];
        double[] rl = l[r];
        for (int c = col; c < width; c++) {
          DoubleDouble.multiply(fh, fl, ph[c], pl[c], t);
          DoubleDouble.subtract(rh[c], rl[c], t[0], t[1], t);
          rh[c] = t[0];
          rl[c] = t[1];
        }
      }
    }
    return true;
  }

  private static void swap(double[][] rows, int i, int j) {
    double[] t = rows[i];
    rows[i] = rows[j];
    rows[j] = t;
  }
}
