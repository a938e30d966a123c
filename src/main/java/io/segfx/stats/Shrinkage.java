package io.segfx.stats;

import io.segfx.util.Checks;

/**
 * Normal–normal partial pooling of one segment with the hyperparameters estimated: the empirical
 * best linear unbiased predictor (BLUP) of theta_j and its standard error, carrying the uncertainty
 * of the estimated mean (Raudenbush &amp; Bryk, "Empirical Bayes meta-analysis", J. Educ. Stat. 10,
 * 1985, 75–98; Viechtbauer 2010, J. Stat. Softw. 36(3); R's {@code metafor::blup.rma.uni}, which
 * computes exactly this with {@code Var(mu^) = 1/sum w_j}, {@code w_j = 1/(s_j² + tau²)}, under its
 * default {@code test = "z"}; under {@code test = "knha"} it puts the Knapp–Hartung variance
 * there):
 *
 * <pre>
 *   B_j        = s_j² / (s_j² + tau²)                     (shrinkage towards mu)
 *   theta_j^   = (1 - B_j) y_j + B_j mu^
 *   Var        = (1 - B_j) s_j² + B_j² Var(mu^)
 *   weight on the raw estimate = 1 - B_j = tau² / (s_j² + tau²)
 * </pre>
 *
 * (1 − B_j) s_j² is the plug-in variance 1/(1/s_j² + 1/tau²) of Gelman et al., Bayesian Data
 * Analysis, 3rd ed., eq. 5.17, which treats mu as known. The B_j² Var(mu^) term keeps mu^'s own
 * uncertainty: without it the sd falls from SE(mu^) at tau² = 0 to the much smaller plug-in value
 * at any tau² > 0, so that two inputs differing in the last digits can give intervals tens of times
 * apart. With it the posterior is continuous in tau² and equals mu^ ± SE(mu^) at tau² = 0 (complete
 * pooling). The term is exact for any mu^ linear in y and unbiased: theta_j minus its conditional
 * mean given (y_j, mu) is independent of every y, so of mu^.
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
   * The empirical-Bayes posterior (BLUP) of one segment.
   *
   * @param y raw estimate
   * @param se its standard error (> 0)
   * @param mu pooled mean
   * @param muSe standard error of mu (>= 0; 0 treats mu as known, the plug-in posterior)
   * @param tau2 between-segment variance (>= 0)
   * @throws IllegalArgumentException if se is not positive, or muSe or tau2 is negative or NaN
   */
  public static Posterior posterior(double y, double se, double mu, double muSe, double tau2) {
    Checks.positive("se", se);
    Checks.nonNegative("mu_se", muSe);
    Checks.nonNegative("tau2", tau2);
    double v = se * se;
    // B and 1 - B each from their own ratio, so that neither loses digits to 1 - B near B = 1
    // (tau² far below s²) and tau² = 0 gives B = 1, 1 - B = 0 exactly: theta^ = mu^, sd = SE(mu^).
    double b = v / (v + tau2);
    double raw = tau2 / (v + tau2);
    return new Posterior(raw * y + b * mu, Math.sqrt(raw * v + b * b * muSe * muSe), raw);
  }

  /** The posterior of a segment that is not pooled: its own estimate under a flat prior. */
  public static Posterior unpooled(double y, double se) {
    return new Posterior(y, se, 1.0);
  }
}
