package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/**
 * Seasonal regressors: the closed form of the sum-to-zero dummies, season positions from times, the
 * status of a pre-period that misses a season, and a simulation in which a seasonal series' known
 * effect is covered with {@code --season} and worse estimated without.
 */
class SeasonalDummiesTest {

  /**
   * N = 4 seasons of D = 2 points: positions 0..9 are seasons 0,0,1,1,2,2,3,3,0,0 and season 3 is
   * coded −1 in every column (written out by hand from the definition; exact).
   */
  @Test
  void closedForm() {
    int[] seasons = {0, 0, 1, 1, 2, 2, 3, 3, 0, 0};
    for (int i = 0; i < seasons.length; i++) {
      assertEquals(seasons[i], SeasonalDummies.season(i, 4, 2), "position " + i);
    }
    assertEquals(3, SeasonalDummies.season(-1, 4, 2), "before the anchor the cycle runs back");
    assertArrayEquals(new double[] {1, 0, 0}, SeasonalDummies.row(0, 4), 0);
    assertArrayEquals(new double[] {0, 1, 0}, SeasonalDummies.row(1, 4), 0);
    assertArrayEquals(new double[] {0, 0, 1}, SeasonalDummies.row(2, 4), 0);
    assertArrayEquals(new double[] {-1, -1, -1}, SeasonalDummies.row(3, 4), 0);
    // Over any whole cycle each column sums to zero: the seasonal effects sum to zero.
    for (int n = 2; n <= 12; n++) {
      double[] sum = new double[n - 1];
      for (int s = 0; s < n; s++) {
        double[] r = SeasonalDummies.row(s, n);
        for (int j = 0; j < n - 1; j++) {
          sum[j] += r[j];
        }
      }
      assertArrayEquals(new double[n - 1], sum, 0, "N = " + n);
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SeasonalDummies.season(0, 1, 1));
    assertEquals("seasons need N >= 2 and duration >= 1, got N = 1, D = 1", e.getMessage());
  }

  /** Positions come from the time grid: a gap does not shift later seasons; days step by 7. */
  @Test
  void positionsFromTimes() {
    assertArrayEquals(
        new long[] {0, 1, 2, 5, 6}, SeasonalDummies.positions(new double[] {10, 11, 12, 15, 16}));
    assertArrayEquals(
        new long[] {0, 1, 3}, SeasonalDummies.positions(new double[] {20000, 20007, 20021}));
    assertArrayEquals(new long[] {0}, SeasonalDummies.positions(new double[] {3}));
  }

  /** A pre-period shorter than one cycle misses a season: a named status, not a fit. */
  @Test
  void aPreperiodMissingASeasonHasAStatus() {
    int n = 30;
    double[] t = new double[n];
    double[] y = new double[n];
    double[][] c = new double[n][];
    boolean[] post = new boolean[n];
    for (int i = 0; i < n; i++) {
      t[i] = i;
      c[i] = new double[] {Math.sin(i)};
      y[i] = 1 + c[i][0] + 0.1 * Math.cos(3 * i);
      post[i] = i >= 12;
    }
    ImpactAnalysis.Settings s = new ImpactAnalysis.Settings(false, 0.05, 200, 1e4, 1e-3, 1e-3, 0);
    assertEquals("ok", ImpactAnalysis.analyse(t, y, c, post, s, Seeds.of(1)).summary().status());
    assertEquals(
        "too_few_seasons",
        ImpactAnalysis.analyse(t, y, c, post, s.withSeason(4, 4), Seeds.of(1)).summary().status());
    assertEquals(
        "too_few_points",
        ImpactAnalysis.analyse(t, y, c, post, s.withSeason(12, 1), Seeds.of(1)).summary().status(),
        "12 pre points cannot fit intercept, control and 11 season columns");
    assertEquals(
        "ok",
        ImpactAnalysis.analyse(t, y, c, post, s.withSeason(3, 4), Seeds.of(1)).summary().status());
  }

  /**
   * Business-day data (weekdays only, times in days) under {@code --season 7}: Saturday and Sunday
   * never occur, so only the five weekday seasons are coded (4 columns) instead of refusing the
   * series. With weekday effects (2, −1, 0, 1, −2), no noise in the control relation and an effect
   * of 3 from day 140, the estimated average effect is within 4 posterior sd of 3, and the fit
   * without seasons is visibly worse (pre-period residual sd at least 1.5 times larger).
   */
  @Test
  void businessDaysUnderAWeeklySeasonCodeOnlyTheWeekdays() {
    double[] weekday = {2, -1, 0, 1, -2};
    java.util.List<double[]> rows = new java.util.ArrayList<>();
    org.apache.commons.rng.UniformRandomProvider rng = Seeds.of(7, "business-days");
    org.apache.commons.rng.sampling.distribution.ZigguratSampler.NormalizedGaussian z =
        org.apache.commons.rng.sampling.distribution.ZigguratSampler.NormalizedGaussian.of(rng);
    for (int day = 0; day < 196; day++) {
      int dow = day % 7; // day 0 is a Monday
      if (dow >= 5) {
        continue;
      }
      double c = 20 + 3 * z.sample();
      double y = 5 + 0.8 * c + weekday[dow] + 0.3 * z.sample() + (day >= 140 ? 3 : 0);
      rows.add(new double[] {day, y, c});
    }
    int n = rows.size();
    double[] t = new double[n];
    double[] y = new double[n];
    double[][] c = new double[n][];
    boolean[] post = new boolean[n];
    for (int i = 0; i < n; i++) {
      t[i] = rows.get(i)[0];
      y[i] = rows.get(i)[1];
      c[i] = new double[] {rows.get(i)[2]};
      post[i] = t[i] >= 140;
    }
    ImpactAnalysis.Settings s = new ImpactAnalysis.Settings(false, 0.05, 2000, 1e4, 1e-3, 1e-3, 0);
    ImpactAnalysis.Summary with =
        ImpactAnalysis.analyse(t, y, c, post, s.withSeason(7, 1), Seeds.of(1)).summary();
    ImpactAnalysis.Summary without =
        ImpactAnalysis.analyse(t, y, c, post, s, Seeds.of(1)).summary();
    assertEquals("ok", with.status());
    assertEquals(3, with.averageMean(), 4 * with.averageSd(), "with --season 7: " + with);
    org.junit.jupiter.api.Assertions.assertTrue(
        without.preResidualSd() > 1.5 * with.preResidualSd(),
        "residual sd without seasons "
            + without.preResidualSd()
            + " vs with "
            + with.preResidualSd());
  }

  /**
   * Simulation: y = 10 + 0.8 c + g(t mod 7) + N(0, 1) with a weekly pattern g = (3, −2, 1, 0, −1,
   * 2, −3) the control does not carry, and a true effect of 2 on each of 10 post-period days after
   * 84 pre-period days. With {@code --season 7} the 95% interval of the average effect covers 2 at
   * its nominal rate (within 3 binomial SEs of 95%: 200 series for the regression, 100 for the
   * local level). Without it the weekly swing is left in the noise: the average effect's interval
   * is at least 1.5 times as wide (the measured coverage near 100% shows it is wider than the
   * error), and each day's impact is off by the day's seasonal effect, so the RMSE of the pointwise
   * impact is at least 1.5 times as large (the irreducible part is the noise sd 1; the seasonal
   * part adds sd(g) = 2). The average effect's RMSE is reported, not asserted: over 10 days the
   * seasonal errors nearly cancel.
   */
  @Test
  void seasonalSeriesIsCoveredWithSeasonsAndWorseWithout() {
    StringBuilder msg = new StringBuilder();
    for (String model : new String[] {ImpactAnalysis.REGRESSION, ImpactAnalysis.LOCAL_LEVEL}) {
      int series = model.equals(ImpactAnalysis.REGRESSION) ? 200 : 100;
      ImpactAnalysis.Settings base =
          new ImpactAnalysis.Settings(false, 0.05, 200, 1e4, 1e-3, 1e-3, 0, model, 200, 1000);
      double[] with = simulate(base.withSeason(7, 1), series);
      double[] without = simulate(base, series);
      msg.append(
          String.format(
              Locale.ROOT,
              "%s over %d series: with --season 7 coverage %.3f, mean width %.3f, RMSE %.3f,"
                  + " pointwise RMSE %.3f; without: coverage %.3f, mean width %.3f, RMSE %.3f,"
                  + " pointwise RMSE %.3f%n",
              model,
              series,
              with[0],
              with[1],
              with[2],
              with[3],
              without[0],
              without[1],
              without[2],
              without[3]));
      double se = Math.sqrt(0.95 * 0.05 / series);
      assertTrue(Math.abs(with[0] - 0.95) <= 3 * se, msg.toString());
      assertTrue(without[1] >= 1.5 * with[1], msg.toString());
      assertTrue(without[3] >= 1.5 * with[3], msg.toString());
    }
    System.out.println(msg);
  }

  /**
   * {coverage of the true average effect, mean 95% width, RMSE of the mean, RMSE of the pointwise
   * post-period impact means} over the series.
   */
  private static double[] simulate(ImpactAnalysis.Settings s, int series) {
    double[] g = {3, -2, 1, 0, -1, 2, -3};
    int nPre = 84;
    int n = nPre + 10;
    double effect = 2;
    int covered = 0;
    double width = 0;
    double sq = 0;
    double pointSq = 0;
    for (int k = 0; k < series; k++) {
      UniformRandomProvider rng = Seeds.of(k, "seasonal-series");
      ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
      double[] t = new double[n];
      double[] y = new double[n];
      double[][] c = new double[n][];
      boolean[] post = new boolean[n];
      for (int i = 0; i < n; i++) {
        t[i] = i;
        c[i] = new double[] {50 + 2 * z.sample()};
        post[i] = i >= nPre;
        y[i] = 10 + 0.8 * c[i][0] + g[i % 7] + z.sample() + (post[i] ? effect : 0);
      }
      ImpactAnalysis.Result r =
          ImpactAnalysis.analyse(t, y, c, post, s, Seeds.of(1, "fit", String.valueOf(k)));
      ImpactAnalysis.Summary m = r.summary();
      for (ImpactAnalysis.Point p : r.points()) {
        if (p.post()) {
          pointSq += (p.impactMean() - effect) * (p.impactMean() - effect);
        }
      }
      assertEquals("ok", m.status());
      covered += m.averageQ025() <= effect && effect <= m.averageQ975() ? 1 : 0;
      width += m.averageQ975() - m.averageQ025();
      sq += (m.averageMean() - effect) * (m.averageMean() - effect);
    }
    return new double[] {
      (double) covered / series,
      width / series,
      Math.sqrt(sq / series),
      Math.sqrt(pointSq / (series * (n - nPre)))
    };
  }
}
