package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.model.ArmPosterior;
import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.GroupKey;
import io.segfx.model.PosteriorSource;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import io.segfx.stats.DecisionFigures;
import io.segfx.stats.DecisionRule;
import io.segfx.stats.DrawSummary;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.PooledPosterior;
import io.segfx.stats.PooledSegmentSummary;
import io.segfx.stats.Seeds;
import io.segfx.stats.SegmentDraw;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * On the driver after stage 3: joins the draws' results with the closed-form posteriors, applies
 * the sample-ratio guard, and builds the binary-metric tables (exact arm posteriors and the prior
 * sensitivity grid).
 */
final class DecisionAssembly {
  private DecisionAssembly() {}

  /** The run's final tables. */
  record Tables(
      List<SegmentEstimate> estimates,
      List<SegmentPosterior> posteriors,
      List<DecisionMetrics> decisions,
      List<ArmPosterior> arms,
      List<PriorSensitivity> sensitivity,
      List<BiasSensitivity> bias,
      List<ExperimentVerdict> verdicts) {}

  static Tables assemble(JobSpec spec, PoolingStage.Result s2, List<ExperimentDraws.Result> draws) {
    SampleRatioCheck srm = new SampleRatioCheck(spec);
    // The pieces below depend only on stage 2's output (and the checked cells), so the arm,
    // prior-grid and bias tables and the experiment-level SRM test are built beside the join of
    // the draws, on the driver's other cores. Each piece is a function of its inputs alone, so the
    // tables do not depend on the interleaving.
    try (ConcurrentTasks side = new ConcurrentTasks(3, "segfx-decisions")) {
      Future<Map<String, Double>> srmExperiments =
          side.submit("srm", () -> srm.experiments(s2.estimates()));
      // The grid's cells carry their p-values from stage 2 (PoolingStage.run).
      List<SegmentEstimate> estimates = s2.estimates();
      // The first failure in submission order is the one reported: arms, prior grid, then bias.
      Future<List<ArmPosterior>> arms =
          side.submit("arms", () -> BinaryMetricTables.arms(spec, estimates));
      Future<List<PriorSensitivity>> sensitivity =
          side.submit("sensitivity", () -> BinaryMetricTables.sensitivity(spec, estimates));
      Future<List<BiasSensitivity>> bias = side.submit("bias", () -> bias(spec, s2.draws()));
      List<SegmentPosterior> posteriors = new ArrayList<>();
      List<DecisionMetrics> decisions = new ArrayList<>();
      join(s2, draws, posteriors, decisions);
      side.awaitAll();
      Map<String, Double> srmByExperiment = ConcurrentTasks.result(srmExperiments);
      List<DecisionMetrics> guarded = new ArrayList<>();
      for (DecisionMetrics d : decisions) {
        double p = srmByExperiment.getOrDefault(d.experimentId(), Double.NaN);
        guarded.add(d.withSrm(p, srm.flagged(p)));
      }
      guarded.sort(DecisionMetrics.ORDER);
      return new Tables(
          estimates,
          posteriors,
          guarded,
          ConcurrentTasks.result(arms),
          ConcurrentTasks.result(sensitivity),
          ConcurrentTasks.result(bias),
          VerdictStage.verdicts(spec, s2.draws(), guarded, estimates));
    }
  }

  /**
   * Joins the draws' results (draw summaries, and the full-Bayes segment summaries stage 3 makes)
   * with stage 2's closed-form segment posteriors, in the order of stage 2's groups; the segment
   * posteriors come out sorted by (experiment, metric, variant, segment).
   */
  private static void join(
      PoolingStage.Result s2,
      List<ExperimentDraws.Result> draws,
      List<SegmentPosterior> posteriors,
      List<DecisionMetrics> decisions) {
    Map<SegmentKey, SegmentPosterior> closed = new HashMap<>();
    for (SegmentPosterior p : s2.posteriors()) {
      closed.put(
          new SegmentKey(new GroupKey(p.experimentId(), p.metric(), p.variant()), p.segment()), p);
    }
    for (int g = 0; g < draws.size(); g++) {
      PooledPosterior group = s2.draws().get(g);
      ExperimentDraws.Result r = draws.get(g);
      for (int j = 0; j < group.segments().length; j++) {
        posteriors.add(PosteriorRows.withRelative(posterior(group, j, r, closed), r, j));
      }
      decisions.add(PosteriorRows.decision(key(group), r.figures(), group.prior()));
    }
    decisions.addAll(s2.undecided());
    GroupKeys.sortParallel(
        posteriors,
        Comparator.comparing(SegmentPosterior::experimentId)
            .thenComparing(SegmentPosterior::metric)
            .thenComparing(SegmentPosterior::variant)
            .thenComparing(SegmentPosterior::segment));
  }

  /** A segment of a group, to find its closed-form posterior. */
  private record SegmentKey(GroupKey group, String segment) {}

  /**
   * Segment {@code j}'s posterior: its draws' summary where stage 3 drew it, else its full-Bayes
   * summary where stage 3 made one, else stage 2's closed form.
   */
  private static SegmentPosterior posterior(
      PooledPosterior group,
      int j,
      ExperimentDraws.Result r,
      Map<SegmentKey, SegmentPosterior> closed) {
    String segment = group.segments()[j].segment();
    DrawSummary s = r.summaries()[j];
    if (s != null) {
      return PosteriorRows.segment(
          key(group), segment, s, 1.0, group.units()[j], PosteriorSource.DRAWS, group.prior());
    }
    PooledSegmentSummary h = r.pooled(j);
    if (h != null) {
      return PosteriorRows.segment(
          key(group),
          segment,
          h,
          h.weightOnRaw(),
          group.units()[j],
          PosteriorSource.HIERARCHICAL,
          group.prior());
    }
    return closed.get(new SegmentKey(key(group), segment));
  }

  /**
   * Each group's experiment-level effect minus each bias scenario's Normal(mean, sd) bias: one more
   * "segment" of weight 1 drawing -bias, so the closed form applies when every segment is normal
   * and draws are made otherwise.
   */
  static List<BiasSensitivity> bias(JobSpec spec, List<PooledPosterior> groups) {
    List<BiasSensitivity> out = new ArrayList<>();
    DecisionRule rule = new DecisionRule(spec.launchProbability());
    for (PooledPosterior g : groups) {
      for (JobSpec.BiasScenario b : spec.biasPrior()) {
        SegmentDraw[] segs = Arrays.copyOf(g.segments(), g.segments().length + 1);
        segs[segs.length - 1] =
            new SegmentDraw(
                "(bias)",
                1.0,
                SegmentDraw.Kind.NORMAL,
                new double[] {-b.mean(), b.sd()},
                SegmentDraw.Kind.NONE,
                new double[0],
                false);
        DecisionFigures f =
            ExperimentDraws.figures(
                segs,
                g.hierarchy(),
                spec.draws(),
                StatsSettings.thresholds(spec, g.metric()),
                StatsSettings.economics(spec, g.metric()),
                rule,
                Seeds.of(spec.seed(), g.experimentId(), g.metric(), g.variant(), "bias", b.name()));
        DecisionMetrics m = PosteriorRows.decision(key(g), f, g.prior());
        out.add(
            new BiasSensitivity(
                g.experimentId(), g.metric(), g.variant(), b.name(), b.mean(), b.sd(), m));
      }
    }
    return out;
  }

  private static GroupKey key(PooledPosterior group) {
    return new GroupKey(group.experimentId(), group.metric(), group.variant());
  }
}
