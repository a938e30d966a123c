package io.segfx.job;

import io.segfx.io.ImpactSchemas;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The causal-impact job's three tables: their names, the column names the job reads rows by, and
 * their schemas. Rows built on the executors carry no schema, so they are read through {@link
 * #summary} and {@link #point}, which find a column's position by its name.
 */
final class ImpactTables {
  static final String IMPACT_SUMMARY = "impact_summary";
  static final String IMPACT_POINTWISE = "impact_pointwise";
  static final String IMPACT_CONTROLS = "impact_controls";

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
  static final String POST = "post";
  static final String CONTROL = "control";

  /** Declared once, with the column descriptions the table reference shows, in io. */
  static final StructType SUMMARY_SCHEMA = ImpactSchemas.IMPACT_SUMMARY.structType();

  static final StructType POINTWISE_SCHEMA = ImpactSchemas.IMPACT_POINTWISE.structType();

  static final StructType CONTROLS_SCHEMA = ImpactSchemas.IMPACT_CONTROLS.structType();

  private ImpactTables() {}

  /** A schema-less summary row's value of column {@code name}. */
  static <T> T summary(Row r, String name) {
    return r.getAs(SUMMARY_SCHEMA.fieldIndex(name));
  }

  /** A schema-less pointwise row's value of column {@code name}. */
  static <T> T point(Row r, String name) {
    return r.getAs(POINTWISE_SCHEMA.fieldIndex(name));
  }
}
