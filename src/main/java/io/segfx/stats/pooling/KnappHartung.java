package io.segfx.stats.pooling;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The Knapp–Hartung adjusted standard error and interval of the random-effects mean (Hartung &amp;
 * Knapp 2001, Statistics in Medicine 20:3875; Knapp &amp; Hartung 2003, Statistics in Medicine
 * 22:2693), untruncated as in metafor's {@code test = "knha"}, or truncated as in its {@code test =
 * "adhoc"}:
 *
 * <pre>
 *   w_j = 1 / (s_j² + tau²),  q = sum w_j (y_j - mu)² / (k - 1)
 *   SE_KH = sqrt(q / sum w_j),   mu ± t_{k-1, 0.975} SE_KH                 (knha)
 *   SE_KH = sqrt(max(1, q) / sum w_j) = max(SE_KH, 1/sqrt(sum w_j))        (adhoc, truncated)
 * </pre>
 *
 * When q &lt; 1 (the estimates scatter less than their standard errors imply, as whenever DL's tau²
 * is 0 and Q &lt; k - 1) the untruncated SE is below the classical 1/sqrt(sum w_j), by the factor
 * sqrt(q), and its t interval can be narrower than the normal one, down to zero width as the
 * estimates coincide. The truncation keeps the adjustment from ever shrinking the classical SE
 * (Jackson, Law, Rücker &amp; Schwarzer 2017, Statistics in Medicine 36:3923, section 4.3;
 * metafor's {@code rma.uni} sets its factor {@code s2w} to 1 where it is below 1, and keeps the t
 * quantile).
 *
 * @param se SE_KH
 * @param q025 lower end of the 95% interval
 * @param q975 upper end
 */
public record KnappHartung(double se, double q025, double q975) {

  /** The untruncated adjustment ({@code test = "knha"}) at the fitted mu and tau². */
  public static KnappHartung of(double[] y, double[] se, double mu, double tau2) {
    return of(y, se, mu, tau2, false);
  }

  /**
   * The adjustment for estimates y with standard errors se, at the fitted mu and tau².
   *
   * @param truncate true for metafor's {@code test = "adhoc"}: the factor q is taken as at least 1
   * @throws IllegalArgumentException with fewer than 2 estimates, non-finite estimates or
   *     non-positive standard errors
   */
  public static KnappHartung of(double[] y, double[] se, double mu, double tau2, boolean truncate) {
    double[] v = PoolingInputs.variances(y, se, 2);
    double sw = 0;
    double q = 0;
    for (int j = 0; j < y.length; j++) {
      double w = 1 / (v[j] + tau2);
      sw += w;
      q += w * (y[j] - mu) * (y[j] - mu);
    }
    int k = y.length;
    double factor = q / (k - 1);
    if (truncate) {
      factor = Math.max(1, factor);
    }
    double s = Math.sqrt(factor / sw);
    double t = new TDistribution(null, k - 1, 1e-14).inverseCumulativeProbability(0.975);
    return new KnappHartung(s, mu - t * s, mu + t * s);
  }
}
