package io.segfx.model;

import java.io.Serializable;

/**
 * An experiment's effect without and with the learned prior ({@code --learned-prior}): {@code
 * without} is the run's own decision row, {@code with} the same figures when the experiment's
 * estimate (effect_mean, effect_sd) is combined with the prior learned across experiments.
 */
public record LearnedEffect(
    DecisionMetrics without, DecisionMetrics with, LearnedPriorKind model, String source)
    implements Serializable {}
