package io.segfx.stats;

/**
 * Normal–normal partial pooling of one segment (seed notebook section 9; Gelman et al., Bayesian
 * Data Analysis, 3rd ed., eq. 5.17 with the hyperparameters plugged in):
 *
 * <pre>
 *   theta_j | y_j ~ N( (y_j/s_j^2 + mu/tau^2) / (1/s_j^2 + 1/tau^2),  1 / (1/s_j^2 + 1/tau^2) )
 *   weight on the raw estimate = (1/s_j^2) / (1/s_j^2 + 1/tau^2)
 * </pre>
 *
 * When tau^2 = 0 (no detectable heterogeneity) the segments are pooled completely: theta_j = mu,
 * and the posterior standard deviation is that of mu, the limit of BDA eq. 5.17 with mu's own
 * uncertainty kept.
 */
public final class Shrinkage {
  private Shrinkage() {}

  /**
   * A normal posterior of one segment effect.
   *
   * @param mean posterior mean
   * @param sd posterior standard deviation
   * @param weightOnRaw weight of the raw estimate in the posterior mean
   */
  public record Posterior(double mean, double sd, double weightOnRaw) {}

  /**
   * The plug-in posterior of one segment.
   *
   * @param y raw estimate
   * @param se its standard error (> 0)
   * @param mu pooled mean
   * @param muSe standard error of mu, used only when tau2 = 0
   * @param tau2 between-segment variance (>= 0)
   */
  public static Posterior posterior(double y, double se, double mu, double muSe, double tau2) {
    Checks.positive("se", se);
    Checks.nonNegative("tau2", tau2);
    if (tau2 == 0) {
      return new Posterior(mu, muSe, 0.0);
    }
    double dataPrecision = 1.0 / (se * se);
    double priorPrecision = 1.0 / tau2;
    double total = dataPrecision + priorPrecision;
    return new Posterior(
        (dataPrecision * y + priorPrecision * mu) / total,
        Math.sqrt(1.0 / total),
        dataPrecision / total);
  }

  /** The posterior of a segment that is not pooled: its own estimate under a flat prior. */
  public static Posterior unpooled(double y, double se) {
    return new Posterior(y, se, 1.0);
  }
}
