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

  /** Regressors of the design: intercept, controls, the optional trend and season columns. */
  int columns(ImpactAnalysis.Settings s) {
    return 1 + c[0].length + (s.trend() ? 1 : 0) + Math.max(0, s.season() - 1);
  }

  /**
   * The status that stops the analysis (duplicate times, a missing value, a period too short for
   * {@code p} coefficients, a pre-period that misses a season), or null when the series can be
   * fitted.
   */
  String problem(ImpactAnalysis.Settings s) {
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
    int p = columns(s);
    if (nPre == 0) {
      return "no_pre_period";
    }
    if (nPost == 0) {
      return "no_post_period";
    }
    if (nPre < p + 3) {
      return "too_few_points";
    }
    return s.season() >= 2 && !everySeasonBefore(s) ? "too_few_seasons" : null;
  }

  /**
   * Whether every season occurs in the pre-period: an unseen season's column would be set by the
   * prior alone, and the post-period would be extrapolated along it.
   */
  private boolean everySeasonBefore(ImpactAnalysis.Settings s) {
    long[] pos = SeasonalDummies.positions(t);
    boolean[] seen = new boolean[s.season()];
    int count = 0;
    for (int i = 0; i < t.length; i++) {
      int season = SeasonalDummies.season(pos[i], s.season(), s.seasonDuration());
      if (!post[i] && !seen[season]) {
        seen[season] = true;
        count++;
      }
    }
    return count == s.season();
  }

  /**
   * Design rows: intercept, controls, the trend scaled to [0, 1] over the series, and the N − 1
   * {@link SeasonalDummies} columns, season 0 at the first (pre-period) point.
   */
  double[][] design(ImpactAnalysis.Settings s) {
    int n = n();
    double[][] x = new double[n][];
    long[] pos = s.season() >= 2 ? SeasonalDummies.positions(t) : null;
    for (int i = 0; i < n; i++) {
      x[i] = row(c[i], (t[i] - t[0]) / Math.max(1, t[n - 1] - t[0]), s.trend());
      if (pos != null) {
        int season = SeasonalDummies.season(pos[i], s.season(), s.seasonDuration());
        double[] z = SeasonalDummies.row(season, s.season());
        double[] r = Arrays.copyOf(x[i], x[i].length + z.length);
        System.arraycopy(z, 0, r, x[i].length, z.length);
        x[i] = r;
      }
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
