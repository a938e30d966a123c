package io.segfx.stats.pooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.stats.NormalSummary;
import io.segfx.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Each {@link PoolingEstimator} returns its estimator's figures unchanged: the pooled posterior is
 * the estimator's result, bit for bit, so that stage 2 writes the same numbers whichever way it is
 * reached. The data are the BCG trials (Viechtbauer 2010).
 */
class PoolingEstimatorTest {
  private static final double[][] BCG = Fixtures.bcg();

  private static void assertPlugIn(PoolingResult r, PooledFit fit) {
    HierarchicalPosterior h = fit.posterior();
    assertFalse(fit.fullBayes());
    assertEquals(r, fit.estimate());
    // Bitwise (assertEquals on doubles compares their bits): the plug-in copies or recomputes
    // each figure with the operations the estimator's own row uses.
    assertEquals(r.mu(), h.muMean());
    assertEquals(r.muSe(), h.muSd());
    assertEquals(r.tau(), h.tauMean());
    assertEquals(r.mu() - NormalSummary.Z975 * r.muSe(), h.muQ025());
    assertEquals(r.mu() + NormalSummary.Z975 * r.muSe(), h.muQ975());
    assertEquals(Double.NaN, h.tauQ025());
    assertEquals(r.tau2() == 0, fit.tauZero());
  }

  @Test
  void empiricalBayesFitsCarryTheirEstimatorsBits() {
    double[] y = BCG[0];
    double[] se = BCG[1];
    PooledFit moments = new PoolingEstimator.Moments(0.05).fit(y, se);
    assertPlugIn(MomentsPooling.fit(y, se, 0.05), moments);
    assertNull(moments.knappHartung());

    PoolingResult dl = DerSimonianLaird.fit(y, se);
    PooledFit dlFit = new PoolingEstimator.Dl(true).fit(y, se);
    assertPlugIn(dl, dlFit);
    assertEquals(KnappHartung.of(y, se, dl.mu(), dl.tau2(), true), dlFit.knappHartung());

    PoolingResult reml = Reml.fit(y, se);
    PooledFit remlFit = new PoolingEstimator.RemlOrDl(false).fit(y, se);
    assertPlugIn(reml, remlFit);
    assertFalse(remlFit.fellBack());
    assertEquals(KnappHartung.of(y, se, reml.mu(), reml.tau2(), false), remlFit.knappHartung());
  }

  @Test
  void fullBayesFitIsTheGridPosterior() {
    PooledFit fit = new PoolingEstimator.FullBayes(TauPrior.UNIFORM, null).fit(BCG[0], BCG[1]);
    assertTrue(fit.fullBayes());
    assertNull(fit.estimate());
    assertNull(fit.knappHartung());
    assertFalse(fit.tauZero());
    HierarchicalPosterior expected = FullBayesPooling.fit(BCG[0], BCG[1], TauPrior.UNIFORM, null);
    assertEquals(expected.muMean(), fit.posterior().muMean());
    assertEquals(expected.tauQ975(), fit.posterior().tauQ975());
  }

  @Test
  void invalidValuesAreRefusedWithTheValue() {
    IllegalArgumentException floor =
        assertThrows(IllegalArgumentException.class, () -> new PoolingEstimator.Moments(-0.1));
    assertEquals("moments floor must be >= 0, got -0.1", floor.getMessage());
    IllegalArgumentException tau2 =
        assertThrows(
            IllegalArgumentException.class, () -> new PoolingResult("dl", 0, 1, Double.NaN, 3, 0));
    assertEquals("tau2 must be >= 0, got NaN", tau2.getMessage());
    HierarchicalPosterior grid = FullBayesPooling.fit(BCG[0], BCG[1], TauPrior.UNIFORM, null);
    IllegalArgumentException mixed =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PooledFit(grid, DerSimonianLaird.fit(BCG[0], BCG[1]), null, false));
    assertTrue(mixed.getMessage().startsWith("a grid posterior comes without point estimates"));
  }
}
