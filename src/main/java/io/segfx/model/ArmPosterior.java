package io.segfx.model;

/**
 * The exact Beta–Binomial posterior of one arm's conversion rate in one segment, or over the whole
 * experiment ({@code level = experiment}, segment {@code (all)}, counts summed over segments).
 */
public record ArmPosterior(
    String experimentId,
    String metric,
    String segment,
    String arm,
    String level,
    long n,
    long successes,
    double priorAlpha,
    double priorBeta,
    double postAlpha,
    double postBeta,
    double mean,
    double q025,
    double q975) {}
