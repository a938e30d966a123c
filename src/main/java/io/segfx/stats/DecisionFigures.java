package io.segfx.stats;

import io.segfx.util.Checks;
import java.io.Serializable;
import java.util.Objects;

/**
 * The posterior figures of an experiment-level effect and of launch profit that the decision rests
 * on (seed notebook sections 5 and 11), whichever way they were computed: from draws ({@link
 * ExperimentDraws}), in closed form ({@link ClosedFormDecision}) or from a normal mixture ({@link
 * MixtureDecision}). The {@code mcSe*} fields are Monte Carlo standard errors: {@code sd/sqrt(D)}
 * for means, {@code sqrt(p(1-p)/D)} for probabilities, 0 where no draws are made. The job layer
 * adds the group's names, its prior and the sample-ratio check to make the output row.
 *
 * <p>The relative effect is E / B, E the effect and B the share-weighted control level: {@code
 * controlMean} is E[B], {@code relativeQ025} and {@code relativeQ975} the 2.5% and 97.5% quantiles
 * of E / B (from draws, or in closed form by {@link RelativeEffects}); all NaN without a control
 * level.
 *
 * @param draws number of draws D; 0 where the figures are exact
 * @param recommendation the {@link DecisionRule}'s recommendation for {@code probProfitPositive}
 */
public record DecisionFigures(
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
    double mcSeProbProfitPositive)
    implements Serializable {

  /**
   * @throws IllegalArgumentException for a negative draw count
   * @throws NullPointerException without a recommendation
   */
  public DecisionFigures {
    Checks.nonNegative("draws", draws);
    Objects.requireNonNull(recommendation, "recommendation must not be null");
  }
}
