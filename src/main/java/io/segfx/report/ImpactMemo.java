package io.segfx.report;

/**
 * The memo paragraph of one causal-impact series, in the spirit of the seed notebook's decision
 * memo and CausalImpact's report: impact with intervals, the probability of a causal effect, the
 * evidence guards (placebo, residual drift) and the causal caveat of section 10. Numbers are
 * printed from the summary row with {@link DecisionMemo#number}.
 */
public final class ImpactMemo {
  private ImpactMemo() {}

  /**
   * The paragraph of one summary row.
   *
   * @param field the row's value by column name (the {@code impact_summary} schema)
   */
  public static String paragraph(java.util.function.Function<String, Object> field) {
    Fields r = new Fields(field);
    String id = io.segfx.io.SafeText.clean(r.getAs("series_id"));
    String status = r.getAs("status");
    if (!"ok".equals(status)) {
      return "Series " + id + " was not analysed: " + status.replace('_', ' ') + ".";
    }
    StringBuilder b = new StringBuilder();
    b.append("During the ")
        .append((int) r.getAs("n_post"))
        .append(" post-intervention points, series ")
        .append(id)
        .append(" differed from the counterfactual predicted from its controls by ")
        .append(DecisionMemo.number(r.getAs("average_mean")))
        .append(" on average (95% interval [")
        .append(DecisionMemo.number(r.getAs("average_q025")))
        .append(", ")
        .append(DecisionMemo.number(r.getAs("average_q975")))
        .append("]), ")
        .append(DecisionMemo.number(r.getAs("cumulative_mean")))
        .append(" in total ([")
        .append(DecisionMemo.number(r.getAs("cumulative_q025")))
        .append(", ")
        .append(DecisionMemo.number(r.getAs("cumulative_q975")))
        .append("]); relative to the counterfactual that is ")
        .append(DecisionMemo.number(r.getAs("relative_effect_mean")))
        .append(" ([")
        .append(DecisionMemo.number(r.getAs("relative_effect_q025")))
        .append(", ")
        .append(DecisionMemo.number(r.getAs("relative_effect_q975")))
        .append("]). The probability of a causal effect is ")
        .append(DecisionMemo.probability(r.getAs("prob_causal_effect")))
        .append(" (tail-area p = ")
        .append(DecisionMemo.number(r.getAs("tail_area_p")))
        .append("); the effect is ")
        .append(r.<Boolean>getAs("significant") ? "" : "not ")
        .append("significant at the chosen level. ");
    int placebos = r.getAs("placebos");
    if (placebos > 0) {
      // placebo p = (1 + #{placebo effects at least as large}) / (1 + placebos) cannot go below
      // 1/(1 + placebos).
      b.append("Evidence checks: refitting at ")
          .append(placebos)
          .append(" fake intervention points in the pre-period gives placebo p = ")
          .append(DecisionMemo.probability(r.getAs("placebo_p")))
          .append(" (small values mean no placebo window showed an effect this large; with ")
          .append(placebos)
          .append(" placebos it cannot go below 1/")
          .append(placebos + 1)
          .append(" = ")
          .append(DecisionMemo.probability(1.0 / (placebos + 1)))
          .append(")");
    } else {
      b.append("Evidence checks: the pre-period is too short for a placebo refit");
    }
    b.append("; the pre-period fit has R² ")
        .append(DecisionMemo.probability(r.getAs("pre_r2")))
        .append(" and lag-1 residual autocorrelation ")
        .append(DecisionMemo.number(r.getAs("pre_residual_autocorrelation")))
        .append(
            r.<Boolean>getAs("residual_drift_flag")
                ? ", which is flagged: residuals drift, so the intervals are likely too narrow. "
                : ", within the noise band. ");
    if (r.<Long>getAs("rows_rejected") != null && r.<Long>getAs("rows_rejected") > 0) {
      b.append(r.<Long>getAs("rows_rejected"))
          .append(" rows of this series were quarantined (see rejected_rows) and left out. ");
    }
    b.append("This is causal only if the control series represent what would have happened to ")
        .append(id)
        .append(
            " without the intervention and were not affected by it (seed notebook section 10).");
    return b.toString();
  }

  /** Typed reads of a row's values by name. */
  record Fields(java.util.function.Function<String, Object> field) {
    @SuppressWarnings("unchecked")
    <T> T getAs(String name) {
      return (T) field.apply(name);
    }
  }
}
