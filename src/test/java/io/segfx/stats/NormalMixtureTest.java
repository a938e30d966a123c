package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.stats.pooling.FullBayesPooling;
import io.segfx.stats.pooling.HierarchicalPosterior;
import io.segfx.stats.pooling.TauPrior;
import io.segfx.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.numbers.gamma.Erfc;
import org.junit.jupiter.api.Test;

/** Normal mixtures against the single normal and against numerical integration. */
class NormalMixtureTest {
  private static final double[] MIX_W = {0.2, 0.5, 0.3};
  private static final double[] MIX_M = {-1, 0.5, 3};
  private static final double[] MIX_S = {0.5, 1, 2};
  private static final NormalMixture MIX = new NormalMixture(MIX_W, MIX_M, MIX_S);

  @Test
  void oneComponentIsTheNormal() {
    NormalMixture m = new NormalMixture(new double[] {1}, new double[] {0.3}, new double[] {0.2});
    NormalSummary s = NormalSummary.of(0.3, 0.2, 0.1);
    assertEquals(s.q025(), m.quantile(0.025), 1e-12);
    assertEquals(s.q975(), m.quantile(0.975), 1e-12);
    assertEquals(s.probAboveThreshold(), m.upperTail(0.1), 1e-14);
    assertEquals(0.2, m.sd(), 1e-15);
  }

  @Test
  void quantilesInvertTheCdf() {
    for (double p : new double[] {1e-6, 0.025, 0.3, 0.5, 0.9, 0.975, 1 - 1e-6}) {
      assertEquals(1 - p, MIX.upperTail(MIX.quantile(p)), 1e-12, "p = " + p);
    }
  }

  /**
   * Quantiles of random mixtures (one to 24 components, spreads from 1e-3 to 10, some sharply
   * bimodal) against 200 bisections of the same CDF: within 1e-12 of the components' spread (the
   * documented 1e-14 plus the CDF's own rounding near flat stretches).
   */
  @Test
  void quantilesAgreeWithBisection() {
    agreeWithBisection(8, 300, false, new double[] {0.025, 0.5, 0.975}, 1e-12);
  }

  /**
   * Harder mixtures than above: weights down to 1e-12, spreads from 1e-4 to 10, means bunched
   * within 1e-3 or split 20 apart. A bracketed Newton iteration could bounce between the bracket's
   * ends here (on 2 of these 42,000 quantiles, mixtures 5253 and 7699, the previous code stopped
   * 4e-4 and 2.7e-3 of the spread from the root). Within 1e-11 of the spread: the worst seen is
   * 2e-12, the CDF's rounding (~1e-16 absolute) over a density as low as 1e-4 per spread in the
   * gaps between modes.
   */
  @Test
  void quantilesOfHardMixturesAgreeWithBisection() {
    agreeWithBisection(3, 8400, true, new double[] {0.025, 0.1, 0.5, 0.9, 0.975}, 1e-11);
  }

  /**
   * The mixtures the job summarises most: full-Bayes segment posteriors (mildly non-normal, where
   * the iteration starts from the Cornish–Fisher expansion) and mu's (heavier with 3 to 5 segments,
   * where it mostly does not), from random groups under three tau priors: within 1e-12 of the
   * spread of 200 bisections.
   */
  @Test
  void quantilesOfPooledPosteriorsAgreeWithBisection() {
    Random r = new Random(12);
    TauPrior[] priors = {
      TauPrior.UNIFORM, new TauPrior("half-cauchy", 0.2), new TauPrior("half-normal", 0.1)
    };
    for (int g = 0; g < 120; g++) {
      int k = 3 + r.nextInt(28);
      double[] y = new double[k];
      double[] se = new double[k];
      double tau = 0.3 * r.nextDouble() * (g % 3);
      for (int j = 0; j < k; j++) {
        se[j] = 0.02 + 0.3 * r.nextDouble();
        y[j] = tau * r.nextGaussian() + se[j] * r.nextGaussian();
      }
      HierarchicalPosterior h = FullBayesPooling.fit(y, se, priors[g % 3], null);
      List<NormalMixture> mixtures = new ArrayList<>();
      mixtures.add(h.mu());
      for (int j = 0; j < k; j += 3) {
        mixtures.add(h.theta(j));
      }
      for (NormalMixture mix : mixtures) {
        for (double p : new double[] {0.025, 0.975}) {
          assertAgreesWithBisection(mix, p, 1e-12, "group " + g);
        }
      }
    }
  }

  /**
   * {@code count} random mixtures from {@code seed}; each quantile in {@code ps} against 200
   * bisections of the CDF on the union of the components' ±9 sd ranges, within {@code tolerance} of
   * that range's width.
   */
  private static void agreeWithBisection(
      long seed, int count, boolean hard, double[] ps, double tolerance) {
    Random r = new Random(seed);
    for (int t = 0; t < count; t++) {
      int k = 1 + r.nextInt(24);
      double[] w = new double[k];
      double[] m = new double[k];
      double[] sd = new double[k];
      double total = 0;
      for (int i = 0; i < k; i++) {
        w[i] = hard && t % 5 == 0 ? Math.pow(10, -12 * r.nextDouble()) : r.nextDouble();
        total += w[i];
        m[i] =
            (t % 3 == 0 ? 20 * r.nextInt(2) : 0)
                + r.nextGaussian() * (hard && t % 7 == 0 ? 1e-3 : 1);
        sd[i] =
            hard ? Math.pow(10, -4 + 5 * r.nextDouble()) : Math.pow(10, -3 + 4 * r.nextDouble());
      }
      for (int i = 0; i < k; i++) {
        w[i] /= total;
      }
      NormalMixture mix = new NormalMixture(w, m, sd);
      for (double p : ps) {
        assertAgreesWithBisection(mix, p, tolerance, "mixture " + t);
      }
    }
  }

  /**
   * The p-quantile against 200 bisections of the CDF on the union of the components' ±9 sd ranges
   * (components of weight 0 excluded), within {@code tolerance} of that range's width.
   */
  private static void assertAgreesWithBisection(
      NormalMixture mix, double p, double tolerance, String what) {
    double[] w = mix.weights();
    double[] m = mix.means();
    double[] sd = mix.sds();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < w.length; i++) {
      if (w[i] > 0) {
        lo = Math.min(lo, m[i] - 9 * sd[i]);
        hi = Math.max(hi, m[i] + 9 * sd[i]);
      }
    }
    double a = lo;
    double b = hi;
    for (int i = 0; i < 200; i++) {
      double c = 0.5 * (a + b);
      if (1 - mix.upperTail(c) < p) {
        a = c;
      } else {
        b = c;
      }
    }
    assertEquals(0.5 * (a + b), mix.quantile(p), tolerance * (hi - lo), what + ", p = " + p);
  }

  /**
   * Moments and E[max(X, 0)] against composite Simpson integration with 200,000 intervals (error of
   * order h^4 times the fourth derivative, about 1e-16 here; the tails cut beyond 10 sd weigh less
   * than 1e-20): 1e-10.
   */
  @Test
  void momentsAndPartialExpectationByIntegration() {
    double[] w = {0.2, 0.5, 0.3};
    double[] m = {-1, 0.5, 3};
    double[] s = {0.5, 1, 2};
    DoubleUnaryOperator f =
        x -> {
          double d = 0;
          for (int i = 0; i < 3; i++) {
            d +=
                w[i]
                    * Math.exp(-0.5 * Math.pow((x - m[i]) / s[i], 2))
                    / (s[i] * Math.sqrt(2 * Math.PI));
          }
          return d;
        };
    double mean = Fixtures.simpson(x -> x * f.applyAsDouble(x), -20, 30, 200_000);
    double second = Fixtures.simpson(x -> x * x * f.applyAsDouble(x), -20, 30, 200_000);
    double positive = Fixtures.simpson(x -> x * f.applyAsDouble(x), 0, 30, 200_000);
    assertEquals(mean, MIX.mean(), 1e-10);
    assertEquals(Math.sqrt(second - mean * mean), MIX.sd(), 1e-10);
    assertEquals(positive, MIX.positivePart(), 1e-10);
    assertEquals(MIX.mean() - 2, MIX.affine(1, -2).mean(), 1e-15);
    assertEquals(Math.sqrt(MIX.sd() * MIX.sd() + 0.25), MIX.plusIndependent(0, 0.25).sd(), 1e-12);
  }

  /**
   * P(X > t) through exp(-z²/2) erfcx(|z|/√2) against Commons Numbers' erfc (an independent
   * double-double implementation) for one component at z from -12 to 12 (step 0.001): within 3e-16
   * absolute, and within 1e-13 relative where the tail is below 1/2 and z <= 9 (the rounding of
   * z²/2 in the exponential costs about z²·1e-16 of relative accuracy); and for a three-component
   * mixture, the weighted sum of the same references within 1e-15.
   */
  @Test
  void upperTailAgreesWithErfc() {
    NormalMixture one = new NormalMixture(new double[] {1}, new double[] {0.3}, new double[] {2});
    for (int k = -12000; k <= 12000; k++) {
      double z = k * 1e-3;
      double t = 0.3 + 2 * z;
      double ref = 0.5 * Erfc.value((t - 0.3) / (2 * Math.sqrt(2.0)));
      double got = one.upperTail(t);
      assertEquals(ref, got, 3e-16, "z = " + z);
      if (z >= 0 && z <= 9) {
        assertEquals(ref, got, 1e-13 * ref, "relative, z = " + z);
      }
    }
    for (double t = -12; t <= 12; t += 0.01) {
      double ref = 0;
      for (int i = 0; i < 3; i++) {
        ref +=
            MIX_W[i]
                * 0.5
                * org.apache.commons.numbers.gamma.Erfc.value(
                    (t - MIX_M[i]) / (MIX_S[i] * Math.sqrt(2.0)));
      }
      assertEquals(ref, MIX.upperTail(t), 1e-15, "t = " + t);
    }
  }
}
