package io.segfx.model;

/**
 * The experiment-level effect adjusted for an assumed unmeasured-confounding bias (seed notebook
 * section 8): effect - bias with bias ~ Normal(biasMean, biasSd), independent of the effect's
 * posterior; {@code result} holds its summary and the recommendation under the scenario.
 */
public record BiasSensitivity(
    String experimentId,
    String metric,
    String variant,
    String scenario,
    double biasMean,
    double biasSd,
    DecisionMetrics result) {}
