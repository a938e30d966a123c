package io.segfx.stats;

import java.io.Serializable;

/**
 * Summary of posterior draws, as the notebook's {@code summarize_draws} (section 1): mean, sd (ddof
 * = 1), 2.5% and 97.5% quantiles (type 7, see {@link Quantiles}), {@code P(X > 0)} and {@code P(X >
 * threshold)}, with the Monte Carlo standard errors {@code sd/sqrt(D)} of the mean and {@code
 * sqrt(p(1-p)/D)} of {@code P(X > 0)}.
 */
public record DrawSummary(
    double mean,
    double sd,
    double q025,
    double q975,
    double probPositive,
    double probAboveThreshold,
    double mcSeMean,
    double mcSeProbPositive)
    implements EffectSummary, Serializable {

  /**
   * This summary with the exact mean in place of the draws' mean (its Monte Carlo error then 0);
   * unchanged when {@code exact} is NaN (no exact mean known). The sd, quantiles and probabilities
   * stay the draws'.
   */
  public DrawSummary withExactMean(double exact) {
    if (Double.isNaN(exact)) {
      return this;
    }
    return new DrawSummary(
        exact, sd, q025, q975, probPositive, probAboveThreshold, 0, mcSeProbPositive);
  }

  /**
   * Summarises {@code draws}; reorders the array (quantiles by selection).
   *
   * @throws IllegalArgumentException with fewer than 2 draws
   */
  public static DrawSummary of(double[] draws, double threshold) {
    int n = draws.length;
    if (n < 2) {
      throw new IllegalArgumentException("need at least 2 draws, got " + n);
    }
    double sum = 0;
    long positive = 0;
    long above = 0;
    for (double v : draws) {
      sum += v;
      positive += v > 0 ? 1 : 0;
      above += v > threshold ? 1 : 0;
    }
    double mean = sum / n;
    double ss = 0;
    for (double v : draws) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / (n - 1));
    double p0 = (double) positive / n;
    double q025 = Quantiles.select(draws, 0.025);
    double q975 = Quantiles.select(draws, 0.975);
    return new DrawSummary(
        mean,
        sd,
        q025,
        q975,
        p0,
        (double) above / n,
        sd / Math.sqrt(n),
        Math.sqrt(p0 * (1 - p0) / n));
  }
}
