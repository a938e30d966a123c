package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.testing.Fixtures;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/**
 * The learned prior's EM fit against direct numerical maximisation of the marginal likelihood
 * (Commons Math BOBYQA), its posterior against numerical integration, and recovery of a known
 * two-groups prior from simulated experiments.
 */
class LearnedPriorTest {
  /** Experiments from 0.7 N(0, 0.001²) + 0.3 N(0.02, 0.01²), standard errors in [0.003, 0.01]. */
  private static double[][] simulate(int n, long seed) {
    UniformRandomProvider rng = Seeds.of(seed, "learned");
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] m = new double[n];
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      double delta = rng.nextDouble() < 0.7 ? 0.001 * z.sample() : 0.02 + 0.01 * z.sample();
      s[i] = 0.003 + 0.007 * rng.nextDouble();
      m[i] = delta + s[i] * z.sample();
    }
    return new double[][] {m, s};
  }

  /** K = 1: EM's maximum equals BOBYQA's on (mu, log sigma) to 1e-6. */
  @Test
  void normalPriorIsTheMaximumLikelihood() {
    double[][] d = simulate(500, 1);
    LearnedPrior em = LearnedPrior.fit(d[0], d[1], 1);
    MultivariateFunction ll =
        p ->
            new LearnedPrior(
                    new double[] {1},
                    new double[] {p[0] / 100},
                    new double[] {Math.exp(p[1])},
                    0,
                    0)
                .logLikelihood(d[0], d[1]);
    // The mean is optimised in units of 0.01 so both coordinates have unit scale for the trust
    // region.
    PointValuePair best =
        new BOBYQAOptimizer(5, 0.1, 1e-12)
            .optimize(
                new MaxEval(100_000),
                new ObjectiveFunction(ll),
                GoalType.MAXIMIZE,
                new InitialGuess(new double[] {0, Math.log(0.005)}),
                new SimpleBounds(new double[] {-100, -20}, new double[] {100, 2}));
    assertEquals(best.getPoint()[0] / 100, em.mean()[0], 1e-6);
    assertEquals(Math.exp(best.getPoint()[1]), em.sd()[0], 1e-6);
    assertTrue(
        em.logLikelihood() >= best.getValue() - 1e-7,
        em.logLikelihood() + " vs " + best.getValue());
    assertEquals(
        em.logLikelihood(), em.logLikelihood(d[0], d[1]), 1e-9 * Math.abs(em.logLikelihood()));
  }

  /**
   * K = 2: no direction improves EM's fixed point (BOBYQA started there on (logit pi, mu1, log
   * sigma1, mu2, log sigma2) gains < 1e-6 in log-likelihood), and the simulated prior is recovered:
   * with 4,000 experiments pi's SE is ≈ 0.015 and the wide component's mean's ≈ 0.001, so 0.05 and
   * 0.004 are over 3 SEs.
   */
  @Test
  void mixturePriorIsAStationaryPointAndRecoversTheTruth() {
    double[][] d = simulate(4000, 2);
    LearnedPrior em = LearnedPrior.fit(d[0], d[1], 2);
    int wide = em.sd()[0] > em.sd()[1] ? 0 : 1;
    int narrow = 1 - wide;
    assertEquals(0.7, em.weight()[narrow], 0.05);
    assertEquals(0.0, em.mean()[narrow], 0.002);
    assertEquals(0.02, em.mean()[wide], 0.004);
    assertEquals(0.01, em.sd()[wide], 0.004);
    MultivariateFunction ll =
        p -> {
          double pi = 1 / (1 + Math.exp(-p[0]));
          return new LearnedPrior(
                  new double[] {pi, 1 - pi},
                  new double[] {p[1] / 100, p[3] / 100},
                  new double[] {Math.exp(p[2]), Math.exp(p[4])},
                  0,
                  0)
              .logLikelihood(d[0], d[1]);
        };
    double[] start = {
      Math.log(em.weight()[0] / em.weight()[1]),
      100 * em.mean()[0],
      Math.log(Math.max(em.sd()[0], 1e-8)),
      100 * em.mean()[1],
      Math.log(Math.max(em.sd()[1], 1e-8))
    };
    PointValuePair best =
        new BOBYQAOptimizer(11, 0.01, 1e-12)
            .optimize(
                new MaxEval(100_000),
                new ObjectiveFunction(ll),
                GoalType.MAXIMIZE,
                new InitialGuess(start),
                new SimpleBounds(
                    new double[] {-20, -100, -25, -100, -25}, new double[] {20, 100, 2, 100, 2}));
    assertTrue(
        best.getValue() - em.logLikelihood() < 1e-6,
        "BOBYQA improved EM by " + (best.getValue() - em.logLikelihood()));
  }

  /**
   * The posterior under a mixture prior against Simpson integration of prior × likelihood (1e-9).
   */
  @Test
  void posteriorEqualsNumericalIntegration() {
    LearnedPrior g =
        new LearnedPrior(
            new double[] {0.6, 0.4}, new double[] {0.001, 0.02}, new double[] {0.002, 0.01}, 0, 0);
    double m = 0.012;
    double s = 0.006;
    NormalMixture post = g.posterior(m, s);
    DoubleUnaryOperator joint =
        x -> {
          double prior = 0;
          for (int c = 0; c < 2; c++) {
            double z = (x - g.mean()[c]) / g.sd()[c];
            prior += g.weight()[c] * Math.exp(-0.5 * z * z) / g.sd()[c];
          }
          double l = (x - m) / s;
          return prior * Math.exp(-0.5 * l * l);
        };
    DoubleUnaryOperator x1 = x -> x * joint.applyAsDouble(x);
    double z0 = Fixtures.simpson(joint, -0.1, 0.14, 400_000);
    double z1 = Fixtures.simpson(x1, -0.1, 0.14, 400_000);
    // The tail probability integrates from 0 on, so Simpson never straddles the indicator's jump.
    double pos = Fixtures.simpson(joint, 0, 0.14, 400_000);
    assertEquals(z1 / z0, post.mean(), 1e-9);
    assertEquals(pos / z0, post.upperTail(0), 1e-9);
  }
}
