package io.segfx.model;

import java.io.Serializable;

/**
 * Stage-1 output: the effect of one variant against control in one segment, for one metric.
 *
 * <p>For a continuous metric {@code estimate} and {@code stdError} are the OLS coefficient of the
 * treatment indicator and its classical standard error; {@code bayes*} is the Student-t marginal of
 * that coefficient under the conjugate regression prior (NaN without covariates, where each arm has
 * its own NIG posterior built from {@code mean*} and {@code ss*}). For a binary metric they are the
 * mean and sd of the Beta–Binomial posterior lift p1 - p0, and {@code successes*} hold the
 * conversions. All are NaN (null for counts) when {@code status} is not {@code ok}.
 *
 * @param bayesSummary exact summary of that Student-t marginal (null without one), computed on the
 *     executors with the metric's threshold
 * @param srmPValue chi-square p-value of the control/variant split in this segment (NaN before
 *     stage 2 computes it)
 * @param stdErrorClassical the classical OLS standard error (equal to {@code stdError} unless a
 *     robust one was asked for)
 * @param seType what {@code stdError} is: {@code classical}, {@code hc1}, {@code cluster}, or for
 *     other kinds {@code beta_binomial} / {@code given}
 */
public record SegmentEstimate(
    String experimentId,
    String metric,
    String variant,
    String segment,
    long nControl,
    long nTreatment,
    double estimate,
    double stdError,
    long dof,
    String status,
    String kind,
    Long successesControl,
    Long successesTreatment,
    double meanControl,
    double ssControl,
    double meanTreatment,
    double ssTreatment,
    double bayesMean,
    double bayesScale,
    double bayesDof,
    PosteriorSummary bayesSummary,
    double srmPValue,
    double stdErrorClassical,
    String seType)
    implements Serializable {

  /** {@code seType} of an OLS standard error: classical, hc1 or cluster (CR1). */
  public static final String SE_CLASSICAL = "classical";

  /** A cell without an estimate (an empty arm), with its status. */
  public static SegmentEstimate empty(
      String experimentId,
      String metric,
      String variant,
      String segment,
      long nControl,
      long nTreatment,
      String status,
      String kind) {
    double nan = Double.NaN;
    return new SegmentEstimate(
        experimentId,
        metric,
        variant,
        segment,
        nControl,
        nTreatment,
        nan,
        nan,
        0,
        status,
        kind,
        null,
        null,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        null,
        nan,
        nan,
        "");
  }

  /** True when the cell enters pooling. */
  public boolean usable() {
    return Status.OK.code().equals(status);
  }

  /** Metric kind of a cell read from {@code --input-kind estimates}. */
  public static final String ESTIMATE_KIND = "estimate";

  /** True for a cell read from {@code --input-kind estimates} (no arm data behind it). */
  public boolean fromEstimates() {
    return ESTIMATE_KIND.equals(kind);
  }

  /** True for a binary (conversion) metric. */
  public boolean binary() {
    return "binary".equals(kind);
  }

  /** This estimate with its sample-ratio p-value. */
  public SegmentEstimate withSrm(double p) {
    return new SegmentEstimate(
        experimentId,
        metric,
        variant,
        segment,
        nControl,
        nTreatment,
        estimate,
        stdError,
        dof,
        status,
        kind,
        successesControl,
        successesTreatment,
        meanControl,
        ssControl,
        meanTreatment,
        ssTreatment,
        bayesMean,
        bayesScale,
        bayesDof,
        bayesSummary,
        p,
        stdErrorClassical,
        seType);
  }

  /**
   * This estimate with a robust standard error (the classical one kept in {@code
   * stdErrorClassical}).
   */
  public SegmentEstimate withStdError(double se, String type) {
    return new SegmentEstimate(
        experimentId,
        metric,
        variant,
        segment,
        nControl,
        nTreatment,
        estimate,
        se,
        dof,
        status,
        kind,
        successesControl,
        successesTreatment,
        meanControl,
        ssControl,
        meanTreatment,
        ssTreatment,
        bayesMean,
        bayesScale,
        bayesDof,
        bayesSummary,
        srmPValue,
        stdErrorClassical,
        type);
  }
}
