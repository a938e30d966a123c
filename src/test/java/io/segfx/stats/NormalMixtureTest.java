package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.stats.pooling.FullBayesPooling;
import io.segfx.stats.pooling.HierarchicalPosterior;
import io.segfx.stats.pooling.TauPrior;
import io.segfx.testing.Fixtures;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
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
      boolean tiny = hard && t % 5 == 0;
      boolean twoModes = t % 3 == 0;
      boolean close = hard && t % 7 == 0;
      NormalMixture mix =
          randomMixture(
              r,
              () -> tiny ? Math.pow(10, -12 * r.nextDouble()) : r.nextDouble(),
              () -> (twoModes ? 20 * r.nextInt(2) : 0) + r.nextGaussian() * (close ? 1e-3 : 1),
              () ->
                  hard
                      ? Math.pow(10, -4 + 5 * r.nextDouble())
                      : Math.pow(10, -3 + 4 * r.nextDouble()));
      for (double p : ps) {
        assertAgreesWithBisection(mix, p, tolerance, "mixture " + t);
      }
    }
  }

  /**
   * A mixture of 1 to 24 components whose weights (normalised to sum to 1), means and sds are
   * drawn, component by component, from the given suppliers.
   */
  private static NormalMixture randomMixture(
      Random r, DoubleSupplier weight, DoubleSupplier mean, DoubleSupplier sd) {
    int k = 1 + r.nextInt(24);
    double[] w = new double[k];
    double[] m = new double[k];
    double[] s = new double[k];
    double total = 0;
    for (int i = 0; i < k; i++) {
      w[i] = weight.getAsDouble();
      total += w[i];
      m[i] = mean.getAsDouble();
      s[i] = sd.getAsDouble();
    }
    for (int i = 0; i < k; i++) {
      w[i] /= total;
    }
    return new NormalMixture(w, m, s);
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

  /**
   * P(X > t) near the centre, where the tail comes from erfc itself below |z|/√2 = 1/2 and from
   * erfcx above it, against erfc summed from its Maclaurin series in 40-digit decimal arithmetic
   * (Abramowitz &amp; Stegun 7.1.5), independent of either library function: for z from -1.5 to 1.5
   * (step 0.0005, the branch at |z| = 0.7071 included) within 2e-16 absolute, the accuracy the tail
   * documents.
   */
  @Test
  void upperTailNearTheCentreAgreesWithTheSeries() {
    NormalMixture one = new NormalMixture(new double[] {1}, new double[] {0}, new double[] {1});
    for (int k = -3000; k <= 3000; k++) {
      double z = k * 5e-4;
      double ref = 0.5 * erfcBySeries(z / Math.sqrt(2.0));
      assertEquals(ref, one.upperTail(z), 2e-16, "z = " + z);
    }
  }

  /**
   * erfc(x) = 1 - (2/√π) sum_n (-1)^n x^(2n+1) / (n! (2n+1)), in 40-digit decimals to 1e-30 (x
   * below 1.1, where the largest term is under 1).
   */
  private static double erfcBySeries(double x) {
    MathContext mc = new MathContext(40);
    BigDecimal bx = new BigDecimal(x);
    BigDecimal x2 = bx.multiply(bx, mc);
    BigDecimal term = bx; // (-1)^n x^(2n+1) / n!
    BigDecimal sum = BigDecimal.ZERO;
    for (int n = 0; n < 200; n++) {
      BigDecimal add = term.divide(BigDecimal.valueOf(2L * n + 1), mc);
      sum = sum.add(add, mc);
      if (add.abs().compareTo(new BigDecimal("1e-30")) < 0) {
        break;
      }
      term = term.multiply(x2, mc).divide(BigDecimal.valueOf(-(n + 1L)), mc);
    }
    BigDecimal pi = new BigDecimal("3.14159265358979323846264338327950288419716939937510");
    BigDecimal erf = sum.multiply(BigDecimal.valueOf(2), mc).divide(pi.sqrt(mc), mc);
    return BigDecimal.ONE.subtract(erf, mc).doubleValue();
  }

  /**
   * The ratio's distribution function F(q) = P(X - q B <= 0) and its closed-form derivatives
   * against Richardson-extrapolated central differences of F, F' and F'' (steps h and h/2, h = 1e-3
   * of the ratio's scale: truncation error of order h⁴ times the fifth derivative, rounding about
   * 1e-16 / h of the derivative's size, both under 1e-9 of it here), for random mixtures and
   * baselines at points across the ratio's range; and the rate, max |z_i'|, against the same
   * differences of each component's z.
   */
  @Test
  void ratioDerivativesMatchDifferences() {
    Random r = new Random(31);
    for (int t = 0; t < 300; t++) {
      NormalMixture x =
          randomMixture(
              r,
              r::nextDouble,
              () -> 0.5 + r.nextGaussian() * 0.3,
              () -> 0.05 + 0.3 * r.nextDouble());
      double[] m = x.means();
      double[] sd = x.sds();
      int k = m.length;
      double mb = 5 + 10 * r.nextDouble();
      double vb = Math.pow(mb * (0.01 + 0.2 * r.nextDouble()), 2);
      double scale = x.sd() / mb;
      double h = 1e-3 * scale;
      for (int j = -3; j <= 3; j++) {
        double q = x.mean() / mb + j * scale;
        double[] g = new double[5];
        x.belowRatio(q, mb, vb, g);
        String at = "mixture " + t + ", q = " + q;
        double slope = richardson(u -> ratio(x, u, mb, vb)[0], q, h);
        double curvature = richardson(u -> ratio(x, u, mb, vb)[1], q, h);
        assertEquals(slope, g[1], 1e-8 * Math.abs(slope) + 1e-12 / scale, "F' " + at);
        assertEquals(curvature, g[2], 1e-8 * Math.abs(curvature) + 1e-12 / (scale * scale), at);
        double third = richardson(u -> ratio(x, u, mb, vb)[2], q, h);
        assertEquals(third, g[3], 1e-7 * Math.abs(third) + 1e-11 / (scale * scale * scale), at);
        double rate = 0;
        for (int i = 0; i < k; i++) {
          double mi = m[i];
          double si = sd[i];
          rate = Math.max(rate, Math.abs(richardson(u -> z(mi, si, mb, vb, u), q, h)));
        }
        assertEquals(rate, g[4], 1e-8 * rate, "rate " + at);
      }
    }
  }

  private static double[] ratio(NormalMixture x, double q, double mb, double vb) {
    double[] g = new double[5];
    x.belowRatio(q, mb, vb, g);
    return g;
  }

  /** f'(q) by central differences with steps h and h/2, combined to cancel the h² term. */
  private static double richardson(DoubleUnaryOperator f, double q, double h) {
    double d1 = (f.applyAsDouble(q + h) - f.applyAsDouble(q - h)) / (2 * h);
    double d2 = (f.applyAsDouble(q + h / 2) - f.applyAsDouble(q - h / 2)) / h;
    return (4 * d2 - d1) / 3;
  }

  /** z_i(q) = (q mb - m_i) / sqrt(s_i² + q² vb). */
  private static double z(double m, double s, double mb, double vb, double q) {
    return (q * mb - m) / Math.sqrt(s * s + q * q * vb);
  }
}
