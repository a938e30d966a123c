package io.segfx.stats.pooling;

/**
 * Restricted maximum likelihood estimate of the between-segment variance of the normal–normal
 * model, by Fisher scoring (Viechtbauer, "Bias and efficiency of meta-analytic variance estimators
 * in the random-effects model", J. Educ. Behav. Stat. 30, 2005, 261–293, eqs. 10–12; the algorithm
 * of R's {@code metafor::rma(method = "REML")}).
 *
 * <p>With {@code w_j = 1/(v_j + tau2)}, {@code mu(tau2) = sum(w y)/sum(w)} and {@code P = W - W 1
 * 1' W / sum(w)}, the restricted log-likelihood has score and expected information
 *
 * <pre>
 *   U(tau2) = 1/2 [ sum w_j^2 (y_j - mu)^2 - tr(P) ],   tr(P)  = sum w - sum w^2 / sum w
 *   I(tau2) = 1/2 tr(P P),   tr(PP) = sum w^2 - 2 sum w^3 / sum w + (sum w^2 / sum w)^2
 * </pre>
 *
 * and the update {@code tau2 <- tau2 + U/I}, from the DerSimonian–Laird estimate. Scoring uses the
 * expected information, which can understate the curvature: on a few random groups in a thousand
 * its steps overshoot the root of U and then cycle or grow without end (for example between tau2 =
 * 0 and 8.7e-8). So every evaluated U narrows a bracket {@code [lo, hi]} of the root (U > 0 below
 * it, U < 0 above), and a step that leaves the bracket, or is more than half the step before last,
 * is replaced by bisection (the safeguard of rtsafe, Press et al., Numerical Recipes, 3rd ed.,
 * section 9.4). The first step to or below 0 goes to 0 itself: with U(0) <= 0 the maximum is on the
 * boundary and the estimate is exactly 0 (bisection would only approach it, leaving tau2 ~ 1e-12
 * where the segments should be pooled completely). The restricted likelihood can have a local
 * maximum inside besides one at 0 (on a random group of 19 segments: log L 146.084 at 0 against
 * 145.875 at the interior root 4.7e-9); the root found is compared with 0 and the higher kept. It
 * stops when a step, or the bracket, is below {@link #TOLERANCE} times {@code tau2 + mean(v_j)}:
 * relative to the scale of the variances, so that estimates in large units converge as those near 1
 * do (an absolute 1e-10 is below one ulp of tau2 ~ 1e6, so groups at scales 1e2 to 1e4 could not
 * meet it).
 */
public final class Reml {
  /** Convergence tolerance on tau^2, relative to tau^2 + mean(se^2). */
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
    double meanV = mean(v);
    double lo = 0;
    double hi = Double.POSITIVE_INFINITY;
    // Whether U(0) has been evaluated (and found positive, else the estimate is 0).
    boolean zeroTried = false;
    double lastStep = Double.POSITIVE_INFINITY;
    double stepBeforeLast = Double.POSITIVE_INFINITY;
    for (int it = 1; it <= MAX_ITERATIONS; it++) {
      double[] scoring = scoreAndInformation(y, v, tau2);
      double score = scoring[0];
      double trPP = scoring[1];
      double tol = TOLERANCE * (tau2 + meanV);
      if (score > 0) {
        lo = Math.max(lo, tau2);
      } else if (score < 0) {
        hi = Math.min(hi, tau2);
      }
      zeroTried |= tau2 == 0;
      double next;
      if (tau2 == 0 && score <= 0) {
        next = 0;
      } else {
        next = tau2 + score / trPP;
        if (next <= 0 && !zeroTried && lo == 0) {
          // A step to or past the boundary: the maximum may be at 0 itself (U(0) <= 0), which
          // bisection towards 0 would only approach.
          next = 0;
        } else {
          boolean outside = !(next > lo && next < hi) && !(score == 0);
          if (outside
              || (hi < Double.POSITIVE_INFINITY && Math.abs(next - tau2) > 0.5 * stepBeforeLast)) {
            next = 0.5 * (lo + hi);
          }
        }
      }
      if (!Double.isFinite(next)) {
        break;
      }
      stepBeforeLast = lastStep;
      lastStep = Math.abs(next - tau2);
      boolean done = lastStep < tol || hi - lo < tol;
      tau2 = next;
      if (done
          && tau2 > 0
          && restrictedLogLikelihood(y, v, 0) > restrictedLogLikelihood(y, v, tau2)) {
        tau2 = 0;
      }
      if (done) {
        double[] m = PoolingInputs.weightedMean(y, v, tau2);
        return new PoolingResult("reml", m[0], m[1], tau2, k, it);
      }
    }
    throw new ArithmeticException(
        "REML did not converge to " + TOLERANCE + " in " + MAX_ITERATIONS + " iterations");
  }

  /** The mean of v, as the sum of v_j / k (the scale of the convergence tolerance). */
  private static double mean(double[] v) {
    int k = v.length;
    double mean = 0;
    for (double x : v) {
      mean += x / k;
    }
    return mean;
  }

  /**
   * Twice the score and twice the expected information at tau2, {@code {2 U, tr(PP)}} (the common
   * factor 1/2 cancels in the step U/I).
   */
  private static double[] scoreAndInformation(double[] y, double[] v, double tau2) {
    int k = y.length;
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
    return new double[] {ryr - trP, trPP};
  }

  /**
   * The restricted log-likelihood up to a constant (Viechtbauer 2005, eq. 9): {@code -1/2 [sum
   * log(v_j + tau2) + log sum w_j + sum w_j (y_j - mu)^2]}, w_j = 1/(v_j + tau2).
   */
  static double restrictedLogLikelihood(double[] y, double[] v, double tau2) {
    double sw = 0;
    double swy = 0;
    double logs = 0;
    for (int j = 0; j < y.length; j++) {
      double w = 1 / (v[j] + tau2);
      sw += w;
      swy += w * y[j];
      logs += Math.log(v[j] + tau2);
    }
    double mu = swy / sw;
    double q = 0;
    for (int j = 0; j < y.length; j++) {
      double d = y[j] - mu;
      q += d * d / (v[j] + tau2);
    }
    return -0.5 * (logs + Math.log(sw) + q);
  }
}
