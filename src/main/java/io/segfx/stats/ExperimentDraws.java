package io.segfx.stats;

import io.segfx.model.DecisionMetrics;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Posterior draws of an experiment-level effect and of launch profit (seed notebook section 11).
 *
 * <p>Each draw takes every segment effect from its posterior {@code theta_j ~ N(m_j, s_j^2)} and
 * forms the unit-share-weighted mean {@code effect = sum_j w_j theta_j} (w_j = the segment's share
 * of the experiment's units), then {@code profit = users * effect * valuePerUnit - cost}. Reported:
 * means, sds (ddof = 1), 2.5/97.5% quantiles (type 7, see {@link Quantiles}), {@code P(effect > 0)},
 * {@code P(effect > threshold)}, {@code P(profit > 0)}, the expected loss of launching {@code
 * E[max(-profit, 0)]} and of not launching {@code E[max(profit, 0)]}, as in the notebook's
 * decision summary. Normals come from the McFarland ziggurat (Commons RNG {@code ZigguratSampler}).
 */
public final class ExperimentDraws {
  private ExperimentDraws() {}

  /**
   * Launch economics: profit = users × effect × valuePerUnit − cost. Without them segfx uses 1, 1
   * and 0, so profit is the effect itself.
   */
  public record Economics(double users, double valuePerUnit, double cost)
      implements java.io.Serializable {
    public static final Economics EFFECT_ONLY = new Economics(1, 1, 0);

    public Economics {
      Checks.finite("users", users);
      Checks.finite("value per unit", valuePerUnit);
      Checks.finite("cost", cost);
    }
  }

  /**
   * Draws and summarises one experiment.
   *
   * @param key experiment, metric and variant names copied into the result
   * @param mean segment posterior means m_j
   * @param sd segment posterior sds s_j (>= 0)
   * @param share segment weights w_j (summing to 1)
   * @param draws number of draws D (>= 2)
   * @param threshold practical threshold for P(effect > threshold)
   * @param economics launch economics
   * @param rule the launch rule
   * @param rng the stream for this experiment (see {@link Seeds})
   */
  public static DecisionMetrics draw(
      String[] key,
      double[] mean,
      double[] sd,
      double[] share,
      int draws,
      double threshold,
      Economics economics,
      DecisionRule rule,
      UniformRandomProvider rng) {
    if (draws < 2) {
      throw new IllegalArgumentException("draws must be >= 2, got " + draws);
    }
    int k = mean.length;
    double centre = 0;
    double[] scale = new double[k];
    for (int j = 0; j < k; j++) {
      centre += share[j] * mean[j];
      scale[j] = share[j] * sd[j];
    }
    ZigguratSampler.NormalizedGaussian normal = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] effect = new double[draws];
    double[] profit = new double[draws];
    double factor = economics.users() * economics.valuePerUnit();
    double cost = economics.cost();
    for (int d = 0; d < draws; d++) {
      double e = centre;
      for (int j = 0; j < k; j++) {
        e += scale[j] * normal.sample();
      }
      effect[d] = e;
      profit[d] = factor * e - cost;
    }
    double effectMean = mean(effect);
    double effectSd = sd(effect, effectMean);
    double profitMean = mean(profit);
    long positive = 0;
    long above = 0;
    long profitable = 0;
    double lossLaunch = 0;
    double lossWait = 0;
    for (int d = 0; d < draws; d++) {
      positive += effect[d] > 0 ? 1 : 0;
      above += effect[d] > threshold ? 1 : 0;
      profitable += profit[d] > 0 ? 1 : 0;
      lossLaunch += Math.max(-profit[d], 0);
      lossWait += Math.max(profit[d], 0);
    }
    double pPos = (double) positive / draws;
    double pAbove = (double) above / draws;
    double pProfit = (double) profitable / draws;
    double eq025 = Quantiles.select(effect, 0.025);
    double eq975 = Quantiles.select(effect, 0.975);
    double pq025 = Quantiles.select(profit, 0.025);
    double pq975 = Quantiles.select(profit, 0.975);
    return new DecisionMetrics(
        key[0],
        key[1],
        key[2],
        draws,
        effectMean,
        effectSd,
        eq025,
        eq975,
        pPos,
        pAbove,
        profitMean,
        pq025,
        pq975,
        pProfit,
        lossLaunch / draws,
        lossWait / draws,
        rule.recommend(pProfit),
        effectSd / Math.sqrt(draws),
        Math.sqrt(pPos * (1 - pPos) / draws),
        Math.sqrt(pProfit * (1 - pProfit) / draws));
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  static double sd(double[] x, double mean) {
    double s = 0;
    for (double v : x) {
      s += (v - mean) * (v - mean);
    }
    return Math.sqrt(s / (x.length - 1));
  }
}
