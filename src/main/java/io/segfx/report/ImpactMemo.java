package io.segfx.report;

import static io.segfx.report.DecisionMemo.interval;
import static io.segfx.report.DecisionMemo.number;
import static io.segfx.report.DecisionMemo.probability;

import io.segfx.io.SafeText;

/**
 * The memo paragraph of one causal-impact series, in the spirit of the seed notebook's decision
 * memo and CausalImpact's report: impact with intervals, the probability of a causal effect, the
 * evidence guards (placebo, residual drift) and the causal caveat of section 10. Numbers are
 * printed from the summary row with {@link DecisionMemo#number}.
 */
public final class ImpactMemo {
  private ImpactMemo() {}

  /** The paragraph of one summary row. */
  public static String paragraph(ImpactSummary r) {
    String id = SafeText.clean(r.seriesId());
    if (!r.ok()) {
      return "Series " + id + " was not analysed: " + r.status().replace('_', ' ') + ".";
    }
    StringBuilder b = new StringBuilder();
    impact(b, r, id);
    evidence(b, r);
    if (r.rowsRejected() > 0) {
      b.append(r.rowsRejected())
          .append(" rows of this series were quarantined (see rejected_rows) and left out. ");
    }
    b.append("This is causal only if the control series represent what would have happened to ")
        .append(id)
        .append(
            " without the intervention and were not affected by it (seed notebook section 10).");
    return b.toString();
  }

  private static void impact(StringBuilder b, ImpactSummary r, String id) {
    b.append("During the ")
        .append(r.nPost())
        .append(" post-intervention points, series ")
        .append(id)
        .append(" differed from the counterfactual predicted from its controls by ")
        .append(number(r.averageMean()))
        .append(" on average (95% interval ")
        .append(interval(r.averageQ025(), r.averageQ975()))
        .append("), ")
        .append(number(r.cumulativeMean()))
        .append(" in total (")
        .append(interval(r.cumulativeQ025(), r.cumulativeQ975()))
        .append("); relative to the counterfactual that is ")
        .append(number(r.relativeEffectMean()))
        .append(" (")
        .append(interval(r.relativeEffectQ025(), r.relativeEffectQ975()))
        .append("). The probability of a causal effect is ")
        .append(probability(r.probCausalEffect()))
        .append(" (tail-area p = ")
        .append(number(r.tailAreaP()))
        .append("); the effect is ")
        .append(r.significant() ? "" : "not ")
        .append("significant at the chosen level. ");
  }

  private static void evidence(StringBuilder b, ImpactSummary r) {
    int placebos = r.placebos();
    if (placebos > 0) {
      b.append("Evidence checks: refitting at ")
          .append(placebos)
          .append(" fake intervention points in the pre-period gives placebo p = ")
          .append(probability(r.placeboP()))
          .append(" (small values mean no placebo window showed an effect this large; with ")
          .append(placebos)
          .append(" placebos it cannot go below ")
          .append(placeboFloor(placebos))
          .append(")");
    } else {
      b.append("Evidence checks: the pre-period is too short for a placebo refit");
    }
    b.append("; the pre-period fit has R² ")
        .append(probability(r.preR2()))
        .append(" and lag-1 residual autocorrelation ")
        .append(number(r.preResidualAutocorrelation()))
        .append(
            r.residualDriftFlag()
                ? ", which is flagged: residuals drift, so the intervals are likely too narrow. "
                : ", within the noise band. ");
  }

  /**
   * The smallest placebo p possible, {@code 1/(1 + placebos)}, as {@code 1/n = p}: placebo p = (1 +
   * #{placebo effects at least as large}) / (1 + placebos).
   */
  static String placeboFloor(int placebos) {
    return "1/" + (placebos + 1) + " = " + probability(1.0 / (placebos + 1));
  }
}
