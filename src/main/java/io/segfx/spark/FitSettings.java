package io.segfx.spark;

import io.segfx.config.JobSpec;
import io.segfx.model.InputKind;
import io.segfx.model.MetricSpec;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the executors' cell fits read of the job spec: a few small values, so that the closures of
 * stage 1 carry these rather than the whole {@link JobSpec}.
 *
 * @param controlArm the control arm's label
 * @param metrics the metrics, in the order of their value columns
 * @param covariates number of covariate columns (they come before the metrics)
 * @param totals whether rows are aggregated totals (n, sum, sum of squares) of one metric
 * @param priorControl Beta prior (a, b) of a binary metric's control rate
 * @param priorTreatment Beta prior (a, b) of a binary metric's treatment rate
 * @param regressionPrior (v0, a0, b0) of the conjugate regression
 * @param thresholds practical threshold per metric column
 * @param robust whether robust standard errors are asked for (their inputs are then collected)
 */
record FitSettings(
    String controlArm,
    List<MetricSpec> metrics,
    int covariates,
    boolean totals,
    double[] priorControl,
    double[] priorTreatment,
    double[] regressionPrior,
    Map<String, Double> thresholds,
    boolean robust)
    implements Serializable {

  FitSettings {
    if (controlArm == null) {
      throw new IllegalArgumentException("controlArm must be given");
    }
    if (covariates < 0) {
      throw new IllegalArgumentException("covariates must be >= 0, got " + covariates);
    }
    metrics = List.copyOf(metrics);
    thresholds = Map.copyOf(thresholds);
  }

  /** The values the fits read of {@code spec}. */
  static FitSettings of(JobSpec spec) {
    Map<String, Double> thresholds = new LinkedHashMap<>();
    for (MetricSpec m : spec.metricSpecs()) {
      thresholds.put(m.column(), spec.threshold(m.column()));
    }
    return new FitSettings(
        spec.controlArm(),
        spec.metricSpecs(),
        spec.covariates().size(),
        spec.inputKind() == InputKind.COUNTS,
        spec.priorControl().clone(),
        spec.priorTreatment().clone(),
        spec.regressionPrior().clone(),
        thresholds,
        spec.se().robust());
  }

  /** The value column of metric m: after the covariates, or the single column of totals. */
  int column(int m) {
    return totals ? 0 : covariates + m;
  }

  /** The practical threshold of a metric column. */
  double threshold(String metric) {
    return thresholds.get(metric);
  }
}
