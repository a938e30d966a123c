package io.segfx.stats;

import org.apache.commons.math3.special.Erf;

/**
 * How many more units per arm a {@code collect_more_data} verdict needs, by preposterior analysis
 * (Raiffa &amp; Schlaifer, Applied Statistical Decision Theory, 1961, ch. 5; Berger, Statistical
 * Decision Theory and Bayesian Analysis, 2nd ed., 1985, section 7.4): under the current posterior,
 * the predictive distribution of the posterior after n more units decides how likely the launch
 * rule is to decide then.
 *
 * <p>Approximation: the posterior of profit is taken as normal, N(m, s²), and its variance is taken
 * to shrink as a difference of two arm means does when n units join each arm: with {@code nc} and
 * {@code nt} units now,
 *
 * <pre>
 *   r(n)   = (1/(nc + n) + 1/(nt + n)) / (1/nc + 1/nt)        posterior variance after n: s² r(n)
 *   m_n    ~ N(m, s² (1 − r(n)))                               preposterior of the posterior mean
 *   decide ⇔ |m_n| ≥ z_c s √r(n),  z_c = Φ⁻¹(c)                launch or stop at probability c
 *   P(decide at n) = Φ((a − z_c √r) / √(1 − r)) + Φ((−a − z_c √r) / √(1 − r)),  a = m / s
 * </pre>
 *
 * The scaling holds exactly for a flat prior and known unit variance; a prior that carries
 * information of its own (a pooled segment effect, say) shrinks less than this, so the figure is
 * then optimistic. {@link #perArm} is the smallest n at which P(decide at n) reaches one half: the
 * median number of further units per arm after which the rule decides.
 */
public final class UnitsToDecide {
  /** Beyond this many units per arm the answer is reported as infinite. */
  public static final double CAP = 1e15;

  private UnitsToDecide() {}

  /** r(n): the share of the current posterior variance left after n more units per arm. */
  public static double varianceRatio(double nControl, double nTreatment, double n) {
    return (1 / (nControl + n) + 1 / (nTreatment + n)) / (1 / nControl + 1 / nTreatment);
  }

  /**
   * P(the rule decides after n more units per arm), for a normal posterior of profit N(mean, sd²)
   * and launch probability {@code c}.
   */
  public static double probDecides(
      double mean, double sd, double c, double nControl, double nTreatment, double n) {
    return probDecides(mean / sd, normalQuantile(c), nControl, nTreatment, n);
  }

  /** {@link #probDecides} from a = mean / sd and z_c = Φ⁻¹(c). */
  private static double probDecides(
      double a, double z, double nControl, double nTreatment, double n) {
    if (n <= 0) {
      return Math.abs(a) >= z ? 1 : 0;
    }
    double r = varianceRatio(nControl, nTreatment, n);
    double sr = Math.sqrt(r);
    double s = Math.sqrt(1 - r);
    return phi((a - z * sr) / s) + phi((-a - z * sr) / s);
  }

  /**
   * The smallest whole number n &ge; 0 of further units per arm with P(decide at n) &ge; 1/2; 0
   * when the current posterior already decides; +∞ beyond {@link #CAP}; NaN when the inputs cannot
   * tell (a non-finite mean, a non-positive sd, no units in an arm).
   */
  public static double perArm(
      double mean, double sd, double c, double nControl, double nTreatment) {
    if (!Double.isFinite(mean)
        || !(sd > 0 && Double.isFinite(sd))
        || !(nControl > 0)
        || !(nTreatment > 0)) {
      return Double.NaN;
    }
    // z_c once: the search below evaluates P(decide) up to a hundred times.
    double a = mean / sd;
    double z = normalQuantile(c);
    if (probDecides(a, z, nControl, nTreatment, 0) >= 0.5) {
      return 0;
    }
    double hi = 1;
    while (probDecides(a, z, nControl, nTreatment, hi) < 0.5) {
      hi *= 2;
      if (hi > CAP) {
        return Double.POSITIVE_INFINITY;
      }
    }
    double lo = Math.floor(hi / 2); // P(decide at lo) < 1/2, P(decide at hi) >= 1/2
    while (hi - lo > 1) {
      double mid = Math.floor((lo + hi) / 2);
      if (probDecides(a, z, nControl, nTreatment, mid) >= 0.5) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /** Φ(x), the standard normal distribution function. */
  static double phi(double x) {
    return 0.5 * Erf.erfc(-x / Math.sqrt(2));
  }

  /** Φ⁻¹(p). */
  static double normalQuantile(double p) {
    return Math.sqrt(2) * Erf.erfInv(2 * p - 1);
  }
}
