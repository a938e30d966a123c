package io.segfx.job;

import io.segfx.model.DecisionMetrics;
import io.segfx.model.GroupKey;
import io.segfx.model.PosteriorSource;
import io.segfx.model.SegmentPosterior;
import io.segfx.stats.DecisionFigures;
import io.segfx.stats.EffectSummary;
import io.segfx.stats.ExperimentDraws;

/**
 * Output rows from the statistics kernels' results: the kernels know nothing of groups, priors'
 * descriptions or the sample-ratio check (stats does not depend on model), so the job layer names
 * their figures here.
 */
final class PosteriorRows {
  private PosteriorRows() {}

  /** A segment posterior row from a summary of its effect; its relative-effect figures are NaN. */
  static SegmentPosterior segment(
      GroupKey key,
      String segment,
      EffectSummary s,
      double weightOnRaw,
      long units,
      PosteriorSource source,
      String prior) {
    return new SegmentPosterior(
        key.experiment(),
        key.metric(),
        key.variant(),
        segment,
        s.mean(),
        s.sd(),
        s.q025(),
        s.q975(),
        s.probPositive(),
        s.probAboveThreshold(),
        weightOnRaw,
        units,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        source,
        prior);
  }

  /** Segment {@code j}'s posterior row with its relative-effect figures from the draws' result. */
  static SegmentPosterior withRelative(SegmentPosterior p, ExperimentDraws.Result r, int j) {
    return p.withRelative(
        r.relativeMean()[j],
        r.controlMean()[j],
        r.relativeQ025()[j],
        r.relativeQ975()[j],
        r.probRelativeAbove()[j]);
  }

  /**
   * The decision row of a group's figures under {@code prior}, before the sample-ratio check
   * ({@link DecisionMetrics#withSrm}).
   */
  static DecisionMetrics decision(GroupKey key, DecisionFigures f, String prior) {
    return new DecisionMetrics(
        key.experiment(),
        key.metric(),
        key.variant(),
        f.draws(),
        f.effectMean(),
        f.effectSd(),
        f.effectQ025(),
        f.effectQ975(),
        f.probPositive(),
        f.probAboveThreshold(),
        f.relativeEffectMean(),
        f.controlMean(),
        f.relativeQ025(),
        f.relativeQ975(),
        f.probRelativeAboveThreshold(),
        f.expectedProfit(),
        f.profitQ025(),
        f.profitQ975(),
        f.probProfitPositive(),
        f.expectedLossLaunch(),
        f.expectedLossWait(),
        f.recommendation(),
        f.mcSeEffectMean(),
        f.mcSeProbPositive(),
        f.mcSeProbProfitPositive(),
        prior,
        Double.NaN,
        false);
  }
}
