package io.segfx.model;

import io.segfx.stats.SegmentDraw;
import java.io.Serializable;

/**
 * What stage 3 needs of one (experiment, metric, variant): per usable segment what to draw, its
 * units, and the prior's description. Broadcast to the executors that run the draws.
 */
public record PooledPosterior(
    String experimentId,
    String metric,
    String variant,
    SegmentDraw[] segments,
    long[] units,
    String prior)
    implements Serializable {}
