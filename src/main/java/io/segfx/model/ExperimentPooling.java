package io.segfx.model;

import java.io.Serializable;

/**
 * Stage-2 output: the pooled hyperparameters of one (experiment, metric, variant). {@code method}
 * is the estimator, or {@code none} when fewer than the minimum number of usable segments exist
 * ({@code note} says why); then {@code mu}, {@code muSe} and {@code tau} are NaN. {@code prior}
 * states the prior of the group's posteriors.
 */
public record ExperimentPooling(
    String experimentId,
    String metric,
    String variant,
    String method,
    double mu,
    double muSe,
    double tau,
    int nSegments,
    int nSegmentsTotal,
    String note,
    String prior)
    implements Serializable {}
