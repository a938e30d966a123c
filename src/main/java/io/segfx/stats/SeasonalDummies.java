package io.segfx.stats;

/**
 * Seasonal regressors of {@link ImpactAnalysis}: sum-to-zero (effect-coded) dummies, the static
 * counterpart of the seasonal state of CausalImpact's {@code nseasons} and {@code season.duration}
 * (bsts {@code AddSeasonal}; Harvey 1989, section 2.3.4; Durbin &amp; Koopman 2012, section 3.2.2).
 *
 * <p>With N seasons of D consecutive points each, the point at grid position i (i = 0 at the first
 * pre-period point) is in season
 *
 * <pre>
 *   s(i) = floor(i / D) mod N
 * </pre>
 *
 * and its N − 1 regressors are
 *
 * <pre>
 *   z_j(i) = 1 if s(i) = j,   −1 if s(i) = N − 1,   0 otherwise      (j = 0 … N − 2)
 * </pre>
 *
 * so the seasonal effects gamma_0 … gamma_{N−2} and gamma_{N−1} = −(gamma_0 + … + gamma_{N−2}) sum
 * to zero over a cycle, which is bsts's constraint. Dummies rather than harmonics: with N − 1
 * columns they fit any seasonal shape exactly (harmonics need all ⌊N/2⌋ pairs to do so, and fewer
 * pairs are a smoothing choice the user would have to make), their coefficients read as "season j
 * minus the average season", and the meaning of N and D is CausalImpact's. Unlike bsts, whose
 * seasonal effects may drift by a random walk, these are constant over the series: the pre-period
 * pattern is carried into the post-period unchanged.
 *
 * <p>Grid positions come from the times, not the row numbers, so that a missing point or a window
 * that excludes rows does not shift later seasons: the step is the smallest positive gap between
 * consecutive times, and position i = round((t − t_0) / step). Times are expected on a regular grid
 * (integers, or days for dates).
 */
public final class SeasonalDummies {
  private SeasonalDummies() {}

  /**
   * The season of grid position {@code position}.
   *
   * @throws IllegalArgumentException if seasons &lt; 2 or duration &lt; 1
   */
  public static int season(long position, int seasons, int duration) {
    check(seasons, duration);
    return (int) Math.floorMod(Math.floorDiv(position, (long) duration), (long) seasons);
  }

  /** The N − 1 regressors of season {@code s} of {@code seasons}. */
  public static double[] row(int s, int seasons) {
    double[] z = new double[seasons - 1];
    for (int j = 0; j < z.length; j++) {
      z[j] = s == seasons - 1 ? -1 : s == j ? 1 : 0;
    }
    return z;
  }

  /**
   * Grid positions of ascending times: round((t − t_0) / step), step the smallest positive gap
   * between consecutive times (1 when there is none).
   */
  public static long[] positions(double[] t) {
    double step = Double.POSITIVE_INFINITY;
    for (int i = 1; i < t.length; i++) {
      double gap = t[i] - t[i - 1];
      if (gap > 0 && gap < step) {
        step = gap;
      }
    }
    if (!(step < Double.POSITIVE_INFINITY)) {
      step = 1;
    }
    long[] out = new long[t.length];
    for (int i = 0; i < t.length; i++) {
      out[i] = Math.round((t[i] - t[0]) / step);
    }
    return out;
  }

  private static void check(int seasons, int duration) {
    if (seasons < 2 || duration < 1) {
      throw new IllegalArgumentException(
          "seasons need N >= 2 and duration >= 1, got N = " + seasons + ", D = " + duration);
    }
  }
}
