package io.segfx.model;

import io.segfx.stats.SegmentDraw;
import java.io.Serializable;

/**
 * What stage 3 needs of one (experiment, metric, variant): per usable segment what to draw, its
 * units, and the prior's description. Broadcast to the executors that run the draws. With {@code
 * --pooling full}, {@code hierarchy} is the grid posterior the segment effects share (their
 * {@link SegmentDraw}s then only carry shares and baselines); null otherwise.
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
