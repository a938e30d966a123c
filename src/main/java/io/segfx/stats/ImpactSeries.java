package io.segfx.stats;

import java.util.Arrays;

/**
 * One series of {@link ImpactAnalysis} sorted by time, with its pre- and post-period sizes, and the
 * first reason it cannot be analysed.
 *
 * @param t time points, ascending
 * @param y outcomes
 * @param c control rows
 * @param post true for rows at or after the intervention
 */
record ImpactSeries(double[] t, double[] y, double[][] c, boolean[] post, int nPre, int nPost) {

  /** The rows of a series in time order. */
  static ImpactSeries sorted(double[] time, double[] y, double[][] controls, boolean[] post) {
    int n = time.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(time[a], time[b]));
    double[] t = new double[n];
    double[] yy = new double[n];
    double[][] c = new double[n][];
    boolean[] pp = new boolean[n];
    for (int i = 0; i < n; i++) {
      t[i] = time[order[i]];
      yy[i] = y[order[i]];
      c[i] = controls[order[i]];
      pp[i] = post[order[i]];
    }
    int nPre = 0;
    int nPost = 0;
    for (int i = 0; i < n; i++) {
      if (pp[i]) {
        nPost++;
      } else {
        nPre++;
      }
    }
    return new ImpactSeries(t, yy, c, pp, nPre, nPost);
  }

  /** Rows of the series. */
  int n() {
    return t.length;
  }

  /** Regressors of the design: intercept, controls and the optional trend. */
  int columns(boolean trend) {
    return 1 + c[0].length + (trend ? 1 : 0);
  }

  /**
   * The status that stops the analysis (duplicate times, a missing value, a period too short for
   * {@code p} coefficients), or null when the series can be fitted.
   */
  String problem(boolean trend) {
    int n = n();
    for (int i = 1; i < n; i++) {
      if (t[i] == t[i - 1]) {
        return "duplicate_times";
      }
    }
    for (int i = 0; i < n; i++) {
      boolean bad = !Double.isFinite(y[i]);
      for (double v : c[i]) {
        bad |= !Double.isFinite(v);
      }
      if (bad) {
        return !Double.isFinite(y[i]) ? "missing_outcome" : "missing_controls";
      }
    }
    int p = columns(trend);
    if (nPre == 0) {
      return "no_pre_period";
    }
    if (nPost == 0) {
      return "no_post_period";
    }
    if (nPre < p + 3) {
      return "too_few_points";
    }
    return null;
  }

  /** Design rows: intercept, controls, and the trend scaled to [0, 1] over the series. */
  double[][] design(boolean trend) {
    int n = n();
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = row(c[i], (t[i] - t[0]) / Math.max(1, t[n - 1] - t[0]), trend);
    }
    return x;
  }

  /** Indices of the post rows ({@code which}) or the pre rows. */
  int[] indices(boolean which) {
    int k = 0;
    for (boolean b : post) {
      k += b == which ? 1 : 0;
    }
    int[] out = new int[k];
    k = 0;
    for (int i = 0; i < post.length; i++) {
      if (post[i] == which) {
        out[k++] = i;
      }
    }
    return out;
  }

  private static double[] row(double[] controls, double trend, boolean withTrend) {
    double[] r = new double[1 + controls.length + (withTrend ? 1 : 0)];
    r[0] = 1;
    System.arraycopy(controls, 0, r, 1, controls.length);
    if (withTrend) {
      r[r.length - 1] = trend;
    }
    return r;
  }
}
