package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/**
 * Quantiles against Commons Math's bracketing inverses (solver accuracy 1e-15 here) and against the
 * CDF itself: |F(q) - p| within 1e-13 (t) or 1e-12 (Beta, whose extreme shapes test the incomplete
 * beta near 1) plus f(q) ulp(q) (the CDF cannot move by less across one representable q; 2.5e-12
 * for Beta(1e5, 3) at its median).
 */
class FastQuantilesTest {
  @Test
  void studentQuantiles() {
    for (double nu : new double[] {1, 2.5, 3, 5, 12.7, 30, 100, 1001.002, 1e5}) {
      TDistribution t = new TDistribution(null, nu, 1e-15);
      for (double p : new double[] {0.001, 0.025, 0.5, 0.9, 0.975, 0.999}) {
        double q = FastQuantiles.student(nu, p);
        assertEquals(
            t.inverseCumulativeProbability(p),
            q,
            1e-10 * Math.max(1, Math.abs(q)),
            "nu=" + nu + " p=" + p);
        if (nu <= 1e4) {
          // At nu = 1e5 Commons Math's t CDF itself is only good to ~1e-12 (its incomplete beta at
          // x = nu/(nu + q^2) ~ 1 - 4e-5); there only the comparison with its inverse is made.
          assertEquals(
              p,
              t.cumulativeProbability(q),
              1e-13 + t.density(q) * Math.ulp(q),
              "F(q), nu=" + nu + " p=" + p);
        }
      }
    }
  }

  @Test
  void betaQuantiles() {
    double[][] shapes = {{1, 1}, {0.5, 0.5}, {594, 4608}, {2, 40}, {23, 153}, {1e5, 3}, {3, 1e5}};
    for (double[] s : shapes) {
      BetaDistribution d = new BetaDistribution(null, s[0], s[1], 1e-15);
      for (double p : new double[] {0.001, 0.025, 0.5, 0.975, 0.999}) {
        double q = FastQuantiles.beta(s[0], s[1], p);
        assertEquals(
            p,
            d.cumulativeProbability(q),
            1e-12 + 2 * d.density(q) * Math.ulp(q),
            "F(q) a=" + s[0] + " b=" + s[1] + " p=" + p);
        assertEquals(
            d.inverseCumulativeProbability(p), q, 1e-9 * q, "a=" + s[0] + " b=" + s[1] + " p=" + p);
      }
    }
  }

  /**
   * Shapes a < 1 put lower quantiles far below the normal start: Beta(0.01, 700)'s 2.5% point is
   * 5.0e-164, and it came back as 6.7e-64. Halving a [0, 1] bracket reaches only 2^-200 ~ 6e-61
   * within the iteration limit (60,383 of 200,000 random such cases missed by more than 1e-9
   * relative before the log-scale start and bisection). Checked against Commons Math's own Beta CDF
   * (a continued fraction, independent of the Boost incomplete beta the solver uses): |F(q) - p|
   * within 1e-9 p.
   */
  @Test
  void betaQuantilesOfSmallShapes() {
    for (double a : new double[] {0.01, 0.03, 0.08, 0.3}) {
      for (double b : new double[] {0.5, 1.5, 700, 1e4}) {
        BetaDistribution d = new BetaDistribution(null, a, b, 1e-15);
        for (double p : new double[] {0.025, 0.5, 0.975}) {
          double q = FastQuantiles.beta(a, b, p);
          assertTrue(q > 0 && q < 1, "a=" + a + " b=" + b + " p=" + p + ": q=" + q);
          assertEquals(
              p,
              d.cumulativeProbability(q),
              1e-9 * p + 2 * d.density(q) * Math.ulp(q),
              "F(q) a=" + a + " b=" + b + " p=" + p + " q=" + q);
        }
      }
    }
  }

  /**
   * Halley's steps and their predicted-error stop on 2,000 random arm posteriors Beta(1 + y, 1 + n
   * - y), n of 20–2,000 units at rates 0.5–99.5% (so quantiles near 0 and near 1), at p = 0.001,
   * 0.025, 0.975 and 0.999, checked against the binomial identity {@code I_x(a, b) = P(Bin(a + b -
   * 1, x) >= a)} for whole shapes (Abramowitz &amp; Stegun 26.5.24), summed term by term and
   * independent of the incomplete beta that the iteration evaluates. The quantile's error is the
   * CDF's residual over the density, {@code (F(q) - p) / f(q)}, and must be within the class's
   * 1e-13 of the quantile's scale min(q, 1 - q), plus two steps of q's own spacing. Commons Math's
   * bracketing inverse is not the reference: its own CDF is off by more than that on some of these
   * shapes.
   */
  @Test
  void betaQuantilesOfArmPosteriorsAgreeWithBinomialSums() {
    java.util.Random random = new java.util.Random(20261208L);
    double worst = 0;
    for (int i = 0; i < 2000; i++) {
      int n = 20 + random.nextInt(1981);
      double rate = 0.005 + 0.99 * random.nextDouble();
      int y = 0;
      for (int k = 0; k < n; k++) {
        y += random.nextDouble() < rate ? 1 : 0;
      }
      int a = 1 + y;
      int b = 1 + n - y;
      BetaDistribution d = new BetaDistribution(null, a, b, 1e-15);
      for (double p : new double[] {0.001, 0.025, 0.975, 0.999}) {
        double q = FastQuantiles.beta(a, b, p);
        double error = Math.abs(binomialUpperTail(a + b - 1, a, q) - p) / d.density(q);
        // Near 1, q cannot come closer than its own spacing: ulp(q) is 1.1e-16, 5.6e-13 of the
        // scale 1 - q = 2e-4 of Beta(128, 1) at 97.5%.
        double allowed = 1e-13 * Math.min(q, 1 - q) + 2 * Math.ulp(q);
        assertTrue(error <= allowed, "a=" + a + " b=" + b + " p=" + p + ": error " + error);
        worst = Math.max(worst, error / allowed);
      }
    }
    assertTrue(worst > 0, "an independent reference differs in some last bits");
  }

  /**
   * P(Bin(n, x) >= a) as U / (L + U), the sums of the probabilities at or above a and below it,
   * each relative to the mode's probability by the ratio recurrence {@code P(j + 1) / P(j) = (n -
   * j) x / ((j + 1)(1 - x))} (no factorials or large powers; each ratio is rounded once, so a term
   * k steps from the mode carries about k roundings), with Neumaier's compensated summation, down
   * to terms below 1e-30 of the mode's.
   */
  private static double binomialUpperTail(int n, int a, double x) {
    int mode = (int) Math.min(n, Math.floor((n + 1) * x));
    double odds = x / (1 - x);
    double[] below = new double[2];
    double[] above = new double[2];
    double t = 1;
    for (int j = mode; j <= n && t > 1e-30; j++) {
      add(j >= a ? above : below, t);
      t *= (n - j) * odds / (j + 1);
    }
    t = 1;
    for (int j = mode; j > 0 && t > 1e-30; j--) {
      t *= j / ((n - j + 1) * odds);
      add(j - 1 >= a ? above : below, t);
    }
    double u = above[0] + above[1];
    return u / (u + below[0] + below[1]);
  }

  /** Neumaier's compensated addition of v into {sum, compensation}. */
  private static void add(double[] sum, double v) {
    double s = sum[0] + v;
    sum[1] += Math.abs(sum[0]) >= Math.abs(v) ? (sum[0] - s) + v : (v - s) + sum[0];
    sum[0] = s;
  }
}
