package io.segfx.stats;

import java.io.Serializable;

/**
 * The launch rule applied to the posterior of launch profit (seed notebook section 11). With {@code
 * p = P(profit > 0 | data)} and the launch probability {@code c} (default 0.95):
 *
 * <ul>
 *   <li>{@code launch} when p &gt;= c;
 *   <li>{@code do_not_launch} when p &lt;= 1 - c;
 *   <li>{@code collect_more_data} otherwise: the data do not decide at that level of certainty (the
 *       notebook's "prior sensitivity is information": say the experiment is not decisive).
 * </ul>
 *
 * @param launchProbability c, in (0.5, 1)
 */
public record DecisionRule(double launchProbability) implements Serializable {
  public static final double LAUNCH_PROBABILITY_DEFAULT = 0.95;
  public static final String LAUNCH = "launch";
  public static final String DO_NOT_LAUNCH = "do_not_launch";
  public static final String COLLECT_MORE_DATA = "collect_more_data";

  public DecisionRule {
    if (!(launchProbability > 0.5 && launchProbability < 1)) {
      throw new IllegalArgumentException(
          "launch probability must be in (0.5, 1), got " + launchProbability);
    }
  }

  /** The recommendation for P(profit > 0) = {@code probProfitPositive}. */
  public String recommend(double probProfitPositive) {
    if (probProfitPositive >= launchProbability) {
      return LAUNCH;
    }
    if (probProfitPositive <= 1 - launchProbability) {
      return DO_NOT_LAUNCH;
    }
    return COLLECT_MORE_DATA;
  }
}
