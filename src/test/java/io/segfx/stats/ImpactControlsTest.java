package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/**
 * The control coefficients {@link ImpactAnalysis} reports for each model and prior, and the
 * spike-and-slab counterfactual through the analysis.
 */
class ImpactControlsTest {
  private static final int N = 100;
  private static final int N_PRE = 80;

  /** Six controls, the outcome loads on the first two (1.5 and −0.7); effect 3 after N_PRE. */
  private static double[] series(long seed, double[] t, double[][] c, boolean[] post) {
    UniformRandomProvider rng = Seeds.of(seed, "controls-test");
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] y = new double[N];
    for (int i = 0; i < N; i++) {
      t[i] = i;
      c[i] = new double[6];
      for (int j = 0; j < 6; j++) {
        c[i][j] = 20 + 3 * z.sample();
      }
      post[i] = i >= N_PRE;
      y[i] = 5 + 1.5 * c[i][0] - 0.7 * c[i][1] + z.sample() + (post[i] ? 3 : 0);
    }
    return y;
  }

  /**
   * Normal prior: every control has inclusion 1, and its mean and sd are the conjugate posterior's
   * (beta_n and the marginal t's sd sqrt(b_n/(a_n − 1) [V_n]_jj)), here recomputed from explicit LU
   * inverses of X'X + I/v0 (relative 1e-9: two double computations of a well-conditioned system).
   */
  @Test
  void normalPriorCoefficientsAreTheConjugatePosterior() {
    double[] t = new double[N];
    double[][] c = new double[N][];
    boolean[] post = new boolean[N];
    double[] y = series(1, t, c, post);
    ImpactAnalysis.Settings s = new ImpactAnalysis.Settings(false, 0.05, 500, 1e4, 1e-3, 1e-3, 0);
    ImpactAnalysis.Result r = ImpactAnalysis.analyse(t, y, c, post, s, Seeds.of(1));
    double[][] x = new double[N_PRE][7];
    double[] yy = new double[N_PRE];
    for (int i = 0; i < N_PRE; i++) {
      x[i][0] = 1;
      System.arraycopy(c[i], 0, x[i], 1, 6);
      yy[i] = y[i];
    }
    RealMatrix xm = new Array2DRowRealMatrix(x);
    RealMatrix vn =
        new LUDecomposition(
                xm.transpose()
                    .multiply(xm)
                    .add(MatrixUtils.createRealIdentityMatrix(7).scalarMultiply(1e-4)))
            .getSolver()
            .getInverse();
    double[] xty = xm.transpose().operate(yy);
    double[] beta = vn.operate(xty);
    double yty = 0;
    double fit = 0;
    for (int i = 0; i < N_PRE; i++) {
      yty += yy[i] * yy[i];
    }
    for (int j = 0; j < 7; j++) {
      fit += beta[j] * xty[j];
    }
    double an = 1e-3 + N_PRE / 2.0;
    double bn = 1e-3 + (yty - fit) / 2;
    assertEquals(6, r.controls().length);
    for (int j = 0; j < 6; j++) {
      ImpactAnalysis.Control k = r.controls()[j];
      assertEquals(j, k.index());
      assertEquals(1, k.inclusionProb());
      assertEquals(beta[1 + j], k.coefMean(), 1e-9 * Math.abs(beta[1 + j]) + 1e-12);
      double sd = Math.sqrt(bn / (an - 1) * vn.getEntry(1 + j, 1 + j));
      assertEquals(sd, k.coefSd(), 1e-9 * sd);
    }
  }

  /**
   * Spike-and-slab through the analysis: the two real controls are in (inclusion &gt; 0.99), the
   * four others mostly out (&lt; 0.2), the real coefficients within 4 posterior sd of the truth,
   * and the true effect 3 inside the 95% interval; the same stream gives bit-identical output.
   */
  @Test
  void spikeSlabFindsTheControlsAndIsDeterministic() {
    double[] t = new double[N];
    double[][] c = new double[N][];
    boolean[] post = new boolean[N];
    double[] y = series(2, t, c, post);
    ImpactAnalysis.Settings s =
        new ImpactAnalysis.Settings(
                false, 0.05, 500, 1e4, 1e-3, 1e-3, 5, ImpactAnalysis.REGRESSION, 200, 1000)
            .withControlPrior(ImpactAnalysis.SPIKE_SLAB, 3);
    ImpactAnalysis.Result a = ImpactAnalysis.analyse(t, y, c, post, s, Seeds.of(9, "x"));
    ImpactAnalysis.Result b = ImpactAnalysis.analyse(t, y, c, post, s, Seeds.of(9, "x"));
    assertEquals("ok", a.summary().status());
    assertTrue(a.controls()[0].inclusionProb() > 0.99, a.controls()[0].toString());
    assertTrue(a.controls()[1].inclusionProb() > 0.99, a.controls()[1].toString());
    for (int j = 2; j < 6; j++) {
      assertTrue(a.controls()[j].inclusionProb() < 0.2, a.controls()[j].toString());
    }
    assertEquals(1.5, a.controls()[0].coefMean(), 4 * a.controls()[0].coefSd());
    assertEquals(-0.7, a.controls()[1].coefMean(), 4 * a.controls()[1].coefSd());
    assertTrue(a.summary().averageQ025() <= 3 && 3 <= a.summary().averageQ975(), a.toString());
    assertEquals(a.summary(), b.summary());
    assertArrayEquals(a.points(), b.points());
    assertArrayEquals(a.controls(), b.controls());
  }

  /**
   * Local level: the coefficients from the Gibbs draws, back in the control's units, lie within 4
   * posterior sd of the truth, with inclusion 1.
   */
  @Test
  void localLevelCoefficientsAreInTheControlsUnits() {
    double[] t = new double[N];
    double[][] c = new double[N][];
    boolean[] post = new boolean[N];
    double[] y = series(3, t, c, post);
    ImpactAnalysis.Settings s =
        new ImpactAnalysis.Settings(
            false, 0.05, 500, 1e4, 1e-3, 1e-3, 0, ImpactAnalysis.LOCAL_LEVEL, 300, 1000);
    ImpactAnalysis.Result r = ImpactAnalysis.analyse(t, y, c, post, s, Seeds.of(4));
    assertEquals(1.5, r.controls()[0].coefMean(), 4 * r.controls()[0].coefSd());
    assertEquals(-0.7, r.controls()[1].coefMean(), 4 * r.controls()[1].coefSd());
    assertTrue(r.controls()[0].coefSd() > 0 && r.controls()[0].coefSd() < 0.2);
    assertEquals(1, r.controls()[5].inclusionProb());
  }
}
