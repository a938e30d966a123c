package io.segfx.config;

import java.util.List;

/**
 * The declarations of {@code causal-impact}'s options: name, kind, default, help text, help section
 * and value label, once each. The options both jobs take are the segment job's declarations.
 */
final class ImpactOptions {
  private ImpactOptions() {}

  /** The options of {@code causal-impact}, each declared once: name, kind, default, help. */
  static final List<OptionDef> ALL =
      List.of(
          OptionDef.required(
                  "input",
                  OptionDef.Kind.STRING,
                  "long rows: series, time, outcome, control columns")
              .inGroup("Input")
              .withLabel("PATH"),
          shared("spec"),
          shared("input-format"),
          OptionDef.of(
                  "series-col",
                  OptionDef.Kind.STRING,
                  ImpactSpec.DEFAULT_SERIES_COL,
                  "series id column (a named one must exist; without the default column the input"
                      + " is one series named 'all')")
              .inGroup("Input")
              .withLabel("COL"),
          OptionDef.required(
                  "time-col",
                  OptionDef.Kind.STRING,
                  "time column: numbers, or ISO dates/timestamps (2026-01-05, 2026-01-05T10:00:00,"
                      + " read as days since 1970-01-01 UTC; no zone = UTC)")
              .inGroup("Input")
              .withLabel("COL"),
          OptionDef.required(
                  "outcome-col", OptionDef.Kind.STRING, "outcome column of the treated series")
              .inGroup("Input")
              .withLabel("COL"),
          OptionDef.required("controls", OptionDef.Kind.LIST, "control series columns")
              .inGroup("Input")
              .withLabel("COL,..."),
          OptionDef.of(
                  "intervention-time",
                  OptionDef.Kind.STRING,
                  null,
                  "the intervention time of every series (rows at or after it are post): a number,"
                      + " or a date/timestamp when the time column holds dates")
              .inGroup("Interventions")
              .withLabel("TIME"),
          OptionDef.of(
                  "intervention-col",
                  OptionDef.Kind.STRING,
                  null,
                  "column with each series' intervention time")
              .inGroup("Interventions")
              .withLabel("COL"),
          OptionDef.of(
                  "interventions",
                  OptionDef.Kind.STRING,
                  null,
                  "table of intervention windows: columns series_id (or --series-col), start, end"
                      + " (empty = open); one summary per window, each against the pre-period"
                      + " before the series' first window")
              .inGroup("Interventions")
              .withLabel("PATH"),
          OptionDef.of(
                  "trend",
                  OptionDef.Kind.FLAG,
                  null,
                  "add a linear time trend regressor (the notebook does)")
              .inGroup("Model"),
          OptionDef.of(
                  "season",
                  OptionDef.Kind.INT,
                  null,
                  "N >= 2 seasons: add N - 1 sum-to-zero seasonal dummies (CausalImpact's"
                      + " nseasons), season 0 at the first pre-period point; absent = none")
              .inGroup("Model")
              .withLabel("N"),
          OptionDef.of(
                  "season-duration",
                  OptionDef.Kind.INT,
                  "1",
                  "--season: consecutive time points per season (CausalImpact's season.duration)")
              .inGroup("Model")
              .withLabel("D"),
          OptionDef.choice(
                  "control-prior",
                  "normal",
                  List.of("normal", "spike-slab"),
                  "normal (every control, conjugate normal prior) or spike-slab (each control may"
                      + " drop out; collapsed Gibbs over inclusion, model-averaged counterfactual;"
                      + " with either model)")
              .inGroup("Model"),
          OptionDef.of(
                  "expected-size",
                  OptionDef.Kind.DOUBLE,
                  "3",
                  "--control-prior spike-slab: prior expected number of controls in the model"
                      + " (inclusion probability = this / number of controls, at most 1)")
              .inGroup("Model")
              .withLabel("K"),
          OptionDef.choice(
                  "model",
                  "regression",
                  List.of("regression", "local-level"),
                  "regression (exact Student-t) or local-level (random-walk level + regression,"
                      + " Gibbs sampler with FFBS, as CausalImpact)")
              .inGroup("Model"),
          OptionDef.of(
                  "burn",
                  OptionDef.Kind.INT,
                  "500",
                  "--model local-level or --control-prior spike-slab: Gibbs burn-in iterations")
              .inGroup("Model")
              .withLabel("N"),
          OptionDef.of(
                  "gibbs-draws",
                  OptionDef.Kind.INT,
                  "2000",
                  "--model local-level or --control-prior spike-slab: kept Gibbs draws")
              .inGroup("Model")
              .withLabel("N"),
          OptionDef.of(
                  "draws",
                  OptionDef.Kind.INT,
                  "20000",
                  "draws of the predictive sum for the relative effect")
              .inGroup("Model")
              .withLabel("N"),
          OptionDef.of("seed", OptionDef.Kind.LONG, "1", "run seed")
              .inGroup("Model")
              .withLabel("N"),
          OptionDef.of(
                  "alpha",
                  OptionDef.Kind.DOUBLE,
                  "0.05",
                  "significance level: significant = the 1 - alpha interval of the cumulative"
                      + " impact excludes 0")
              .inGroup("Model")
              .withLabel("P"),
          OptionDef.of(
                  "placebos",
                  OptionDef.Kind.INT,
                  "10",
                  "placebo intervention points inside the pre-period per series")
              .inGroup("Model")
              .withLabel("N"),
          OptionDef.of(
                  "prior",
                  OptionDef.Kind.LIST,
                  "1e4,1e-3,1e-3",
                  "v0,a0,b0: beta ~ N(0, sigma^2 v0 I), sigma^2 ~ IG(a0, b0) (the notebook's"
                      + " section 10)")
              .inGroup("Model")
              .withLabel("V0,A0,B0"),
          OptionDef.required(
                  "output",
                  OptionDef.Kind.STRING,
                  "output folder (impact_summary, impact_pointwise, manifest.json)")
              .inGroup("Output and run")
              .withLabel("PATH"),
          shared("output-format"),
          OptionDef.of(
                  "report",
                  OptionDef.Kind.STRING,
                  ReportScope.DEFAULT,
                  "HTML report charts: top:N (by probability of a causal effect), all, or none")
              .inGroup("Output and run")
              .withLabel("top:N|all|none"),
          shared("master"),
          shared("mode"));

  /**
   * An option both jobs take (the spec file, formats, Spark master, output mode), declared once
   * with the segment job's options.
   */
  private static OptionDef shared(String name) {
    for (OptionDef d : JobSpec.OPTIONS) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    throw new IllegalStateException("no shared option --" + name);
  }
}
