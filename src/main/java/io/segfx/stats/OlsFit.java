package io.segfx.stats;

import java.util.Objects;

/**
 * Ordinary least squares for {@code Y ~ 1 + treated + z_1 + ... + z_k} on the rows of a control and
 * a treatment arm, computed from the two arms' {@link ExactMoments} alone.
 *
 * <p>By the Frisch–Waugh–Lovell theorem, regressing on an intercept and the treatment indicator is
 * the same as centring every column within its arm. With W the pooled within-arm co-moment matrix
 * (W = C_control + C_treatment) and d the difference of arm means (treatment minus control):
 *
 * <pre>
 *   beta_z  = W_zz^{-1} W_zy
 *   tau_hat = d_y - beta_z' d_z                         (the coefficient of treated)
 *   RSS     = W_yy - W_zy' beta_z,   sigma2 = RSS / (n - p),   p = k + 2
 *   Var(tau_hat) = sigma2 (1/n_t + 1/n_c + d_z' W_zz^{-1} d_z)
 * </pre>
 *
 * which is the classical OLS standard error ({@code statsmodels} {@code bse}, sigma2 = RSS/(n-p);
 * Greene, Econometric Analysis, 7th ed., section 3.3 and eq. 4-14). The numerators of W and d are
 * formed exactly from the sums and rounded once, so the result does not depend on how rows were
 * partitioned, and data far from zero lose nothing to cancellation.
 */
public final class OlsFit {
  /** Pivot (on the correlation scale) below which the covariates count as collinear. */
  static final double COLLINEARITY_TOLERANCE = 1e-10;

  private OlsFit() {}

  /**
   * Whether a cell's treatment coefficient is estimable, and if not why. The constants share their
   * names with the segment table's status vocabulary, to which the Spark stage maps them.
   */
  public enum Outcome {
    /** Estimate and standard error are valid. */
    OK,
    /** The control arm has no rows. */
    EMPTY_CONTROL,
    /** The treatment arm has no rows. */
    EMPTY_TREATMENT,
    /** n &lt;= p: no residual degrees of freedom. */
    TOO_FEW_ROWS,
    /** A covariate is constant within arms, or covariates are collinear: W_zz is singular. */
    SINGULAR_COVARIATES,
    /** The residual sum of squares is zero, so the standard error is zero. */
    ZERO_VARIANCE
  }

  /**
   * The fitted treatment coefficient of one cell.
   *
   * @param estimate coefficient of the treatment indicator (NaN unless the outcome is OK or
   *     ZERO_VARIANCE)
   * @param stdError classical standard error (NaN when not estimable)
   * @param dof residual degrees of freedom n - p
   * @param outcome why the cell is or is not usable
   * @param betaZ the covariates' coefficients beta_z (null unless estimable)
   * @param h W_zz^{-1} d_z, so the treatment coefficient is sum_i a_i y_i with influence weights
   *     a_i = ±1/n_arm - h'(z_i - zbar_arm) (+ for treated rows), the weights a robust variance
   *     needs (null unless estimable)
   */
  public record Result(
      double estimate, double stdError, long dof, Outcome outcome, double[] betaZ, double[] h) {
    public Result {
      Objects.requireNonNull(outcome, "outcome");
    }

    Result(double estimate, double stdError, long dof, Outcome outcome) {
      this(estimate, stdError, dof, outcome, null, null);
    }
  }

  /**
   * Fits one metric with the given covariates.
   *
   * @param control moments of the control arm's rows (may be null or empty)
   * @param treatment moments of the treatment arm's rows (may be null or empty)
   * @param y column index of the outcome
   * @param z column indices of the covariates (may be empty)
   */
  public static Result fit(ExactMoments control, ExactMoments treatment, int y, int[] z) {
    long nc = control == null ? 0 : control.count();
    long nt = treatment == null ? 0 : treatment.count();
    int k = z.length;
    long dof = nc + nt - (k + 2);
    if (nc == 0) {
      return new Result(Double.NaN, Double.NaN, dof, Outcome.EMPTY_CONTROL);
    }
    if (nt == 0) {
      return new Result(Double.NaN, Double.NaN, dof, Outcome.EMPTY_TREATMENT);
    }
    if (dof <= 0) {
      return new Result(Double.NaN, Double.NaN, dof, Outcome.TOO_FEW_ROWS);
    }
    int[] cols = new int[k + 1];
    System.arraycopy(z, 0, cols, 0, k);
    cols[k] = y;
    double[][] w = new double[k + 1][k + 1];
    double[] d = new double[k + 1];
    for (int a = 0; a <= k; a++) {
      for (int b = a; b <= k; b++) {
        w[a][b] = control.centred(cols[a], cols[b]) + treatment.centred(cols[a], cols[b]);
        w[b][a] = w[a][b];
      }
      // d = S_t/n_t - S_c/n_c = (n_c S_t - n_t S_c) / (n_c n_t): numerator exact, rounded once.
      ExactValue num =
          treatment.sumValue(cols[a]).multiply(nc).subtract(control.sumValue(cols[a]).multiply(nt));
      d[a] = num.toDouble() / ((double) nc * nt);
    }
    return solve(w, d, k, nc, nt, dof);
  }

  private static Result solve(double[][] w, double[] d, int k, long nc, long nt, long dof) {
    double[] scale = new double[k];
    for (int i = 0; i < k; i++) {
      if (!(w[i][i] > 0)) {
        return new Result(Double.NaN, Double.NaN, dof, Outcome.SINGULAR_COVARIATES);
      }
      scale[i] = Math.sqrt(w[i][i]);
    }
    // Cholesky of the within-arm correlation matrix R = D^-1 W_zz D^-1.
    double[][] l = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j <= i; j++) {
        double s = w[i][j] / (scale[i] * scale[j]);
        for (int m = 0; m < j; m++) {
          s -= l[i][m] * l[j][m];
        }
        if (i == j) {
          if (!(s > COLLINEARITY_TOLERANCE)) {
            return new Result(Double.NaN, Double.NaN, dof, Outcome.SINGULAR_COVARIATES);
          }
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    double[] wzy = new double[k];
    double[] dz = new double[k];
    for (int i = 0; i < k; i++) {
      wzy[i] = w[i][k] / scale[i];
      dz[i] = d[i] / scale[i];
    }
    double[] beta = cholSolve(l, wzy); // scaled: beta_i * scale_i
    double[] hs = cholSolve(l, dz); // scaled likewise
    double[] u = forward(l, dz); // ||u||^2 = d_z' W_zz^{-1} d_z
    double tau = d[k];
    double explained = 0;
    double quad = 0;
    for (int i = 0; i < k; i++) {
      tau -= beta[i] * dz[i];
      explained += wzy[i] * beta[i];
      quad += u[i] * u[i];
    }
    double rss = Math.max(0.0, w[k][k] - explained);
    double sigma2 = rss / dof;
    double se = Math.sqrt(sigma2 * (1.0 / nt + 1.0 / nc + quad));
    Outcome outcome = se > 0 ? Outcome.OK : Outcome.ZERO_VARIANCE;
    double[] betaZ = new double[k];
    double[] h = new double[k];
    for (int i = 0; i < k; i++) {
      betaZ[i] = beta[i] / scale[i];
      h[i] = hs[i] / scale[i];
    }
    return new Result(tau, se, dof, outcome, betaZ, h);
  }

  private static double[] forward(double[][] l, double[] b) {
    int k = b.length;
    double[] u = new double[k];
    for (int i = 0; i < k; i++) {
      double s = b[i];
      for (int m = 0; m < i; m++) {
        s -= l[i][m] * u[m];
      }
      u[i] = s / l[i][i];
    }
    return u;
  }

  private static double[] cholSolve(double[][] l, double[] b) {
    double[] u = forward(l, b);
    int k = b.length;
    double[] x = new double[k];
    for (int i = k - 1; i >= 0; i--) {
      double s = u[i];
      for (int m = i + 1; m < k; m++) {
        s -= l[m][i] * x[m];
      }
      x[i] = s / l[i][i];
    }
    return x;
  }
}
