package io.segfx.report;

import io.segfx.model.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the causal-impact memo, page and index print of one {@code impact_summary} row. The fields
 * carry that table's column names in camel case (see {@code io.segfx.io.ImpactSchemas}).
 *
 * @param relativeEffectSd the relative effect's sd (NaN when the row does not carry it)
 * @param rowsRejected the series' quarantined rows (0 when the row does not carry them)
 * @param pointsNeeded the pre-period points the fit needs (0: not checked)
 * @param duplicateTime the first time that occurs more than once (NaN: none)
 * @param duplicateRows the rows at that time
 * @param duplicatedTimes how many distinct times occur more than once
 */
public record ImpactSummary(
    String seriesId,
    String status,
    int nPre,
    int nPost,
    double averageMean,
    double averageSd,
    double averageQ025,
    double averageQ975,
    double cumulativeMean,
    double cumulativeSd,
    double cumulativeQ025,
    double cumulativeQ975,
    double relativeEffectMean,
    double relativeEffectSd,
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
    double interventionTime,
    long rowsRejected,
    int pointsNeeded,
    double duplicateTime,
    int duplicateRows,
    int duplicatedTimes) {

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
   * The placebo refits whose absolute average effect was at least the real one: placebo p = (1 +
   * k)/(1 + placebos) solved for k (0 without placebos).
   */
  public int placebosAsLarge() {
    return placebos == 0 ? 0 : (int) Math.round(placeboP * (1 + placebos)) - 1;
  }

  /** The noise band of the lag-1 residual autocorrelation, 1.96/√n_pre, as the drift flag uses. */
  public double driftBand() {
    return 1.959963984540054 / Math.sqrt(nPre);
  }

  /**
   * Why an analysed series' result deserves a second look, each in words: drifting pre-period
   * residuals, placebo refits with effects as large as the real one, quarantined rows.
   */
  public List<String> flags() {
    List<String> flags = new ArrayList<>();
    if (!ok()) {
      return flags;
    }
    if (residualDriftFlag) {
      flags.add("residual drift");
    }
    int asLarge = placebosAsLarge();
    if (asLarge > 0) {
      flags.add(asLarge + " of " + placebos + " placebos as large");
    }
    if (rowsRejected > 0) {
      flags.add(rowsRejected + " rows quarantined");
    }
    return flags;
  }

  /**
   * Adapter for callers holding a row with the {@code impact_summary} schema: reads each field by
   * column name (for a Spark row, {@code row::getAs}).
   */
  public static ImpactSummary of(Function<String, Object> field) {
    Object rejected = field.apply("rows_rejected");
    Object relativeSd = field.apply("relative_effect_sd");
    Object needed = field.apply("points_needed");
    Object dupTime = field.apply("duplicate_time");
    Object dupRows = field.apply("duplicate_rows");
    Object dupTimes = field.apply("duplicated_times");
    return new ImpactSummary(
        (String) field.apply("series_id"),
        (String) field.apply("status"),
        (Integer) field.apply("n_pre"),
        (Integer) field.apply("n_post"),
        (Double) field.apply("average_mean"),
        (Double) field.apply("average_sd"),
        (Double) field.apply("average_q025"),
        (Double) field.apply("average_q975"),
        (Double) field.apply("cumulative_mean"),
        (Double) field.apply("cumulative_sd"),
        (Double) field.apply("cumulative_q025"),
        (Double) field.apply("cumulative_q975"),
        (Double) field.apply("relative_effect_mean"),
        relativeSd == null ? Double.NaN : (Double) relativeSd,
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
        (Double) field.apply("intervention_time"),
        rejected == null ? 0L : (Long) rejected,
        needed == null ? 0 : (Integer) needed,
        dupTime == null ? Double.NaN : (Double) dupTime,
        dupRows == null ? 0 : (Integer) dupRows,
        dupTimes == null ? 0 : (Integer) dupTimes);
  }
}
