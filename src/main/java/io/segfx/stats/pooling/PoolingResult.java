package io.segfx.stats.pooling;

/**
 * Hyperparameters of the normal–normal model {@code y_j ~ N(theta_j, s_j^2)}, {@code theta_j ~
 * N(mu, tau^2)} estimated from one experiment's segment estimates.
 *
 * @param method estimator name as written to {@code experiment_pooling.method}
 * @param mu estimate of the overall effect
 * @param muSe standard error of {@code mu}
 * @param tau2 estimate of the between-segment variance tau^2 (>= 0)
 * @param segments number of segment estimates used
 * @param iterations iterations the estimator needed (0 for closed forms)
 */
public record PoolingResult(
    String method, double mu, double muSe, double tau2, int segments, int iterations) {

  /** The between-segment standard deviation tau. */
  public double tau() {
    return Math.sqrt(tau2);
  }
}
