package io.segfx.stats;

/**
 * The counterfactual regression of seed notebook section 10: a Bayesian linear regression of a
 * treated series on its control series (and, optionally, a time trend) over the pre-period, with
 * the conjugate normal–inverse-gamma prior of the notebook's {@code
 * bayesian_linear_regression_draws} (beta | sigma² ~ N(0, sigma² v0 I), sigma² ~ IG(a0, b0)):
 *
 * <pre>
 *   V_n = (I/v0 + X'X)^-1,   beta_n = V_n X'y,   a_n = a0 + n/2,   b_n = b0 + (y'y - beta_n' V_n^-1 beta_n)/2
 * </pre>
 *
 * (Gelman et al., BDA 3rd ed., section 14.8; Murphy 2012, section 7.6.3). The posterior predictive
 * of counterfactual outcomes at rows X* is multivariate Student-t with 2 a_n degrees of freedom,
 * location X* beta_n and scale matrix (b_n/a_n)(I + X* V_n X*'); so every linear function of the
 * post-period counterfactuals — a pointwise value, a running sum, the average — has an exact
 * Student-t posterior:
 *
 * <pre>
 *   c' y~ ~ t_{2 a_n}( c' X* beta_n ,  (b_n/a_n) (c'c + (X*'c)' V_n (X*'c)) )
 * </pre>
 *
 * and the impact observed − counterfactual is that t reflected and shifted by c'y.
 *
 * @param betaN posterior mean of the coefficients
 * @param vn V_n
 * @param an a_n
 * @param bn b_n
 */
public record CounterfactualRegression(double[] betaN, double[][] vn, double an, double bn) {

  /**
   * Fits the pre-period rows.
   *
   * @param x design rows (each starting with the intercept's 1)
   * @param y outcomes
   * @return the posterior ({@link ConjugateRegression}, the kernel the segment job shares), or null
   *     when X'X + I/v0 is singular
   */
  public static CounterfactualRegression fit(
      double[][] x, double[] y, double v0, double a0, double b0) {
    ConjugateRegression.Fit f = ConjugateRegression.fit(x, y, v0, a0, b0);
    return f == null ? null : new CounterfactualRegression(f.beta(), f.vn(), f.an(), f.bn());
  }

  /** Degrees of freedom of the predictive, 2 a_n. */
  public double dof() {
    return 2 * an;
  }

  /** Posterior mean of the counterfactual at design row x: x' beta_n. */
  public double mean(double[] x) {
    double m = 0;
    for (int j = 0; j < x.length; j++) {
      m += x[j] * betaN[j];
    }
    return m;
  }

  /**
   * Student-t scale of {@code sum_t c_t y~_t} for the rows x_t with weights c_t: sqrt((b_n/a_n)
   * (sum c_t² + g' V_n g)), g = sum_t c_t x_t.
   */
  public double scale(double[][] rows, double[] c) {
    int p = betaN.length;
    double[] g = new double[p];
    double cc = 0;
    for (int t = 0; t < rows.length; t++) {
      cc += c[t] * c[t];
      for (int j = 0; j < p; j++) {
        g[j] += c[t] * rows[t][j];
      }
    }
    return scale(g, cc);
  }

  /**
   * The same scale from g = sum_t c_t x_t and cc = sum_t c_t² (for running sums kept by the
   * caller).
   */
  public double scale(double[] g, double cc) {
    int p = betaN.length;
    double q = 0;
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        q += g[j] * vn[j][k] * g[k];
      }
    }
    return Math.sqrt(bn / an * (cc + q));
  }
}
