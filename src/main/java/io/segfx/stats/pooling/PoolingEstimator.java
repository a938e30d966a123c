package io.segfx.stats.pooling;

import io.segfx.util.Checks;
import java.util.Objects;

/**
 * A way to pool one group's segment estimates under the normal–normal model {@code y_j ~ N(theta_j,
 * s_j²)}, {@code theta_j ~ N(mu, tau²)}. Every method returns a {@link PooledFit}, so the caller
 * handles one posterior type whichever method the run chose.
 */
public sealed interface PoolingEstimator
    permits PoolingEstimator.Moments,
        PoolingEstimator.Dl,
        PoolingEstimator.RemlOrDl,
        PoolingEstimator.FullBayes {

  /**
   * Pools the segment estimates.
   *
   * @param y segment estimates
   * @param se their standard errors (> 0)
   * @throws IllegalArgumentException for too few, non-finite or non-positive inputs (see each
   *     method)
   */
  PooledFit fit(double[] y, double[] se);

  /**
   * The seed notebook's floored moments estimator ({@link MomentsPooling}); no Knapp–Hartung
   * interval, whose derivation assumes the random-effects weights this estimator does not use.
   *
   * @param floor lower bound on tau² (>= 0)
   */
  record Moments(double floor) implements PoolingEstimator {
    public Moments {
      Checks.nonNegative("moments floor", floor);
    }

    @Override
    public PooledFit fit(double[] y, double[] se) {
      return PooledFit.empiricalBayes(y, se, MomentsPooling.fit(y, se, floor), null, false);
    }
  }

  /**
   * DerSimonian–Laird ({@link DerSimonianLaird}) with its Knapp–Hartung interval.
   *
   * @param khTruncate true for the truncated ({@code adhoc}) Knapp–Hartung factor
   */
  record Dl(boolean khTruncate) implements PoolingEstimator {
    @Override
    public PooledFit fit(double[] y, double[] se) {
      return withKnappHartung(y, se, DerSimonianLaird.fit(y, se), khTruncate, false);
    }
  }

  /**
   * REML ({@link Reml}) with its Knapp–Hartung interval; where Fisher scoring does not converge,
   * DerSimonian–Laird's closed form stands in, so that the group is still pooled ({@link
   * PooledFit#fellBack}).
   *
   * @param khTruncate true for the truncated ({@code adhoc}) Knapp–Hartung factor
   */
  record RemlOrDl(boolean khTruncate) implements PoolingEstimator {
    @Override
    public PooledFit fit(double[] y, double[] se) {
      PoolingResult r;
      boolean fellBack = false;
      try {
        r = Reml.fit(y, se);
      } catch (ArithmeticException ex) {
        r = DerSimonianLaird.fit(y, se);
        fellBack = true;
      }
      return withKnappHartung(y, se, r, khTruncate, fellBack);
    }
  }

  /**
   * Full Bayes over a tau grid ({@link FullBayesPooling}).
   *
   * @param tauPrior the prior of tau
   * @param muPrior {m0, s0} of a normal prior on mu, or null for the flat prior
   */
  record FullBayes(TauPrior tauPrior, double[] muPrior) implements PoolingEstimator {
    public FullBayes {
      Objects.requireNonNull(tauPrior, "tauPrior");
    }

    @Override
    public PooledFit fit(double[] y, double[] se) {
      return PooledFit.fullBayes(FullBayesPooling.fit(y, se, tauPrior, muPrior));
    }
  }

  private static PooledFit withKnappHartung(
      double[] y, double[] se, PoolingResult r, boolean truncate, boolean fellBack) {
    KnappHartung kh = KnappHartung.of(y, se, r.mu(), r.tau2(), truncate);
    return PooledFit.empiricalBayes(y, se, r, kh, fellBack);
  }
}
