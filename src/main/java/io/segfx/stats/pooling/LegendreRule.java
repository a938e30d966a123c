package io.segfx.stats.pooling;

/**
 * The 8-point Gauss–Legendre rule on [-1, 1] that each adaptive panel uses, and the inverse of the
 * distribution function of a density known only at its nodes. The nodes and weights are the doubles
 * nearest the exact values (Abramowitz &amp; Stegun, Table 25.4, n = 8), nodes ascending: the same
 * doubles Commons Math's {@code legendreHighPrecision(8)} computes in {@code BigDecimal}
 * arithmetic, which {@code LegendreRuleTest} checks. Written out because that computation builds
 * every rule up to 8 points in {@code BigDecimal} on the first pooling thread of every run, for
 * constants that never change (its cost is in docs/performance.md).
 */
final class LegendreRule {
  /** Points per panel. */
  static final int POINTS = 8;

  /** Nodes t_k on [-1, 1], ascending. */
  private static final double[] T = {
    -0.9602898564975363,
    -0.7966664774136267,
    -0.525532409916329,
    -0.1834346424956498,
    0.1834346424956498,
    0.525532409916329,
    0.7966664774136267,
    0.9602898564975363
  };

  /** Weights of the nodes (sum 2). */
  private static final double[] W = {
    0.10122853629037626,
    0.22238103445337448,
    0.31370664587788727,
    0.362683783378362,
    0.362683783378362,
    0.31370664587788727,
    0.22238103445337448,
    0.10122853629037626
  };

  private LegendreRule() {}

  /** The k-th node on [-1, 1]. */
  static double node(int k) {
    return T[k];
  }

  /** The k-th weight. */
  static double weight(int k) {
    return W[k];
  }

  /**
   * The x in [-1, 1] where the mass of a panel's density reaches {@code target}: the density is the
   * degree-7 polynomial through the panel's 8 Gauss–Legendre points, in Legendre form c_k =
   * (2k+1)/2 sum_i w_i P_k(t_i) (exact by the rule's discrete orthogonality), whose integral from
   * -1 is c_0 (x + 1) + sum_k c_k (P_{k+1}(x) - P_{k-1}(x)) / (2k + 1) (Abramowitz &amp; Stegun
   * 22.13.1 / 8.5.3); the crossing of {@code target} is found by Newton's method on that
   * polynomial, bracketed.
   *
   * @param weight node masses, the panel's 8 from {@code from} on (w_i above: rule weight times
   *     density)
   * @param from the index of the panel's first node
   * @param target the mass to reach, in [0, the panel's mass]
   */
  static double invert(double[] weight, int from, double target) {
    double[] coef = new double[POINTS];
    double[] leg = new double[POINTS + 1];
    for (int k = 0; k < POINTS; k++) {
      legendre(T[k], leg);
      double wk = weight[from + k];
      for (int d = 0; d < POINTS; d++) {
        coef[d] += (2 * d + 1) / 2.0 * wk * leg[d];
      }
    }
    double a = -1;
    double b = 1;
    // Newton on the polynomial CDF (its derivative is the density polynomial sum c_k P_k), kept
    // inside the bracket by bisection; the density interpolant may dip below 0 near an empty end,
    // where bisection alone decides.
    double x = Math.min(Math.max(2 * target / (2 * coef[0]) - 1, -1), 1);
    for (int it = 0; it < 100 && b - a > 1e-15; it++) {
      legendre(x, leg);
      double f = coef[0] * (x + 1) - target;
      double dens = coef[0];
      for (int d = 1; d < POINTS; d++) {
        f += coef[d] * (leg[d + 1] - leg[d - 1]) / (2 * d + 1);
        dens += coef[d] * leg[d];
      }
      if (f < 0) {
        a = x;
      } else {
        b = x;
      }
      double next = x - f / dens;
      if (!(dens > 0 && next > a && next < b)) {
        next = 0.5 * (a + b);
      }
      if (Math.abs(next - x) <= 1e-15) {
        x = next;
        break;
      }
      x = next;
    }
    return x;
  }

  /**
   * P_0(x) .. P_{out.length-1}(x) by Bonnet's recurrence (k+1) P_{k+1} = (2k+1) x P_k - k P_{k-1}.
   */
  private static void legendre(double x, double[] out) {
    out[0] = 1;
    out[1] = x;
    for (int k = 1; k + 1 < out.length; k++) {
      out[k + 1] = ((2 * k + 1) * x * out[k] - k * out[k - 1]) / (k + 1);
    }
  }
}
