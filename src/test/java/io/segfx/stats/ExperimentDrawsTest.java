package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * Draws against the closed form: with independent normal segment posteriors, the share-weighted
 * effect is N(sum w m, sum w^2 s^2) and profit is its linear transform, so every reported figure
 * has an exact value. Tolerances are 4 Monte Carlo standard errors, each computed: sd/sqrt(D) for
 * means, sqrt(p(1-p)/D) for probabilities, sqrt(p(1-p)/D)/phi(z_p) * sd for quantiles, and for
 * expected losses sd(max(-profit,0))/sqrt(D), bounded by sd(profit)/sqrt(D).
 */
class ExperimentDrawsTest {
  private static final int D = 200_000;
  private static final double[] MEAN = {0.2, -0.1, 0.5, 0.05};
  private static final double[] SD = {0.3, 0.2, 0.4, 0.1};
  private static final double[] SHARE = {0.4, 0.1, 0.3, 0.2};
  private static final ExperimentDraws.Economics ECON = new ExperimentDraws.Economics(1000, 2, 300);

  private static SegmentDraw[] segments() {
    SegmentDraw[] segs = new SegmentDraw[MEAN.length];
    for (int j = 0; j < MEAN.length; j++) {
      segs[j] =
          new SegmentDraw(
              "s" + j,
              SHARE[j],
              SegmentDraw.Kind.NORMAL,
              new double[] {MEAN[j], SD[j]},
              SegmentDraw.Kind.NORMAL,
              new double[] {10, 0.01},
              false);
    }
    return segs;
  }

  private static DecisionFigures draw(long seed) {
    SegmentDraw[] segs = segments();
    return ExperimentDraws.drawAlways(
            segs,
            D,
            new ExperimentDraws.Thresholds(0.1, 0.0),
            ECON,
            new DecisionRule(0.95),
            Seeds.of(seed, "e", "m", "v"))
        .figures();
  }

  /**
   * Normal segments: {@link ExperimentDraws#draw} takes the closed form (no draws), which must
   * agree with the forced draws within 4 Monte Carlo SEs, including P(relative > r) = P(E - rB >
   * 0).
   */
  @Test
  void closedFormWhereItExists() {
    ExperimentDraws.Thresholds th = new ExperimentDraws.Thresholds(0.1, 0.01);
    DecisionFigures exact =
        ExperimentDraws.draw(segments(), D, th, ECON, new DecisionRule(0.95), Seeds.of(3, "x"))
            .figures();
    DecisionFigures drawn =
        ExperimentDraws.drawAlways(
                segments(), D, th, ECON, new DecisionRule(0.95), Seeds.of(3, "x"))
            .figures();
    assertEquals(0, exact.draws());
    assertEquals(0.0, exact.mcSeProbPositive(), 0.0);
    double pr = exact.probRelativeAboveThreshold();
    assertEquals(pr, drawn.probRelativeAboveThreshold(), 4 * Math.sqrt(pr * (1 - pr) / D));
    assertEquals(
        exact.relativeEffectMean(),
        drawn.relativeEffectMean(),
        4 * drawn.effectSd() / 10 / Math.sqrt(D) + 1e-6);
    assertEquals(
        exact.expectedLossLaunch(),
        drawn.expectedLossLaunch(),
        4 * 2000 * exact.effectSd() / Math.sqrt(D));
    assertEquals(exact.effectQ975(), drawn.effectQ975(), 4 * 2.5 * exact.effectSd() / Math.sqrt(D));
  }

  @Test
  void agreeWithClosedFormWithinMonteCarloError() {
    double m = 0;
    double v = 0;
    for (int j = 0; j < MEAN.length; j++) {
      m += SHARE[j] * MEAN[j];
      v += SHARE[j] * SHARE[j] * SD[j] * SD[j];
    }
    double s = Math.sqrt(v);
    NormalDistribution effect = new NormalDistribution(m, s);
    double pm = 2000 * m - 300;
    double ps = 2000 * s;
    DecisionFigures d = draw(5);

    assertEquals(m, d.effectMean(), 4 * s / Math.sqrt(D));
    assertEquals(s, d.effectSd(), 4 * s / Math.sqrt(2.0 * D));
    double qse = Math.sqrt(0.025 * 0.975 / D) / new NormalDistribution().density(1.96) * s;
    assertEquals(effect.inverseCumulativeProbability(0.025), d.effectQ025(), 4 * qse);
    assertEquals(effect.inverseCumulativeProbability(0.975), d.effectQ975(), 4 * qse);
    double p0 = 1 - effect.cumulativeProbability(0);
    assertEquals(p0, d.probPositive(), 4 * Math.sqrt(p0 * (1 - p0) / D));
    double p1 = 1 - effect.cumulativeProbability(0.1);
    assertEquals(p1, d.probAboveThreshold(), 4 * Math.sqrt(p1 * (1 - p1) / D));

    assertEquals(pm, d.expectedProfit(), 4 * ps / Math.sqrt(D));
    double pp = 1 - new NormalDistribution(pm, ps).cumulativeProbability(0);
    assertEquals(pp, d.probProfitPositive(), 4 * Math.sqrt(pp * (1 - pp) / D));
    // E[max(-P, 0)] = s phi(m/s) - m Phi(-m/s) for P ~ N(m, s^2); E[max(P, 0)] = that + m.
    NormalDistribution z = new NormalDistribution();
    double lossLaunch = ps * z.density(pm / ps) - pm * z.cumulativeProbability(-pm / ps);
    assertEquals(lossLaunch, d.expectedLossLaunch(), 4 * ps / Math.sqrt(D));
    assertEquals(lossLaunch + pm, d.expectedLossWait(), 4 * ps / Math.sqrt(D));
    assertEquals(
        Math.sqrt(d.probPositive() * (1 - d.probPositive()) / D), d.mcSeProbPositive(), 1e-15);
  }

  /**
   * Draws (forced) depend on the seed only. (Compared on the sd: the mean of normal segments is
   * exact, the same for every seed.)
   */
  @Test
  void sameSeedSameBitsOtherSeedOtherDraws() {
    DecisionFigures a = draw(9);
    DecisionFigures b = draw(9);
    assertEquals(a, b);
    assertNotEquals(a.effectSd(), draw(10).effectSd());
  }

  @Test
  void recommendationFollowsTheRule() {
    DecisionRule rule = new DecisionRule(0.95);
    assertEquals(DecisionRule.LAUNCH, rule.recommend(0.95));
    assertEquals(DecisionRule.COLLECT_MORE_DATA, rule.recommend(0.94));
    assertEquals(DecisionRule.COLLECT_MORE_DATA, rule.recommend(0.0501));
    assertEquals(DecisionRule.DO_NOT_LAUNCH, rule.recommend(0.05));
  }

  /**
   * The report's histograms redraw the effect: the redrawn values must be exactly those the tables
   * summarise (same stream, same order), so the count above the threshold and the sd reproduce the
   * table's P(effect > threshold) exactly and its sd to rounding (different summation order; 1e-12
   * relative). The table's mean is the exact one, not the draws'.
   */
  @Test
  void effectDrawsAreTheDrawsTheTablesSummarise() {
    int draws = 5_000;
    DecisionFigures m =
        ExperimentDraws.drawAlways(
                segments(),
                draws,
                new ExperimentDraws.Thresholds(0.1, 0.0),
                ECON,
                new DecisionRule(0.95),
                Seeds.of(9, "e", "m", "v"))
            .figures();
    double[] effect = ExperimentDraws.effectDraws(segments(), draws, Seeds.of(9, "e", "m", "v"));
    assertEquals(draws, effect.length);
    long above = 0;
    double sum = 0;
    for (double e : effect) {
      above += e > 0.1 ? 1 : 0;
      sum += e;
    }
    assertEquals(m.probAboveThreshold(), (double) above / draws, 0.0);
    double mean = sum / draws;
    double ss = 0;
    for (double e : effect) {
      ss += (e - mean) * (e - mean);
    }
    assertEquals(m.effectSd(), Math.sqrt(ss / (draws - 1)), 1e-12 * m.effectSd());
  }

  /**
   * Binary segments (Beta lifts, drawn): the effect's mean is the unit-share-weighted sum of the
   * exact lift means a1/(a1+b1) - a0/(a0+b0), checked against that closed form evaluated in
   * 40-digit BigDecimal (1e-12 relative: a handful of double roundings on terms of similar size);
   * profit's mean is its affine image (same); each segment's summary mean is bit for bit the lift
   * mean segment_estimates prints ({@link BetaBinomial#mean} difference); the exact means have
   * Monte Carlo SE 0; and the draws still average to them within 4 Monte Carlo SEs.
   */
  @Test
  void binaryMeansAreExact() {
    long[][] counts = {{5200, 593, 5100, 635}, {800, 40, 790, 52}, {12000, 3100, 11900, 3150}};
    double[] share = {0.3, 0.05, 0.65};
    SegmentDraw[] segs = new SegmentDraw[counts.length];
    MathContext mc = new MathContext(40);
    BigDecimal exact = BigDecimal.ZERO;
    for (int j = 0; j < segs.length; j++) {
      long[] c = counts[j];
      BetaBinomial p0 = BetaBinomial.posterior(1, 1, c[1], c[0]);
      BetaBinomial p1 = BetaBinomial.posterior(1, 1, c[3], c[2]);
      segs[j] =
          new SegmentDraw(
              "s" + j,
              share[j],
              SegmentDraw.Kind.BETA_DIFF,
              new double[] {p1.alpha(), p1.beta(), p0.alpha(), p0.beta()},
              SegmentDraw.Kind.BETA,
              new double[] {p0.alpha(), p0.beta()},
              true);
      // (1 + y1)/(2 + n1) - (1 + y0)/(2 + n0) under the Beta(1, 1) priors.
      BigDecimal lift =
          BigDecimal.valueOf(1 + c[3])
              .divide(BigDecimal.valueOf(2 + c[2]), mc)
              .subtract(BigDecimal.valueOf(1 + c[1]).divide(BigDecimal.valueOf(2 + c[0]), mc));
      exact = exact.add(new BigDecimal(share[j]).multiply(lift, mc), mc);
    }
    double m = exact.doubleValue();
    int draws = 20_000;
    ExperimentDraws.Result r =
        ExperimentDraws.draw(
            segs,
            draws,
            new ExperimentDraws.Thresholds(0.005, 0.05),
            ECON,
            new DecisionRule(0.95),
            Seeds.of(4, "e", "m", "v"));
    DecisionFigures d = r.figures();
    assertEquals(draws, d.draws());
    assertEquals(m, d.effectMean(), 1e-12 * Math.abs(m));
    assertEquals(2000 * m - 300, d.expectedProfit(), 1e-12 * Math.abs(2000 * m - 300));
    assertEquals(0.0, d.mcSeEffectMean(), 0.0);
    for (int j = 0; j < segs.length; j++) {
      double[] p = segs[j].effect();
      double printed = new BetaBinomial(p[0], p[1]).mean() - new BetaBinomial(p[2], p[3]).mean();
      assertEquals(printed, r.summaries()[j].mean(), 0.0);
      assertEquals(0.0, r.summaries()[j].mcSeMean(), 0.0);
    }
    double[] effect = ExperimentDraws.effectDraws(segs, draws, Seeds.of(4, "e", "m", "v"));
    double sum = 0;
    for (double e : effect) {
      sum += e;
    }
    assertEquals(m, sum / draws, 4 * d.effectSd() / Math.sqrt(draws));
  }

  /**
   * Student-t differences (continuous metrics drawn): m1 - m0 exactly when both dof > 1; with dof =
   * 1 (Cauchy) there is no mean, and the table keeps the draws' average with its Monte Carlo SE.
   */
  @Test
  void studentMeansAreExactOnlyWhereTheyExist() {
    SegmentDraw finite =
        new SegmentDraw(
            "a",
            1.0,
            SegmentDraw.Kind.STUDENT_DIFF,
            new double[] {2.5, 0.3, 12, 2.0, 0.4, 9},
            SegmentDraw.Kind.NONE,
            new double[0],
            true);
    SegmentDraw cauchy =
        new SegmentDraw(
            "b",
            1.0,
            SegmentDraw.Kind.STUDENT_DIFF,
            new double[] {2.5, 0.3, 1, 2.0, 0.4, 9},
            SegmentDraw.Kind.NONE,
            new double[0],
            true);
    assertEquals(2.5 - 2.0, finite.exactMean(), 0.0);
    assertEquals(Double.NaN, cauchy.exactMean(), 0.0);
    ExperimentDraws.Thresholds th = new ExperimentDraws.Thresholds(0, 0);
    DecisionFigures f =
        ExperimentDraws.draw(
                new SegmentDraw[] {finite},
                1000,
                th,
                ECON,
                new DecisionRule(0.95),
                Seeds.of(1, "x"))
            .figures();
    DecisionFigures c =
        ExperimentDraws.draw(
                new SegmentDraw[] {cauchy},
                1000,
                th,
                ECON,
                new DecisionRule(0.95),
                Seeds.of(1, "x"))
            .figures();
    assertEquals(0.5, f.effectMean(), 0.0);
    assertEquals(0.0, f.mcSeEffectMean(), 0.0);
    assertNotEquals(0.5, c.effectMean());
    assertTrue(c.mcSeEffectMean() > 0);
  }
}
