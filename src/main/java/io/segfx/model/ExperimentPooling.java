package io.segfx.model;

import java.io.Serializable;

/**
 * Stage-2 output: the pooled hyperparameters of one (experiment, metric, variant). {@code method}
 * is the estimator, or {@code none} when fewer than the minimum number of usable segments exist
 * ({@code note} says why); then {@code mu}, {@code muSe} and {@code tau} are NaN. {@code prior}
 * states the prior of the group's posteriors.
 *
 * <p>For the empirical-Bayes methods {@code mu ± 1.96 muSe} is the 95% interval of mu and the tau
 * quantiles are NaN; {@code muSeKh} and its interval are the Knapp–Hartung adjustment (reml and
 * dl). For {@code full}, mu and tau are posterior means, {@code muSe} the posterior sd of mu, and
 * the quantiles are posterior quantiles. {@code tauZero} flags tau estimated as exactly 0 (no
 * detectable heterogeneity; empirical-Bayes methods only).
 */
public record ExperimentPooling(
    String experimentId,
    String metric,
    String variant,
    PoolingOutcome method,
    double mu,
    double muSe,
    double tau,
    int nSegments,
    int nSegmentsTotal,
    String note,
    String prior,
    double muQ025,
    double muQ975,
    double tauQ025,
    double tauQ975,
    double muSeKh,
    double muQ025Kh,
    double muQ975Kh,
    boolean tauZero)
    implements Serializable {

  /**
   * Checks the segment counts.
   *
   * @throws IllegalArgumentException unless 0 <= nSegments <= nSegmentsTotal, with both counts
   */
  public ExperimentPooling {
    if (nSegments < 0 || nSegments > nSegmentsTotal) {
      throw new IllegalArgumentException(
          "usable segments must be in [0, "
              + nSegmentsTotal
              + "] (the group's segments), got "
              + nSegments);
    }
  }

  /**
   * The row of a group without pooled figures ({@code method} {@code none} or {@code failed}):
   * every estimate and interval NaN, tau not flagged as zero.
   */
  public static ExperimentPooling notPooled(
      String experimentId,
      String metric,
      String variant,
      PoolingOutcome method,
      int nSegments,
      int nSegmentsTotal,
      String note,
      String prior) {
    double nan = Double.NaN;
    return new ExperimentPooling(
        experimentId,
        metric,
        variant,
        method,
        nan,
        nan,
        nan,
        nSegments,
        nSegmentsTotal,
        note,
        prior,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        false);
  }
}
