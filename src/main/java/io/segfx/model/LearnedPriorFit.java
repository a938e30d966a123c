package io.segfx.model;

import java.io.Serializable;

/**
 * One fitted prior of experiment-level effects for one metric ({@code --learned-prior}): a normal
 * ({@code model = normal}, one component) or a two-component normal mixture ({@code mixture}),
 * learned from {@code source} ({@code run}: this run's experiments; else the history path). {@code
 * used} marks the model applied to the run's experiments. Component 2 is NaN for the normal.
 */
public record LearnedPriorFit(
    String metric,
    LearnedPriorKind model,
    String source,
    int nExperiments,
    double weight1,
    double mean1,
    double sd1,
    double weight2,
    double mean2,
    double sd2,
    double logLikelihood,
    boolean used,
    String note)
    implements Serializable {}
