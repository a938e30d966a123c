package io.segfx.io;

import static io.segfx.io.Schemas.bool;
import static io.segfx.io.Schemas.dbl;
import static io.segfx.io.Schemas.int32;
import static io.segfx.io.Schemas.int64;
import static io.segfx.io.Schemas.str;

import io.segfx.io.TableSchema.Command;
import java.util.List;

/** The causal-impact job's tables, declared once (see {@link Schemas}). */
public final class ImpactSchemas {
  private ImpactSchemas() {}

  private static final Column SERIES_ID = str("series_id", "the series");
  private static final Column WINDOW =
      int32("window", "the intervention window, numbered from 1 within the series");

  public static final TableSchema IMPACT_SUMMARY =
      TableSchema.of(
          "impact_summary",
          Command.CAUSAL_IMPACT,
          "One row per (series, intervention window): the post-period impact against the"
              + " counterfactual fitted on the pre-period. Average and cumulative impact are exact"
              + " Student-t posteriors; the relative effect comes from draws.",
          List.of(
              SERIES_ID,
              str(
                  "status",
                  "`ok`, or why the window is not analysed: `no_pre_period`, `no_post_period`,"
                      + " `too_few_points` (n_pre < points_needed: p + 3, p counting intercept,"
                      + " controls, trend and season columns; under spike-slab the controls count"
                      + " as the prior's 99% model size), `too_few_seasons` (a post-period point's"
                      + " season of --season has no pre-period point), `numerical_failure` (values"
                      + " beyond double arithmetic: rescale the series), `duplicate_times`,"
                      + " `singular_controls`, `no_usable_rows`, `missing_intervention_time`,"
                      + " `inconsistent_intervention_time`, `no_intervention` (a series absent from"
                      + " the interventions table), `bad_window` (end before start, or overlapping"
                      + " the previous window)"),
              int32("n_pre", "points before the intervention"),
              int32("n_post", "points in the window"),
              dbl("average_mean", "posterior mean of the average pointwise impact"),
              dbl("average_sd", "its posterior sd"),
              dbl("average_q025", "its 2.5% posterior quantile"),
              dbl("average_q975", "its 97.5% posterior quantile"),
              dbl("average_prob_positive", "its posterior P(impact > 0)"),
              dbl("cumulative_mean", "posterior mean of the cumulative impact"),
              dbl("cumulative_sd", "its posterior sd"),
              dbl("cumulative_q025", "its 2.5% posterior quantile"),
              dbl("cumulative_q975", "its 97.5% posterior quantile"),
              dbl("cumulative_prob_positive", "its posterior P(impact > 0)"),
              dbl(
                  "relative_effect_mean",
                  "cumulative impact / the absolute cumulative counterfactual, mean of draws"),
              dbl("relative_effect_q025", "its 2.5% quantile"),
              dbl("relative_effect_q975", "its 97.5% quantile"),
              dbl("tail_area_p", "CausalImpact's min(P(effect ≤ 0), P(effect ≥ 0))"),
              dbl("prob_causal_effect", "1 − tail_area_p"),
              bool("significant", "the 1 − alpha interval of the cumulative impact excludes 0"),
              dbl("pre_r2", "R² of the pre-period fit"),
              dbl("pre_residual_sd", "sd of the pre-period residuals"),
              dbl("pre_residual_autocorrelation", "lag-1 autocorrelation of those residuals"),
              bool("residual_drift_flag", "that autocorrelation is beyond ±1.96/√n_pre"),
              dbl(
                  "placebo_p",
                  "(1 + placebos whose absolute average impact ≥ the real one)/(1 + placebos)"),
              int32("placebos", "placebo refits at fake pre-period intervention points"),
              dbl("intervention_time", "the window's start"),
              WINDOW,
              dbl("window_end", "the window's end (NaN: open)"),
              int64("rows_rejected", "the series' quarantined input rows"),
              dbl("relative_effect_sd", "sd of the relative effect's draws"),
              int32(
                  "points_needed",
                  "pre-period points the fit needs: p + 3 under the normal prior; under"
                      + " spike-slab the forced columns, the prior's 99% model size and 3 (null:"
                      + " not checked)"),
              dbl("duplicate_time", "the first time that occurs more than once (NaN: none)"),
              int32("duplicate_rows", "the rows at duplicate_time"),
              int32("duplicated_times", "how many distinct times occur more than once")));

  public static final TableSchema IMPACT_POINTWISE =
      TableSchema.of(
          "impact_pointwise",
          Command.CAUSAL_IMPACT,
          "One row per (series, window, time point): observed against the counterfactual.",
          List.of(
              SERIES_ID,
              dbl("time", "the time point"),
              bool("post", "the point is in the window"),
              dbl("observed", "the observed outcome"),
              dbl("counterfactual_mean", "posterior predictive mean of the counterfactual"),
              dbl("counterfactual_q025", "its 2.5% quantile"),
              dbl("counterfactual_q975", "its 97.5% quantile"),
              dbl("impact_mean", "posterior mean of observed − counterfactual"),
              dbl("impact_q025", "its 2.5% quantile"),
              dbl("impact_q975", "its 97.5% quantile"),
              dbl("cumulative_impact_mean", "posterior mean of the running sum of impact"),
              dbl("cumulative_impact_q025", "its 2.5% quantile"),
              dbl("cumulative_impact_q975", "its 97.5% quantile"),
              WINDOW));

  public static final TableSchema IMPACT_CONTROLS =
      TableSchema.of(
          "impact_controls",
          Command.CAUSAL_IMPACT,
          "One row per (series, window, control) of every analysed window: how much the"
              + " counterfactual leans on each control. Under --control-prior normal every control"
              + " is in the model (inclusion_prob = 1) and the coefficient is its posterior; under"
              + " spike-slab the figures are averaged over the sampled models. Windows that are not"
              + " analysed have no rows.",
          List.of(
              SERIES_ID,
              str("control", "the control column"),
              dbl(
                  "inclusion_prob",
                  "posterior probability that the control is in the model (Rao–Blackwellised"
                      + " over the Gibbs sweeps; 1 under the normal prior)"),
              dbl(
                  "coef_mean",
                  "posterior mean of its coefficient, 0 in models without it: the outcome's"
                      + " change per unit of the control"),
              dbl("coef_sd", "posterior sd of the coefficient, over models"),
              WINDOW));
}
