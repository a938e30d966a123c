package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.model.ArmPosterior;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.GroupKey;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.stats.BetaBinomial;
import io.segfx.stats.DecisionFigures;
import io.segfx.stats.DecisionRule;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.Seeds;
import io.segfx.stats.SegmentDraw;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tables of binary metrics built from conversion counts alone: each arm's exact Beta posterior,
 * and the experiment-level decision under each prior of the sensitivity grid.
 */
final class BinaryMetricTables {
  private BinaryMetricTables() {}

  /** One arm of one segment, or of the experiment with segment {@code (all)}. */
  private record ArmKey(String experiment, String metric, String segment, String arm) {}

  /** An arm's summed counts {n, successes} at {@code level} (segment or experiment). */
  private record ArmCounts(ArmKey key, String level, long[] counts) {}

  /**
   * The order of the arm table: experiment, metric, segment rows before the total, segment, arm.
   */
  private static final Comparator<ArmPosterior> ORDER =
      Comparator.comparing(ArmPosterior::experimentId)
          .thenComparing(ArmPosterior::metric)
          .thenComparing(ArmPosterior::level, Comparator.reverseOrder())
          .thenComparing(ArmPosterior::segment)
          .thenComparing(ArmPosterior::arm);

  /**
   * Exact Beta posteriors of each arm, per segment and over the experiment. An experiment's arms
   * depend on its own cells alone, so experiments are tabled side by side on the driver's cores,
   * each with maps of its own few arms and sorted alone, and joined in the order of their ids (the
   * table's first sort key): the same rows in the same order as one sort of all arms, without a map
   * and a sort of the millions of arms of a wide run.
   */
  static List<ArmPosterior> arms(JobSpec spec, List<SegmentEstimate> grid) {
    Map<String, List<SegmentEstimate>> byExperiment =
        GroupKeys.group(grid, SegmentEstimate::experimentId);
    List<String> ids = new ArrayList<>(byExperiment.keySet());
    ids.sort(Comparator.naturalOrder());
    List<ArmPosterior> out = new ArrayList<>();
    for (List<ArmPosterior> one :
        ids.parallelStream().map(id -> experimentArms(spec, byExperiment.get(id))).toList()) {
      out.addAll(one);
    }
    return out;
  }

  /**
   * The arm rows of one experiment's cells (its usable binary ones count), in the table's order.
   */
  private static List<ArmPosterior> experimentArms(JobSpec spec, List<SegmentEstimate> cells) {
    Map<ArmKey, long[]> counts = segmentCounts(spec, cells);
    Map<ArmKey, long[]> totals = new LinkedHashMap<>();
    List<ArmPosterior> out = new ArrayList<>();
    for (Map.Entry<ArmKey, long[]> c : counts.entrySet()) {
      ArmKey k = c.getKey();
      out.add(arm(spec, new ArmCounts(k, "segment", c.getValue())));
      long[] t =
          totals.computeIfAbsent(
              new ArmKey(k.experiment(), k.metric(), "(all)", k.arm()), x -> new long[2]);
      t[0] += c.getValue()[0];
      t[1] += c.getValue()[1];
    }
    for (Map.Entry<ArmKey, long[]> t : totals.entrySet()) {
      out.add(arm(spec, new ArmCounts(t.getKey(), "experiment", t.getValue())));
    }
    out.sort(ORDER);
    return out;
  }

  /** Each arm's counts per segment, over the usable cells of binary metrics, in their order. */
  private static Map<ArmKey, long[]> segmentCounts(JobSpec spec, List<SegmentEstimate> cells) {
    Map<ArmKey, long[]> counts = new LinkedHashMap<>();
    Map<ArmKey, Boolean> control = new HashMap<>();
    for (SegmentEstimate e : cells) {
      if (!e.binary() || !e.usable()) {
        continue;
      }
      add(
          counts,
          control,
          new ArmKey(e.experimentId(), e.metric(), e.segment(), spec.controlArm()),
          e.nControl(),
          e.successesControl(),
          true);
      add(
          counts,
          control,
          new ArmKey(e.experimentId(), e.metric(), e.segment(), e.variant()),
          e.nTreatment(),
          e.successesTreatment(),
          false);
    }
    return counts;
  }

  private static void add(
      Map<ArmKey, long[]> counts,
      Map<ArmKey, Boolean> control,
      ArmKey key,
      long n,
      Long y,
      boolean isControl) {
    if (control.putIfAbsent(key, isControl) != null && isControl) {
      return; // the control arm of a segment is shared by every variant: count it once
    }
    long[] c = counts.computeIfAbsent(key, k -> new long[2]);
    c[0] += n;
    c[1] += Objects.requireNonNull(y);
  }

  private static ArmPosterior arm(JobSpec spec, ArmCounts a) {
    ArmKey k = a.key();
    long[] c = a.counts();
    double[] prior =
        k.arm().equals(spec.controlArm()) ? spec.priorControl() : spec.priorTreatment();
    BetaBinomial b = BetaBinomial.posterior(prior[0], prior[1], c[1], c[0]);
    return new ArmPosterior(
        k.experiment(),
        k.metric(),
        k.segment(),
        k.arm(),
        a.level(),
        c[0],
        c[1],
        prior[0],
        prior[1],
        b.alpha(),
        b.beta(),
        b.mean(),
        b.quantile(0.025),
        b.quantile(0.975));
  }

  /** The prior grid on each binary group's conversions summed over its usable segments. */
  static List<PriorSensitivity> sensitivity(JobSpec spec, List<SegmentEstimate> grid) {
    List<PriorSensitivity> out = new ArrayList<>();
    if (spec.priorGrid().isEmpty()) {
      return out;
    }
    DecisionRule rule = new DecisionRule(spec.launchProbability());
    for (Map.Entry<GroupKey, long[]> g : groupCounts(grid).entrySet()) {
      out.addAll(priorGrid(spec, rule, g.getKey(), g.getValue()));
    }
    return out;
  }

  /**
   * Each binary group's counts {n0, y0, n1, y1} (control, then treatment) summed over its usable
   * segments, in grid order.
   */
  private static Map<GroupKey, long[]> groupCounts(List<SegmentEstimate> grid) {
    Map<GroupKey, long[]> totals = new LinkedHashMap<>();
    for (SegmentEstimate e : grid) {
      if (!e.binary() || !e.usable()) {
        continue;
      }
      long[] t =
          totals.computeIfAbsent(
              new GroupKey(e.experimentId(), e.metric(), e.variant()), k -> new long[4]);
      t[0] += e.nControl();
      t[1] += e.successesControl();
      t[2] += e.nTreatment();
      t[3] += e.successesTreatment();
    }
    return totals;
  }

  /** One group's rows of the prior grid, each flagged when the decision differs across it. */
  private static List<PriorSensitivity> priorGrid(
      JobSpec spec, DecisionRule rule, GroupKey k, long[] t) {
    List<DecisionMetrics> results = new ArrayList<>();
    for (JobSpec.PriorGridEntry prior : spec.priorGrid()) {
      BetaBinomial c = BetaBinomial.posterior(prior.control()[0], prior.control()[1], t[1], t[0]);
      BetaBinomial v =
          BetaBinomial.posterior(prior.treatment()[0], prior.treatment()[1], t[3], t[2]);
      SegmentDraw d =
          new SegmentDraw(
              "(all)",
              1.0,
              SegmentDraw.Kind.BETA_DIFF,
              new double[] {v.alpha(), v.beta(), c.alpha(), c.beta()},
              SegmentDraw.Kind.BETA,
              new double[] {c.alpha(), c.beta()},
              false);
      DecisionFigures f =
          ExperimentDraws.draw(
                  new SegmentDraw[] {d},
                  spec.draws(),
                  StatsSettings.thresholds(spec, k.metric()),
                  StatsSettings.economics(spec, k.metric()),
                  rule,
                  Seeds.of(
                      spec.seed(),
                      k.experiment(),
                      k.metric(),
                      k.variant(),
                      "prior-grid",
                      prior.name()))
              .figures();
      results.add(PosteriorRows.decision(k, f, prior.name()));
    }
    boolean changes = results.stream().map(DecisionMetrics::recommendation).distinct().count() > 1;
    List<PriorSensitivity> out = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      JobSpec.PriorGridEntry prior = spec.priorGrid().get(i);
      out.add(
          new PriorSensitivity(
              k.experiment(),
              k.metric(),
              k.variant(),
              prior.name(),
              prior.control(),
              prior.treatment(),
              results.get(i),
              changes));
    }
    return out;
  }
}
