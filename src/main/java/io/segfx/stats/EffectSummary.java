package io.segfx.stats;

/**
 * The figures every summary of a scalar posterior reports, however it was obtained (draws, a
 * normal, a normal mixture): the output tables print these six the same way.
 */
public interface EffectSummary {
  /** The posterior mean. */
  double mean();

  /** The posterior standard deviation. */
  double sd();

  /** The 2.5% quantile. */
  double q025();

  /** The 97.5% quantile. */
  double q975();

  /** P(X > 0). */
  double probPositive();

  /** P(X > threshold). */
  double probAboveThreshold();
}
