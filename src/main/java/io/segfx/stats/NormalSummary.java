package io.segfx.stats;

import io.segfx.util.Checks;
import org.apache.commons.math3.special.Erf;

/**
 * Exact summaries of a normal posterior N(m, s^2): mean, sd, central 95% interval {@code m ±
 * z_0.975 s} and tail probabilities {@code P(X > t) = erfc((t - m) / (s sqrt 2)) / 2} (Abramowitz
 * &amp; Stegun 26.2.29). A degenerate posterior (s = 0) is a point mass.
 *
 * @param mean m
 * @param sd s
 * @param q025 2.5% quantile
 * @param q975 97.5% quantile
 * @param probPositive P(X > 0)
 * @param probAboveThreshold P(X > threshold)
 */
public record NormalSummary(
    double mean,
    double sd,
    double q025,
    double q975,
    double probPositive,
    double probAboveThreshold)
    implements EffectSummary {

  /** The 97.5% standard normal quantile, Phi^{-1}(0.975). */
  public static final double Z975 = 1.959963984540054;

  /**
   * Summarises N(mean, sd^2).
   *
   * @throws IllegalArgumentException if mean is not finite or sd is negative or NaN
   */
  public static NormalSummary of(double mean, double sd, double threshold) {
    Checks.finite("mean", mean);
    Checks.nonNegative("sd", sd);
    return new NormalSummary(
        mean,
        sd,
        mean - Z975 * sd,
        mean + Z975 * sd,
        upperTail(mean, sd, 0),
        upperTail(mean, sd, threshold));
  }

  /** P(X > t) for X ~ N(mean, sd^2). */
  public static double upperTail(double mean, double sd, double t) {
    if (sd == 0) {
      return mean > t ? 1.0 : 0.0;
    }
    return 0.5 * Erf.erfc((t - mean) / (sd * Math.sqrt(2.0)));
  }
}
