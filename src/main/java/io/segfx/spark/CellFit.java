package io.segfx.spark;

import io.segfx.config.JobSpec;
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

  static SegmentEstimate fit(
      String experiment,
      String segment,
      String variant,
      MetricSpec metric,
      ExactMoments control,
      ExactMoments treatment,
      int y,
      JobSpec spec) {
    int k = spec.covariates().size();
    int[] z = new int[k];
    for (int i = 0; i < k; i++) {
      z[i] = i;
    }
    long nc = control == null ? 0 : control.count();
    long nt = treatment.count();
    double nan = Double.NaN;
    if (nc == 0) {
      return SegmentEstimate.empty(
          experiment,
          metric.column(),
          variant,
          segment,
          0,
          nt,
          Status.EMPTY_CONTROL.code(),
          metric.kind());
    }
    double mc = control.mean(y);
    double mt = treatment.mean(y);
    double ssc = centred(control, y);
    double sst = centred(treatment, y);
    if (metric.binary()) {
      long yc = (long) control.sumExact(y).toDouble();
      long yt = (long) treatment.sumExact(y).toDouble();
      BetaBinomial pc =
          BetaBinomial.posterior(spec.priorControl()[0], spec.priorControl()[1], yc, nc);
      BetaBinomial pt =
          BetaBinomial.posterior(spec.priorTreatment()[0], spec.priorTreatment()[1], yt, nt);
      return new SegmentEstimate(
          experiment,
          metric.column(),
          variant,
          segment,
          nc,
          nt,
          pt.mean() - pc.mean(),
          Math.sqrt(pt.variance() + pc.variance()),
          nc + nt - 2,
          Status.OK.code(),
          metric.kind(),
          yc,
          yt,
          mc,
          ssc,
          mt,
          sst,
          nan,
          nan,
          nan,
          null,
          nan,
          Math.sqrt(pt.variance() + pc.variance()),
          "beta_binomial");
    }
    OlsFit.Result r = OlsFit.fit(control, treatment, y, z);
    double bm = nan;
    double bs = nan;
    double bd = nan;
    PosteriorSummary summary = null;
    if (k > 0 && r.outcome() == OlsFit.Outcome.OK) {
      double[] prior = spec.regressionPrior();
      NigPosterior b =
          ConjugateRegression.fit(control, treatment, y, z, prior[0], prior[1], prior[2]);
      if (b != null) {
        bm = b.mu();
        bs = b.scale();
        bd = b.dof();
        StudentSummary t = StudentSummary.of(bm, bs, bd, spec.threshold(metric.column()));
        summary =
            new PosteriorSummary(
                t.mean(), t.sd(), t.q025(), t.q975(), t.probPositive(), t.probAboveThreshold());
      }
    }
    return new SegmentEstimate(
        experiment,
        metric.column(),
        variant,
        segment,
        nc,
        nt,
        r.estimate(),
        r.stdError(),
        r.dof(),
        Status.valueOf(r.outcome().name()).code(),
        metric.kind(),
        null,
        null,
        mc,
        ssc,
        mt,
        sst,
        bm,
        bs,
        bd,
        summary,
        nan,
        r.stdError(),
        SegmentEstimate.SE_CLASSICAL);
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
    int[] z = new int[k];
    for (int i = 0; i < k; i++) {
      z[i] = i;
    }
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
