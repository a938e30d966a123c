package io.segfx.stats.pooling;

import io.segfx.util.Checks;

/** Shared validation and weighted sums of the pooling estimators. */
final class PoolingInputs {
  private PoolingInputs() {}

  /** Validates the estimates and returns their sampling variances {@code v_j = s_j^2}. */
  static double[] variances(double[] y, double[] se, int minimum) {
    Checks.sameLength("estimates", y.length, "standard errors", se.length);
    if (y.length < minimum) {
      throw new IllegalArgumentException(
          "pooling needs at least " + minimum + " segment estimates, got " + y.length);
    }
    double[] v = new double[y.length];
    for (int j = 0; j < y.length; j++) {
      Checks.finite("estimate[" + j + "]", y[j]);
      Checks.positive("std_error[" + j + "]", se[j]);
      v[j] = se[j] * se[j];
    }
    return v;
  }

  /**
   * The random-effects weighted mean and its standard error for a given tau^2: {@code mu = sum(w
   * y)/sum(w)}, {@code SE = 1/sqrt(sum w)}, {@code w_j = 1/(v_j + tau^2)}.
   */
  static double[] weightedMean(double[] y, double[] v, double tau2) {
    double sw = 0;
    double swy = 0;
    for (int j = 0; j < y.length; j++) {
      double w = 1.0 / (v[j] + tau2);
      sw += w;
      swy += w * y[j];
    }
    return new double[] {swy / sw, 1.0 / Math.sqrt(sw)};
  }
}
