package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.testing.SectionTen;
import java.util.Arrays;
import java.util.function.BiFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/**
 * The causal-impact kernel: the NIG posterior against the notebook's matrix formulas, the exact
 * Student-t predictive against the notebook's draw recipe, the section-10 setup regenerated with
 * the notebook's formulas (other random numbers), calibration on no-effect series, and statuses.
 */
class ImpactAnalysisTest {
  private static final ImpactAnalysis.Settings SETTINGS =
      new ImpactAnalysis.Settings(true, 0.05, 20_000, 1e4, 1e-3, 1e-3, 10);

  private static double[][] design(int n, long seed, double[] y) {
    UniformRandomProvider rng = Seeds.of(seed, "design");
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      double c1 = 40 + 0.2 * i + 2 * z.sample();
      double c2 = 28 + 1.5 * z.sample();
      x[i] = new double[] {1, c1, c2};
      y[i] = 8 + 0.6 * c1 + 0.4 * c2 + 1.8 * z.sample();
    }
    return x;
  }

  /** V_n, beta_n, a_n, b_n against the notebook's formulas with explicit inverses (1e-9). */
  @Test
  void posteriorMatchesTheNotebookFormulas() {
    int n = 50;
    double[] y = new double[n];
    double[][] x = design(n, 1, y);
    CounterfactualRegression f = CounterfactualRegression.fit(x, y, 1e4, 1e-3, 1e-3);
    RealMatrix xm = new Array2DRowRealMatrix(x);
    RealMatrix v0inv = MatrixUtils.createRealIdentityMatrix(3).scalarMultiply(1e-4);
    RealMatrix vn =
        new LUDecomposition(v0inv.add(xm.transpose().multiply(xm))).getSolver().getInverse();
    double[] beta = vn.operate(xm.transpose().operate(y));
    double yty = 0;
    for (double v : y) {
      yty += v * v;
    }
    RealMatrix vninv = new LUDecomposition(vn).getSolver().getInverse();
    double quad = new Array2DRowRealMatrix(beta).transpose().multiply(vninv).operate(beta)[0];
    for (int j = 0; j < 3; j++) {
      assertEquals(beta[j], f.betaN()[j], 1e-9 * Math.abs(beta[j]));
      for (int k = 0; k < 3; k++) {
        assertEquals(vn.getEntry(j, k), f.vn()[j][k], 1e-9 * Math.abs(vn.getEntry(j, k)));
      }
    }
    assertEquals(1e-3 + n / 2.0, f.an(), 1e-12);
    assertEquals(1e-3 + 0.5 * (yty - quad), f.bn(), 1e-6 * f.bn());
  }

  /**
   * The exact predictive of a sum of 10 counterfactuals against the notebook's draws (sigma² from
   * IG, beta | sigma², then noise): mean within 4 MC SEs; sd within 4 SEs of a sample sd (sd·√(2/D)
   * times √2 for the t's excess kurtosis).
   */
  @Test
  void predictiveIsTheNotebooksDrawRecipeInClosedForm() {
    int n = 40;
    double[] y = new double[n + 10];
    double[][] x = design(n + 10, 2, y);
    double[][] pre = Arrays.copyOf(x, n);
    double[] ypre = Arrays.copyOf(y, n);
    CounterfactualRegression f = CounterfactualRegression.fit(pre, ypre, 1e4, 1e-3, 1e-3);
    double[][] post = Arrays.copyOfRange(x, n, n + 10);
    double[] ones = new double[10];
    Arrays.fill(ones, 1);
    double loc = 0;
    for (double[] r : post) {
      loc += f.mean(r);
    }
    double scale = f.scale(post, ones);
    double dof = f.dof();
    double sdExact = scale * Math.sqrt(dof / (dof - 2));
    int d = 200_000;
    UniformRandomProvider rng = Seeds.of(5, "predictive");
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    ContinuousSampler gamma = AhrensDieterMarsagliaTsangGammaSampler.of(rng, f.an(), 1 / f.bn());
    RealMatrix chol = new CholeskyDecomposition(new Array2DRowRealMatrix(f.vn())).getL();
    double sum = 0;
    double sumsq = 0;
    for (int k = 0; k < d; k++) {
      double sigma2 = 1 / gamma.sample();
      double[] e = {z.sample(), z.sample(), z.sample()};
      double[] ce = chol.operate(e);
      double s = 0;
      for (double[] r : post) {
        double m = 0;
        for (int j = 0; j < 3; j++) {
          m += r[j] * (f.betaN()[j] + Math.sqrt(sigma2) * ce[j]);
        }
        s += m + Math.sqrt(sigma2) * z.sample();
      }
      sum += s;
      sumsq += s * s;
    }
    double mean = sum / d;
    double sd = Math.sqrt(sumsq / d - mean * mean);
    assertEquals(loc, mean, 4 * sdExact / Math.sqrt(d));
    assertEquals(sdExact, sd, 4 * sdExact * Math.sqrt(2.0 / d) * Math.sqrt(2));
  }

  /**
   * Seed section 10, regenerated with its formulas: the true average impact is in the 95% interval.
   */
  @Test
  void recoversTheSectionTenImpact() {
    SectionTen d = SectionTen.generate(4915);
    int n = SectionTen.T;
    int t0 = SectionTen.INTERVENTION;
    double trueAvg = d.trueAverageImpact();
    ImpactAnalysis.Result r =
        ImpactAnalysis.analyse(
            d.time(), d.y(), d.controls(), d.post(), SETTINGS, Seeds.of(1, "s10"));
    ImpactAnalysis.Summary s = r.summary();
    assertEquals("ok", s.status());
    assertEquals(82, s.nPre());
    assertTrue(
        s.averageQ025() <= trueAvg && trueAvg <= s.averageQ975(),
        trueAvg + " in [" + s.averageQ025() + ", " + s.averageQ975() + "]");
    assertTrue(s.significant() && s.probCausalEffect() > 0.99);
    assertEquals(
        s.averageMean() * (n - t0), s.cumulativeMean(), 1e-9 * Math.abs(s.cumulativeMean()));
    assertEquals(n, r.points().length);
    assertEquals(
        s.cumulativeMean(),
        r.points()[n - 1].cumulativeMean(),
        1e-9 * Math.abs(s.cumulativeMean()));
    assertTrue(
        s.placeboP() <= 1.0 / 11 + 1e-12,
        "no placebo window shows an impact as large: " + s.placeboP());
  }

  /**
   * 400 series without any effect: the share flagged significant at alpha = 0.05 must be within 3
   * binomial SEs (0.011) of 0.05 — neither anti-conservative nor uselessly wide.
   */
  @Test
  void noEffectSeriesAreFlaggedAboutFivePercentOfTheTime() {
    int series = 400;
    int flagged = 0;
    ImpactAnalysis.Settings s = new ImpactAnalysis.Settings(false, 0.05, 200, 1e4, 1e-3, 1e-3, 0);
    for (int k = 0; k < series; k++) {
      UniformRandomProvider rng = Seeds.of(9, "null-" + k);
      ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
      int n = 60;
      double[] time = new double[n];
      double[] y = new double[n];
      double[][] c = new double[n][];
      boolean[] post = new boolean[n];
      for (int i = 0; i < n; i++) {
        time[i] = i;
        double c1 = 10 + 2 * z.sample();
        double c2 = 5 + z.sample();
        y[i] = 3 + 0.8 * c1 - 0.5 * c2 + z.sample();
        c[i] = new double[] {c1, c2};
        post[i] = i >= 40;
      }
      flagged +=
          ImpactAnalysis.analyse(time, y, c, post, s, Seeds.of(1, "n" + k)).summary().significant()
              ? 1
              : 0;
    }
    double rate = (double) flagged / series;
    assertEquals(0.05, rate, 3 * Math.sqrt(0.05 * 0.95 / series), "false-positive rate " + rate);
  }

  @Test
  void badSeriesGetAStatus() {
    double[][] c = {{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}};
    double[] y = {1, 2, 3, 4, 5, 6, 7, 8};
    boolean[] allPost = new boolean[8];
    Arrays.fill(allPost, true);
    assertEquals(
        "no_pre_period",
        ImpactAnalysis.analyse(
                new double[] {0, 1, 2, 3, 4, 5, 6, 7}, y, c, allPost, SETTINGS, Seeds.of(1))
            .summary()
            .status());
    boolean[] late = {false, false, false, true, true, true, true, true};
    assertEquals(
        "too_few_points",
        ImpactAnalysis.analyse(
                new double[] {0, 1, 2, 3, 4, 5, 6, 7}, y, c, late, SETTINGS, Seeds.of(1))
            .summary()
            .status());
    assertEquals(
        "duplicate_times",
        ImpactAnalysis.analyse(
                new double[] {0, 1, 1, 3, 4, 5, 6, 7}, y, c, late, SETTINGS, Seeds.of(1))
            .summary()
            .status());
    double[][] missing = {{1}, {2}, {Double.NaN}, {4}, {5}, {6}, {7}, {8}};
    assertEquals(
        "missing_controls",
        ImpactAnalysis.analyse(
                new double[] {0, 1, 2, 3, 4, 5, 6, 7}, y, missing, late, SETTINGS, Seeds.of(1))
            .summary()
            .status());
  }

  /**
   * A no-effect series of n points (intervention at 2n/3) whose controls come from {@code control}.
   */
  private static ImpactAnalysis.Summary noEffect(
      BiFunction<Integer, double[], double[]> control, boolean trend) {
    int n = 90;
    ZigguratSampler.NormalizedGaussian z =
        ZigguratSampler.NormalizedGaussian.of(Seeds.of(7, "singular"));
    double[] time = new double[n];
    double[] y = new double[n];
    double[][] c = new double[n][];
    boolean[] post = new boolean[n];
    for (int i = 0; i < n; i++) {
      time[i] = i;
      double[] noise = {z.sample(), z.sample()};
      c[i] = control.apply(i, noise);
      y[i] = 5 + 0.8 * (40 + noise[0]) + 1.5 * z.sample();
      post[i] = i >= 60;
    }
    ImpactAnalysis.Settings s =
        new ImpactAnalysis.Settings(trend, 0.05, 2_000, 1e4, 1e-3, 1e-3, 10);
    return ImpactAnalysis.analyse(time, y, c, post, s, Seeds.of(3)).summary();
  }

  /**
   * A rank-deficient pre-period design (a constant control, one control an exact linear function of
   * another, a control equal to the trend) gets singular_controls instead of figures; the ridge of
   * the prior would otherwise hide it and report an arbitrary split of the collinear coefficients.
   */
  @Test
  void rankDeficientDesignsAreSingularControls() {
    assertEquals(
        "singular_controls",
        noEffect((i, e) -> new double[] {40 + e[0], 0.1}, false).status(),
        "constant control");
    assertEquals(
        "singular_controls",
        noEffect((i, e) -> new double[] {40 + e[0], 3 * (40 + e[0]) + 1}, false).status(),
        "collinear controls");
    assertEquals(
        "singular_controls",
        noEffect((i, e) -> new double[] {40 + e[0], 7.0 * i}, true).status(),
        "control equal to the trend");
    // Constant only in the pre-period: the post-period cannot be extrapolated along it either.
    assertEquals(
        "singular_controls",
        noEffect((i, e) -> new double[] {40 + e[0], i < 60 ? 2.5 : 9}, false).status(),
        "constant before");
  }

  /**
   * The tolerance is scale-aware: far-off offsets and tiny units are not mistaken for collinearity.
   */
  @Test
  void wellPosedDesignsAtAnyScaleAreOk() {
    assertEquals(
        "ok", noEffect((i, e) -> new double[] {1e9 + 40 + e[0], 1e-12 * e[1]}, true).status());
    assertEquals(
        "ok",
        noEffect((i, e) -> new double[] {40 + e[0], 3 * (40 + e[0]) + 1e-3 * e[1]}, false).status(),
        "nearly, not exactly, collinear");
  }

  /** A negative counterfactual with a positive impact: the relative effect is positive. */
  @Test
  void relativeEffectHasTheImpactsSignWhenTheCounterfactualIsNegative() {
    int n = 60;
    UniformRandomProvider rng = Seeds.of(4, "neg");
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] time = new double[n];
    double[] y = new double[n];
    double[][] c = new double[n][];
    boolean[] post = new boolean[n];
    for (int i = 0; i < n; i++) {
      time[i] = i;
      double c1 = -50 + z.sample();
      y[i] = 2 * c1 + 0.5 * z.sample() + (i >= 40 ? 10 : 0);
      c[i] = new double[] {c1};
      post[i] = i >= 40;
    }
    ImpactAnalysis.Summary s =
        ImpactAnalysis.analyse(time, y, c, post, SETTINGS, Seeds.of(2)).summary();
    assertTrue(s.averageMean() > 9 && s.averageMean() < 11, "impact " + s.averageMean());
    assertTrue(s.relativeMean() > 0, "relative " + s.relativeMean());
    assertEquals(10.0 / 100, s.relativeMean(), 0.01);
  }
}
