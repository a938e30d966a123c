package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.LearnedEffect;
import io.segfx.model.RunSummary;
import io.segfx.stats.PooledPosterior;
import java.util.List;

/** On the driver after the decisions: one verdict per (experiment, variant). */
final class VerdictStage {
  private VerdictStage() {}

  static List<ExperimentVerdict> verdicts(
      JobSpec spec, List<PooledPosterior> groups, List<DecisionMetrics> decisions) {
    return List.of();
  }

  static RunSummary summary(
      List<ExperimentVerdict> verdicts, List<LearnedEffect> learned, JobSpec spec) {
    return RunSummary.of(verdicts, null);
  }
}
