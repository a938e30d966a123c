package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/**
 * The relative effect's sd in {@link ImpactAnalysis.Summary#relativeSd()} (CausalImpact's "Relative
 * effect (s.d.)"), against numerical integration over the exact Student-t predictive of the
 * counterfactual sum S = m + s T, T ~ t(dof): the relative effect is g(T) = (obs − S)/|S|.
 */
class RelativeEffectSdTest {
  private static final int DRAWS = 200_000;
  private static final double V0 = 1e4;
  private static final double A0 = 1e-3;
  private static final double B0 = 1e-3;

  @Test
  void relativeSdEqualsTheIntegralOverTheStudentPredictive() {
    int n = 60;
    int nPre = 40;
    UniformRandomProvider rng = Seeds.of(11, "relative-sd");
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] time = new double[n];
    double[] y = new double[n];
    double[][] c = new double[n][];
    boolean[] post = new boolean[n];
    for (int i = 0; i < n; i++) {
      time[i] = i;
      double c1 = 50 + 3 * z.sample();
      y[i] = 2 * c1 + 4 * z.sample() + (i >= nPre ? 5 : 0);
      c[i] = new double[] {c1};
      post[i] = i >= nPre;
    }
    ImpactAnalysis.Settings s = new ImpactAnalysis.Settings(false, 0.05, DRAWS, V0, A0, B0, 0);
    ImpactAnalysis.Summary summary =
        ImpactAnalysis.analyse(time, y, c, post, s, Seeds.of(3)).summary();

    // The same predictive, fitted here: intercept and control, pre-period rows.
    double[][] xPre = new double[nPre][];
    double[] yPre = new double[nPre];
    for (int i = 0; i < nPre; i++) {
      xPre[i] = new double[] {1, c[i][0]};
      yPre[i] = y[i];
    }
    CounterfactualRegression fit = CounterfactualRegression.fit(xPre, yPre, V0, A0, B0);
    double[][] xPost = new double[n - nPre][];
    double[] ones = new double[n - nPre];
    double obs = 0;
    double m = 0;
    for (int i = nPre; i < n; i++) {
      xPost[i - nPre] = new double[] {1, c[i][0]};
      ones[i - nPre] = 1;
      obs += y[i];
      m += fit.mean(xPost[i - nPre]);
    }
    double scale = fit.scale(xPost, ones);
    double[] moments = moments(obs, m, scale, fit.dof());
    double mean = moments[0];
    double sd = Math.sqrt(moments[1]);
    double kurtosis = moments[2] / (moments[1] * moments[1]);
    // The draws' sd has sampling sd sd·sqrt((kurtosis − 1)/(4 D)) (delta method on the sample
    // variance); 4 of those. The mean's is sd/sqrt(D).
    double sdTol = 4 * sd * Math.sqrt((kurtosis - 1) / (4.0 * DRAWS));
    assertTrue(sd > 0.001, "a non-trivial sd: " + sd);
    assertEquals(sd, summary.relativeSd(), sdTol, "relative sd");
    assertEquals(mean, summary.relativeMean(), 4 * sd / Math.sqrt(DRAWS), "relative mean");
  }

  /**
   * Mean, variance and fourth central moment of g(T) = (obs − m − s T)/|m + s T|, T ~ t(dof), by
   * Simpson's rule on [−60, 60] (the t tail beyond holds less than 1e-30 of the mass at dof > 30,
   * and S stays hundreds of scales from 0, so g is smooth there).
   */
  private static double[] moments(double obs, double m, double s, double dof) {
    TDistribution t = new TDistribution(null, dof);
    double mu = centralMoment(t, obs, m, s, 0, 1);
    // Central moments in a second pass: no cancellation between raw moments.
    return new double[] {
      mu, centralMoment(t, obs, m, s, mu, 2), centralMoment(t, obs, m, s, mu, 4)
    };
  }

  /** E[(g(T) − c)^power] by Simpson's rule. */
  private static double centralMoment(
      TDistribution t, double obs, double m, double s, double c, int power) {
    int k = 240_000;
    double lo = -60;
    double h = 120.0 / k;
    double sum = 0;
    for (int i = 0; i <= k; i++) {
      double u = lo + i * h;
      double w = (i == 0 || i == k) ? 1 : (i % 2 == 1 ? 4 : 2);
      double g = (obs - m - s * u) / Math.abs(m + s * u);
      sum += Math.pow(g - c, power) * t.density(u) * w;
    }
    return sum * h / 3;
  }
}
