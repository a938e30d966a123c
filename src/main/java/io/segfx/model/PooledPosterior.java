package io.segfx.model;

import java.io.Serializable;

/**
 * What stage 3 needs of one (experiment, metric, variant): the usable segments' posterior means,
 * sds and unit shares. Broadcast to the executors that run the draws.
 */
public record PooledPosterior(
    String experimentId,
    String metric,
    String variant,
    double[] mean,
    double[] sd,
    double[] share)
    implements Serializable {}
