package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/**
 * {@link ImpactAnalysis} under the spike-and-slab prior ({@link SparseImpact}): placebo refits with
 * the sparse model, the points a sparse model needs, and the diagnostics from its posterior-mean
 * fit.
 */
class SparseImpactTest {
  private static final ImpactAnalysis.Settings SPIKE_SLAB =
      new ImpactAnalysis.Settings(
              false, 0.05, 500, 1e4, 1e-3, 1e-3, 10, ImpactAnalysis.REGRESSION, 200, 1000)
          .withControlPrior(ImpactAnalysis.SPIKE_SLAB, 3);

  /** One simulated series: times 0..n−1, its controls, the post flags and the outcome. */
  private record Series(double[] t, double[][] c, boolean[] post, double[] y) {}

  /**
   * k candidate controls that are random walks from 100 (steps N(0, 1)); the outcome is 0.8 × the
   * sum of the first {@code real} plus N(0, 1) noise, plus {@code effect} from row nPre on: the
   * data of the hostile-user report (20 candidates, 2 real, effect about 3).
   */
  private static Series walks(long seed, int k, int real, int n, int nPre, double effect) {
    ZigguratSampler.NormalizedGaussian z =
        ZigguratSampler.NormalizedGaussian.of(Seeds.of(seed, "sparse-impact-test"));
    double[] t = new double[n];
    double[][] c = new double[n][k];
    boolean[] post = new boolean[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = i;
      post[i] = i >= nPre;
      for (int j = 0; j < k; j++) {
        c[i][j] = (i == 0 ? 100 : c[i - 1][j]) + z.sample();
      }
      double sum = 0;
      for (int j = 0; j < real; j++) {
        sum += c[i][j];
      }
      y[i] = 0.8 * sum + z.sample() + (post[i] ? effect : 0);
    }
    return new Series(t, c, post, y);
  }

  private static ImpactAnalysis.Result analyse(Series s, ImpactAnalysis.Settings settings, long k) {
    return ImpactAnalysis.analyse(
        s.t(),
        s.y(),
        s.c(),
        s.post(),
        settings,
        Seeds.of(k, "series"),
        refit -> Seeds.of(k, "series", refit));
  }

  /**
   * The placebo refits use the spike-and-slab model with {@value SparseImpact#REFIT_DRAWS} kept
   * sweeps. With an effect of 3 noise sd, no placebo window of a refit that does not overfit shows
   * an effect as large, so at least 9 of 10 such series sit at the floor 1/11 (the full regression
   * on all 20 candidates put 3 of 10 there, the others up to 0.727). Without an effect the real
   * window is one more window like the placebos, so placebo p is about uniform on {1, …, 11}/11:
   * mean 6/11 = 0.545 and sd 0.287 per series, 0.064 for the mean of 20 (the later placebo windows
   * are shorter, so their averages are noisier and p leans conservative); the mean of 20 null
   * series must lie within 3 of those sd, [0.35, 0.74], and at most 5 of them at the floor
   * (expected 20/11 = 1.8; P(≥ 6) &lt; 0.01 by the binomial).
   */
  @Test
  void placebosRefitTheSparseModel() {
    int atFloor = 0;
    for (int s = 0; s < 10; s++) {
      ImpactAnalysis.Summary r =
          analyse(walks(100 + s, 20, 2, 100, 70, 3), SPIKE_SLAB, s).summary();
      assertEquals("ok", r.status());
      assertEquals(10, r.placebos());
      atFloor += r.placeboP() <= 1.0 / 11 + 1e-12 ? 1 : 0;
    }
    assertTrue(atFloor >= 9, "effect series at the placebo floor: " + atFloor + " of 10");
    double sum = 0;
    int nullAtFloor = 0;
    for (int s = 0; s < 20; s++) {
      ImpactAnalysis.Summary r =
          analyse(walks(200 + s, 20, 2, 100, 70, 0), SPIKE_SLAB, s).summary();
      sum += r.placeboP();
      nullAtFloor += r.placeboP() <= 1.0 / 11 + 1e-12 ? 1 : 0;
    }
    double mean = sum / 20;
    assertTrue(mean >= 0.35 && mean <= 0.74, "mean placebo p of null series: " + mean);
    assertTrue(nullAtFloor <= 5, "null series at the floor: " + nullAtFloor);
  }

  /** The same series, settings and streams give bit-identical figures, placebo p included. */
  @Test
  void refitsAreDeterministic() {
    Series s = walks(7, 20, 2, 100, 70, 3);
    ImpactAnalysis.Result a = analyse(s, SPIKE_SLAB, 3);
    ImpactAnalysis.Result b = analyse(s, SPIKE_SLAB, 3);
    assertEquals(a.summary(), b.summary());
    assertArrayEquals(a.points(), b.points());
    assertArrayEquals(a.controls(), b.controls());
    // Without the streams, the refits are seeded from the series' stream, deterministically too.
    ImpactAnalysis.Result c =
        ImpactAnalysis.analyse(s.t(), s.y(), s.c(), s.post(), SPIKE_SLAB, Seeds.of(4));
    ImpactAnalysis.Result d =
        ImpactAnalysis.analyse(s.t(), s.y(), s.c(), s.post(), SPIKE_SLAB, Seeds.of(4));
    assertEquals(c.summary(), d.summary());
  }

  /**
   * 40 candidates and 30 pre-period points, 3 real controls (coefficients 1.5, −0.7, 1.0 on iid
   * N(20, 3²) candidates, noise N(0, 1)): the full regression cannot be fitted, the sparse one is.
   * The real controls are in (inclusion &gt; 0.5), and the diagnostics come from the posterior-mean
   * fit: R² near the simulation's 1 − 1/(1 + 3²(1.5² + 0.7² + 1²)) = 0.97 (above 0.9), residual sd
   * near the true 1 (within [0.6, 1.5]: the sd of a 26-dof estimate is about 0.14, and an omitted
   * or spurious control moves it further).
   */
  @Test
  void fortyCandidatesThirtyPrePointsAreAnalysed() {
    int n = 40;
    int nPre = 30;
    ZigguratSampler.NormalizedGaussian z =
        ZigguratSampler.NormalizedGaussian.of(Seeds.of(5, "forty"));
    double[] t = new double[n];
    double[][] c = new double[n][40];
    boolean[] post = new boolean[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = i;
      post[i] = i >= nPre;
      for (int j = 0; j < 40; j++) {
        c[i][j] = 20 + 3 * z.sample();
      }
      y[i] = 5 + 1.5 * c[i][0] - 0.7 * c[i][1] + 1.0 * c[i][2] + z.sample() + (post[i] ? 3 : 0);
    }
    ImpactAnalysis.Result r =
        ImpactAnalysis.analyse(t, y, c, post, SPIKE_SLAB, Seeds.of(1), x -> Seeds.of(1, x));
    ImpactAnalysis.Summary s = r.summary();
    assertEquals("ok", s.status(), s.toString());
    for (int j = 0; j < 3; j++) {
      assertTrue(r.controls()[j].inclusionProb() > 0.5, r.controls()[j].toString());
    }
    assertTrue(s.preR2() > 0.9, s.toString());
    assertTrue(s.preResidualSd() > 0.6 && s.preResidualSd() < 1.5, s.toString());
    assertTrue(Double.isFinite(s.preResidualAutocorrelation()), s.toString());
    assertTrue(s.averageQ025() <= 3 && 3 <= s.averageQ975(), s.toString());
    // The local level with the spike-and-slab sweep is analysed too, and finds the same controls.
    ImpactAnalysis.Settings level =
        new ImpactAnalysis.Settings(
                false, 0.05, 500, 1e4, 1e-3, 1e-3, 10, ImpactAnalysis.LOCAL_LEVEL, 200, 1000)
            .withControlPrior(ImpactAnalysis.SPIKE_SLAB, 3);
    ImpactAnalysis.Result l =
        ImpactAnalysis.analyse(t, y, c, post, level, Seeds.of(1), x -> Seeds.of(1, x));
    assertEquals("ok", l.summary().status(), l.summary().toString());
    for (int j = 0; j < 3; j++) {
      assertTrue(l.controls()[j].inclusionProb() > 0.5, l.controls()[j].toString());
    }
    assertTrue(l.summary().preR2() > 0.9, l.summary().toString());
    // The normal prior needs 1 + 40 + 3 = 44 points and refuses the series, saying so.
    ImpactAnalysis.Settings normal = SPIKE_SLAB.withControlPrior(ImpactAnalysis.NORMAL, 3);
    ImpactAnalysis.Summary refused =
        ImpactAnalysis.analyse(t, y, c, post, normal, Seeds.of(1)).summary();
    assertEquals("too_few_points", refused.status());
    assertEquals(44, refused.pointsNeeded());
    assertEquals(30, refused.nPre());
  }

  /**
   * The 0.99 quantile of Binomial(k, E/k), against the cumulative probabilities summed exactly in
   * BigDecimal from C(k, m) p^m (1 − p)^(k − m) (34 significant digits: no rounding can move a
   * cumulative sum across 0.99 unless it lies within 1e-30 of it).
   */
  @Test
  void modelSizeBoundIsTheBinomialQuantile() {
    int[][] cases = {{40, 3}, {50, 3}, {20, 3}, {30, 5}, {200, 3}, {5, 3}, {10, 1}};
    for (int[] c : cases) {
      int k = c[0];
      BigDecimal p = new BigDecimal(c[1]).divide(new BigDecimal(k), MathContext.DECIMAL128);
      BigDecimal q = BigDecimal.ONE.subtract(p);
      BigDecimal cdf = BigDecimal.ZERO;
      int expected = -1;
      for (int m = 0; m <= k && expected < 0; m++) {
        BigDecimal pmf =
            new BigDecimal(binomial(k, m))
                .multiply(p.pow(m, MathContext.DECIMAL128))
                .multiply(q.pow(k - m, MathContext.DECIMAL128), MathContext.DECIMAL128);
        cdf = cdf.add(pmf, MathContext.DECIMAL128);
        if (cdf.compareTo(new BigDecimal("0.99")) >= 0) {
          expected = m;
        }
      }
      assertEquals(expected, SpikeSlab.modelSizeBound(k, c[1]), k + " candidates");
    }
    // An expected size at least the candidates keeps them all.
    assertEquals(4, SpikeSlab.modelSizeBound(4, 6));
    assertEquals(0, SpikeSlab.modelSizeBound(0, 3));
  }

  /**
   * Spike-and-slab needs the forced columns, the bound and 3: with 50 candidates and an intercept,
   * 1 + 7 + 3 = 11 points, not 54 (7: P(Binomial(50, 0.06) ≤ 7) = 0.99062 ≥ 0.99 &gt; P(≤ 6) =
   * 0.9711, Python's math.comb summed in doubles); one point fewer is {@code too_few_points} and
   * carries the need.
   */
  @Test
  void sparseModelNeedsPointsForItsModelSizeOnly() {
    int needed = 1 + 7 + 3;
    for (int nPre : new int[] {needed - 1, needed}) {
      Series s = walks(9, 50, 2, nPre + 5, nPre, 3);
      ImpactAnalysis.Summary r = analyse(s, SPIKE_SLAB, 1).summary();
      assertEquals(needed, r.pointsNeeded());
      assertEquals(nPre < needed ? "too_few_points" : "ok", r.status(), r.toString());
    }
  }

  /** A duplicated time is named: the first one, its rows, and how many times are duplicated. */
  @Test
  void duplicatedTimesAreNamed() {
    double[] t = {9, 1, 4, 2, 2, 5, 4, 4, 3, 6, 7, 8};
    int n = t.length;
    double[] y = new double[n];
    double[][] c = new double[n][1];
    boolean[] post = new boolean[n];
    for (int i = 0; i < n; i++) {
      y[i] = i;
      c[i][0] = i * i;
      post[i] = t[i] >= 8;
    }
    ImpactAnalysis.Summary r =
        ImpactAnalysis.analyse(t, y, c, post, SPIKE_SLAB, Seeds.of(1)).summary();
    assertEquals("duplicate_times", r.status());
    assertEquals(2.0, r.duplicateTime(), 0.0);
    assertEquals(2, r.duplicateRows());
    assertEquals(2, r.duplicatedTimes());
    t[4] = 4.5;
    r = ImpactAnalysis.analyse(t, y, c, post, SPIKE_SLAB, Seeds.of(1)).summary();
    assertEquals(4.0, r.duplicateTime(), 0.0);
    assertEquals(3, r.duplicateRows());
    assertEquals(1, r.duplicatedTimes());
  }

  private static BigInteger binomial(int n, int k) {
    BigInteger b = BigInteger.ONE;
    for (int i = 0; i < k; i++) {
      b = b.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
    }
    return b;
  }
}
