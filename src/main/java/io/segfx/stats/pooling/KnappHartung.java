package io.segfx.stats.pooling;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The Knapp–Hartung adjusted standard error and interval of the random-effects mean (Hartung &amp;
 * Knapp 2001, Statistics in Medicine 20:3875; Knapp &amp; Hartung 2003, Statistics in Medicine
 * 22:2693), untruncated as in metafor's {@code test = "knha"}:
 *
 * <pre>
 *   w_j = 1 / (s_j² + tau²),  q = sum w_j (y_j - mu)² / (k - 1)
 *   SE_KH = sqrt(q / sum w_j),   mu ± t_{k-1, 0.975} SE_KH
 * </pre>
 *
 * @param se SE_KH
 * @param q025 lower end of the 95% interval
 * @param q975 upper end
 */
public record KnappHartung(double se, double q025, double q975) {

  /** The adjustment for estimates y with standard errors se, at the fitted mu and tau². */
  public static KnappHartung of(double[] y, double[] se, double mu, double tau2) {
    double[] v = PoolingInputs.variances(y, se, 2);
    double sw = 0;
    double q = 0;
    for (int j = 0; j < y.length; j++) {
      double w = 1 / (v[j] + tau2);
      sw += w;
      q += w * (y[j] - mu) * (y[j] - mu);
    }
    int k = y.length;
    double s = Math.sqrt(q / (k - 1) / sw);
    double t = new TDistribution(null, k - 1, 1e-14).inverseCumulativeProbability(0.975);
    return new KnappHartung(s, mu - t * s, mu + t * s);
  }
}
