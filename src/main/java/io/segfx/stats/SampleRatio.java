package io.segfx.stats;

import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * Sample-ratio-mismatch check: Pearson's chi-square goodness-of-fit of observed arm counts against
 * the designed split, {@code X^2 = sum (O_i - E_i)^2 / E_i} with {@code E_i = N w_i / sum w}, on
 * k - 1 degrees of freedom (Fabijan et al., "Diagnosing sample ratio mismatch in online controlled
 * experiments", KDD 2019).
 */
public final class SampleRatio {
  private SampleRatio() {}

  /**
   * The p-value of the chi-square test; NaN when fewer than two arms have a positive expected
   * count or no units were observed.
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
    double[] expected = new double[observed.length];
    for (int i = 0; i < observed.length; i++) {
      expected[i] = total * weights[i] / wsum;
    }
    return new ChiSquareTest().chiSquareTest(expected, observed);
  }
}
