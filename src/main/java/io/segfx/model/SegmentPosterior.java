package io.segfx.model;

import java.io.Serializable;

/** Stage-3 output: the closed-form normal posterior of one segment effect. */
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
    long units)
    implements Serializable {}
