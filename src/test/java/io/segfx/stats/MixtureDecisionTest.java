package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.stats.pooling.FullBayesPooling;
import io.segfx.stats.pooling.HierarchicalPosterior;
import io.segfx.stats.pooling.TauPrior;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/**
 * The mixture decision against brute-force joint draws of (tau, mu, theta) (BDA 3rd ed., section
 * 5.4's simulation recipe: tau from its grid posterior, mu | tau, y, then theta_j | mu, tau, y) on
 * the eight schools with unequal shares and launch economics. Tolerances: 4 computed Monte Carlo
 * standard errors.
 */
class MixtureDecisionTest {
  private static final double[] Y = {28, 8, -3, 7, -1, 1, 18, 12};
  private static final double[] SE = {15, 10, 16, 11, 9, 11, 10, 18};
  private static final double[] SHARE = {0.2, 0.1, 0.05, 0.15, 0.1, 0.1, 0.2, 0.1};

  @Test
  void closedFormMixtureEqualsJointDraws() {
    HierarchicalPosterior h = FullBayesPooling.fit(Y, SE, TauPrior.UNIFORM, null);
    SegmentDraw[] segs = new SegmentDraw[8];
    for (int j = 0; j < 8; j++) {
      segs[j] =
          new SegmentDraw(
              "s" + j,
              SHARE[j],
              SegmentDraw.Kind.NORMAL,
              new double[] {0, 1},
              SegmentDraw.Kind.NORMAL,
              new double[] {100, 5},
              false);
    }
    ExperimentDraws.Economics econ = new ExperimentDraws.Economics(1000, 2, 12000);
    ExperimentDraws.Result result =
        ExperimentDraws.draw(
            segs,
            h,
            100,
            new ExperimentDraws.Thresholds(5, 0.05),
            econ,
            new DecisionRule(0.95),
            Seeds.of(1, "x"));
    DecisionFigures exact = result.figures();
    assertEquals(0, exact.draws());
    assertEquals(
        exact,
        ExperimentDraws.figures(
            segs,
            h,
            100,
            new ExperimentDraws.Thresholds(5, 0.05),
            econ,
            new DecisionRule(0.95),
            Seeds.of(1, "x")),
        "the experiment-level figures alone are the same");

    int d = 400_000;
    UniformRandomProvider rng = Seeds.of(7, "joint");
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] cum = new double[h.tau().length];
    double acc = 0;
    for (int i = 0; i < cum.length; i++) {
      acc += h.weight()[i];
      cum[i] = acc;
    }
    double[] effect = new double[d];
    // Two segments' own draws: the one with the largest estimate and one near the middle.
    int[] watched = {0, 3};
    double[][] theta = new double[watched.length][d];
    long above = 0;
    long profitable = 0;
    double lossLaunch = 0;
    for (int k = 0; k < d; k++) {
      int i = Arrays.binarySearch(cum, rng.nextDouble() * acc);
      i = Math.min(i < 0 ? -i - 1 : i, cum.length - 1);
      double tau = h.tau()[i];
      double mu = h.muHat()[i] + Math.sqrt(h.muVar()[i]) * z.sample();
      double e = 0;
      for (int j = 0; j < 8; j++) {
        double v = 1 / (1 / (SE[j] * SE[j]) + 1 / (tau * tau));
        double t = v * (Y[j] / (SE[j] * SE[j]) + mu / (tau * tau)) + Math.sqrt(v) * z.sample();
        e += SHARE[j] * t;
        for (int w = 0; w < watched.length; w++) {
          if (watched[w] == j) {
            theta[w][k] = t;
          }
        }
      }
      effect[k] = e;
      above += e > 5 ? 1 : 0;
      double profit = 2000 * e - 12000;
      profitable += profit > 0 ? 1 : 0;
      lossLaunch += Math.max(-profit, 0);
    }
    // E / B with B = sum_j w_j b_j, b_j ~ N(100, 5²) independent: B ~ N(100, 25 sum_j w_j²), from
    // a stream of its own so that the draws above stay as they are.
    double sumW2 = Arrays.stream(SHARE).map(x -> x * x).sum();
    ZigguratSampler.NormalizedGaussian zb =
        ZigguratSampler.NormalizedGaussian.of(Seeds.of(8, "baseline"));
    double[] effectRatio = new double[d];
    for (int k = 0; k < d; k++) {
      effectRatio[k] = effect[k] / (100 + 5 * Math.sqrt(sumW2) * zb.sample());
    }
    assertEquals(100, exact.controlMean(), 1e-12, "control mean sum_j w_j 100");
    assertQuantiles(effectRatio, exact.relativeQ025(), exact.relativeQ975(), "E / B");
    double mean = Arrays.stream(effect).sum() / d;
    double sd = Math.sqrt(Arrays.stream(effect).map(x -> (x - mean) * (x - mean)).sum() / (d - 1));
    assertEquals(mean, exact.effectMean(), 4 * sd / Math.sqrt(d), "mean");
    assertEquals(
        sd, exact.effectSd(), 4 * sd / Math.sqrt(2.0 * d) * 1.5, "sd (kurtosis allowance 1.5)");
    double pa = (double) above / d;
    assertEquals(pa, exact.probAboveThreshold(), 4 * Math.sqrt(pa * (1 - pa) / d), "P(effect > 5)");
    double pp = (double) profitable / d;
    assertEquals(pp, exact.probProfitPositive(), 4 * Math.sqrt(pp * (1 - pp) / d), "P(profit > 0)");
    assertEquals(
        lossLaunch / d,
        exact.expectedLossLaunch(),
        4 * 2000 * sd / Math.sqrt(d),
        "expected loss of launching");
    Arrays.sort(effect);
    double q = exact.effectQ975();
    double density = (0.975 - 0.97) / (q - effect[(int) (0.97 * d)]);
    assertEquals(
        effect[(int) (0.975 * d)], q, 4 * Math.sqrt(0.975 * 0.025 / d) / density, "97.5% quantile");

    // Each segment's own posterior, summarised beside the decision (stage 3), against its draws;
    // and P(theta_j / B_j > r) with B_j ~ N(100, 5²) drawn apart, at r = 0.05 and at r = 0 (where
    // the segment's P(theta_j > 0) is reused).
    ExperimentDraws.Result atZero =
        ExperimentDraws.draw(
            segs,
            h,
            100,
            new ExperimentDraws.Thresholds(5, 0),
            econ,
            new DecisionRule(0.95),
            Seeds.of(1, "x"));
    for (int w = 0; w < watched.length; w++) {
      PooledSegmentSummary s = result.pooled(watched[w]);
      double[] t = theta[w];
      long relAbove = 0;
      long relPositive = 0;
      double[] segmentRatio = new double[d];
      for (int k = 0; k < d; k++) {
        double ratio = t[k] / (100 + 5 * z.sample());
        relAbove += ratio > 0.05 ? 1 : 0;
        relPositive += ratio > 0 ? 1 : 0;
        segmentRatio[k] = ratio;
      }
      assertEquals(100, result.controlMean()[watched[w]], 0.0, "segment control mean");
      assertQuantiles(
          segmentRatio,
          result.relativeQ025()[watched[w]],
          result.relativeQ975()[watched[w]],
          "theta_j / B_j");
      double pr = (double) relAbove / d;
      assertEquals(
          pr,
          result.probRelativeAbove()[watched[w]],
          4 * Math.sqrt(pr * (1 - pr) / d),
          "segment P(theta / B > 0.05)");
      double pz = (double) relPositive / d;
      assertEquals(
          pz,
          atZero.probRelativeAbove()[watched[w]],
          4 * Math.sqrt(pz * (1 - pz) / d),
          "segment P(theta / B > 0)");
      double tm = Arrays.stream(t).sum() / d;
      double ts = Math.sqrt(Arrays.stream(t).map(x -> (x - tm) * (x - tm)).sum() / (d - 1));
      assertEquals(tm, s.mean(), 4 * ts / Math.sqrt(d), "segment mean");
      assertEquals(
          ts, s.sd(), 4 * ts / Math.sqrt(2.0 * d) * 1.5, "segment sd (kurtosis allowance 1.5)");
      double p5 = Arrays.stream(t).filter(x -> x > 5).count() / (double) d;
      assertEquals(
          p5, s.probAboveThreshold(), 4 * Math.sqrt(p5 * (1 - p5) / d), "segment P(theta > 5)");
      double p0 = Arrays.stream(t).filter(x -> x > 0).count() / (double) d;
      assertEquals(p0, s.probPositive(), 4 * Math.sqrt(p0 * (1 - p0) / d), "segment P(theta > 0)");
      Arrays.sort(t);
      double tq = s.q025();
      double td = (0.03 - 0.025) / (t[(int) (0.03 * d)] - tq);
      assertEquals(
          t[(int) (0.025 * d)], tq, 4 * Math.sqrt(0.975 * 0.025 / d) / td, "segment 2.5% quantile");
      assertEquals(h.weightOnRaw(watched[w]), s.weightOnRaw(), 0.0);
    }
  }

  /**
   * The mixture's 2.5% and 97.5% quantiles of a ratio against its draws (sorted here): 4 Monte
   * Carlo SEs of a sample quantile, sqrt(p(1-p)/d) / f, with the density f from the order
   * statistics half a percent further in, as for the effect's quantiles above.
   */
  private static void assertQuantiles(double[] draws, double q025, double q975, String what) {
    int d = draws.length;
    Arrays.sort(draws);
    double se = Math.sqrt(0.975 * 0.025 / d);
    double f025 = (0.03 - 0.025) / (draws[(int) (0.03 * d)] - q025);
    assertEquals(draws[(int) (0.025 * d)], q025, 4 * se / f025, what + " 2.5% quantile");
    double f975 = (0.975 - 0.97) / (q975 - draws[(int) (0.97 * d)]);
    assertEquals(draws[(int) (0.975 * d)], q975, 4 * se / f975, what + " 97.5% quantile");
  }

  /** The empirical-Bayes plug-in at tau = 0: every segment is mu, so the effect's sd is SE(mu). */
  @Test
  void plugInAtTauZeroIsMuItself() {
    HierarchicalPosterior h = HierarchicalPosterior.plugIn(Y, SE, 7.7, 4.07, 0);
    double[] a = SHARE.clone();
    NormalMixture e = h.linear(a, 0, 0);
    assertEquals(7.7, e.mean(), 1e-12);
    assertEquals(4.07, e.sd(), 1e-12);
    // Its segment posteriors are plain normals, summarised in stage 2: none are made here.
    SegmentDraw[] segs = new SegmentDraw[8];
    for (int j = 0; j < 8; j++) {
      segs[j] =
          new SegmentDraw(
              "s" + j,
              SHARE[j],
              SegmentDraw.Kind.NORMAL,
              new double[] {7.7, 4.07},
              SegmentDraw.Kind.NORMAL,
              new double[] {100, 5},
              false);
    }
    ExperimentDraws.Result r =
        ExperimentDraws.draw(
            segs,
            h,
            100,
            new ExperimentDraws.Thresholds(0, 0.05),
            ExperimentDraws.Economics.EFFECT_ONLY,
            new DecisionRule(0.95),
            Seeds.of(1, "x"));
    assertEquals(8 * PooledSegmentSummary.FIELDS, r.pooledFigures().length);
    for (int j = 0; j < 8; j++) {
      assertEquals(null, r.pooled(j));
      assertEquals(
          7.7 / 100,
          r.relativeMean()[j],
          0.01 * 7.7 / 100,
          "relative effect ~ 7.7 / 100 (ratio of normals)");
    }
  }
}
