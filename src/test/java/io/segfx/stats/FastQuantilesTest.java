package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/**
 * Newton quantiles against Commons Math's bracketing inverses (solver accuracy 1e-15 here) and
 * against the CDF itself: |F(q) - p| within 1e-13 (t) or 1e-12 (Beta, whose extreme shapes test the
 * incomplete beta near 1) plus f(q) ulp(q) (the CDF cannot move by less across one representable q;
 * 2.5e-12 for Beta(1e5, 3) at its median).
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
}
