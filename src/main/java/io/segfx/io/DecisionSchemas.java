package io.segfx.io;

import static io.segfx.io.Schemas.EXPECTED_PROFIT;
import static io.segfx.io.Schemas.KEY;
import static io.segfx.io.Schemas.MC_SE_PROB_POSITIVE;
import static io.segfx.io.Schemas.METRIC;
import static io.segfx.io.Schemas.PRIOR;
import static io.segfx.io.Schemas.PROB_ABOVE_THRESHOLD;
import static io.segfx.io.Schemas.PROB_POSITIVE;
import static io.segfx.io.Schemas.PROB_PROFIT_POSITIVE;
import static io.segfx.io.Schemas.PROB_RELATIVE_ABOVE_THRESHOLD;
import static io.segfx.io.Schemas.Q025;
import static io.segfx.io.Schemas.Q975;
import static io.segfx.io.Schemas.RECOMMENDATION;
import static io.segfx.io.Schemas.RELATIVE_EFFECT_MEAN;
import static io.segfx.io.Schemas.SRM_FLAG;
import static io.segfx.io.Schemas.SRM_P_VALUE;
import static io.segfx.io.Schemas.bool;
import static io.segfx.io.Schemas.dbl;
import static io.segfx.io.Schemas.int32;
import static io.segfx.io.Schemas.str;

import io.segfx.io.TableSchema.Command;
import java.util.List;

/** The segment job's experiment-level decision tables, declared once (see {@link Schemas}). */
public final class DecisionSchemas {
  private DecisionSchemas() {}

  /** The effect's posterior summary under one prior or scenario. */
  private static final List<Column> SUMMARY =
      List.of(
          dbl("mean", "posterior mean of the effect"),
          dbl("sd", "posterior sd of the effect"),
          Q025,
          Q975,
          PROB_POSITIVE,
          PROB_ABOVE_THRESHOLD);

  /** The experiment-level effect as the run reports it in experiment_decisions. */
  private static final List<Column> EFFECT =
      List.of(
          dbl("effect_mean", "posterior mean of the experiment-level effect"),
          dbl("effect_sd", "its posterior sd"),
          dbl("effect_q025", "its 2.5% posterior quantile"),
          dbl("effect_q975", "its 97.5% posterior quantile"),
          PROB_POSITIVE);

  public static final TableSchema PRIOR_SENSITIVITY =
      TableSchema.of(
          "prior_sensitivity",
          Command.SEGMENT_EFFECTS,
          "With `--prior-grid`, binary metrics: the experiment-level lift under each prior of the"
              + " grid, from Beta–Binomial draws on the conversions of the usable segments.",
          KEY,
          List.of(
              str("prior", "the grid's prior, as a label"),
              dbl("control_alpha", "the control arm's Beta prior α"),
              dbl("control_beta", "the control arm's Beta prior β"),
              dbl("treatment_alpha", "the treatment arm's Beta prior α"),
              dbl("treatment_beta", "the treatment arm's Beta prior β")),
          SUMMARY,
          List.of(
              RELATIVE_EFFECT_MEAN,
              PROB_RELATIVE_ABOVE_THRESHOLD,
              EXPECTED_PROFIT,
              PROB_PROFIT_POSITIVE,
              RECOMMENDATION,
              bool("decision_changes", "the recommendation differs across the grid"),
              MC_SE_PROB_POSITIVE));

  public static final TableSchema EXPERIMENT_DECISIONS =
      TableSchema.of(
          "experiment_decisions",
          Command.SEGMENT_EFFECTS,
          "One row per (experiment, metric, variant): the posterior of the experiment-level effect"
              + " and of launch profit, and the recommendation. Where the effect's posterior is"
              + " normal the figures are exact (`draws` = 0, Monte Carlo SEs 0).",
          KEY,
          EFFECT,
          List.of(
              PROB_ABOVE_THRESHOLD,
              RELATIVE_EFFECT_MEAN,
              dbl(
                  "control_mean",
                  "posterior mean of the control level, the unit-share-weighted sum of the"
                      + " segments' control levels: exact, or the draws' mean where a segment's has"
                      + " none; NaN without a control level"),
              dbl(
                  "relative_q025",
                  "2.5% posterior quantile of the relative effect, effect / control level: from"
                      + " draws where `draws` > 0, else exact for the normal or normal-mixture"
                      + " effect over the normal (moment-matched) control level; NaN without a"
                      + " control level or where that level's posterior puts 2.5% or more below 0"),
              dbl("relative_q975", "97.5% posterior quantile of the relative effect, as above"),
              PROB_RELATIVE_ABOVE_THRESHOLD,
              EXPECTED_PROFIT,
              dbl("profit_q025", "2.5% posterior quantile of the profit"),
              dbl("profit_q975", "97.5% posterior quantile of the profit"),
              PROB_PROFIT_POSITIVE,
              dbl("expected_loss_launch", "E[max(−profit, 0)]: the expected loss of launching"),
              dbl("expected_loss_wait", "E[max(profit, 0)]: the expected loss of not launching"),
              RECOMMENDATION,
              int32("draws", "posterior draws behind the figures (0: exact)"),
              dbl("mc_se_effect_mean", "Monte Carlo SE of effect_mean (0 where the mean is exact)"),
              MC_SE_PROB_POSITIVE,
              dbl("mc_se_prob_profit_positive", "Monte Carlo SE of prob_profit_positive"),
              PRIOR,
              SRM_P_VALUE,
              SRM_FLAG,
              str(
                  "warning",
                  "the confounding warning of an observational run without a bias prior, else"
                      + " null")));

  public static final TableSchema BIAS_SENSITIVITY =
      TableSchema.of(
          "bias_sensitivity",
          Command.SEGMENT_EFFECTS,
          "With `--bias-prior`: the experiment-level effect minus an assumed unmeasured-confounding"
              + " bias ~ Normal(bias_mean, bias_sd), independent of the effect, per scenario; see"
              + " [unmeasured confounding](../methods.md#unmeasured-confounding).",
          KEY,
          List.of(
              str("scenario", "the bias scenario's name"),
              dbl("bias_mean", "the bias's mean"),
              dbl("bias_sd", "the bias's sd")),
          SUMMARY,
          List.of(EXPECTED_PROFIT, PROB_PROFIT_POSITIVE, RECOMMENDATION));

  public static final TableSchema LEARNED_PRIOR =
      TableSchema.of(
          "learned_prior",
          Command.SEGMENT_EFFECTS,
          "With `--learned-prior`: each fitted prior of experiment-level effects per metric.",
          List.of(METRIC),
          List.of(
              str("model", "`normal` (one component) or `mixture` (two)"),
              str("source", "`run` (this run's experiments) or the history path"),
              int32("n_experiments", "experiments the prior is learned from"),
              dbl("weight_1", "component 1's weight"),
              dbl("mean_1", "component 1's mean"),
              dbl("sd_1", "component 1's sd"),
              dbl("weight_2", "component 2's weight (NaN for `normal`)"),
              dbl("mean_2", "component 2's mean (NaN for `normal`)"),
              dbl("sd_2", "component 2's sd (NaN for `normal`)"),
              dbl("log_likelihood", "the fit's log-likelihood"),
              bool("used", "the model applied to the run's experiments"),
              str("note", "why a fit is not used, or empty")));

  public static final TableSchema LEARNED_PRIOR_EFFECTS =
      TableSchema.of(
          "learned_prior_effects",
          Command.SEGMENT_EFFECTS,
          "With `--learned-prior`: each experiment's effect as the run reports it, and again under"
              + " the learned prior.",
          KEY,
          EFFECT,
          List.of(
              str("recommendation", "the run's own recommendation"),
              dbl("learned_effect_mean", "posterior mean under the learned prior"),
              dbl("learned_effect_sd", "posterior sd under the learned prior"),
              dbl("learned_effect_q025", "2.5% posterior quantile under the learned prior"),
              dbl("learned_effect_q975", "97.5% posterior quantile under the learned prior"),
              dbl("learned_prob_positive", "P(effect > 0) under the learned prior"),
              dbl("learned_prob_above_threshold", "P(effect > threshold) under the learned prior"),
              dbl("learned_expected_profit", "expected profit under the learned prior"),
              dbl("learned_prob_profit_positive", "P(profit > 0) under the learned prior"),
              str("learned_recommendation", "the recommendation under the learned prior"),
              str("prior_model", "the learned prior's model"),
              str("prior_source", "the learned prior's source"),
              PRIOR));
}
