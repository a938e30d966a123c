package io.segfx.model;

import java.io.Serializable;
import java.util.Comparator;

/**
 * Experiment-level posterior of the effect and of launch profit for one (experiment, metric,
 * variant), summarised from posterior draws. The {@code mcSe*} fields are Monte Carlo standard
 * errors: {@code sd/sqrt(D)} for means, {@code sqrt(p(1-p)/D)} for probabilities. {@code prior}
 * names the prior that produced the posterior. The relative effect is effect / control level:
 * {@code controlMean} is the control level's posterior mean, {@code relativeQ025} and {@code
 * relativeQ975} the relative effect's 2.5% and 97.5% quantiles (NaN without a control level).
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
    double relativeEffectMean,
    double controlMean,
    double relativeQ025,
    double relativeQ975,
    double probRelativeAboveThreshold,
    double expectedProfit,
    double profitQ025,
    double profitQ975,
    double probProfitPositive,
    double expectedLossLaunch,
    double expectedLossWait,
    String recommendation,
    double mcSeEffectMean,
    double mcSeProbPositive,
    double mcSeProbProfitPositive,
    String prior,
    double srmPValue,
    boolean srmFlag)
    implements Serializable {

  /** Recommendation of a group without any usable segment estimate. */
  public static final String INSUFFICIENT_DATA = "insufficient_data";

  /** Recommendation of an experiment whose arm counts fail the sample-ratio check. */
  public static final String INVESTIGATE_SRM = "investigate_srm";

  /** Table order: experiment, metric, variant. */
  public static final Comparator<DecisionMetrics> ORDER =
      Comparator.comparing(DecisionMetrics::experimentId)
          .thenComparing(DecisionMetrics::metric)
          .thenComparing(DecisionMetrics::variant);

  /** This row's (experiment, metric, variant) group. */
  public GroupKey key() {
    return new GroupKey(experimentId, metric, variant);
  }

  /**
   * The row of a group with no usable segment: every figure NaN, recommendation {@code
   * insufficient_data}.
   */
  public static DecisionMetrics insufficientData(
      String experimentId, String metric, String variant, String prior) {
    double nan = Double.NaN;
    return new DecisionMetrics(
        experimentId,
        metric,
        variant,
        0,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        INSUFFICIENT_DATA,
        nan,
        nan,
        nan,
        prior,
        nan,
        false);
  }

  /**
   * This row with the experiment's sample-ratio check: a flagged experiment is never recommended
   * for launch; its recommendation becomes {@code investigate_srm}.
   */
  public DecisionMetrics withSrm(double pValue, boolean flag) {
    return new DecisionMetrics(
        experimentId,
        metric,
        variant,
        draws,
        effectMean,
        effectSd,
        effectQ025,
        effectQ975,
        probPositive,
        probAboveThreshold,
        relativeEffectMean,
        controlMean,
        relativeQ025,
        relativeQ975,
        probRelativeAboveThreshold,
        expectedProfit,
        profitQ025,
        profitQ975,
        probProfitPositive,
        expectedLossLaunch,
        expectedLossWait,
        flag ? INVESTIGATE_SRM : recommendation,
        mcSeEffectMean,
        mcSeProbPositive,
        mcSeProbProfitPositive,
        prior,
        pValue,
        flag);
  }
}
