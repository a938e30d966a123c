package io.segfx.stats;

import io.segfx.util.Checks;

/**
 * The normal–inverse-gamma posterior of one arm's mean with its own variance (seed notebook section
 * 5; Gelman et al., BDA3 section 3.3 in the (mu0, kappa0, alpha0, beta0) form of Murphy, "Conjugate
 * Bayesian analysis of the Gaussian distribution", 2007, eqs. 86–89):
 *
 * <pre>
 *   kappa_n = kappa0 + n,   mu_n = (kappa0 mu0 + n ybar) / kappa_n,   alpha_n = alpha0 + n/2
 *   beta_n  = beta0 + SS/2 + kappa0 n (ybar - mu0)^2 / (2 kappa_n),    SS = sum (y - ybar)^2
 * </pre>
 *
 * The marginal posterior of the mean is Student-t with {@code 2 alpha_n} degrees of freedom,
 * location {@code mu_n} and scale {@code sqrt(beta_n / (alpha_n kappa_n))} (Murphy eq. 90).
 *
 * @param mu location mu_n
 * @param scale t scale
 * @param dof degrees of freedom 2 alpha_n
 */
public record NigPosterior(double mu, double scale, double dof) {
  /** The notebook's weak prior: mu0 = 0, kappa0 = 1e-4, alpha0 = beta0 = 1e-3. */
  public static final double[] WEAK = {0, 1e-4, 1e-3, 1e-3};

  /**
   * The posterior of one arm from its count, mean and centred sum of squares.
   *
   * @param prior {mu0, kappa0, alpha0, beta0}
   * @throws IllegalArgumentException if n &lt; 1 or a prior parameter is out of range
   */
  public static NigPosterior of(long n, double ybar, double ss, double[] prior) {
    if (n < 1) {
      throw new IllegalArgumentException("an NIG posterior needs n >= 1, got " + n);
    }
    double mu0 = prior[0];
    double kappa0 = Checks.positive("kappa0", prior[1]);
    double alpha0 = Checks.positive("alpha0", prior[2]);
    double beta0 = Checks.positive("beta0", prior[3]);
    double kappaN = kappa0 + n;
    double muN = (kappa0 * mu0 + n * ybar) / kappaN;
    double alphaN = alpha0 + n / 2.0;
    double betaN = beta0 + 0.5 * ss + kappa0 * n * (ybar - mu0) * (ybar - mu0) / (2 * kappaN);
    return new NigPosterior(muN, Math.sqrt(betaN / (alphaN * kappaN)), 2 * alphaN);
  }

  /** Posterior variance of the mean, scale^2 dof/(dof - 2) (infinite when dof &lt;= 2). */
  public double variance() {
    return dof > 2 ? scale * scale * dof / (dof - 2) : Double.POSITIVE_INFINITY;
  }
}
