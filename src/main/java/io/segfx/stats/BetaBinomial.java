package io.segfx.stats;

import io.segfx.util.Checks;

/**
 * The conjugate Beta–Binomial posterior of a conversion rate (seed notebook section 3; Gelman et
 * al., Bayesian Data Analysis, 3rd ed., section 2.4): with prior {@code p ~ Beta(alpha, beta)} and
 * y conversions out of n, {@code p | y ~ Beta(alpha + y, beta + n - y)}, whose mean is {@code
 * a/(a+b)} and variance {@code ab / ((a+b)^2 (a+b+1))}.
 *
 * @param alpha posterior first shape a
 * @param beta posterior second shape b
 */
public record BetaBinomial(double alpha, double beta) {
  public BetaBinomial {
    Checks.positive("alpha", alpha);
    Checks.positive("beta", beta);
  }

  /**
   * The posterior after {@code successes} out of {@code n} under the prior Beta(priorAlpha,
   * priorBeta).
   *
   * @throws IllegalArgumentException if counts are negative or successes exceed n, or a prior shape
   *     is not positive
   */
  public static BetaBinomial posterior(
      double priorAlpha, double priorBeta, long successes, long n) {
    if (successes < 0 || n < successes) {
      throw new IllegalArgumentException(
          "need 0 <= successes <= n, got successes=" + successes + ", n=" + n);
    }
    return new BetaBinomial(
        Checks.positive("prior alpha", priorAlpha) + successes,
        Checks.positive("prior beta", priorBeta) + (n - successes));
  }

  /** Posterior mean a/(a+b). */
  public double mean() {
    return alpha / (alpha + beta);
  }

  /** Posterior variance ab/((a+b)^2 (a+b+1)). */
  public double variance() {
    double s = alpha + beta;
    return alpha * beta / (s * s * (s + 1));
  }

  /** The p-quantile (Halley's iteration on the exact CDF, see {@link FastQuantiles#beta}). */
  public double quantile(double p) {
    return FastQuantiles.beta(alpha, beta, p);
  }
}
