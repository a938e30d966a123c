package io.segfx.spark;

import io.segfx.model.MetricSpec;
import io.segfx.model.PosteriorSummary;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.Status;
import io.segfx.stats.BetaBinomial;
import io.segfx.stats.ConjugateRegression;
import io.segfx.stats.ExactMoments;
import io.segfx.stats.NigPosterior;
import io.segfx.stats.OlsFit;
import io.segfx.stats.StudentSummary;

/** Turns the exact sums of one (segment, variant, metric) cell into its {@link SegmentEstimate}. */
final class CellFit {
  private CellFit() {}

  /**
   * One (segment, variant, metric) cell: its keys, the arms' sums (control null when the segment
   * has none) and the outcome's column.
   */
  record Cell(
      String experiment,
      String segment,
      String variant,
      MetricSpec metric,
      ExactMoments control,
      ExactMoments treatment,
      int y) {}

  static SegmentEstimate fit(Cell c, FitSettings settings) {
    MetricSpec metric = c.metric();
    long nc = c.control() == null ? 0 : c.control().count();
    if (nc == 0) {
      return SegmentEstimate.empty(
          c.experiment(),
          metric.column(),
          c.variant(),
          c.segment(),
          0,
          c.treatment().count(),
          Status.EMPTY_CONTROL.code(),
          metric.kind());
    }
    return metric.binary() ? binary(c, settings) : continuous(c, settings);
  }

  /** A binary metric: the difference of the arms' Beta–Binomial posterior means. */
  private static SegmentEstimate binary(Cell cell, FitSettings settings) {
    ExactMoments control = cell.control();
    ExactMoments treatment = cell.treatment();
    int y = cell.y();
    long nc = control.count();
    long nt = treatment.count();
    double nan = Double.NaN;
    long yc = (long) control.sumDouble(y);
    long yt = (long) treatment.sumDouble(y);
    double[] priorC = settings.priorControl();
    double[] priorT = settings.priorTreatment();
    BetaBinomial pc = BetaBinomial.posterior(priorC[0], priorC[1], yc, nc);
    BetaBinomial pt = BetaBinomial.posterior(priorT[0], priorT[1], yt, nt);
    return new SegmentEstimate(
        cell.experiment(),
        cell.metric().column(),
        cell.variant(),
        cell.segment(),
        nc,
        nt,
        pt.mean() - pc.mean(),
        Math.sqrt(pt.variance() + pc.variance()),
        nc + nt - 2,
        Status.OK.code(),
        cell.metric().kind(),
        yc,
        yt,
        control.mean(y),
        centred(control, y),
        treatment.mean(y),
        centred(treatment, y),
        nan,
        nan,
        nan,
        null,
        nan,
        Math.sqrt(pt.variance() + pc.variance()),
        "beta_binomial");
  }

  /**
   * A continuous metric: the OLS fit on treatment and covariates, and with covariates the conjugate
   * regression's Student-t posterior of the treatment effect.
   */
  private static SegmentEstimate continuous(Cell cell, FitSettings settings) {
    ExactMoments control = cell.control();
    ExactMoments treatment = cell.treatment();
    int y = cell.y();
    int k = settings.covariates();
    int[] z = covariateColumns(k);
    OlsFit.Result r = OlsFit.fit(control, treatment, y, z);
    double nan = Double.NaN;
    double bm = nan;
    double bs = nan;
    double bd = nan;
    PosteriorSummary summary = null;
    if (k > 0 && r.outcome() == OlsFit.Outcome.OK) {
      double[] prior = settings.regressionPrior();
      NigPosterior b =
          ConjugateRegression.fit(control, treatment, y, z, prior[0], prior[1], prior[2]);
      if (b != null) {
        bm = b.mu();
        bs = b.scale();
        bd = b.dof();
        StudentSummary t =
            StudentSummary.of(bm, bs, bd, settings.threshold(cell.metric().column()));
        summary =
            new PosteriorSummary(
                t.mean(), t.sd(), t.q025(), t.q975(), t.probPositive(), t.probAboveThreshold());
      }
    }
    return new SegmentEstimate(
        cell.experiment(),
        cell.metric().column(),
        cell.variant(),
        cell.segment(),
        control.count(),
        treatment.count(),
        r.estimate(),
        r.stdError(),
        r.dof(),
        Status.valueOf(r.outcome().name()).code(),
        cell.metric().kind(),
        null,
        null,
        control.mean(y),
        centred(control, y),
        treatment.mean(y),
        centred(treatment, y),
        bm,
        bs,
        bd,
        summary,
        nan,
        r.stdError(),
        SegmentEstimate.SE_CLASSICAL);
  }

  /** The covariates' columns, 0..k-1. */
  private static int[] covariateColumns(int k) {
    int[] z = new int[k];
    for (int i = 0; i < k; i++) {
      z[i] = i;
    }
    return z;
  }

  /**
   * What the robust-variance scan needs of a continuous metric's OLS fit, or null when the fit is
   * not usable (or the metric is binary: its posterior is Beta–Binomial, not OLS).
   */
  static RobustInput robustInput(
      String experiment,
      String segment,
      String variant,
      int metricIndex,
      MetricSpec metric,
      ExactMoments control,
      ExactMoments treatment,
      int y,
      int k) {
    if (metric.binary()
        || control == null
        || control.count() == 0
        || treatment == null
        || treatment.count() == 0) {
      return null;
    }
    int[] z = covariateColumns(k);
    OlsFit.Result r = OlsFit.fit(control, treatment, y, z);
    if (r.outcome() != OlsFit.Outcome.OK || r.betaZ() == null) {
      return null;
    }
    double[] zc = new double[k];
    double[] zt = new double[k];
    for (int i = 0; i < k; i++) {
      zc[i] = control.mean(i);
      zt[i] = treatment.mean(i);
    }
    return new RobustInput(
        experiment,
        segment,
        variant,
        metricIndex,
        y,
        control.count(),
        treatment.count(),
        zc,
        zt,
        control.mean(y),
        treatment.mean(y),
        r.betaZ(),
        r.h(),
        k + 2);
  }

  /** The centred sum of squares of column y, (n Q_yy - S_y^2) / n. */
  private static double centred(ExactMoments m, int y) {
    return m.centred(y, y);
  }
}
