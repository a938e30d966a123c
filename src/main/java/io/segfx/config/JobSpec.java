package io.segfx.config;

import static io.segfx.config.OptionDef.Kind.DOUBLE;
import static io.segfx.config.OptionDef.Kind.INT;
import static io.segfx.config.OptionDef.Kind.LIST;
import static io.segfx.config.OptionDef.Kind.LONG;
import static io.segfx.config.OptionDef.Kind.STRING;

import io.segfx.stats.DecisionRule;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.pooling.MomentsPooling;
import java.io.Serializable;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings of one {@code segment-effects} run. Filled by {@link OptionValues}: defaults (declared
 * once in {@link #OPTIONS}), then the YAML spec, then flags.
 */
public record JobSpec(
    String input,
    String output,
    String spec,
    String inputFormat,
    String outputFormat,
    String experimentCol,
    String segmentCol,
    String armCol,
    String controlArm,
    List<String> variants,
    List<String> metrics,
    List<String> covariates,
    String pooling,
    int minSegments,
    double momentsFloor,
    int draws,
    long seed,
    double threshold,
    Double users,
    Double valuePerUnit,
    Double cost,
    double launchProbability,
    String master,
    String mode,
    String unitCol)
    implements Serializable {

  public static final String COMMAND = "segment-effects";
  public static final String POOLING_DEFAULT = "reml";
  public static final int DRAWS_DEFAULT = 20_000;
  public static final long SEED_DEFAULT = 1;
  public static final int MIN_SEGMENTS_DEFAULT = 3;
  /** Experiment id used when the input has no experiment column. */
  public static final String SINGLE_EXPERIMENT = "all";
  /** Segment name used when the input has no segment column. */
  public static final String SINGLE_SEGMENT = "all";

  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.required("input", STRING, "unit-level input: a file or folder (file:, hdfs://, s3a://)"),
          OptionDef.required("output", STRING, "output folder; one sub-folder per table plus manifest.json"),
          OptionDef.of("spec", STRING, null, "YAML job spec with the same keys as these options; flags override it"),
          OptionDef.choice("input-format", null, List.of("parquet", "csv"), "input format (default: from the path's extension, else parquet)"),
          OptionDef.choice("output-format", "parquet", List.of("parquet", "csv"), "format of the output tables"),
          OptionDef.of("experiment-col", STRING, "experiment_id", "experiment id column; absent from the input = one experiment named 'all'"),
          OptionDef.of("segment-col", STRING, "segment", "segment column; absent from the input = one segment named 'all'"),
          OptionDef.of("arm-col", STRING, "arm", "arm (assignment) column"),
          OptionDef.of("control-arm", STRING, "0", "the arm value of the control group; every other value is a variant"),
          OptionDef.of("variants", LIST, null, "declared variant arm values; rows in any other non-control arm are rejected as unknown_arm"),
          OptionDef.required("metric", LIST, "outcome column (continuous); repeat or comma-separate for several").withAliases("metrics"),
          OptionDef.of("covariates", LIST, null, "pre-period covariates for regression adjustment"),
          OptionDef.choice("pooling", POOLING_DEFAULT, List.of("reml", "dl", "moments"), "empirical-Bayes estimator of the between-segment variance"),
          OptionDef.of("min-segments", INT, String.valueOf(MIN_SEGMENTS_DEFAULT), "fewest usable segments that are pooled; fewer keep their own posteriors"),
          OptionDef.of("moments-floor", DOUBLE, String.valueOf(MomentsPooling.FLOOR_DEFAULT), "floor on tau^2 of --pooling moments (the notebook's 0.05)"),
          OptionDef.of("draws", INT, String.valueOf(DRAWS_DEFAULT), "posterior draws per experiment, metric and variant"),
          OptionDef.of("seed", LONG, String.valueOf(SEED_DEFAULT), "run seed; with the same input and settings outputs are bit-identical"),
          OptionDef.of("threshold", DOUBLE, "0", "practical threshold for P(effect > threshold)"),
          OptionDef.of("users", DOUBLE, null, "decision analysis: users exposed after launch"),
          OptionDef.of("value-per-unit", DOUBLE, null, "decision analysis: value of one unit of the metric per user"),
          OptionDef.of("cost", DOUBLE, null, "decision analysis: cost of launching"),
          OptionDef.of("launch-probability", DOUBLE, String.valueOf(DecisionRule.LAUNCH_PROBABILITY_DEFAULT), "launch when P(profit > 0) >= this; do not launch when <= 1 - this"),
          OptionDef.of("master", STRING, null, "Spark master, e.g. local[2] (default: spark-submit's, else local[*])"),
          OptionDef.choice("mode", "error", List.of("error", "overwrite"), "when the output folder exists: fail, or replace it"),
          OptionDef.of("unit-col", STRING, null, "unit id column; when given, every row of a duplicated or null id is quarantined (one extra aggregation over the ids)"));

  /** Builds and validates a spec from resolved option values. */
  public static JobSpec from(OptionValues v) {
    JobSpec s =
        new JobSpec(
            v.string("input"),
            v.string("output"),
            v.string("spec"),
            v.has("input-format") ? v.string("input-format") : formatFromPath(v.string("input")),
            v.string("output-format"),
            v.string("experiment-col"),
            v.string("segment-col"),
            v.string("arm-col"),
            v.string("control-arm"),
            v.list("variants"),
            v.list("metric"),
            v.list("covariates"),
            v.string("pooling"),
            v.integer("min-segments"),
            v.number("moments-floor"),
            v.integer("draws"),
            v.longValue("seed"),
            v.number("threshold"),
            v.has("users") ? v.number("users") : null,
            v.has("value-per-unit") ? v.number("value-per-unit") : null,
            v.has("cost") ? v.number("cost") : null,
            v.number("launch-probability"),
            v.string("master"),
            v.string("mode"),
            v.string("unit-col"));
    s.validate();
    return s;
  }

  /** csv when the path ends in .csv (or .csv.gz), parquet otherwise. */
  public static String formatFromPath(String path) {
    String p = path.toLowerCase(java.util.Locale.ROOT);
    return p.endsWith(".csv") || p.endsWith(".csv.gz") ? "csv" : "parquet";
  }

  private void validate() {
    if (draws < 100) {
      throw new UsageException("--draws must be >= 100, got " + draws);
    }
    if (minSegments < 2) {
      throw new UsageException("--min-segments must be >= 2, got " + minSegments);
    }
    if (!(momentsFloor >= 0)) {
      throw new UsageException("--moments-floor must be >= 0, got " + momentsFloor);
    }
    if (!(launchProbability > 0.5 && launchProbability < 1)) {
      throw new UsageException("--launch-probability must be in (0.5, 1), got " + launchProbability);
    }
    int econ = (users == null ? 0 : 1) + (valuePerUnit == null ? 0 : 1) + (cost == null ? 0 : 1);
    if (econ != 0 && econ != 3) {
      throw new UsageException(
          "decision analysis needs all of --users, --value-per-unit and --cost (or none of them)");
    }
    Set<String> seen = new HashSet<>();
    for (String c : columns()) {
      if (!seen.add(c)) {
        throw new UsageException("column '" + c + "' is named twice among the experiment, segment, arm, metric and covariate columns");
      }
    }
    if (variants.contains(controlArm)) {
      throw new UsageException("--variants must not contain the control arm '" + controlArm + "'");
    }
  }

  private List<String> columns() {
    java.util.ArrayList<String> c = new java.util.ArrayList<>(List.of(experimentCol, segmentCol, armCol));
    c.addAll(metrics);
    c.addAll(covariates);
    if (unitCol != null) {
      c.add(unitCol);
    }
    return c;
  }

  /** The launch economics, or effect-only economics when none were given. */
  public ExperimentDraws.Economics economics() {
    return users == null
        ? ExperimentDraws.Economics.EFFECT_ONLY
        : new ExperimentDraws.Economics(users, valuePerUnit, cost);
  }

  /** The settings as a map for the run manifest. */
  public Map<String, Object> toManifest() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", input);
    m.put("output", output);
    m.put("spec", spec);
    m.put("input_format", inputFormat);
    m.put("output_format", outputFormat);
    m.put("experiment_col", experimentCol);
    m.put("segment_col", segmentCol);
    m.put("arm_col", armCol);
    m.put("control_arm", controlArm);
    m.put("variants", variants);
    m.put("metrics", metrics);
    m.put("covariates", covariates);
    m.put("pooling", pooling);
    m.put("min_segments", minSegments);
    m.put("moments_floor", momentsFloor);
    m.put("draws", draws);
    m.put("seed", seed);
    m.put("threshold", threshold);
    m.put("users", users);
    m.put("value_per_unit", valuePerUnit);
    m.put("cost", cost);
    m.put("launch_probability", launchProbability);
    m.put("master", master);
    m.put("mode", mode);
    m.put("unit_col", unitCol);
    return m;
  }
}
