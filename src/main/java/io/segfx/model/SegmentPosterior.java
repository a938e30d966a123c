package io.segfx.model;

import java.io.Serializable;

/**
 * Stage-2/3 output: the posterior of one segment effect. {@code source} says how it was summarised
 * ({@link PosteriorSource}). The relative effect (effect / control level) always comes from draws.
 */
public record SegmentPosterior(
    String experimentId,
    String metric,
    String variant,
    String segment,
    double postMean,
    double postSd,
    double q025,
    double q975,
    double probPositive,
    double probAboveThreshold,
    double shrinkageWeight,
    long units,
    double relativeEffectMean,
    double probRelativeAboveThreshold,
    PosteriorSource source,
    String prior)
    implements Serializable {

  /**
   * Checks the unit count.
   *
   * @throws IllegalArgumentException if units is negative, with its value
   */
  public SegmentPosterior {
    if (units < 0) {
      throw new IllegalArgumentException("units must be >= 0, got " + units);
    }
  }

  /** This posterior with its relative-effect figures. */
  public SegmentPosterior withRelative(double mean, double probAbove) {
    return new SegmentPosterior(
        experimentId,
        metric,
        variant,
        segment,
        postMean,
        postSd,
        q025,
        q975,
        probPositive,
        probAboveThreshold,
        shrinkageWeight,
        units,
        mean,
        probAbove,
        source,
        prior);
  }
}
