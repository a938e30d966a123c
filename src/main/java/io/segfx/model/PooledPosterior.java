package io.segfx.model;

import io.segfx.stats.SegmentDraw;
import java.io.Serializable;

/**
 * What stage 3 needs of one (experiment, metric, variant): per usable segment what to draw, its
 * units, and the prior's description. Broadcast to the executors that run the draws. {@code
 * hierarchy} is the posterior the pooled segment effects share: with {@code --pooling full} the
 * grid posterior (their {@link SegmentDraw}s then only carry shares and baselines, their effect
 * parameters NaN), with an empirical-Bayes method its plug-in; null when nothing is pooled.
 */
public record PooledPosterior(
    String experimentId,
    String metric,
    String variant,
    SegmentDraw[] segments,
    long[] units,
    String prior,
    io.segfx.stats.pooling.HierarchicalPosterior hierarchy)
    implements Serializable {}
