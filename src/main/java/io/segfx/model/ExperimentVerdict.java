package io.segfx.model;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One row of {@code experiment_verdicts}: the decision for one (experiment, variant), taken on the
 * primary metric's effect, the profit of the value metric (the overall evaluation criterion) and
 * the guardrails. Figures a run cannot give (no decision analysis, no usable estimate) are NaN.
 *
 * @param experimentId the experiment
 * @param variant the treatment arm
 * @param verdict the decision
 * @param reason one plain-English sentence naming the deciding number
 * @param primaryMetric the metric whose effect is reported
 * @param valueMetric the metric whose profit decides: the primary metric, or {@code oec}, the
 *     value-weighted sum of several metrics
 * @param effectMean posterior mean of the primary metric's experiment-level effect
 * @param effectQ025 its 2.5% posterior quantile
 * @param effectQ975 its 97.5% posterior quantile
 * @param relativeEffectMean posterior mean of the primary effect relative to the control level
 * @param relativeQ025 its 2.5% posterior quantile
 * @param relativeQ975 its 97.5% posterior quantile
 * @param probEffectPositive P(primary effect &gt; 0)
 * @param expectedProfit posterior mean of launch profit, users × value effect − cost
 * @param profitQ025 its 2.5% posterior quantile
 * @param profitQ975 its 97.5% posterior quantile
 * @param probProfitPositive P(profit &gt; 0), the number the launch rule reads
 * @param expectedLossLaunch E[max(-profit, 0)]: the expected loss of launching
 * @param expectedLossWait E[max(profit, 0)]: the expected loss of not launching
 * @param guardrailStatus the guardrails' state as a whole
 * @param guardrailsViolated the labels of the violated guardrails, in the order given
 * @param unitsToDecide for {@code collect_more_data}, the additional units per arm after which the
 *     rule is more likely than not to decide; 0 for decided rows; NaN where it cannot be told
 * @param daysToDecide {@code unitsToDecide} in days at {@code --units-per-day}, or NaN
 */
public record ExperimentVerdict(
    String experimentId,
    String variant,
    Verdict verdict,
    String reason,
    String primaryMetric,
    String valueMetric,
    double effectMean,
    double effectQ025,
    double effectQ975,
    double relativeEffectMean,
    double relativeQ025,
    double relativeQ975,
    double probEffectPositive,
    double expectedProfit,
    double profitQ025,
    double profitQ975,
    double probProfitPositive,
    double expectedLossLaunch,
    double expectedLossWait,
    GuardrailStatus guardrailStatus,
    List<String> guardrailsViolated,
    double unitsToDecide,
    double daysToDecide)
    implements Serializable {

  /** Table order: experiment, then variant. */
  public static final Comparator<ExperimentVerdict> ORDER =
      Comparator.comparing(ExperimentVerdict::experimentId)
          .thenComparing(ExperimentVerdict::variant);

  /** Requires the keys, the verdict, its reason and the guardrail status. */
  public ExperimentVerdict {
    Objects.requireNonNull(experimentId, "experimentId");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(primaryMetric, "primaryMetric");
    Objects.requireNonNull(guardrailStatus, "guardrailStatus");
    guardrailsViolated = List.copyOf(guardrailsViolated);
  }

  /** This row's (experiment, variant). */
  public VariantKey key() {
    return new VariantKey(experimentId, variant);
  }
}
