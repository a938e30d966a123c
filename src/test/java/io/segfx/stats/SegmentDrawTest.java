package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.analysis.integration.SimpsonIntegrator;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/**
 * The non-normal posteriors drawn in stage 3 against independent references, within 4 Monte Carlo
 * standard errors (each computed): sd/sqrt(D) for means, sqrt(p(1-p)/D) for probabilities, and for
 * quantiles sqrt(p(1-p)/D)/f(q) with f the density at the quantile.
 */
class SegmentDrawTest {
  private static final int D = 400_000;

  private static ExperimentDraws.Result one(SegmentDraw d, double threshold, long seed) {
    return ExperimentDraws.draw(
        new SegmentDraw[] {d},
        D,
        new ExperimentDraws.Thresholds(threshold, 0.05),
        ExperimentDraws.Economics.EFFECT_ONLY,
        new DecisionRule(0.95),
        Seeds.of(seed, "x"));
  }

  /**
   * P(p1 > p0) for Beta posteriors by numerical integration, int f1(x) F0(x) dx (Simpson, relative
   * accuracy 1e-10), against the BETA_DIFF draws; the mean against the closed form E p1 - E p0.
   */
  @Test
  void betaDifferenceAgainstNumericalIntegration() {
    // The seed notebook's section 3: 593/5200 control, 635/5100 treatment, uniform priors.
    BetaBinomial c = BetaBinomial.posterior(1, 1, 593, 5200);
    BetaBinomial t = BetaBinomial.posterior(1, 1, 635, 5100);
    BetaDistribution f1 = new BetaDistribution(t.alpha(), t.beta());
    BetaDistribution f0 = new BetaDistribution(c.alpha(), c.beta());
    double p =
        new SimpsonIntegrator(1e-10, 1e-12, 3, 30)
            .integrate(1_000_000, x -> f1.density(x) * f0.cumulativeProbability(x), 0.05, 0.25);
    SegmentDraw d =
        new SegmentDraw(
            "s",
            1,
            SegmentDraw.Kind.BETA_DIFF,
            new double[] {t.alpha(), t.beta(), c.alpha(), c.beta()},
            SegmentDraw.Kind.BETA,
            new double[] {c.alpha(), c.beta()},
            true);
    ExperimentDraws.Result r = one(d, 0.005, 1);
    assertEquals(p, r.figures().probPositive(), 4 * Math.sqrt(p * (1 - p) / D));
    double sd = Math.sqrt(t.variance() + c.variance());
    assertEquals(t.mean() - c.mean(), r.figures().effectMean(), 4 * sd / Math.sqrt(D));
    assertEquals(sd, r.figures().effectSd(), 4 * sd / Math.sqrt(2.0 * D));
    // The notebook prints (80,000 draws): P(lift > 0) 0.9487, P(lift > 0.005) 0.8062, mean 0.0105,
    // interval [-0.0021, 0.0229], P(relative lift > 5%) 0.7682. Its own MC error is
    // sqrt(p(1-p)/80000);
    // tolerance: 4 of each run's SE combined, plus 5e-5 for the printed rounding.
    double tol = 4 * Math.sqrt(0.9487 * 0.0513 / 80_000 + 0.9487 * 0.0513 / D) + 5e-5;
    assertEquals(0.9487, r.figures().probPositive(), tol);
    double tol2 = 4 * Math.sqrt(0.8062 * 0.1938 * (1.0 / 80_000 + 1.0 / D)) + 5e-5;
    assertEquals(0.8062, r.figures().probAboveThreshold(), tol2);
    double tol3 = 4 * Math.sqrt(0.7682 * 0.2318 * (1.0 / 80_000 + 1.0 / D)) + 5e-5;
    assertEquals(0.7682, r.figures().probRelativeAboveThreshold(), tol3);
    assertEquals(0.0105, r.figures().effectMean(), 5e-5 + 4 * sd / Math.sqrt(80_000));
  }

  /** A Student-t effect: mean and quantiles against Commons Math's TDistribution. */
  @Test
  void studentAgainstTDistribution() {
    double m = 1.2;
    double s = 0.4;
    double nu = 7;
    SegmentDraw d =
        new SegmentDraw(
            "s",
            1,
            SegmentDraw.Kind.STUDENT,
            new double[] {m, s, nu},
            SegmentDraw.Kind.NORMAL,
            new double[] {10, 1},
            true);
    ExperimentDraws.Result r = one(d, 1.5, 2);
    TDistribution t = new TDistribution(nu);
    double sd = s * Math.sqrt(nu / (nu - 2));
    assertEquals(m, r.figures().effectMean(), 4 * sd / Math.sqrt(D));
    double q = m + s * t.inverseCumulativeProbability(0.975);
    double dens = t.density(t.inverseCumulativeProbability(0.975)) / s;
    assertEquals(q, r.figures().effectQ975(), 4 * Math.sqrt(0.025 * 0.975 / D) / dens);
    double pAbove = 1 - t.cumulativeProbability((1.5 - m) / s);
    assertEquals(
        pAbove, r.figures().probAboveThreshold(), 4 * Math.sqrt(pAbove * (1 - pAbove) / D));
    StudentSummary exact = StudentSummary.of(m, s, nu, 1.5);
    assertEquals(pAbove, exact.probAboveThreshold(), 1e-12);
    assertEquals(q, exact.q975(), 1e-12);
  }

  /** The NIG difference: mean m1 - m0 and variance var1 + var0 (t variances). */
  @Test
  void studentDifferenceMoments() {
    double[] p = {21.3, 0.25, 700, 20.0, 0.24, 702};
    SegmentDraw d =
        new SegmentDraw(
            "s",
            1,
            SegmentDraw.Kind.STUDENT_DIFF,
            p,
            SegmentDraw.Kind.NORMAL,
            new double[] {0, 1},
            true);
    ExperimentDraws.Result r = one(d, 0, 3);
    double var = 0.25 * 0.25 * 700 / 698 + 0.24 * 0.24 * 702 / 700;
    assertEquals(1.3, r.figures().effectMean(), 4 * Math.sqrt(var / D));
    assertEquals(Math.sqrt(var), r.figures().effectSd(), 4 * Math.sqrt(var / (2.0 * D)));
    // The segment's own summary (summarise = true) is the same draws.
    assertEquals(r.figures().effectMean(), r.summaries()[0].mean(), 1e-12);
  }
}
