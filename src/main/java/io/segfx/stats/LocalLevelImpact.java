package io.segfx.stats;

import io.segfx.stats.ImpactAnalysis.Point;
import io.segfx.stats.ImpactAnalysis.Result;
import io.segfx.stats.ImpactAnalysis.Settings;
import io.segfx.stats.ImpactAnalysis.Summary;
import java.util.Arrays;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The local-level model's figures of {@link ImpactAnalysis}, from the Gibbs draws of {@link
 * LocalLevelModel}: every summary is an empirical quantile or mean over the draws of the
 * counterfactual path. Under the normal prior the pre-period diagnostics and the placebo check stay
 * those of the regression fit, since they guard the choice of controls, which both models share;
 * under the spike-and-slab prior they are the sparse regression's ({@link SparseImpact}), whose
 * counterfactual draws are summarised here too.
 */
final class LocalLevelImpact {
  private LocalLevelImpact() {}

  /**
   * The result of the local-level model on the sorted series.
   *
   * @param x design rows (intercept first; the level carries it, so it is dropped)
   * @param reg the regression's summary, whose diagnostics are kept
   */
  static Result of(
      double[][] x,
      double[] y,
      double[] t,
      boolean[] post,
      int nPre,
      int nPost,
      int k,
      Settings s,
      UniformRandomProvider rng,
      Summary reg) {
    int n = x.length;
    double[][] xr = new double[n][];
    for (int i = 0; i < n; i++) {
      xr[i] = Arrays.copyOfRange(x[i], 1, x[i].length);
    }
    LocalLevelModel.Draws draws;
    try {
      boolean[] candidate = null;
      if (ImpactAnalysis.SPIKE_SLAB.equals(s.controlPrior())) {
        candidate = new boolean[xr[0].length];
        Arrays.fill(candidate, 0, k, true);
      }
      draws =
          LocalLevelModel.draws(
              xr, y, nPre, s.burn(), s.gibbsDraws(), s.v0(), candidate, s.expectedSize(), rng);
    } catch (NonPositiveDefiniteMatrixException | NonSymmetricMatrixException e) {
      return new Result(
          Summary.failed(
              "singular_controls",
              nPre,
              nPost,
              reg.pointsNeeded(),
              new ImpactSeries.Duplicates(Double.NaN, 0, 0)),
          new Point[0]);
    }
    double[][] cf = draws.counterfactual();
    Summary summary = summary(cf, y, nPre, nPost, s, reg);
    // The controls are the first k regressors once the intercept is dropped.
    ImpactAnalysis.Control[] controls = new ImpactAnalysis.Control[k];
    for (int j = 0; j < k; j++) {
      controls[j] =
          new ImpactAnalysis.Control(
              j, draws.inclusion()[j], draws.coefMean()[j], draws.coefSd()[j]);
    }
    return new Result(summary, points(cf, y, t, post), controls);
  }

  /** The average, cumulative and relative impact over the draws of the post-period sum. */
  static Summary summary(double[][] cf, double[] y, int nPre, int nPost, Settings s, Summary reg) {
    int n = y.length;
    int d = cf.length;
    double[] cum = new double[d];
    double[] avg = new double[d];
    double[] rel = new double[d];
    double obs = 0;
    for (int i = nPre; i < n; i++) {
      obs += y[i];
    }
    long below = 0;
    long above = 0;
    for (int k = 0; k < d; k++) {
      double sum = 0;
      for (int i = nPre; i < n; i++) {
        sum += cf[k][i];
      }
      cum[k] = obs - sum;
      avg[k] = cum[k] / nPost;
      rel[k] = cum[k] / Math.abs(sum);
      below += cum[k] <= 0 ? 1 : 0;
      above += cum[k] >= 0 ? 1 : 0;
    }
    double tail = (double) Math.min(below, above) / d;
    DrawSummary a = DrawSummary.of(avg, 0);
    DrawSummary c = DrawSummary.of(cum, 0);
    DrawSummary r = DrawSummary.of(rel, 0);
    boolean significant =
        Quantiles.select(cum.clone(), s.alpha() / 2) > 0
            || Quantiles.select(cum.clone(), 1 - s.alpha() / 2) < 0;
    return new Summary(
        ImpactAnalysis.OK,
        nPre,
        nPost,
        a.mean(),
        a.sd(),
        a.q025(),
        a.q975(),
        a.probPositive(),
        c.mean(),
        c.sd(),
        c.q025(),
        c.q975(),
        c.probPositive(),
        r.mean(),
        r.q025(),
        r.q975(),
        tail,
        1 - tail,
        significant,
        reg.preR2(),
        reg.preResidualSd(),
        reg.preResidualAutocorrelation(),
        reg.residualDriftFlag(),
        reg.placeboP(),
        reg.placebos(),
        r.sd(),
        reg.pointsNeeded(),
        Double.NaN,
        0,
        0);
  }

  /** Per time point: the draws' mean and 95% interval, and the running cumulative impact's. */
  static Point[] points(double[][] cf, double[] y, double[] t, boolean[] post) {
    int n = y.length;
    int d = cf.length;
    Point[] points = new Point[n];
    double[] col = new double[d];
    double[] run = new double[d];
    for (int i = 0; i < n; i++) {
      double m = 0;
      for (int k = 0; k < d; k++) {
        col[k] = cf[k][i];
        m += col[k];
      }
      m /= d;
      double lo = Quantiles.select(col, 0.025);
      double hi = Quantiles.select(col, 0.975);
      double cm = Double.NaN;
      double cl = Double.NaN;
      double ch = Double.NaN;
      if (post[i]) {
        double sum = 0;
        for (int k = 0; k < d; k++) {
          run[k] += y[i] - cf[k][i];
          sum += run[k];
          col[k] = run[k];
        }
        cm = sum / d;
        cl = Quantiles.select(col, 0.025);
        ch = Quantiles.select(col, 0.975);
      }
      points[i] =
          new Point(t[i], post[i], y[i], m, lo, hi, y[i] - m, y[i] - hi, y[i] - lo, cm, cl, ch);
    }
    return points;
  }
}
