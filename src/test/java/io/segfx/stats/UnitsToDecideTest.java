package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class UnitsToDecideTest {

  /** r(n) is 1 at n = 0, 1/2 when as many units again join balanced arms, and falls to 0. */
  @Test
  void varianceRatioIsTheShareOfTheCurrentVarianceLeft() {
    assertEquals(1.0, UnitsToDecide.varianceRatio(200, 300, 0), 1e-15);
    assertEquals(0.5, UnitsToDecide.varianceRatio(400, 400, 400), 1e-15);
    assertEquals(
        (1.0 / 300 + 1.0 / 400) / (1.0 / 200 + 1.0 / 300),
        UnitsToDecide.varianceRatio(200, 300, 100),
        1e-15);
  }

  /** The search assumes P(decide at n) rises with n; checked on a grid of states and sizes. */
  @Test
  void probabilityOfDecidingRisesWithMoreUnits() {
    for (double a : new double[] {-1.6, -0.7, 0, 0.3, 1.2, 1.6}) {
      double last = -1;
      for (double n = 1; n < 1e9; n *= 1.3) {
        double p = UnitsToDecide.probDecides(a, 1, 0.95, 500, 700, Math.floor(n));
        assertTrue(p >= last - 1e-12, "a=" + a + " n=" + n);
        last = p;
      }
      assertTrue(last > 0.99);
    }
  }

  @Test
  void decidedPosteriorsNeedNoMoreUnitsAndBadInputsCannotTell() {
    assertEquals(0, UnitsToDecide.perArm(2.0, 1, 0.95, 100, 100)); // z(0.95) = 1.645 < 2
    assertEquals(0, UnitsToDecide.perArm(-2.0, 1, 0.95, 100, 100));
    assertTrue(Double.isNaN(UnitsToDecide.perArm(Double.NaN, 1, 0.95, 100, 100)));
    assertTrue(Double.isNaN(UnitsToDecide.perArm(0.5, 0, 0.95, 100, 100)));
    assertTrue(Double.isNaN(UnitsToDecide.perArm(0.5, 1, 0.95, 0, 100)));
  }

  /** n* is the smallest whole n with P(decide) >= 1/2: P at n* - 1 is below one half. */
  @Test
  void perArmIsTheSmallestSizeThatDecidesMoreLikelyThanNot() {
    double n = UnitsToDecide.perArm(0.4, 1, 0.95, 200, 300);
    assertTrue(n > 1);
    assertTrue(UnitsToDecide.probDecides(0.4, 1, 0.95, 200, 300, n) >= 0.5);
    assertTrue(UnitsToDecide.probDecides(0.4, 1, 0.95, 200, 300, n - 1) < 0.5);
  }

  /**
   * The simulation check: an experiment with 200 control and 300 treatment units of unit variance
   * has observed arm means whose difference gives a profit posterior that does not decide. Its
   * units_to_decide n* is computed; then, 4,000 times, the true arm means are drawn from their
   * (flat-prior, known-variance) posterior, n* more units are simulated in each arm, unit by unit,
   * the posterior is updated from all units and the launch rule is applied. The share that decides
   * must equal the formula's P(decide at n*) within 4 Monte Carlo standard errors (sqrt(p(1-p)/R) =
   * 0.0079 for R = 4000, so the band is ±0.032); and at n* / 4 far fewer decide. Profit is users ×
   * effect − cost, with the cost putting break-even away from zero.
   */
  @Test
  void unitsToDecideHoldsWhenTheExperimentRunsOnInSimulation() {
    double sigma = 1;
    int nc = 200;
    int nt = 300;
    double meanC = 5.0;
    double meanT = 5.13;
    double users = 1000;
    double cost = 40;
    double c = 0.95;
    double effectSd = sigma * Math.sqrt(1.0 / nc + 1.0 / nt);
    double profitMean = users * (meanT - meanC) - cost;
    double profitSd = users * effectSd;
    assertTrue(Math.abs(profitMean / profitSd) < 1.645, "the start must not decide");
    double n = UnitsToDecide.perArm(profitMean, profitSd, c, nc, nt);
    assertTrue(n > 50 && n < 1e5, "n* = " + n);
    int replicates = 4000;
    double decided = simulate(meanC, meanT, sigma, nc, nt, (int) n, users, cost, c, replicates, 11);
    double p = UnitsToDecide.probDecides(profitMean, profitSd, c, nc, nt, n);
    double mcSe = Math.sqrt(p * (1 - p) / replicates);
    assertEquals(p, decided, 4 * mcSe, "n* = " + n);
    double early =
        simulate(meanC, meanT, sigma, nc, nt, (int) (n / 4), users, cost, c, replicates, 12);
    double pEarly = UnitsToDecide.probDecides(profitMean, profitSd, c, nc, nt, (int) (n / 4));
    assertEquals(pEarly, early, 4 * Math.sqrt(pEarly * (1 - pEarly) / replicates));
    assertTrue(early < 0.4, "at n*/4 most runs are still undecided: " + early);
    System.out.printf(
        "UnitsToDecideTest: n* = %.0f per arm; P(decide at n*) = %.4f, simulated %.4f (±%.4f);"
            + " at n*/4: %.4f, simulated %.4f%n",
        n, p, decided, 4 * mcSe, pEarly, early);
  }

  /** The share of simulated continuations of n more units per arm after which the rule decides. */
  private static double simulate(
      double meanC,
      double meanT,
      double sigma,
      int nc,
      int nt,
      int n,
      double users,
      double cost,
      double c,
      int replicates,
      long seed) {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    double zc = UnitsToDecide.normalQuantile(c);
    int decided = 0;
    for (int r = 0; r < replicates; r++) {
      double trueC = meanC + sigma / Math.sqrt(nc) * z.sample();
      double trueT = meanT + sigma / Math.sqrt(nt) * z.sample();
      double sumC = meanC * nc;
      double sumT = meanT * nt;
      for (int i = 0; i < n; i++) {
        sumC += trueC + sigma * z.sample();
        sumT += trueT + sigma * z.sample();
      }
      double effect = sumT / (nt + n) - sumC / (nc + n);
      double sd = sigma * Math.sqrt(1.0 / (nc + n) + 1.0 / (nt + n));
      double profitZ = (users * effect - cost) / (users * sd);
      if (Math.abs(profitZ) >= zc) {
        decided++;
      }
    }
    return (double) decided / replicates;
  }
}
