package io.segfx.stats;

import io.segfx.stats.pooling.HierarchicalPosterior;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The exact posterior summary of one segment effect under full-Bayes pooling, where theta_j | y is
 * the normal mixture {@code sum_i p_i N(m_ij, s_ij²)} over the tau grid ({@link
 * HierarchicalPosterior#theta}; Bayesian Data Analysis 3rd ed., section 5.4): mean {@code sum_i p_i
 * m_ij}, sd from {@code sum_i p_i (s_ij² + (m_ij - mean)²)}, the 2.5% and 97.5% quantiles and tail
 * probabilities of the mixture ({@link NormalMixture}), and the posterior weight of the segment's
 * own estimate E[1 - B_j | y].
 *
 * @param mean E[theta_j | y]
 * @param sd sd(theta_j | y)
 * @param q025 2.5% quantile
 * @param q975 97.5% quantile
 * @param probPositive P(theta_j > 0 | y)
 * @param probAboveThreshold P(theta_j > threshold | y)
 * @param weightOnRaw E[1 - B_j | y]
 */
public record PooledSegmentSummary(
    double mean,
    double sd,
    double q025,
    double q975,
    double probPositive,
    double probAboveThreshold,
    double weightOnRaw)
    implements EffectSummary, Serializable {

  /** Number of values per segment in the flat layout of {@link #write} and {@link #read}. */
  public static final int FIELDS = 7;

  /** A flat array for {@code segments} summaries, all absent (NaN). */
  static double[] none(int segments) {
    double[] out = new double[FIELDS * segments];
    Arrays.fill(out, Double.NaN);
    return out;
  }

  /** Writes this summary as segment {@code j} of a flat array, in component order. */
  void write(double[] out, int j) {
    int o = FIELDS * j;
    out[o] = mean;
    out[o + 1] = sd;
    out[o + 2] = q025;
    out[o + 3] = q975;
    out[o + 4] = probPositive;
    out[o + 5] = probAboveThreshold;
    out[o + 6] = weightOnRaw;
  }

  /**
   * Segment {@code j} of a flat array, or null when absent (its mean is NaN: a summary's never is).
   */
  static PooledSegmentSummary read(double[] flat, int j) {
    int o = FIELDS * j;
    if (Double.isNaN(flat[o])) {
      return null;
    }
    return new PooledSegmentSummary(
        flat[o], flat[o + 1], flat[o + 2], flat[o + 3], flat[o + 4], flat[o + 5], flat[o + 6]);
  }

  /**
   * Summarises the mixture {@code theta}; P(theta > threshold) is P(theta > 0) when the threshold
   * is 0.
   */
  public static PooledSegmentSummary of(NormalMixture theta, double threshold, double weightOnRaw) {
    double positive = theta.upperTail(0);
    return new PooledSegmentSummary(
        theta.mean(),
        theta.sd(),
        theta.quantile(0.025),
        theta.quantile(0.975),
        positive,
        threshold == 0 ? positive : theta.upperTail(threshold),
        weightOnRaw);
  }
}
