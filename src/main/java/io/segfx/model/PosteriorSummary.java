package io.segfx.model;

import java.io.Serializable;

/**
 * The exact summary of one effect's posterior, as the output tables write it: mean, sd, central 95%
 * interval and tail probabilities. The statistics kernels compute it (a Student-t marginal's
 * summary, say) and the Spark stages copy it here, so that the domain records depend on no
 * statistics code. All fields are NaN where a cell has no such posterior.
 *
 * @param mean posterior mean
 * @param sd posterior standard deviation
 * @param q025 2.5% quantile
 * @param q975 97.5% quantile
 * @param probPositive P(effect > 0)
 * @param probAboveThreshold P(effect > the metric's threshold)
 */
public record PosteriorSummary(
    double mean,
    double sd,
    double q025,
    double q975,
    double probPositive,
    double probAboveThreshold)
    implements Serializable {}
