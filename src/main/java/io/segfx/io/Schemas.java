package io.segfx.io;

import io.segfx.io.TableSchema.Command;
import java.util.List;

/**
 * Every output table's columns, declared once. The writers' Spark schemas ({@link
 * TableSchema#structType()}) and the generated table reference ({@link TablesReference}) are both
 * built from these declarations; names, types and order are the public contract and are kept.
 *
 * <p>Columns that several tables share (the key, the decision summary) are declared here once and
 * reused, so their description cannot differ between tables. The segment job's decision tables are
 * in {@link DecisionSchemas}, the causal-impact tables in {@link ImpactSchemas}.
 */
public final class Schemas {
  private Schemas() {}

  static Column str(String name, String description) {
    return Column.of(name, ColumnType.STRING, description);
  }

  static Column int32(String name, String description) {
    return Column.of(name, ColumnType.INT, description);
  }

  static Column int64(String name, String description) {
    return Column.of(name, ColumnType.LONG, description);
  }

  static Column dbl(String name, String description) {
    return Column.of(name, ColumnType.DOUBLE, description);
  }

  static Column bool(String name, String description) {
    return Column.of(name, ColumnType.BOOLEAN, description);
  }

  static final Column EXPERIMENT_ID = str("experiment_id", "the experiment");
  static final Column METRIC = str("metric", "the outcome metric's column");
  static final Column SEGMENT = str("segment", "the segment's value");
  static final Column PRIOR = str("prior", "the prior that produced the posterior, as a label");
  static final Column Q025 = dbl("q025", "2.5% posterior quantile");
  static final Column Q975 = dbl("q975", "97.5% posterior quantile");
  static final Column PROB_POSITIVE = dbl("prob_positive", "posterior P(effect > 0)");
  static final Column PROB_ABOVE_THRESHOLD =
      dbl("prob_above_threshold", "posterior P(effect > the metric's threshold)");
  static final Column RELATIVE_EFFECT_MEAN =
      dbl(
          "relative_effect_mean",
          "posterior mean of effect / control level: from draws where the effect is drawn, else"
              + " by the second-order delta method, (μ_E / μ_B)(1 + σ_B² / μ_B²)");
  static final Column PROB_RELATIVE_ABOVE_THRESHOLD =
      dbl("prob_relative_above_threshold", "posterior P(relative effect > its threshold)");
  static final Column EXPECTED_PROFIT =
      dbl("expected_profit", "posterior mean of the launch profit");
  static final Column PROB_PROFIT_POSITIVE =
      dbl("prob_profit_positive", "posterior P(profit > 0), which the decision rule reads");
  static final Column RECOMMENDATION =
      str("recommendation", "`launch`, `do_not_launch` or `collect_more_data`");
  static final Column SRM_P_VALUE =
      dbl("srm_p_value", "sample-ratio mismatch test's p-value (chi-squared on arm sizes)");
  static final Column SRM_FLAG = bool("srm_flag", "srm_p_value below `--srm-alpha`");
  static final Column MC_SE_PROB_POSITIVE =
      dbl("mc_se_prob_positive", "Monte Carlo SE of prob_positive, √(p(1 − p)/draws); 0 if exact");

  /** The key of experiment-level tables: one row per (experiment, metric, variant). */
  static final List<Column> KEY =
      List.of(EXPERIMENT_ID, METRIC, str("variant", "the treatment arm compared with control"));

  /** The key of segment-level tables. */
  static final List<Column> SEGMENT_KEY = List.of(KEY.get(0), KEY.get(1), KEY.get(2), SEGMENT);

  public static final TableSchema SEGMENT_ESTIMATES =
      TableSchema.of(
          "segment_estimates",
          Command.SEGMENT_EFFECTS,
          "One row per cell (experiment, metric, variant, segment) seen, usable or not: `status`"
              + " says which. For binary metrics `estimate` and `std_error` are the posterior"
              + " lift's mean and sd.",
          SEGMENT_KEY,
          List.of(
              int64("n_control", "rows in the control arm"),
              int64("n_treatment", "rows in the treatment arm"),
              dbl("estimate", "the segment's treatment effect (regression coefficient or lift)"),
              dbl("std_error", "its standard error, of the kind se_type names"),
              int64("dof", "residual degrees of freedom"),
              str(
                  "status",
                  "`ok`, `empty_control`, `empty_treatment`, `too_few_rows` (n ≤ p),"
                      + " `singular_covariates` (a covariate constant within arms, or collinear"
                      + " covariates) or `zero_residual_variance`"),
              str("metric_kind", "`continuous` or `binary`"),
              int64("successes_control", "successes in the control arm (binary metrics)"),
              int64("successes_treatment", "successes in the treatment arm (binary metrics)"),
              dbl("mean_control", "the metric's mean in the control arm"),
              dbl("mean_treatment", "the metric's mean in the treatment arm"),
              dbl("bayes_mean", "conjugate regression coefficient's exact Student-t mean (or NaN)"),
              dbl("bayes_sd", "its sd (NaN where there is none)"),
              dbl("bayes_q025", "its 2.5% quantile"),
              dbl("bayes_q975", "its 97.5% quantile"),
              dbl("bayes_prob_positive", "its P(coefficient > 0)"),
              SRM_P_VALUE,
              SRM_FLAG,
              str("prior", "the metric's prior, as a label"),
              dbl("std_error_classical", "the classical OLS standard error, whatever se_type is"),
              str(
                  "se_type",
                  "what std_error is: `classical`, `hc1`, `cluster` (CR1), `beta_binomial` or"
                      + " `given`")));

  public static final TableSchema SEGMENT_POSTERIORS =
      TableSchema.of(
          "segment_posteriors",
          Command.SEGMENT_EFFECTS,
          "One row per usable segment: the posterior of its effect after pooling.",
          SEGMENT_KEY,
          List.of(
              dbl("post_mean", "posterior mean of the segment's effect"),
              dbl("post_sd", "posterior sd"),
              Q025,
              Q975,
              PROB_POSITIVE,
              PROB_ABOVE_THRESHOLD,
              dbl("shrinkage_weight", "weight on the raw estimate (1: unpooled)"),
              int64("units", "units in the segment, both arms"),
              RELATIVE_EFFECT_MEAN,
              dbl(
                  "control_mean",
                  "posterior mean of the segment's control level (exact: the baseline posterior's"
                      + " mean, or the draws' mean where it has none); NaN without one"),
              dbl(
                  "relative_q025",
                  "2.5% posterior quantile of effect / control level: from the segment's draws"
                      + " where its experiment's figures are drawn (experiment_decisions.draws >"
                      + " 0), else exact for its normal or normal-mixture effect over its normal"
                      + " (moment-matched) control level; NaN without a control level or where"
                      + " that level's posterior puts 2.5% or more below 0"),
              dbl("relative_q975", "97.5% posterior quantile of effect / control level, as above"),
              PROB_RELATIVE_ABOVE_THRESHOLD,
              str(
                  "source",
                  "how it is summarised: `normal` (pooled, exact), `student_t` (unpooled"
                      + " regression, exact) or `draws`"),
              PRIOR));

  public static final TableSchema ARM_POSTERIORS =
      TableSchema.of(
          "arm_posteriors",
          Command.SEGMENT_EFFECTS,
          "Binary metrics only: the exact Beta–Binomial posterior of each arm's conversion rate,"
              + " per segment and over the experiment.",
          List.of(EXPERIMENT_ID, METRIC, SEGMENT, str("arm", "the arm")),
          List.of(
              str("level", "`segment`, or `experiment` (segment `(all)`, counts summed)"),
              int64("n", "units in the arm"),
              int64("successes", "successes in the arm"),
              dbl("prior_alpha", "the Beta prior's α"),
              dbl("prior_beta", "the Beta prior's β"),
              dbl("post_alpha", "the Beta posterior's α"),
              dbl("post_beta", "the Beta posterior's β"),
              dbl("mean", "posterior mean conversion rate"),
              Q025,
              Q975));

  public static final TableSchema EXPERIMENT_POOLING =
      TableSchema.of(
          "experiment_pooling",
          Command.SEGMENT_EFFECTS,
          "One row per (experiment, metric, variant): the pooled hyperparameters of its"
              + " segments. For `moments`, `mu_se` is the SE of the precision-weighted mean under"
              + " the random-effects model, √(Σw²(se² + τ²))/Σw with w = 1/se².",
          KEY,
          List.of(
              str("method", "the estimator, or `none` below `--min-segments` usable segments"),
              dbl("mu", "pooled mean effect μ (NaN for `none`)"),
              dbl("mu_se", "its standard error (posterior sd for `full`)"),
              dbl("tau", "between-segment sd τ (posterior mean for `full`)"),
              int32("n_segments", "segments used"),
              int32("n_segments_total", "segments seen"),
              str("note", "why a group is not pooled, or empty"),
              PRIOR,
              dbl("mu_q025", "2.5% point of μ: μ − 1.96 SE, or the posterior quantile for `full`"),
              dbl("mu_q975", "97.5% point of μ: μ + 1.96 SE, or the posterior quantile for `full`"),
              dbl("tau_q025", "2.5% posterior quantile of τ (`full` only)"),
              dbl("tau_q975", "97.5% posterior quantile of τ (`full` only)"),
              dbl("mu_se_kh", "Knapp–Hartung SE of μ (`reml`, `dl`)"),
              dbl("mu_q025_kh", "Knapp–Hartung 2.5% point of μ"),
              dbl("mu_q975_kh", "Knapp–Hartung 97.5% point of μ"),
              bool("tau_zero", "τ̂ = 0: no detectable heterogeneity (empirical-Bayes methods)")));

  /** Every declared table, in the order the reference lists them. */
  public static List<TableSchema> all() {
    return List.of(
        SEGMENT_ESTIMATES,
        SEGMENT_POSTERIORS,
        ARM_POSTERIORS,
        DecisionSchemas.PRIOR_SENSITIVITY,
        EXPERIMENT_POOLING,
        DecisionSchemas.EXPERIMENT_DECISIONS,
        VerdictSchemas.EXPERIMENT_VERDICTS,
        DecisionSchemas.BIAS_SENSITIVITY,
        DecisionSchemas.LEARNED_PRIOR,
        DecisionSchemas.LEARNED_PRIOR_EFFECTS,
        ImpactSchemas.IMPACT_SUMMARY,
        ImpactSchemas.IMPACT_POINTWISE,
        ImpactSchemas.IMPACT_CONTROLS);
  }
}
