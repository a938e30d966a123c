package io.segfx.model;

import java.io.Serializable;

/**
 * Stage-2/3 output: the posterior of one segment effect. {@code source} says how it was summarised
 * ({@link PosteriorSource}). The relative effect is effect / control level: its mean, the control
 * level's mean {@code controlMean}, the relative effect's 2.5% and 97.5% quantiles and P(relative
 * effect > threshold), from the segment's draws where they are drawn, else in closed form; NaN
 * without a control level.
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
    double controlMean,
    double relativeQ025,
    double relativeQ975,
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

  /**
   * This posterior with its relative-effect figures: the mean of effect / control level, the
   * control level's mean, the relative effect's 2.5% and 97.5% quantiles and P(relative > its
   * threshold).
   */
  public SegmentPosterior withRelative(
      double mean, double control, double relQ025, double relQ975, double probAbove) {
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
        control,
        relQ025,
        relQ975,
        probAbove,
        source,
        prior);
  }
}
