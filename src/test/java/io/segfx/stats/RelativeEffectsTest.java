package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/**
 * Quantiles of a relative effect X / B against three independent references: Fieller's closed-form
 * roots for one normal X (the same equation solved as a quadratic), the distribution function
 * evaluated with Commons Math's normal CDF, and brute-force draws of the ratio itself. Monte Carlo
 * tolerances are 4 standard errors of a sample quantile, {@code sqrt(p (1 - p) / D) / f(q)}, with f
 * the ratio's density at q from a central difference of the exact CDF.
 */
class RelativeEffectsTest {
  private static final NormalDistribution STD = new NormalDistribution(null, 0, 1);

  /** P(X - q B <= 0) for the mixture, term by term with Commons Math's normal CDF. */
  private static double cdf(double[] w, double[] m, double[] s, double mb, double sb, double q) {
    double p = 0;
    for (int i = 0; i < w.length; i++) {
      p += w[i] * STD.cumulativeProbability((q * mb - m[i]) / Math.hypot(s[i], q * sb));
    }
    return p;
  }

  /**
   * Fieller's bounds: the roots of (q mb - m)² = z² (s² + q² sb²), {lower, upper}, for mb² > z² sb²
   * (Fieller 1954, JRSS B 16, 175–185).
   */
  private static double[] fieller(double m, double s, double mb, double sb, double z) {
    double a = mb * mb - z * z * sb * sb;
    double root =
        Math.abs(z) * Math.sqrt(m * m * sb * sb + mb * mb * s * s - z * z * s * s * sb * sb);
    return new double[] {(m * mb - root) / a, (m * mb + root) / a};
  }

  /**
   * One normal: the root-found quantiles are Fieller's bounds to 1e-12 relative, near the limit
   * where the upper bound runs off to infinity too (both are exact solutions of one equation; the
   * tolerance is the root finder's stop, 1e-13 of the scale, with room for the rounding of the
   * quadratic's terms).
   */
  @Test
  void oneNormalGivesFiellersBounds() {
    double[][] cases = {
      {0.5, 0.3, 1, 0.2},
      {-2, 1, 10, 1},
      {0.01, 0.004, 0.12, 0.005},
      {3, 0.1, 2, 0.5},
      {0, 1, 5, 0},
      // mb/sb = 2, just above 1.96: the upper bound is far out (about 50 sd of the delta method).
      {1, 0.5, 1, 0.5}
    };
    double z = FastQuantiles.normal(0.975);
    for (double[] c : cases) {
      double[] f = fieller(c[0], c[1], c[2], c[3], z);
      double lo = RelativeEffects.quantile(c[0], c[1], c[2], c[3], 0.025);
      double hi = RelativeEffects.quantile(c[0], c[1], c[2], c[3], 0.975);
      double scale = Math.max(Math.abs(f[0]), Math.abs(f[1]));
      assertEquals(f[0], lo, 1e-12 * scale, "lower bound " + Arrays.toString(c));
      assertEquals(f[1], hi, 1e-12 * scale, "upper bound " + Arrays.toString(c));
    }
  }

  /**
   * One normal, by brute force: 10⁶ draws of X / B with X ~ N(0.5, 0.3²), B ~ N(1, 0.2²), a ratio
   * skewed enough (mb/sb = 5) that the delta method's symmetric interval is visibly off. P(B <= 0)
   * = Φ(-5) = 2.9e-7 is the only difference between the ratio and the event X - qB <= 0, far below
   * the Monte Carlo error.
   */
  @Test
  void oneNormalAgreesWithRatioDraws() {
    double m = 0.5;
    double s = 0.3;
    double mb = 1;
    double sb = 0.2;
    int d = 1_000_000;
    UniformRandomProvider rng = Seeds.of(11, "ratio");
    ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] ratio = new double[d];
    for (int k = 0; k < d; k++) {
      ratio[k] = (m + s * g.sample()) / (mb + sb * g.sample());
    }
    double[] w = {1};
    for (double p : new double[] {0.025, 0.975}) {
      double q = RelativeEffects.quantile(m, s, mb, sb, p);
      double h = 1e-5;
      double dens =
          (cdf(w, new double[] {m}, new double[] {s}, mb, sb, q + h)
                  - cdf(w, new double[] {m}, new double[] {s}, mb, sb, q - h))
              / (2 * h);
      double drawn = Quantiles.select(ratio, p);
      assertEquals(drawn, q, 4 * Math.sqrt(p * (1 - p) / d) / dens, "quantile " + p);
    }
    // The delta method's interval m/mb ± 1.96 sd is symmetric; the ratio's is not.
    double lo = RelativeEffects.quantile(m, s, mb, sb, 0.025);
    double hi = RelativeEffects.quantile(m, s, mb, sb, 0.975);
    assertTrue(hi - m / mb > 1.1 * (m / mb - lo), "right-skewed interval " + lo + ", " + hi);
  }

  /**
   * A three-component mixture over a normal baseline: F(q) = p to 1e-13 with F evaluated term by
   * term by Commons Math (whose erf is accurate to about 1e-15), and the quantiles agree with 10⁶
   * draws of the ratio within 4 Monte Carlo standard errors.
   */
  @Test
  void mixtureQuantilesSolveTheRatioCdfAndAgreeWithDraws() {
    double[] w = {0.5, 0.3, 0.2};
    double[] m = {0.2, 0.5, -0.1};
    double[] s = {0.1, 0.2, 0.3};
    double mb = 2;
    double sb = 0.3;
    NormalMixture x = new NormalMixture(w, m, s);
    int d = 1_000_000;
    UniformRandomProvider rng = Seeds.of(12, "mixture-ratio");
    ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] ratio = new double[d];
    for (int k = 0; k < d; k++) {
      double u = rng.nextDouble();
      int i = u < 0.5 ? 0 : u < 0.8 ? 1 : 2;
      ratio[k] = (m[i] + s[i] * g.sample()) / (mb + sb * g.sample());
    }
    for (double p : new double[] {0.025, 0.5, 0.975}) {
      double q = RelativeEffects.quantile(x, mb, sb, p);
      assertEquals(p, cdf(w, m, s, mb, sb, q), 1e-13, "F(q) = p at " + p);
      double h = 1e-5;
      double dens = (cdf(w, m, s, mb, sb, q + h) - cdf(w, m, s, mb, sb, q - h)) / (2 * h);
      double drawn = Quantiles.select(ratio, p);
      assertEquals(drawn, q, 4 * Math.sqrt(p * (1 - p) / d) / dens, "quantile " + p);
    }
  }

  /**
   * NaN without a control level, and where the normal control level puts 2.5% or more below 0
   * (mb/sb <= 1.96): the ratio's 2.5% or 97.5% quantile does not exist there.
   */
  @Test
  void nanWithoutAPositiveControlLevel() {
    assertTrue(Double.isNaN(RelativeEffects.quantile(1, 1, Double.NaN, Double.NaN, 0.025)));
    assertTrue(Double.isNaN(RelativeEffects.quantile(1, 1, 1, 0.6, 0.975)));
    assertTrue(Double.isNaN(RelativeEffects.quantile(1, 1, -1, 0.1, 0.975)));
    assertTrue(Double.isFinite(RelativeEffects.quantile(1, 1, 1, 0.5, 0.975)));
    // A point-mass effect over a point-mass control level: the ratio itself.
    assertEquals(0.25, RelativeEffects.quantile(1, 0, 4, 0, 0.025), 0.0);
  }

  /** Each kind's control-level mean, from its parameters (a / (a + b), m), or NaN without one. */
  @Test
  void baselineMeanOfEachKind() {
    SegmentDraw beta =
        new SegmentDraw(
            "b",
            1,
            SegmentDraw.Kind.BETA_DIFF,
            new double[] {53, 739, 41, 761},
            SegmentDraw.Kind.BETA,
            new double[] {41, 761},
            true);
    assertEquals(41.0 / 802, RelativeEffects.baselineMean(beta), 1e-17);
    SegmentDraw diff =
        new SegmentDraw(
            "d",
            1,
            SegmentDraw.Kind.STUDENT_DIFF,
            new double[] {11, 1, 20, 10, 1, 30},
            SegmentDraw.Kind.NONE,
            new double[0],
            true);
    assertEquals(10.0, RelativeEffects.baselineMean(diff), 0.0);
    SegmentDraw cauchy =
        new SegmentDraw(
            "c",
            1,
            SegmentDraw.Kind.STUDENT_DIFF,
            new double[] {11, 1, 20, 10, 1, 1},
            SegmentDraw.Kind.NONE,
            new double[0],
            true);
    assertTrue(Double.isNaN(RelativeEffects.baselineMean(cauchy)), "Student-t dof 1: no mean");
    SegmentDraw normal =
        new SegmentDraw(
            "n",
            1,
            SegmentDraw.Kind.NORMAL,
            new double[] {1, 0.1},
            SegmentDraw.Kind.STUDENT,
            new double[] {7, 0.5, 12},
            false);
    assertEquals(7.0, RelativeEffects.baselineMean(normal), 0.0);
    SegmentDraw none =
        new SegmentDraw(
            "x",
            1,
            SegmentDraw.Kind.NORMAL,
            new double[] {1, 0.1},
            SegmentDraw.Kind.NONE,
            new double[0],
            false);
    assertTrue(Double.isNaN(RelativeEffects.baselineMean(none)));
  }

  /**
   * A start from X's own quantile, a far-off start and the default start all reach the root of F(q)
   * = p found by 200 bisections of {@link #cdf} (Commons Math's normal CDF, an independent
   * evaluation): within 1e-12 of the scale max(|q|, s_r), the iteration's stop of 1e-13 with room
   * for the reference CDF's own rounding near the root. The mixtures are three-component ones of
   * the shapes full pooling gives (a dominant component, a wider and a narrower one).
   */
  @Test
  void startingPointChangesNoRoot() {
    double[][] w = {{0.7, 0.2, 0.1}, {0.5, 0.3, 0.2}, {0.96, 0.03, 0.01}};
    double[][] m = {{0.03, 0.05, 0.01}, {-0.08, -0.02, -0.12}, {1.1, 0.9, 1.4}};
    double[][] s = {{0.02, 0.04, 0.005}, {0.03, 0.06, 0.02}, {0.3, 0.5, 0.1}};
    double[][] baselines = {{10, 0.1}, {0.12, 0.004}, {4, 0}};
    for (int c = 0; c < w.length; c++) {
      NormalMixture x = new NormalMixture(w[c], m[c], s[c]);
      for (double[] b : baselines) {
        for (double p : new double[] {0.025, 0.5, 0.975}) {
          // Every root here lies within ±1000 (the largest ratio of means is about 12).
          double lo = -1000;
          double hi = 1000;
          for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(w[c], m[c], s[c], b[0], b[1], mid) < p) {
              lo = mid;
            } else {
              hi = mid;
            }
          }
          double ref = 0.5 * (lo + hi);
          double r0 = x.mean() / b[0];
          double scale = Math.max(Math.abs(ref), Math.hypot(x.sd(), r0 * b[1]) / b[0]);
          String at = "mixture " + c + ", B ~ N" + Arrays.toString(b) + ", p=" + p;
          double qx = x.quantile(p);
          assertEquals(ref, RelativeEffects.quantile(x, b[0], b[1], p), 1e-12 * scale, at);
          assertEquals(ref, RelativeEffects.quantile(x, b[0], b[1], p, qx), 1e-12 * scale, at);
          double far = qx + 25 * x.sd();
          assertEquals(ref, RelativeEffects.quantile(x, b[0], b[1], p, far), 1e-12 * scale, at);
        }
      }
    }
  }

  /**
   * A start at an inflection of F: X ~ N(0, 1), B a point mass at 1 and p = Φ(9e-4), started from
   * X's own quantile given as 0, where F'' = 0 and Newton's quadratic error term vanishes. The
   * first step, 9e-4, leaves an error of about d³/6 = 1.2e-10; the stop must see the cubic term and
   * evaluate again, so the quantile is 9e-4 to the iteration's 1e-13 (p's rounding moves the root
   * by about 3e-17).
   */
  @Test
  void aStartAtAnInflectionStillReachesTheRoot() {
    NormalMixture x = new NormalMixture(new double[] {1}, new double[] {0}, new double[] {1});
    double h = 9e-4;
    double p = 0.5 * Erfc.value(-h / Math.sqrt(2));
    assertEquals(h, RelativeEffects.quantile(x, 1, 0, p, 0.0), 1e-13);
  }

  /**
   * A point mass beside a normal (X ~ ½ N(0, 1) + ½ δ(0.3), B a point mass at 1): F steps by ½ at
   * 0.3, so every p from ½ Φ(0.3) to ½ Φ(0.3) + ½ has the quantile 0.3, and the others lie on the
   * normal's part on either side, ½ Φ(q) = p or ½ Φ(q) + ½ = p (Commons Math's normal quantile,
   * accurate to about 1e-15 here).
   */
  @Test
  void aPointMassIsAStepOfTheRatio() {
    NormalMixture x =
        new NormalMixture(new double[] {0.5, 0.5}, new double[] {0, 0.3}, new double[] {1, 0});
    NormalDistribution n = new NormalDistribution(0, 1);
    for (double p : new double[] {0.025, 0.2, 0.4, 0.6, 0.75, 0.9, 0.975}) {
      double below = 0.5 * n.cumulativeProbability(0.3);
      double want =
          p < below
              ? n.inverseCumulativeProbability(2 * p)
              : p <= below + 0.5 ? 0.3 : n.inverseCumulativeProbability(2 * p - 1);
      assertEquals(want, RelativeEffects.quantile(x, 1, 0, p), 1e-12, "p = " + p);
    }
  }
}
