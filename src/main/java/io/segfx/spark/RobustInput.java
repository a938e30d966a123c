package io.segfx.spark;

import java.io.Serializable;

/**
 * What the robust-variance scan needs of one (experiment, segment, variant, metric) OLS fit: arm
 * sizes and means, the covariate coefficients and h = W_zz^{-1} d_z (see {@link
 * io.segfx.stats.OlsFit.Result}). For a row i of arm A the influence weight of the treatment
 * coefficient is {@code a_i = s/n_A - h'(z_i - zbar_A)} (s = +1 treated, -1 control) and its
 * residual {@code e_i = (y_i - ybar_A) - beta_z'(z_i - zbar_A)}.
 *
 * @param metric index of the metric among the job's metrics
 * @param y index of the outcome among the row's values
 * @param p number of regression coefficients, k + 2
 */
record RobustInput(
    String experiment,
    String segment,
    String variant,
    int metric,
    int y,
    long nControl,
    long nTreatment,
    double[] zbarControl,
    double[] zbarTreatment,
    double ybarControl,
    double ybarTreatment,
    double[] betaZ,
    double[] h,
    int p)
    implements Serializable {

  /** a_i · e_i of a row of the control (treated = false) or the treatment arm. */
  double influence(double[] values, boolean treated) {
    double[] zbar = treated ? zbarTreatment : zbarControl;
    double a = treated ? 1.0 / nTreatment : -1.0 / nControl;
    double e = values[y] - (treated ? ybarTreatment : ybarControl);
    for (int j = 0; j < h.length; j++) {
      double dz = values[j] - zbar[j];
      a -= h[j] * dz;
      e -= betaZ[j] * dz;
    }
    return a * e;
  }
}
