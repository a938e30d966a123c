package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.testing.SectionTen;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/**
 * The local-level model: the Kalman smoother against brute-force Gaussian conditioning, FFBS draws
 * against the smoother, and both counterfactual models on the seed's section-10 data.
 */
class LocalLevelModelTest {
  private static final double[] R = {0.3, -0.2, 0.8, 1.1, 0.4, 1.5};

  /** E[mu | r] and Var[mu_t | r] by inverting the joint covariance (1e-9). */
  @Test
  void smootherIsTheGaussianConditional() {
    double s2e = 0.5;
    double s2eta = 0.2;
    double m0 = 0.1;
    double p0 = 2;
    int n = R.length;
    double[][] cmm = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        cmm[a][b] = p0 + s2eta * Math.min(a, b);
      }
    }
    RealMatrix smm = new Array2DRowRealMatrix(cmm);
    RealMatrix syy = smm.copy();
    for (int a = 0; a < n; a++) {
      syy.addToEntry(a, a, s2e);
    }
    RealMatrix gain = smm.multiply(new LUDecomposition(syy).getSolver().getInverse());
    double[] centred = new double[n];
    for (int a = 0; a < n; a++) {
      centred[a] = R[a] - m0;
    }
    double[] mean = gain.operate(centred);
    RealMatrix cov = smm.subtract(gain.multiply(smm));
    double[][] sm = LocalLevelModel.smooth(R, s2e, s2eta, m0, p0);
    for (int a = 0; a < n; a++) {
      assertEquals(m0 + mean[a], sm[0][a], 1e-9);
      assertEquals(cov.getEntry(a, a), sm[1][a], 1e-9);
    }
  }

  /** FFBS draws have the smoother's means and variances (4 Monte Carlo SEs). */
  @Test
  void ffbsDrawsMatchTheSmoother() {
    int n = R.length;
    double[][] sm = LocalLevelModel.smooth(R, 0.5, 0.2, 0.1, 2);
    int d = 100_000;
    UniformRandomProvider rng = Seeds.of(3, "ffbs");
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] m = new double[n];
    double[] c = new double[n];
    double[] out = new double[n];
    double[] sum = new double[n];
    double[] sq = new double[n];
    for (int k = 0; k < d; k++) {
      LocalLevelModel.sample(R, 0.5, 0.2, 0.1, 2, z, m, c, out);
      for (int a = 0; a < n; a++) {
        sum[a] += out[a];
        sq[a] += out[a] * out[a];
      }
    }
    for (int a = 0; a < n; a++) {
      double mean = sum[a] / d;
      double var = sq[a] / d - mean * mean;
      assertEquals(sm[0][a], mean, 4 * Math.sqrt(sm[1][a] / d));
      assertEquals(sm[1][a], var, 4 * sm[1][a] * Math.sqrt(2.0 / d));
    }
  }

  /**
   * Seed section 10 regenerated: the regression and local-level models both put the true average
   * impact (5.425) inside their 95% intervals and agree with each other within the regression's
   * posterior sd; the local level's extra uncertainty makes its interval no narrower.
   */
  @Test
  void bothModelsOnSectionTen() {
    SectionTen d = SectionTen.generate(4915);
    double[] time = d.time();
    double[] y = d.y();
    double[][] c = d.controls();
    boolean[] post = d.post();
    double truth = d.trueAverageImpact();
    ImpactAnalysis.Summary reg =
        ImpactAnalysis.analyse(
                time,
                y,
                c,
                post,
                new ImpactAnalysis.Settings(true, 0.05, 2000, 1e4, 1e-3, 1e-3, 0),
                Seeds.of(1))
            .summary();
    ImpactAnalysis.Summary ll =
        ImpactAnalysis.analyse(
                time,
                y,
                c,
                post,
                new ImpactAnalysis.Settings(
                    true, 0.05, 2000, 1e4, 1e-3, 1e-3, 0, ImpactAnalysis.LOCAL_LEVEL, 500, 2000),
                Seeds.of(1))
            .summary();
    assertEquals("ok", ll.status());
    assertTrue(reg.averageQ025() <= truth && truth <= reg.averageQ975(), "regression: " + reg);
    assertTrue(ll.averageQ025() <= truth && truth <= ll.averageQ975(), "local level: " + ll);
    assertEquals(reg.averageMean(), ll.averageMean(), reg.averageSd());
    assertTrue(
        ll.averageQ975() - ll.averageQ025() >= 0.95 * (reg.averageQ975() - reg.averageQ025()),
        "local level width "
            + (ll.averageQ975() - ll.averageQ025())
            + " vs "
            + (reg.averageQ975() - reg.averageQ025()));
    assertTrue(ll.significant());
  }

  /**
   * bsts's structure with many controls: a local level plus a spike-and-slab regression. 2 true
   * controls (coefficients 1 and −0.7 per unit sd, noise sd 1, a level walking with sd 0.05) among
   * 12 independent candidates, 100 pre-period points, expected size 3: in at least 18 of 20
   * simulated series both true controls have inclusion &gt; 0.5 and all 10 others &lt; 0.2 (the
   * regression's criterion in SpikeSlabTest, on fewer series to keep the test short).
   */
  @Test
  void localLevelWithSpikeAndSlabFindsTheTrueControls() {
    int series = 20;
    int n = 120;
    int nPre = 100;
    int k = 12;
    int passed = 0;
    StringBuilder worst = new StringBuilder();
    for (int s = 0; s < series; s++) {
      UniformRandomProvider rng = Seeds.of(s, "ll-spike-slab-data");
      ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
      double[][] x = new double[n][k];
      double[] y = new double[n];
      double level = 10;
      for (int t = 0; t < n; t++) {
        level += 0.05 * z.sample();
        for (int j = 0; j < k; j++) {
          x[t][j] = 50 + 3 * z.sample();
        }
        y[t] = level + (x[t][0] - 50) / 3 - 0.7 * (x[t][1] - 50) / 3 + z.sample();
      }
      boolean[] candidate = new boolean[k];
      java.util.Arrays.fill(candidate, true);
      LocalLevelModel.Draws d =
          LocalLevelModel.draws(
              x, y, nPre, 200, 600, 1e4, candidate, 3, Seeds.of(s, "ll-spike-slab"));
      double[] inc = d.inclusion();
      boolean ok = inc[0] > 0.5 && inc[1] > 0.5;
      for (int j = 2; j < k; j++) {
        ok &= inc[j] < 0.2;
      }
      if (ok) {
        passed++;
      } else {
        worst.append(java.util.Arrays.toString(inc)).append('\n');
      }
      assertEquals(600, d.counterfactual().length);
    }
    assertTrue(passed >= 18, passed + " of " + series + " passed; failing:\n" + worst);
  }
}
