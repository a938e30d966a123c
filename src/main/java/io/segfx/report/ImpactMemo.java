package io.segfx.report;

import static io.segfx.report.DecisionMemo.interval;
import static io.segfx.report.DecisionMemo.number;
import static io.segfx.report.DecisionMemo.probability;

import io.segfx.io.SafeText;
import io.segfx.report.ImpactTable.Cell;
import io.segfx.report.ImpactTable.Column;

/**
 * The plain-language paragraph of one causal-impact series (ours, not CausalImpact's report text):
 * what the result says in numbers (actual against predicted, the effect per point, in total and
 * relative, the probability of a causal effect), then what could invalidate it: the pre-period fit,
 * drifting residuals, the placebo refits, quarantined rows, and controls touched by the
 * intervention (seed notebook section 10's causal caveat). Numbers are printed from the summary row
 * with {@link DecisionMemo#number}, so paragraph, page and tables agree.
 */
public final class ImpactMemo {
  private ImpactMemo() {}

  /**
   * A pre-period R² below this is called weak in words: the controls and trend then explain less
   * than half of the series' variation before the intervention, so the counterfactual rests mostly
   * on the noise model.
   */
  static final double WEAK_FIT_R2 = 0.5;

  /** The paragraph of one series window, with its times shown as {@code time} says. */
  public static String paragraph(ImpactTable t, ImpactTime time) {
    ImpactSummary r = t.summary();
    String id = SafeText.clean(r.seriesId());
    if (!r.ok()) {
      return "Series "
          + id
          + " was not analysed: "
          + r.status().replace('_', ' ')
          + "."
          + why(r, time);
    }
    StringBuilder b = new StringBuilder();
    meaning(b, t, id, time);
    b.append("What could invalidate this: ");
    fit(b, r);
    placebo(b, r);
    if (r.rowsRejected() > 0) {
      b.append(r.rowsRejected())
          .append(
              r.rowsRejected() == 1
                  ? " row of this series was quarantined (see rejected_rows) and left out. "
                  : " rows of this series were quarantined (see rejected_rows) and left out. ");
    }
    b.append("Above all, the result is causal only if the control series show what would have")
        .append(" happened to ")
        .append(id)
        .append(" without the intervention: controls that the intervention reached too (spill-over")
        .append(" into control markets) or another change at the same time would bias it (seed")
        .append(" notebook section 10).");
    return b.toString();
  }

  /**
   * What a refusal needs to be fixed, where the summary carries it: the first duplicated time and
   * how many there are, or the pre-period points needed against those present.
   */
  private static String why(ImpactSummary r, ImpactTime time) {
    if ("duplicate_times".equals(r.status()) && Double.isFinite(r.duplicateTime())) {
      return " Time "
          + time.format(r.duplicateTime())
          + " occurs in "
          + r.duplicateRows()
          + " rows"
          + (r.duplicatedTimes() == 1
              ? ", the only time that occurs more than once"
              : ", the first of " + r.duplicatedTimes() + " times that occur more than once")
          + "; the model needs one row per time point, so remove or aggregate the duplicates.";
    }
    if ("too_few_points".equals(r.status()) && r.pointsNeeded() > 0) {
      return " The fit needs "
          + r.pointsNeeded()
          + " pre-period points and the series has "
          + r.nPre()
          + " before "
          + time.format(r.interventionTime())
          + ", "
          + (r.pointsNeeded() - r.nPre())
          + " short: give it a longer pre-period or fewer controls or seasons (--control-prior"
          + " spike-slab counts the controls by the model size its prior expects, not one by"
          + " one).";
    }
    return "";
  }

  private static void meaning(StringBuilder b, ImpactTable t, String id, ImpactTime time) {
    ImpactSummary r = t.summary();
    Cell pred = t.prediction(Column.AVERAGE);
    b.append("From ")
        .append(time.format(r.interventionTime()))
        .append(", over ")
        .append(r.nPost())
        .append(" post-intervention points, series ")
        .append(id)
        .append(" averaged ")
        .append(number(t.actual(Column.AVERAGE)))
        .append(" where its controls predict ")
        .append(number(pred.value()))
        .append(" without the intervention (95% interval ")
        .append(interval(pred.q025(), pred.q975()))
        .append("). The difference is ")
        .append(number(r.averageMean()))
        .append(" on average (95% interval ")
        .append(interval(r.averageQ025(), r.averageQ975()))
        .append("), ")
        .append(number(r.cumulativeMean()))
        .append(" in total (")
        .append(interval(r.cumulativeQ025(), r.cumulativeQ975()))
        .append(") or ")
        .append(VerdictWords.percent(r.relativeEffectMean()))
        .append(" of the prediction (")
        .append(VerdictWords.percentInterval(r.relativeEffectQ025(), r.relativeEffectQ975()))
        .append("). The posterior probability that the total lies on the other side of 0 is ")
        .append(number(r.tailAreaP()))
        .append(" (the tail-area p), so the probability of a causal effect is ")
        .append(probability(r.probCausalEffect()))
        .append(
            r.significant()
                ? "; the interval of the total excludes 0. "
                : "; the interval of the total includes 0, so the data do not tell this effect"
                    + " from none. ");
  }

  private static void fit(StringBuilder b, ImpactSummary r) {
    b.append("before the intervention the model explains R² = ")
        .append(probability(r.preR2()))
        .append(" of the series' variation")
        .append(
            r.preR2() < WEAK_FIT_R2
                ? ", a weak fit, so the prediction leans on the noise model more than on the"
                    + " controls"
                : "")
        .append("; its residuals have lag-1 autocorrelation ")
        .append(number(r.preResidualAutocorrelation()))
        .append(
            !r.residualDriftFlag()
                ? ", within the noise band ±" + number(r.driftBand()) + ". "
                : ", beyond the noise band ±"
                    + number(r.driftBand())
                    + (r.preResidualAutocorrelation() > 0
                        ? ": they drift, so the intervals are likely too narrow. "
                        : ": they alternate, so the model misses some structure and the"
                            + " intervals may be too wide. "));
  }

  private static void placebo(StringBuilder b, ImpactSummary r) {
    int placebos = r.placebos();
    if (placebos == 0) {
      b.append("The pre-period is too short for placebo refits. ");
      return;
    }
    int asLarge = r.placebosAsLarge();
    b.append("Refitting at ")
        .append(placebos)
        .append(" fake intervention points in the pre-period gives placebo p = ")
        .append(probability(r.placeboP()))
        .append(" (with ")
        .append(placebos)
        .append(" placebos it cannot go below ")
        .append(placeboFloor(placebos))
        .append(
            asLarge == 0
                ? "): none showed an effect this large. "
                : "): "
                    + asLarge
                    + " showed an effect at least this large without any intervention, so an"
                    + " effect of this size is not unusual for this series. ");
  }

  /**
   * The smallest placebo p possible, {@code 1/(1 + placebos)}, as {@code 1/n = p}: placebo p = (1 +
   * #{placebo effects at least as large}) / (1 + placebos).
   */
  static String placeboFloor(int placebos) {
    return "1/" + (placebos + 1) + " = " + probability(1.0 / (placebos + 1));
  }
}
