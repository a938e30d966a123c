package io.segfx.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

  private static ExperimentVerdict verdict(String id, Verdict v, double probPositive) {
    double nan = Double.NaN;
    return new ExperimentVerdict(
        id,
        "1",
        v,
        "r",
        "m",
        "m",
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        probPositive,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        GuardrailStatus.NONE,
        List.of(),
        0,
        nan);
  }

  @Test
  void countsEveryVerdictAndSumsOverLaunchesOnly() {
    List<ExperimentVerdict> v =
        List.of(
            verdict("a", Verdict.LAUNCH, 0.97),
            verdict("b", Verdict.LAUNCH, 0.99),
            verdict("c", Verdict.COLLECT_MORE_DATA, 0.6),
            verdict("d", Verdict.INVESTIGATE, 0.2));
    RunSummary s = RunSummary.of(v, new double[] {0.95, 0.98, 0.1, 0.1});
    assertEquals(2, s.count(Verdict.LAUNCH));
    assertEquals(0, s.count(Verdict.DO_NOT_LAUNCH));
    assertEquals(1, s.count(Verdict.COLLECT_MORE_DATA));
    assertEquals(1, s.count(Verdict.INVESTIGATE));
    assertEquals(0.03 + 0.01, s.expectedWrongLaunches(), 1e-15);
    assertEquals(Math.sqrt(0.03 * 0.97 + 0.01 * 0.99), s.wrongLaunchesSd(), 1e-15);
    assertEquals(0.05 + 0.02, s.expectedWrongLaunchesLearned(), 1e-15);
    assertTrue(Double.isNaN(RunSummary.of(v, null).expectedWrongLaunchesLearned()));
  }

  /**
   * The expected-wrong-launch count predicts the realised one. 3 × 5,000 simulated experiments have
   * true effects theta ~ N(0.01, 0.02²) and estimates y ~ N(theta, se²) with se drawn from [0.005,
   * 0.03]; each posterior is the exact normal–normal one under that same prior (Gelman et al., BDA
   * 3rd ed., 2.5), launched when P(theta > 0) >= 0.95. The realised number of launches with theta
   * <= 0 must lie within 4 sd (the summary's own sqrt(Σ p(1-p))) of the expectation.
   */
  @Test
  void expectedWrongLaunchesPredictTheRealisedCount() {
    NormalDistribution z = new NormalDistribution(null, 0, 1);
    for (long seed = 1; seed <= 3; seed++) {
      Random rng = new Random(seed);
      List<ExperimentVerdict> verdicts = new ArrayList<>();
      int realised = 0;
      double mu0 = 0.01;
      double tau = 0.02;
      for (int i = 0; i < 5000; i++) {
        double theta = mu0 + tau * rng.nextGaussian();
        double se = 0.005 + 0.025 * rng.nextDouble();
        double y = theta + se * rng.nextGaussian();
        double precision = 1 / (tau * tau) + 1 / (se * se);
        double mean = (mu0 / (tau * tau) + y / (se * se)) / precision;
        double p = 1 - z.cumulativeProbability(-mean * Math.sqrt(precision));
        Verdict v = p >= 0.95 ? Verdict.LAUNCH : Verdict.COLLECT_MORE_DATA;
        verdicts.add(verdict("e" + i, v, p));
        if (v == Verdict.LAUNCH && theta <= 0) {
          realised++;
        }
      }
      RunSummary s = RunSummary.of(verdicts, null);
      System.out.printf(
          "RunSummaryTest seed %d: %d launches, expected wrong %.1f ± %.1f, realised %d%n",
          seed, s.count(Verdict.LAUNCH), s.expectedWrongLaunches(), s.wrongLaunchesSd(), realised);
      assertTrue(s.count(Verdict.LAUNCH) > 500, "launches: " + s.count(Verdict.LAUNCH));
      assertEquals(
          s.expectedWrongLaunches(),
          realised,
          4 * s.wrongLaunchesSd(),
          "seed " + seed + ": expected " + s.expectedWrongLaunches() + ", realised " + realised);
    }
  }
}
