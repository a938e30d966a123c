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
    implements Serializable {}
