package io.segfx.stats;

import io.segfx.util.Checks;
import java.io.Serializable;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Exact summaries of a location–scale Student-t posterior {@code m + s T_nu}: mean m (nu > 1), sd
 * {@code s sqrt(nu/(nu-2))} (nu > 2), central 95% interval {@code m ± s t_{nu,0.975}} and {@code
 * P(X > t) = 1 - F_nu((t - m)/s)} (Commons Math's regularised incomplete beta).
 */
public record StudentSummary(
    double mean,
    double sd,
    double q025,
    double q975,
    double probPositive,
    double probAboveThreshold)
    implements Serializable {

  /**
   * Summarises {@code m + s T_nu}.
   *
   * @throws IllegalArgumentException if s or nu is not positive
   */
  public static StudentSummary of(double m, double s, double nu, double threshold) {
    Checks.positive("scale", s);
    TDistribution t = new TDistribution(null, Checks.positive("dof", nu), 1e-14);
    double q = FastQuantiles.student(nu, 0.975);
    return new StudentSummary(
        nu > 1 ? m : Double.NaN,
        nu > 2 ? s * Math.sqrt(nu / (nu - 2)) : Double.POSITIVE_INFINITY,
        m - q * s,
        m + q * s,
        1 - t.cumulativeProbability(-m / s),
        1 - t.cumulativeProbability((threshold - m) / s));
  }
}
