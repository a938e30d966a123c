package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * The relative-effect figures (control mean, 2.5% and 97.5% quantiles of effect / control level) of
 * the three decision paths against independent references: the exact quantiles of the Beta–Binomial
 * lift ratio by numerical integration, and for normal effects and baselines the closed form against
 * forced draws. Monte Carlo tolerances are 4 standard errors of a sample quantile, {@code sqrt(p (1
 * - p) / D) / f(q)}, f the ratio's density at q from a central difference of its exact CDF.
 */
class ExperimentDrawsRelativeTest {
  private static final ExperimentDraws.Thresholds TH = new ExperimentDraws.Thresholds(0, 0.1);
  private static final DecisionRule RULE = new DecisionRule(0.95);
  private static final GaussIntegratorFactory GAUSS = new GaussIntegratorFactory();

  /**
   * P(p_t / p_c - 1 <= q) = ∫ f_c(x) F_t((1 + q) x) dx for p_c ~ Beta(ac, bc), p_t ~ Beta(at, bt)
   * independent: composite 10-point Gauss–Legendre on {@code panels} equal panels over p_c's mean ±
   * 20 sd (clipped to [0, 1]), with Commons Math's Beta density and regularised incomplete beta.
   */
  private static double liftCdf(
      BetaDistribution c, BetaDistribution t, double q, int panels, double lo, double hi) {
    double sum = 0;
    double width = (hi - lo) / panels;
    for (int i = 0; i < panels; i++) {
      GaussIntegrator g = GAUSS.legendre(10, lo + i * width, lo + (i + 1) * width);
      sum += g.integrate(x -> c.density(x) * t.cumulativeProbability(Math.min(1, (1 + q) * x)));
    }
    return sum;
  }

  /** The p-quantile of the lift ratio by bisection on {@link #liftCdf} to 1e-13. */
  private static double liftQuantile(
      BetaDistribution c, BetaDistribution t, double p, double lo, double hi) {
    double a = -0.999;
    double b = 20;
    while (b - a > 1e-13) {
      double mid = 0.5 * (a + b);
      if (liftCdf(c, t, mid, 200, lo, hi) < p) {
        a = mid;
      } else {
        b = mid;
      }
    }
    return 0.5 * (a + b);
  }

  /**
   * A one-segment binary group (Beta–Binomial lift p_t - p_c over baseline p_c, as stage 3 draws
   * binary segments): the draws' 2.5% and 97.5% quantiles of the relative effect, at the experiment
   * and at the segment, against the exact quantiles of p_t / p_c - 1. Small counts (40/800 against
   * 52/790) make the ratio visibly skewed. The quadrature is checked in the test: it integrates the
   * density to 1 within 1e-11 (the density's own rounding), and doubling the panels moves the CDF
   * by under 1e-13, so the CDF is good to about 1e-12 and the exact quantiles, over the ratio's
   * density there (0.33 and 0.14), to about 1e-11: far inside the Monte Carlo tolerances (3e-3 and
   * 7e-3 at D = 400 000). The control mean is the Beta mean a_c / (a_c + b_c), exactly.
   */
  @Test
  void binaryRelativeIntervalMatchesExactRatioQuantiles() {
    BetaBinomial pc = BetaBinomial.posterior(1, 1, 40, 800);
    BetaBinomial pt = BetaBinomial.posterior(1, 1, 52, 790);
    BetaDistribution c = new BetaDistribution(null, pc.alpha(), pc.beta(), 1e-15);
    BetaDistribution t = new BetaDistribution(null, pt.alpha(), pt.beta(), 1e-15);
    double lo = Math.max(0, c.getNumericalMean() - 20 * Math.sqrt(c.getNumericalVariance()));
    double hi = Math.min(1, c.getNumericalMean() + 20 * Math.sqrt(c.getNumericalVariance()));
    // Commons Math forms the Beta density as exp of log-gamma terms of magnitude ~10², so its
    // relative rounding is ~1e-12: that, not the quadrature, bounds the total mass's error.
    assertEquals(1, liftCdf(c, t, 1e6, 200, lo, hi), 1e-11, "the quadrature integrates f_c to 1");
    assertEquals(
        liftCdf(c, t, 0.2, 200, lo, hi),
        liftCdf(c, t, 0.2, 400, lo, hi),
        1e-13,
        "doubling the panels changes nothing");

    SegmentDraw seg =
        new SegmentDraw(
            "all",
            1.0,
            SegmentDraw.Kind.BETA_DIFF,
            new double[] {pt.alpha(), pt.beta(), pc.alpha(), pc.beta()},
            SegmentDraw.Kind.BETA,
            new double[] {pc.alpha(), pc.beta()},
            true);
    int d = 400_000;
    ExperimentDraws.Result r =
        ExperimentDraws.draw(
            new SegmentDraw[] {seg},
            d,
            TH,
            ExperimentDraws.Economics.EFFECT_ONLY,
            RULE,
            Seeds.of(21, "e", "converted", "v"));
    DecisionFigures f = r.figures();
    assertEquals(d, f.draws());
    assertEquals(pc.alpha() / (pc.alpha() + pc.beta()), f.controlMean(), 1e-17);
    assertEquals(f.controlMean(), r.controlMean()[0], 0.0);
    double[] reported = {f.relativeQ025(), f.relativeQ975()};
    double[] segment = {r.relativeQ025()[0], r.relativeQ975()[0]};
    double[] ps = {0.025, 0.975};
    for (int i = 0; i < 2; i++) {
      double p = ps[i];
      double q = liftQuantile(c, t, p, lo, hi);
      double h = 1e-4;
      double dens =
          (liftCdf(c, t, q + h, 200, lo, hi) - liftCdf(c, t, q - h, 200, lo, hi)) / (2 * h);
      double tol = 4 * Math.sqrt(p * (1 - p) / d) / dens;
      assertEquals(q, reported[i], tol, "experiment relative quantile " + p);
      // One segment of share 1: its ratio draws are the experiment's, bit for bit.
      assertEquals(reported[i], segment[i], 0.0, "segment relative quantile " + p);
    }
    // The ratio's interval is right-skewed around its mean.
    assertTrue(
        f.relativeQ975() - f.relativeEffectMean() > f.relativeEffectMean() - f.relativeQ025());
  }

  /** Normal segment effects over normal baselines: {θ mean, θ sd, b mean, b sd, share}. */
  private static final double[][] NORMAL = {
    {0.2, 0.3, 1.0, 0.15, 0.4},
    {-0.1, 0.2, 1.4, 0.2, 0.1},
    {0.5, 0.4, 0.8, 0.1, 0.3},
    {0.05, 0.1, 2.0, 0.3, 0.2}
  };

  private static SegmentDraw[] normalSegments() {
    SegmentDraw[] segs = new SegmentDraw[NORMAL.length];
    for (int j = 0; j < segs.length; j++) {
      double[] c = NORMAL[j];
      segs[j] =
          new SegmentDraw(
              "s" + j,
              c[4],
              SegmentDraw.Kind.NORMAL,
              new double[] {c[0], c[1]},
              SegmentDraw.Kind.NORMAL,
              new double[] {c[2], c[3]},
              false);
    }
    return segs;
  }

  /** P(X / B <= q) = Φ((q mb - m) / sqrt(s² + q² sb²)) for X ~ N(m, s²), B ~ N(mb, sb²), B > 0. */
  private static double ratioCdf(double m, double s, double mb, double sb, double q) {
    return new NormalDistribution(null, 0, 1)
        .cumulativeProbability((q * mb - m) / Math.hypot(s, q * sb));
  }

  /**
   * The closed form's root-found quantiles, at the experiment (E = Σ w θ, B = Σ w b) and per
   * segment, against forced draws of the same segments (D = 400 000) within 4 Monte Carlo SEs; its
   * control means are exact, Σ w_j mb_j and mb_j, and the draws' exact means are the same.
   */
  @Test
  void closedFormQuantilesAgreeWithDraws() {
    int d = 400_000;
    SegmentDraw[] segs = normalSegments();
    ExperimentDraws.Result exact =
        ExperimentDraws.draw(
            segs, d, TH, ExperimentDraws.Economics.EFFECT_ONLY, RULE, Seeds.of(5, "x"));
    ExperimentDraws.Result drawn =
        ExperimentDraws.drawAlways(
            segs, d, TH, ExperimentDraws.Economics.EFFECT_ONLY, RULE, Seeds.of(5, "x"));
    assertEquals(0, exact.figures().draws());
    double m = 0;
    double v = 0;
    double mb = 0;
    double vb = 0;
    for (double[] c : NORMAL) {
      m += c[4] * c[0];
      v += c[4] * c[4] * c[1] * c[1];
      mb += c[4] * c[2];
      vb += c[4] * c[4] * c[3] * c[3];
    }
    assertEquals(mb, exact.figures().controlMean(), 1e-15);
    assertEquals(mb, drawn.figures().controlMean(), 1e-15);
    double[] ps = {0.025, 0.975};
    for (int i = 0; i < 2; i++) {
      double p = ps[i];
      double qe = i == 0 ? exact.figures().relativeQ025() : exact.figures().relativeQ975();
      double qd = i == 0 ? drawn.figures().relativeQ025() : drawn.figures().relativeQ975();
      assertEquals(p, ratioCdf(m, Math.sqrt(v), mb, Math.sqrt(vb), qe), 1e-13, "F(q) = p");
      assertEquals(qe, qd, 4 * quantileSe(m, Math.sqrt(v), mb, Math.sqrt(vb), qe, p, d), "E / B");
      for (int j = 0; j < NORMAL.length; j++) {
        double[] c = NORMAL[j];
        double se = exact.relativeQ025()[j];
        double sd = drawn.relativeQ025()[j];
        if (i == 1) {
          se = exact.relativeQ975()[j];
          sd = drawn.relativeQ975()[j];
        }
        assertEquals(p, ratioCdf(c[0], c[1], c[2], c[3], se), 1e-13, "segment F(q) = p");
        assertEquals(se, sd, 4 * quantileSe(c[0], c[1], c[2], c[3], se, p, d), "segment " + j);
        assertEquals(c[2], exact.controlMean()[j], 0.0);
        assertEquals(c[2], drawn.controlMean()[j], 0.0);
      }
    }
  }

  /** sqrt(p (1 - p) / D) / f(q), f from a central difference of {@link #ratioCdf}. */
  private static double quantileSe(
      double m, double s, double mb, double sb, double q, double p, int d) {
    double h = 1e-5;
    double dens = (ratioCdf(m, s, mb, sb, q + h) - ratioCdf(m, s, mb, sb, q - h)) / (2 * h);
    return Math.sqrt(p * (1 - p) / d) / dens;
  }

  /**
   * Without a control level (estimates input: baseline NONE) every relative figure is NaN, in the
   * closed form and in the draws, at the experiment and per segment.
   */
  @Test
  void nanWithoutAControlLevel() {
    SegmentDraw normal =
        new SegmentDraw(
            "n",
            1,
            SegmentDraw.Kind.NORMAL,
            new double[] {1, 0.5},
            SegmentDraw.Kind.NONE,
            new double[0],
            false);
    SegmentDraw student =
        new SegmentDraw(
            "t",
            1,
            SegmentDraw.Kind.STUDENT,
            new double[] {1, 0.5, 4},
            SegmentDraw.Kind.NONE,
            new double[0],
            true);
    for (SegmentDraw s : new SegmentDraw[] {normal, student}) {
      ExperimentDraws.Result r =
          ExperimentDraws.draw(
              new SegmentDraw[] {s},
              1000,
              TH,
              ExperimentDraws.Economics.EFFECT_ONLY,
              RULE,
              Seeds.of(1, "nan"));
      DecisionFigures f = r.figures();
      for (double x :
          new double[] {
            f.relativeEffectMean(),
            f.controlMean(),
            f.relativeQ025(),
            f.relativeQ975(),
            r.controlMean()[0],
            r.relativeQ025()[0],
            r.relativeQ975()[0]
          }) {
        assertTrue(Double.isNaN(x), s.effectKind() + ": " + x);
      }
      assertTrue(Double.isFinite(f.effectQ025()), "the effect's own figures stay");
    }
  }

  /** Same seed, same bits: the relative figures of two runs are identical. */
  @Test
  void sameSeedSameBits() {
    SegmentDraw[] segs = normalSegments();
    ExperimentDraws.Result a =
        ExperimentDraws.drawAlways(
            segs, 5000, TH, ExperimentDraws.Economics.EFFECT_ONLY, RULE, Seeds.of(9, "b"));
    ExperimentDraws.Result b =
        ExperimentDraws.drawAlways(
            segs, 5000, TH, ExperimentDraws.Economics.EFFECT_ONLY, RULE, Seeds.of(9, "b"));
    assertEquals(a.figures(), b.figures());
    for (int j = 0; j < segs.length; j++) {
      assertEquals(a.relativeQ025()[j], b.relativeQ025()[j], 0.0);
      assertEquals(a.relativeQ975()[j], b.relativeQ975()[j], 0.0);
    }
  }
}
