package io.segfx.stats.pooling;

/**
 * The seed notebook's section-9 estimator ("moments"): the precision-weighted mean of the raw
 * estimates and a floored method-of-moments between-segment variance,
 *
 * <pre>
 *   mu_hat   = sum(y_j / s_j^2) / sum(1 / s_j^2)
 *   tau2_hat = max(floor, var(y, ddof=1) - mean(s_j^2)),   floor = 0.05 in the notebook
 * </pre>
 *
 * The notebook gives no standard error for mu_hat; segfx reports the standard error of that
 * weighted mean under the random-effects model, {@code sqrt(sum w_j^2 (s_j^2 + tau2)) / sum w_j}
 * with {@code w_j = 1/s_j^2} (the variance of a fixed linear combination of independent normals).
 */
public final class MomentsPooling {
  /** The notebook's floor on the between-segment variance. */
  public static final double FLOOR_DEFAULT = 0.05;

  private MomentsPooling() {}

  /**
   * Fits the notebook's estimator.
   *
   * @param y segment estimates
   * @param se their standard errors (> 0)
   * @param floor lower bound on tau^2 (the notebook uses 0.05)
   * @throws IllegalArgumentException with fewer than 2 estimates, non-finite estimates or
   *     non-positive standard errors
   */
  public static PoolingResult fit(double[] y, double[] se, double floor) {
    double[] v = PoolingInputs.variances(y, se, 2);
    int k = y.length;
    double sw = 0;
    double swy = 0;
    double meanY = 0;
    double meanV = 0;
    for (int j = 0; j < k; j++) {
      sw += 1.0 / v[j];
      swy += y[j] / v[j];
      meanY += y[j];
      meanV += v[j];
    }
    meanY /= k;
    meanV /= k;
    double ss = 0;
    for (int j = 0; j < k; j++) {
      ss += (y[j] - meanY) * (y[j] - meanY);
    }
    double tau2 = Math.max(floor, ss / (k - 1) - meanV);
    double mu = swy / sw;
    double var = 0;
    for (int j = 0; j < k; j++) {
      double w = 1.0 / v[j];
      var += w * w * (v[j] + tau2);
    }
    return new PoolingResult("moments", mu, Math.sqrt(var) / sw, tau2, k, 0);
  }
}
