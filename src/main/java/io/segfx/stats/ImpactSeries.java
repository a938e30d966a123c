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
    return 1 + c[0].length + (s.trend() ? 1 : 0) + Math.max(0, seasonsSeen(s).length - 1);
  }

  /**
   * The seasons the pre-period has, in season order. Only these are coded: a season the series
   * never has (Saturday and Sunday in business-day data under {@code --season 7}) needs no effect,
   * and a post-period point in a season the pre-period lacks is {@code too_few_seasons}.
   */
  int[] seasonsSeen(ImpactAnalysis.Settings s) {
    if (s.season() < 2) {
      return new int[0];
    }
    long[] pos = SeasonalDummies.positions(t);
    boolean[] seen = new boolean[s.season()];
    for (int i = 0; i < t.length; i++) {
      if (!post[i]) {
        seen[SeasonalDummies.season(pos[i], s.season(), s.seasonDuration())] = true;
      }
    }
    return java.util.stream.IntStream.range(0, seen.length).filter(j -> seen[j]).toArray();
  }

  /** The controls of every row, the candidates of the spike-and-slab prior. */
  int controls() {
    return c.length == 0 ? 0 : c[0].length;
  }

  /**
   * Pre-period points the fit needs. The normal prior keeps every column, so the full regression
   * must be identified with 3 residual degrees of freedom: p + 3. The spike-and-slab prior keeps
   * the forced columns (intercept, trend, seasons) and a sparse subset of the controls: it needs
   * the forced columns, {@link SpikeSlab#modelSizeBound} controls (the model size the prior gives
   * 99% of its mass to) and the same 3, however many candidates there are.
   */
  int pointsNeeded(ImpactAnalysis.Settings s) {
    int p = columns(s);
    if (!ImpactAnalysis.SPIKE_SLAB.equals(s.controlPrior())) {
      return p + 3;
    }
    int k = controls();
    return p - k + SpikeSlab.modelSizeBound(k, s.expectedSize()) + 3;
  }

  /**
   * The duplicated times of the series.
   *
   * @param first the earliest time that occurs more than once (NaN: none)
   * @param firstRows the rows at that time
   * @param times how many distinct times occur more than once
   */
  record Duplicates(double first, int firstRows, int times) {}

  /** The duplicated times (the rows are in time order, so equal times are adjacent). */
  Duplicates duplicates() {
    double first = Double.NaN;
    int firstRows = 0;
    int times = 0;
    int n = n();
    for (int i = 1; i < n; i++) {
      if (t[i] != t[i - 1]) {
        continue;
      }
      boolean newTime = i == 1 || t[i - 2] != t[i];
      if (newTime) {
        times++;
      }
      if (times == 1) {
        first = t[i];
        firstRows = newTime ? 2 : firstRows + 1;
      }
    }
    return new Duplicates(first, firstRows, times);
  }

  /**
   * The status that stops the analysis (duplicate times, a missing value, a pre-period shorter than
   * {@link #pointsNeeded}, a pre-period that misses a season), or null when the series can be
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
    if (nPre == 0) {
      return "no_pre_period";
    }
    if (nPost == 0) {
      return "no_post_period";
    }
    if (nPre < pointsNeeded(s)) {
      return "too_few_points";
    }
    return s.season() >= 2 && !postSeasonsSeenBefore(s) ? "too_few_seasons" : null;
  }

  /**
   * Whether every post-period point's season occurs in the pre-period: an unseen season's effect
   * would be set by nothing, and its points forecast without it.
   */
  private boolean postSeasonsSeenBefore(ImpactAnalysis.Settings s) {
    long[] pos = SeasonalDummies.positions(t);
    int[] seen = seasonsSeen(s);
    for (int i = 0; i < t.length; i++) {
      int season = SeasonalDummies.season(pos[i], s.season(), s.seasonDuration());
      if (post[i] && Arrays.binarySearch(seen, season) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Design rows: intercept, controls, the trend scaled to [0, 1] over the series, and the K − 1
   * {@link SeasonalDummies} columns of the K seasons the pre-period has ({@link #seasonsSeen}),
   * season 0 at the first (pre-period) point.
   */
  double[][] design(ImpactAnalysis.Settings s) {
    int n = n();
    double[][] x = new double[n][];
    int[] seen = seasonsSeen(s);
    long[] pos = seen.length >= 2 ? SeasonalDummies.positions(t) : null;
    for (int i = 0; i < n; i++) {
      x[i] = row(c[i], (t[i] - t[0]) / Math.max(1, t[n - 1] - t[0]), s.trend());
      if (pos != null) {
        int season = SeasonalDummies.season(pos[i], s.season(), s.seasonDuration());
        double[] z = SeasonalDummies.row(Arrays.binarySearch(seen, season), seen.length);
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
