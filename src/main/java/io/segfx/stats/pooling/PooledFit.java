package io.segfx.stats.pooling;

import java.util.Objects;

/**
 * One group's pooled posterior, whichever {@link PoolingEstimator} fitted it: the hierarchy the
 * segment effects share (the full-Bayes grid posterior, or the empirical-Bayes plug-in as a
 * one-node grid) and, for the empirical-Bayes methods, the point estimates behind the plug-in.
 *
 * <p>The experiment-level figures are read from {@link #posterior} for every method: the plug-in
 * sets mu's mean and sd to mu^ and SE(mu^), its interval to {@code mu^ ± 1.96 SE(mu^)} and tau to
 * {@code sqrt(tau2^)}, with tau's quantiles NaN, which are exactly the empirical-Bayes figures.
 *
 * @param posterior the shared posterior of mu and tau
 * @param estimate the empirical-Bayes estimates (null under full Bayes, which has no point estimate
 *     of tau²)
 * @param knappHartung the Knapp–Hartung interval of mu (null unless the method has one: reml, dl)
 * @param fellBack true when REML did not converge and DerSimonian–Laird's estimate stands in
 */
public record PooledFit(
    HierarchicalPosterior posterior,
    PoolingResult estimate,
    KnappHartung knappHartung,
    boolean fellBack) {

  public PooledFit {
    Objects.requireNonNull(posterior, "posterior");
    if ((estimate == null) != posterior.grid()) {
      throw new IllegalArgumentException(
          "a grid posterior comes without point estimates and a plug-in with them, got grid = "
              + posterior.grid()
              + " and estimate = "
              + estimate);
    }
    if (estimate == null && (knappHartung != null || fellBack)) {
      throw new IllegalArgumentException(
          "full Bayes has no Knapp–Hartung interval and no fallback, got " + knappHartung);
    }
  }

  /** The fit of an empirical-Bayes estimate, with its plug-in posterior. */
  static PooledFit empiricalBayes(
      double[] y,
      double[] se,
      PoolingResult estimate,
      KnappHartung knappHartung,
      boolean fellBack) {
    HierarchicalPosterior plugIn =
        HierarchicalPosterior.plugIn(y, se, estimate.mu(), estimate.muSe(), estimate.tau2());
    return new PooledFit(plugIn, estimate, knappHartung, fellBack);
  }

  /** The fit of a full-Bayes grid posterior. */
  static PooledFit fullBayes(HierarchicalPosterior grid) {
    return new PooledFit(grid, null, null, false);
  }

  /** True for a full-Bayes fit, whose segment posteriors are mixtures over the tau grid. */
  public boolean fullBayes() {
    return estimate == null;
  }

  /** True when an empirical-Bayes tau² is exactly 0: the segments are pooled completely. */
  public boolean tauZero() {
    return estimate != null && estimate.tau2() == 0;
  }
}
