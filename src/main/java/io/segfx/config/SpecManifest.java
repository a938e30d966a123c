package io.segfx.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a {@code segment-effects} run as the manifest writes them: snake_case keys in a
 * fixed order. Insertion-ordered maps throughout (Map.of's order changes from one JVM to the next),
 * so the manifests of two runs with the same settings differ only in run id, paths and timings.
 */
final class SpecManifest {
  private SpecManifest() {}

  /** The settings of {@code s}, keyed as in the manifest. */
  static Map<String, Object> of(JobSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", s.input());
    m.put("output", s.output());
    m.put("spec", s.spec());
    m.put("input_format", s.inputFormat().code());
    m.put("output_format", s.outputFormat().code());
    m.put("experiment_col", s.experimentCol());
    m.put("segment_col", s.segmentCol());
    m.put("arm_col", s.armCol());
    m.put("control_arm", s.controlArm());
    m.put("variants", s.variants());
    m.put("metrics", s.metrics());
    m.put("covariates", s.covariates());
    m.put("pooling", s.pooling().code());
    m.put("min_segments", s.minSegments());
    m.put("moments_floor", s.momentsFloor());
    m.put("draws", s.draws());
    m.put("seed", s.seed());
    m.put("threshold", s.thresholds());
    m.put("users", s.users());
    m.put("value_per_unit", s.valuePerUnit());
    m.put("cost", s.cost());
    m.put("launch_probability", s.launchProbability());
    m.put("master", s.master());
    m.put("mode", s.mode().code());
    m.put("unit_col", s.unitCol());
    m.put("input_kind", s.inputKind().code());
    m.put("prior_control", s.priorControl());
    m.put("prior_treatment", s.priorTreatment());
    m.put("prior_grid", grid(s));
    rest(s, m);
    return m;
  }

  private static void rest(JobSpec s, Map<String, Object> m) {
    m.put("relative_threshold", s.relativeThreshold());
    m.put("expected_split", s.expectedSplit());
    m.put("srm_alpha", s.srmAlpha());
    m.put("nig_prior", s.nigPrior());
    m.put("regression_prior", s.regressionPrior());
    m.put("count_columns", s.countCols());
    m.put("design", s.design().code());
    m.put("bias_prior", bias(s));
    m.put("report", s.report().toString());
    m.put("memos", s.reportSpec().memos().code());
    m.put("tau_prior", s.tauPrior().toString());
    m.put("learned_prior", s.learnedPrior().code());
    m.put("se", s.se().code());
    m.put("cluster_col", s.clusterCol());
    m.put("prior_history", s.priorHistory());
    m.put(
        "mu_prior",
        s.muPrior() == null ? "flat" : "normal:" + s.muPrior()[0] + "," + s.muPrior()[1]);
    m.put("setting_sources", s.settingSources());
    m.put("estimate_columns", s.estimateCols());
    m.put("csv_delimiter", String.valueOf(s.csvDelimiter()));
    m.put("kh_truncate", s.khTruncate());
    m.put("csv_encoding", s.csvEncoding());
    // The catalog settings only where a run uses them, so a folder run's manifest is the same
    // from one day to the next (the run date defaults to today).
    if (s.inputSpec().inputTable() != null) {
      m.put("input_table", s.inputSpec().inputTable().toString());
      m.put("where", s.inputSpec().where());
    }
    if (s.reportSpec().outputTablePrefix() != null) {
      m.put("output_table_prefix", s.reportSpec().outputTablePrefix().toString());
      m.put("run_date", s.reportSpec().runDate().toString());
      m.put("warehouse", s.reportSpec().warehouse());
    }
  }

  private static List<Map<String, Object>> grid(JobSpec s) {
    List<Map<String, Object>> grid = new ArrayList<>();
    for (JobSpec.PriorGridEntry g : s.priorGrid()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", g.name());
      entry.put("control", g.control());
      entry.put("treatment", g.treatment());
      grid.add(entry);
    }
    return grid;
  }

  private static List<Map<String, Object>> bias(JobSpec s) {
    List<Map<String, Object>> bias = new ArrayList<>();
    for (JobSpec.BiasScenario b : s.biasPrior()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", b.name());
      entry.put("mean", b.mean());
      entry.put("sd", b.sd());
      bias.add(entry);
    }
    return bias;
  }
}
