package io.segfx.job;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The causal-impact job's two tables: their names, the column names the job reads rows by, and
 * their schemas. Rows built on the executors carry no schema, so they are read through {@link
 * #summary} and {@link #point}, which find a column's position by its name.
 */
final class ImpactTables {
  static final String IMPACT_SUMMARY = "impact_summary";
  static final String IMPACT_POINTWISE = "impact_pointwise";

  static final String SERIES_ID = "series_id";
  static final String STATUS = "status";
  static final String PROB_CAUSAL_EFFECT = "prob_causal_effect";
  static final String PLACEBO_P = "placebo_p";
  static final String PLACEBOS = "placebos";
  static final String INTERVENTION_TIME = "intervention_time";
  static final String WINDOW = "window";
  static final String ROWS_REJECTED = "rows_rejected";
  static final String AVERAGE_MEAN = "average_mean";
  static final String AVERAGE_Q025 = "average_q025";
  static final String AVERAGE_Q975 = "average_q975";
  static final String AVERAGE_PROB_POSITIVE = "average_prob_positive";
  static final String TAIL_AREA_P = "tail_area_p";

  static final String TIME = "time";
  static final String OBSERVED = "observed";

  /** The pointwise columns a chart draws, after time and observed, in the chart's order. */
  static final List<String> CHART_BANDS =
      List.of(
          "counterfactual_mean",
          "counterfactual_q025",
          "counterfactual_q975",
          "impact_mean",
          "impact_q025",
          "impact_q975");

  static final StructType SUMMARY_SCHEMA =
      DataTypes.createStructType(
          List.of(
              column(SERIES_ID, DataTypes.StringType),
              column(STATUS, DataTypes.StringType),
              column("n_pre", DataTypes.IntegerType),
              column("n_post", DataTypes.IntegerType),
              column(AVERAGE_MEAN, DataTypes.DoubleType),
              column("average_sd", DataTypes.DoubleType),
              column(AVERAGE_Q025, DataTypes.DoubleType),
              column(AVERAGE_Q975, DataTypes.DoubleType),
              column(AVERAGE_PROB_POSITIVE, DataTypes.DoubleType),
              column("cumulative_mean", DataTypes.DoubleType),
              column("cumulative_sd", DataTypes.DoubleType),
              column("cumulative_q025", DataTypes.DoubleType),
              column("cumulative_q975", DataTypes.DoubleType),
              column("cumulative_prob_positive", DataTypes.DoubleType),
              column("relative_effect_mean", DataTypes.DoubleType),
              column("relative_effect_q025", DataTypes.DoubleType),
              column("relative_effect_q975", DataTypes.DoubleType),
              column(TAIL_AREA_P, DataTypes.DoubleType),
              column(PROB_CAUSAL_EFFECT, DataTypes.DoubleType),
              column("significant", DataTypes.BooleanType),
              column("pre_r2", DataTypes.DoubleType),
              column("pre_residual_sd", DataTypes.DoubleType),
              column("pre_residual_autocorrelation", DataTypes.DoubleType),
              column("residual_drift_flag", DataTypes.BooleanType),
              column(PLACEBO_P, DataTypes.DoubleType),
              column(PLACEBOS, DataTypes.IntegerType),
              column(INTERVENTION_TIME, DataTypes.DoubleType),
              column(WINDOW, DataTypes.IntegerType),
              column("window_end", DataTypes.DoubleType),
              column(ROWS_REJECTED, DataTypes.LongType)));

  static final StructType POINTWISE_SCHEMA =
      DataTypes.createStructType(
          List.of(
              column(SERIES_ID, DataTypes.StringType),
              column(TIME, DataTypes.DoubleType),
              column("post", DataTypes.BooleanType),
              column(OBSERVED, DataTypes.DoubleType),
              column(CHART_BANDS.get(0), DataTypes.DoubleType),
              column(CHART_BANDS.get(1), DataTypes.DoubleType),
              column(CHART_BANDS.get(2), DataTypes.DoubleType),
              column(CHART_BANDS.get(3), DataTypes.DoubleType),
              column(CHART_BANDS.get(4), DataTypes.DoubleType),
              column(CHART_BANDS.get(5), DataTypes.DoubleType),
              column("cumulative_impact_mean", DataTypes.DoubleType),
              column("cumulative_impact_q025", DataTypes.DoubleType),
              column("cumulative_impact_q975", DataTypes.DoubleType),
              column(WINDOW, DataTypes.IntegerType)));

  private ImpactTables() {}

  /** A schema-less summary row's value of column {@code name}. */
  static <T> T summary(Row r, String name) {
    return r.getAs(SUMMARY_SCHEMA.fieldIndex(name));
  }

  /** A schema-less pointwise row's value of column {@code name}. */
  static <T> T point(Row r, String name) {
    return r.getAs(POINTWISE_SCHEMA.fieldIndex(name));
  }

  private static StructField column(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
