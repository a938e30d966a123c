package io.segfx.model;

/**
 * Why a segment cell has, or has not, a usable estimate. Stored in output tables by {@link #code}.
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
  ZERO_VARIANCE("zero_residual_variance");

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
