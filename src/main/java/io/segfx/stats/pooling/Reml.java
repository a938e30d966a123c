package io.segfx.stats.pooling;

/**
 * Restricted maximum likelihood estimate of the between-segment variance of the normal–normal
 * model, by Fisher scoring (Viechtbauer, "Bias and efficiency of meta-analytic variance
 * estimators in the random-effects model", J. Educ. Behav. Stat. 30, 2005, 261–293, eqs. 10–12;
 * the algorithm of R's {@code metafor::rma(method = "REML")}).
 *
 * <p>With {@code w_j = 1/(v_j + tau2)}, {@code mu(tau2) = sum(w y)/sum(w)} and {@code P = W - W 1
 * 1' W / sum(w)}, the restricted log-likelihood has score and expected information
 *
 * <pre>
 *   U(tau2) = 1/2 [ sum w_j^2 (y_j - mu)^2 - tr(P) ],   tr(P)  = sum w - sum w^2 / sum w
 *   I(tau2) = 1/2 tr(P P),   tr(PP) = sum w^2 - 2 sum w^3 / sum w + (sum w^2 / sum w)^2
 * </pre>
 *
 * and the update {@code tau2 <- tau2 + U/I}, halved while it would go below 0, starts from the
 * DerSimonian–Laird estimate and stops when a step is below {@link #TOLERANCE}.
 */
public final class Reml {
  /** Convergence tolerance on tau^2 (absolute). */
  public static final double TOLERANCE = 1e-10;
  /** Iteration cap; reaching it throws. */
  public static final int MAX_ITERATIONS = 1000;

  private Reml() {}

  /**
   * Fits the estimator.
   *
   * @param y segment estimates
   * @param se their standard errors (> 0)
   * @throws IllegalArgumentException with fewer than 2 estimates, non-finite estimates or
   *     non-positive standard errors
   * @throws ArithmeticException if Fisher scoring does not converge
   */
  public static PoolingResult fit(double[] y, double[] se) {
    double[] v = PoolingInputs.variances(y, se, 2);
    double tau2 = DerSimonianLaird.tau2(y, v);
    int k = y.length;
    for (int it = 1; it <= MAX_ITERATIONS; it++) {
      double sw = 0;
      double sw2 = 0;
      double sw3 = 0;
      double swy = 0;
      for (int j = 0; j < k; j++) {
        double w = 1.0 / (v[j] + tau2);
        sw += w;
        sw2 += w * w;
        sw3 += w * w * w;
        swy += w * y[j];
      }
      double mu = swy / sw;
      double ryr = 0;
      for (int j = 0; j < k; j++) {
        double w = 1.0 / (v[j] + tau2);
        ryr += w * w * (y[j] - mu) * (y[j] - mu);
      }
      double trP = sw - sw2 / sw;
      double trPP = sw2 - 2 * sw3 / sw + (sw2 / sw) * (sw2 / sw);
      double step = (ryr - trP) / trPP;
      double next = tau2 + step;
      while (next < 0) {
        step /= 2;
        next = tau2 + step;
        if (Math.abs(step) < TOLERANCE) {
          next = 0;
        }
      }
      boolean done = Math.abs(next - tau2) < TOLERANCE;
      tau2 = next;
      if (done) {
        double[] m = PoolingInputs.weightedMean(y, v, tau2);
        return new PoolingResult("reml", m[0], m[1], tau2, k, it);
      }
    }
    throw new ArithmeticException(
        "REML did not converge to " + TOLERANCE + " in " + MAX_ITERATIONS + " iterations");
  }
}
