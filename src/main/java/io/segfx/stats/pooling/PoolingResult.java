package io.segfx.stats.pooling;

import io.segfx.stats.Shrinkage;
import io.segfx.util.Checks;
import java.util.Objects;

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

  /**
   * Validates the estimates. The names are those of {@link Shrinkage#posterior}'s checks, which
   * read the same values.
   *
   * @throws IllegalArgumentException if muSe or tau2 is negative or NaN, or the counts are not
   *     positive and non-negative
   */
  public PoolingResult {
    Objects.requireNonNull(method, "method");
    Checks.nonNegative("mu_se", muSe);
    Checks.nonNegative("tau2", tau2);
    Checks.positive("segments", segments);
    Checks.nonNegative("iterations", iterations);
  }

  /** The between-segment standard deviation tau. */
  public double tau() {
    return Math.sqrt(tau2);
  }
}
