package io.segfx.model;

import java.io.Serializable;

/**
 * Stage-1 output: the regression-adjusted effect of one variant against control in one segment,
 * for one metric. {@code estimate} and {@code stdError} are NaN unless {@code status} is {@code
 * ok} (or {@code zero_residual_variance} for the estimate).
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
    String status)
    implements Serializable {

  /** True when the cell enters pooling. */
  public boolean usable() {
    return Status.OK.code().equals(status);
  }
}
