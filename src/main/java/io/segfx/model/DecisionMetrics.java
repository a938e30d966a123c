package io.segfx.model;

import java.io.Serializable;

/**
 * Experiment-level posterior of the effect and of launch profit for one (experiment, metric,
 * variant), summarised from posterior draws. The {@code mcSe*} fields are Monte Carlo standard
 * errors: {@code sd/sqrt(D)} for means, {@code sqrt(p(1-p)/D)} for probabilities.
 */
public record DecisionMetrics(
    String experimentId,
    String metric,
    String variant,
    int draws,
    double effectMean,
    double effectSd,
    double effectQ025,
    double effectQ975,
    double probPositive,
    double probAboveThreshold,
    double expectedProfit,
    double profitQ025,
    double profitQ975,
    double probProfitPositive,
    double expectedLossLaunch,
    double expectedLossWait,
    String recommendation,
    double mcSeEffectMean,
    double mcSeProbPositive,
    double mcSeProbProfitPositive)
    implements Serializable {

  /** Table order: experiment, metric, variant. */
  public static final java.util.Comparator<DecisionMetrics> ORDER =
      java.util.Comparator.comparing(DecisionMetrics::experimentId)
          .thenComparing(DecisionMetrics::metric)
          .thenComparing(DecisionMetrics::variant);

  /**
   * The row of a group with no usable segment: every figure NaN, recommendation {@code
   * insufficient_data}.
   */
  public static DecisionMetrics insufficientData(String experimentId, String metric, String variant) {
    double nan = Double.NaN;
    return new DecisionMetrics(
        experimentId, metric, variant, 0, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan,
        INSUFFICIENT_DATA, nan, nan, nan);
  }

  /** Recommendation of a group without any usable segment estimate. */
  public static final String INSUFFICIENT_DATA = "insufficient_data";
}
