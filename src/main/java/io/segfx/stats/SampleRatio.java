package io.segfx.stats;

import io.segfx.util.Checks;
import org.apache.commons.math3.special.Gamma;

/**
 * Sample-ratio-mismatch check: Pearson's chi-square goodness-of-fit of observed arm counts against
 * the designed split, {@code X^2 = sum (O_i - E_i)^2 / E_i} with {@code E_i = N w_i / sum w}, on k
 * - 1 degrees of freedom (Fabijan et al., "Diagnosing sample ratio mismatch in online controlled
 * experiments", KDD 2019).
 */
public final class SampleRatio {
  private SampleRatio() {}

  /**
   * The p-value of the chi-square test; NaN when fewer than two arms have a positive expected count
   * or no units were observed.
   *
   * @param observed units per arm
   * @param weights designed split per arm (any positive scale)
   */
  public static double pValue(long[] observed, double[] weights) {
    Checks.sameLength("observed", observed.length, "weights", weights.length);
    long total = 0;
    double wsum = 0;
    for (int i = 0; i < observed.length; i++) {
      total += observed[i];
      wsum += Checks.positive("split weight", weights[i]);
    }
    if (observed.length < 2 || total == 0) {
      return Double.NaN;
    }
    double x2 = 0;
    for (int i = 0; i < observed.length; i++) {
      double expected = total * weights[i] / wsum;
      x2 += (observed[i] - expected) * (observed[i] - expected) / expected;
    }
    // P(chi^2_{k-1} > X^2) = Q((k-1)/2, X^2/2), the regularised upper incomplete gamma function.
    return Gamma.regularizedGammaQ((observed.length - 1) / 2.0, x2 / 2);
  }
}
