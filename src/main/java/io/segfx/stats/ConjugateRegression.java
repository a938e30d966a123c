package io.segfx.stats;

/**
 * The conjugate Bayesian linear regression of seed notebook section 6 for {@code Y ~ 1 + treated +
 * z}, computed from the two arms' exact sums. With prior {@code beta | sigma^2 ~ N(0, sigma^2 V0)},
 * {@code V0 = v0 I}, and {@code sigma^2 ~ InvGamma(a0, b0)} (Gelman et al., BDA3 section 14.8;
 * Murphy 2007, section 7.6):
 *
 * <pre>
 *   Vn^{-1} = X'X + I / v0,   beta_n = Vn X'y,   a_n = a0 + n/2
 *   b_n = b0 + (y'y - beta_n' Vn^{-1} beta_n) / 2
 * </pre>
 *
 * and the marginal posterior of the treatment coefficient is Student-t with {@code 2 a_n} degrees
 * of freedom, location {@code beta_n[1]} and scale {@code sqrt(b_n / a_n [Vn]_11)}. The normal
 * equations are formed from the exact sums, rounded once to double-double, and solved in
 * double-double arithmetic ({@link DoubleDouble}, about 32 digits), so outcomes far from zero (y'y
 * ~ 1e18 n) keep some 14 digits through the cancellation in {@code y'y - beta_n' X'y}.
 */
public final class ConjugateRegression {
  /** The notebook's prior: V0 = 1e6 I, a0 = b0 = 1e-3. */
  public static final double V0_DEFAULT = 1e6;

  public static final double A0_DEFAULT = 1e-3;
  public static final double B0_DEFAULT = 1e-3;

  private ConjugateRegression() {}

  /**
   * Fits the model; null when an arm is empty.
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
    Checks.positive("v0", v0);
    int k = z.length;
    int p = k + 2;
    DoubleDouble[][] a = new DoubleDouble[p][p + 2];
    long n = control.count() + treatment.count();
    DoubleDouble ridge = DoubleDouble.of(1.0 / v0);
    a[0][0] = DoubleDouble.of(n).add(ridge);
    a[0][1] = DoubleDouble.of(treatment.count());
    a[1][1] = a[0][1].add(ridge);
    for (int i = 0; i < k; i++) {
      a[0][2 + i] = dec(control.sumExact(z[i]).add(treatment.sumExact(z[i])));
      a[1][2 + i] = dec(treatment.sumExact(z[i]));
      for (int j = i; j < k; j++) {
        DoubleDouble q = dec(control.crossExact(z[i], z[j]).add(treatment.crossExact(z[i], z[j])));
        a[2 + i][2 + j] = i == j ? q.add(ridge) : q;
      }
    }
    for (int r = 0; r < p; r++) {
      for (int c = 0; c < r; c++) {
        a[r][c] = a[c][r];
      }
    }
    DoubleDouble[] xty = new DoubleDouble[p];
    xty[0] = dec(control.sumExact(y).add(treatment.sumExact(y)));
    xty[1] = dec(treatment.sumExact(y));
    for (int i = 0; i < k; i++) {
      xty[2 + i] = dec(control.crossExact(z[i], y).add(treatment.crossExact(z[i], y)));
    }
    for (int r = 0; r < p; r++) {
      a[r][p] = xty[r];
      a[r][p + 1] = r == 1 ? DoubleDouble.ONE : DoubleDouble.ZERO;
    }
    DoubleDouble[][] sol = solve(a, p);
    if (sol == null) {
      return null;
    }
    DoubleDouble fitTerm = DoubleDouble.ZERO;
    for (int r = 0; r < p; r++) {
      fitTerm = fitTerm.add(sol[0][r].multiply(xty[r]));
    }
    DoubleDouble yty = dec(control.crossExact(y, y).add(treatment.crossExact(y, y)));
    double an = Checks.positive("a0", a0) + n / 2.0;
    double bn = Checks.positive("b0", b0) + 0.5 * Math.max(0, yty.subtract(fitTerm).doubleValue());
    double vtt = sol[1][1].doubleValue();
    return new NigPosterior(sol[0][1].doubleValue(), Math.sqrt(bn / an * vtt), 2 * an);
  }

  /** An exact sum rounded once to the working precision. */
  private static DoubleDouble dec(Dyadic v) {
    return DoubleDouble.of(v);
  }

  /** Gauss–Jordan elimination with partial pivoting on [A | b | e_1]; null if singular. */
  private static DoubleDouble[][] solve(DoubleDouble[][] a, int p) {
    for (int col = 0; col < p; col++) {
      int pivot = col;
      for (int r = col + 1; r < p; r++) {
        if (a[r][col].abs().compareTo(a[pivot][col].abs()) > 0) {
          pivot = r;
        }
      }
      if (a[pivot][col].signum() == 0) {
        return null;
      }
      DoubleDouble[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      for (int r = 0; r < p; r++) {
        if (r == col || a[r][col].signum() == 0) {
          continue;
        }
        DoubleDouble f = a[r][col].divide(a[col][col]);
        for (int c = col; c < p + 2; c++) {
          a[r][c] = a[r][c].subtract(f.multiply(a[col][c]));
        }
      }
    }
    DoubleDouble[][] out = new DoubleDouble[2][p];
    for (int r = 0; r < p; r++) {
      out[0][r] = a[r][p].divide(a[r][r]);
      out[1][r] = a[r][p + 1].divide(a[r][r]);
    }
    return out;
  }
}
