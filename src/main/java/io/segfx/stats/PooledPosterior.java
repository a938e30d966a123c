package io.segfx.stats;

import io.segfx.stats.pooling.HierarchicalPosterior;
import io.segfx.util.Checks;
import java.io.Serializable;
import java.util.Objects;

/**
 * What stage 3 needs of one (experiment, metric, variant): per usable segment what to draw, its
 * units, and the prior's description. Broadcast to the executors that run the draws. {@code
 * hierarchy} is the posterior the pooled segment effects share: with {@code --pooling full} the
 * grid posterior (their {@link SegmentDraw}s then only carry shares and baselines, their effect
 * parameters NaN), with an empirical-Bayes method its plug-in; null when nothing is pooled.
 *
 * <p>It lives with the kernels that read it ({@link SegmentDraw}, {@link HierarchicalPosterior}),
 * so that the domain records in {@code model} depend on no statistics code.
 *
 * @param segments what to draw, one per usable segment
 * @param units units of each segment, in the order of {@code segments}
 */
public record PooledPosterior(
    String experimentId,
    String metric,
    String variant,
    SegmentDraw[] segments,
    long[] units,
    String prior,
    HierarchicalPosterior hierarchy)
    implements Serializable {

  public PooledPosterior {
    Objects.requireNonNull(segments, "segments");
    Objects.requireNonNull(units, "units");
    Checks.sameLength("segments", segments.length, "units", units.length);
  }
}
