package io.segfx.report;

import io.segfx.model.Status;
import java.util.function.Function;

/**
 * What the causal-impact memo and index print of one {@code impact_summary} row. The fields carry
 * that table's column names in camel case (see {@code io.segfx.io.ImpactSchemas}).
 *
 * @param rowsRejected the series' quarantined rows (0 when the row does not carry them)
 */
public record ImpactSummary(
    String seriesId,
    String status,
    int nPost,
    double averageMean,
    double averageQ025,
    double averageQ975,
    double cumulativeMean,
    double cumulativeQ025,
    double cumulativeQ975,
    double relativeEffectMean,
    double relativeEffectQ025,
    double relativeEffectQ975,
    double tailAreaP,
    double probCausalEffect,
    boolean significant,
    double preR2,
    double preResidualAutocorrelation,
    boolean residualDriftFlag,
    double placeboP,
    int placebos,
    long rowsRejected) {

  public ImpactSummary {
    if (seriesId == null || status == null) {
      throw new IllegalArgumentException(
          "series id and status are required, got " + seriesId + ", " + status);
    }
  }

  /** Whether the series was analysed. */
  public boolean ok() {
    return Status.OK.code().equals(status);
  }

  /**
   * Adapter for callers holding a row with the {@code impact_summary} schema: reads each field by
   * column name (for a Spark row, {@code row::getAs}).
   */
  public static ImpactSummary of(Function<String, Object> field) {
    Object rejected = field.apply("rows_rejected");
    return new ImpactSummary(
        (String) field.apply("series_id"),
        (String) field.apply("status"),
        (Integer) field.apply("n_post"),
        (Double) field.apply("average_mean"),
        (Double) field.apply("average_q025"),
        (Double) field.apply("average_q975"),
        (Double) field.apply("cumulative_mean"),
        (Double) field.apply("cumulative_q025"),
        (Double) field.apply("cumulative_q975"),
        (Double) field.apply("relative_effect_mean"),
        (Double) field.apply("relative_effect_q025"),
        (Double) field.apply("relative_effect_q975"),
        (Double) field.apply("tail_area_p"),
        (Double) field.apply("prob_causal_effect"),
        (Boolean) field.apply("significant"),
        (Double) field.apply("pre_r2"),
        (Double) field.apply("pre_residual_autocorrelation"),
        (Boolean) field.apply("residual_drift_flag"),
        (Double) field.apply("placebo_p"),
        (Integer) field.apply("placebos"),
        rejected == null ? 0L : (Long) rejected);
  }
}
