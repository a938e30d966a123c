package io.segfx.model;

/**
 * The one status vocabulary of both jobs: why a segment cell ({@code segment-effects}) or a series
 * window ({@code causal-impact}) has, or has not, a usable result. Stored in the {@code status}
 * column of output tables by {@link #code}. The statistics layer, which imports no model types,
 * reports a series' status by its code; the job reads it back with {@link #ofCode}, so a code
 * outside this set fails loudly instead of reaching a table.
 */
public enum Status {
  /** Estimate and standard error are valid and enter pooling. */
  OK("ok"),
  /** The control arm has no rows in this segment. */
  EMPTY_CONTROL("empty_control"),
  /** The variant arm has no rows in this segment. */
  EMPTY_TREATMENT("empty_treatment"),
  /** n &lt;= p: no residual degrees of freedom. */
  TOO_FEW_ROWS("too_few_rows"),
  /** A covariate is constant within arms, or covariates are collinear: XᵀX is singular. */
  SINGULAR_COVARIATES("singular_covariates"),
  /** The residual sum of squares is zero, so the standard error is zero and cannot be pooled. */
  ZERO_VARIANCE("zero_residual_variance"),

  // Series windows of causal-impact.

  /** Every input row of the series is quarantined (see the manifest's rejected_by_reason). */
  NO_USABLE_ROWS("no_usable_rows"),
  /** The window holds no rows. */
  NO_ROWS("no_rows"),
  /** A row's time is missing or not finite. */
  MISSING_TIME("missing_time"),
  /** The series has no intervention time. */
  MISSING_INTERVENTION_TIME("missing_intervention_time"),
  /** The series' rows give different intervention times. */
  INCONSISTENT_INTERVENTION_TIME("inconsistent_intervention_time"),
  /** The series is absent from the interventions table. */
  NO_INTERVENTION("no_intervention"),
  /** The window ends before it starts, or overlaps the previous window. */
  BAD_WINDOW("bad_window"),
  /** Two rows of the series share a time. */
  DUPLICATE_TIMES("duplicate_times"),
  /** An outcome value is missing or not finite. */
  MISSING_OUTCOME("missing_outcome"),
  /** A control value is missing or not finite. */
  MISSING_CONTROLS("missing_controls"),
  /** No row before the intervention. */
  NO_PRE_PERIOD("no_pre_period"),
  /** No row at or after the intervention. */
  NO_POST_PERIOD("no_post_period"),
  /** Too few pre-period points for the regression (n_pre &lt; p + 3). */
  TOO_FEW_POINTS("too_few_points"),
  /**
   * A post-period point's season of {@code --season} has no pre-period point, so its effect cannot
   * be estimated.
   */
  TOO_FEW_SEASONS("too_few_seasons"),
  /** The controls are collinear in the pre-period. */
  SINGULAR_CONTROLS("singular_controls"),
  /**
   * The series' arithmetic left the range of doubles (values near 1e150 and beyond, whose squares
   * overflow): rescale the series, e.g. to thousands or millions of its unit.
   */
  NUMERICAL_FAILURE("numerical_failure");

  private final String code;

  Status(String code) {
    this.code = code;
  }

  /** The value written to the {@code status} column. */
  public String code() {
    return code;
  }

  /** The status whose {@link #code} is {@code code}. */
  public static Status ofCode(String code) {
    for (Status s : values()) {
      if (s.code.equals(code)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown status code: " + code);
  }
}
