package io.segfx.stats.pooling;

/**
 * The DerSimonian–Laird method-of-moments estimator of the between-study variance (DerSimonian
 * &amp; Laird, Controlled Clinical Trials 7, 1986, 177–188, eq. 8):
 *
 * <pre>
 *   w_j = 1/v_j,  ybar_w = sum(w y)/sum(w),  Q = sum w_j (y_j - ybar_w)^2
 *   tau2 = max(0, (Q - (k - 1)) / (sum w - sum w^2 / sum w))
 * </pre>
 *
 * followed by the random-effects mean {@code mu = sum(w* y)/sum(w*)}, {@code w*_j = 1/(v_j +
 * tau2)}, with standard error {@code 1/sqrt(sum w*)}.
 */
public final class DerSimonianLaird {
  private DerSimonianLaird() {}

  /**
   * Fits the estimator.
   *
   * @param y segment estimates
   * @param se their standard errors (> 0)
   * @throws IllegalArgumentException with fewer than 2 estimates, non-finite estimates or
   *     non-positive standard errors
   */
  public static PoolingResult fit(double[] y, double[] se) {
    double[] v = PoolingInputs.variances(y, se, 2);
    double tau2 = tau2(y, v);
    double[] m = PoolingInputs.weightedMean(y, v, tau2);
    return new PoolingResult("dl", m[0], m[1], tau2, y.length, 0);
  }

  /**
   * The DL estimate of tau^2 from estimates and sampling variances.
   *
   * <p>The denominator {@code sum w - sum w^2 / sum w} is computed as {@code sum_j w_j S_j / sum w}
   * with {@code S_j = sum_{i != j} w_i} (prefix plus suffix sums of positive terms): the same
   * quantity without the subtraction, which loses every digit when one segment's weight dominates
   * (a nearly constant segment with se 1e-10 beside others with se 0.3 makes it 0, and tau2
   * infinite).
   */
  static double tau2(double[] y, double[] v) {
    int k = y.length;
    double[] w = new double[k];
    double sw = 0;
    double swy = 0;
    for (int j = 0; j < k; j++) {
      w[j] = 1.0 / v[j];
      sw += w[j];
      swy += w[j] * y[j];
    }
    double ybar = swy / sw;
    double q = 0;
    for (int j = 0; j < k; j++) {
      q += (y[j] - ybar) * (y[j] - ybar) / v[j];
    }
    double[] suffix = new double[k + 1];
    for (int j = k - 1; j >= 0; j--) {
      suffix[j] = suffix[j + 1] + w[j];
    }
    double prefix = 0;
    double c = 0;
    for (int j = 0; j < k; j++) {
      c += w[j] * (prefix + suffix[j + 1]);
      prefix += w[j];
    }
    return Math.max(0.0, (q - (k - 1)) / (c / sw));
  }
}
