package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.config.TauPriorSetting;
import io.segfx.model.MetricSpec;
import io.segfx.stats.ExperimentDraws.Economics;
import io.segfx.stats.ExperimentDraws.Thresholds;
import io.segfx.stats.pooling.TauPrior;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statistics kernels' parameter types, built from the run's validated settings where the
 * kernels are called: config holds plain settings and knows nothing of the kernels.
 */
final class StatsSettings {
  private StatsSettings() {}

  /** The kernel's prior of tau for the {@code --tau-prior} setting. */
  static TauPrior tauPrior(TauPriorSetting s) {
    return switch (s.family()) {
      case UNIFORM -> TauPrior.UNIFORM;
      case HALF_NORMAL -> new TauPrior(TauPrior.Kind.HALF_NORMAL, s.scale());
      case HALF_CAUCHY -> new TauPrior(TauPrior.Kind.HALF_CAUCHY, s.scale());
    };
  }

  /** The thresholds of {@code metric}: its practical threshold and the relative one. */
  static Thresholds thresholds(JobSpec spec, String metric) {
    return new Thresholds(spec.threshold(metric), spec.relativeThreshold());
  }

  /** The launch economics of {@code metric}, or effect-only economics when none were given. */
  static Economics economics(JobSpec spec, String metric) {
    if (spec.users() == null) {
      return Economics.EFFECT_ONLY;
    }
    return new Economics(spec.users(), spec.valueOf(metric), spec.cost());
  }

  /** The thresholds of every metric, for the executors of stage 3. */
  static Map<String, Thresholds> thresholdsByMetric(JobSpec spec) {
    Map<String, Thresholds> m = new LinkedHashMap<>();
    for (MetricSpec metric : spec.metricSpecs()) {
      m.put(metric.column(), thresholds(spec, metric.column()));
    }
    return m;
  }

  /** The launch economics of every metric, for the executors of stage 3. */
  static Map<String, Economics> economicsByMetric(JobSpec spec) {
    Map<String, Economics> m = new LinkedHashMap<>();
    for (MetricSpec metric : spec.metricSpecs()) {
      m.put(metric.column(), economics(spec, metric.column()));
    }
    return m;
  }
}
