package io.segfx.model;

/**
 * The experiment-level lift of a binary metric under one prior of the sensitivity grid (seed
 * notebook section 4): Beta–Binomial draws on the experiment's conversions summed over its usable
 * segments. {@code decisionChanges} is true when the recommendation differs across the grid.
 */
public record PriorSensitivity(
    String experimentId,
    String metric,
    String variant,
    String prior,
    double[] controlPrior,
    double[] treatmentPrior,
    DecisionMetrics result,
    boolean decisionChanges) {}
