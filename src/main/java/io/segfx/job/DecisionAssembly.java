package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.model.ArmPosterior;
import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import io.segfx.stats.BetaBinomial;
import io.segfx.stats.DecisionRule;
import io.segfx.stats.DrawSummary;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.PooledPosterior;
import io.segfx.stats.PooledSegmentSummary;
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
      List<BiasSensitivity> bias) {}

  static Tables assemble(JobSpec spec, PoolingStage.Result s2, List<ExperimentDraws.Result> draws) {
    SampleRatioCheck srm = new SampleRatioCheck(spec);
    // The pieces below depend only on stage 2's output (and the checked cells), so the arm,
    // prior-grid and bias tables and the experiment-level SRM test are built beside the join of
    // the draws: at W50 they were 1.2-2.0 s on one driver thread with the other core idle. Each
    // piece is a function of its inputs alone, so the tables do not depend on the interleaving.
    try (ConcurrentTasks side = new ConcurrentTasks(3, "segfx-decisions")) {
      java.util.concurrent.Future<Map<String, Double>> srmExperiments =
          side.submit("srm", () -> srm.experiments(s2.estimates()));
      List<SegmentEstimate> estimates = srm.cells(s2.estimates());
      // Submitted in the order they used to run, so that the first failure reported is the same.
      java.util.concurrent.Future<List<ArmPosterior>> arms =
          side.submit("arms", () -> arms(spec, estimates));
      java.util.concurrent.Future<List<PriorSensitivity>> sensitivity =
          side.submit("sensitivity", () -> sensitivity(spec, estimates));
      java.util.concurrent.Future<List<BiasSensitivity>> bias =
          side.submit("bias", () -> bias(spec, s2.draws()));
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
          ConcurrentTasks.result(bias));
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
    Map<List<String>, SegmentPosterior> closed = new HashMap<>();
    for (SegmentPosterior p : s2.posteriors()) {
      closed.put(List.of(p.experimentId(), p.metric(), p.variant(), p.segment()), p);
    }
    for (int g = 0; g < draws.size(); g++) {
      PooledPosterior group = s2.draws().get(g);
      ExperimentDraws.Result r = draws.get(g);
      for (int j = 0; j < group.segments().length; j++) {
        SegmentDraw d = group.segments()[j];
        List<String> key =
            List.of(group.experimentId(), group.metric(), group.variant(), d.segment());
        DrawSummary s = r.summaries()[j];
        PooledSegmentSummary h = r.pooled(j);
        SegmentPosterior p;
        if (s != null) {
          p =
              new SegmentPosterior(
                  group.experimentId(),
                  group.metric(),
                  group.variant(),
                  d.segment(),
                  s.mean(),
                  s.sd(),
                  s.q025(),
                  s.q975(),
                  s.probPositive(),
                  s.probAboveThreshold(),
                  1.0,
                  group.units()[j],
                  Double.NaN,
                  Double.NaN,
                  "draws",
                  group.prior());
        } else if (h != null) {
          p =
              new SegmentPosterior(
                  group.experimentId(),
                  group.metric(),
                  group.variant(),
                  d.segment(),
                  h.mean(),
                  h.sd(),
                  h.q025(),
                  h.q975(),
                  h.probPositive(),
                  h.probAboveThreshold(),
                  h.weightOnRaw(),
                  group.units()[j],
                  Double.NaN,
                  Double.NaN,
                  "hierarchical",
                  group.prior());
        } else {
          p = closed.get(key);
        }
        posteriors.add(p.withRelative(r.relativeMean()[j], r.probRelativeAbove()[j]));
      }
      decisions.add(r.metrics());
    }
    decisions.addAll(s2.undecided());
    GroupKeys.sortParallel(
        posteriors,
        Comparator.comparing(SegmentPosterior::experimentId)
            .thenComparing(SegmentPosterior::metric)
            .thenComparing(SegmentPosterior::variant)
            .thenComparing(SegmentPosterior::segment));
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
        SegmentDraw[] segs = java.util.Arrays.copyOf(g.segments(), g.segments().length + 1);
        segs[segs.length - 1] =
            new SegmentDraw(
                "(bias)",
                1.0,
                SegmentDraw.NORMAL,
                new double[] {-b.mean(), b.sd()},
                SegmentDraw.NONE,
                new double[0],
                false);
        DecisionMetrics m =
            ExperimentDraws.metrics(
                new String[] {g.experimentId(), g.metric(), g.variant()},
                segs,
                g.hierarchy(),
                spec.draws(),
                spec.thresholdsByMetric().get(g.metric()),
                spec.economics(g.metric()),
                rule,
                g.prior(),
                Seeds.of(spec.seed(), g.experimentId(), g.metric(), g.variant(), "bias", b.name()));
        out.add(
            new BiasSensitivity(
                g.experimentId(), g.metric(), g.variant(), b.name(), b.mean(), b.sd(), m));
      }
    }
    return out;
  }

  /** Exact Beta posteriors of each arm, per segment and over the experiment. */
  static List<ArmPosterior> arms(JobSpec spec, List<SegmentEstimate> grid) {
    Map<List<String>, long[]> counts = new LinkedHashMap<>();
    Map<List<String>, Boolean> control = new HashMap<>();
    for (SegmentEstimate e : grid) {
      if (!e.binary() || !e.usable()) {
        continue;
      }
      add(
          counts,
          control,
          List.of(e.experimentId(), e.metric(), e.segment(), spec.controlArm()),
          e.nControl(),
          e.successesControl(),
          true);
      add(
          counts,
          control,
          List.of(e.experimentId(), e.metric(), e.segment(), e.variant()),
          e.nTreatment(),
          e.successesTreatment(),
          false);
    }
    Map<List<String>, long[]> totals = new LinkedHashMap<>();
    for (Map.Entry<List<String>, long[]> c : counts.entrySet()) {
      List<String> k = c.getKey();
      long[] t = totals.computeIfAbsent(List.of(k.get(0), k.get(1), k.get(3)), x -> new long[2]);
      t[0] += c.getValue()[0];
      t[1] += c.getValue()[1];
    }
    List<String[]> keys = new ArrayList<>();
    List<long[]> values = new ArrayList<>();
    for (Map.Entry<List<String>, long[]> c : counts.entrySet()) {
      List<String> k = c.getKey();
      keys.add(new String[] {k.get(0), k.get(1), k.get(2), k.get(3), "segment"});
      values.add(c.getValue());
    }
    for (Map.Entry<List<String>, long[]> t : totals.entrySet()) {
      List<String> k = t.getKey();
      keys.add(new String[] {k.get(0), k.get(1), "(all)", k.get(2), "experiment"});
      values.add(t.getValue());
    }
    // Two Beta quantiles by Newton per arm, hundreds of thousands of arms at scale: computed in
    // parallel (each row is a function of its counts alone; the list keeps its order).
    List<ArmPosterior> out =
        new ArrayList<>(
            java.util.stream.IntStream.range(0, keys.size())
                .parallel()
                .mapToObj(
                    i ->
                        arm(
                            spec,
                            keys.get(i)[0],
                            keys.get(i)[1],
                            keys.get(i)[2],
                            keys.get(i)[3],
                            keys.get(i)[4],
                            values.get(i)))
                .toList());
    GroupKeys.sortParallel(
        out,
        Comparator.comparing(ArmPosterior::experimentId)
            .thenComparing(ArmPosterior::metric)
            .thenComparing(ArmPosterior::level, Comparator.reverseOrder())
            .thenComparing(ArmPosterior::segment)
            .thenComparing(ArmPosterior::arm));
    return out;
  }

  private static void add(
      Map<List<String>, long[]> counts,
      Map<List<String>, Boolean> control,
      List<String> key,
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

  private static ArmPosterior arm(
      JobSpec spec, String exp, String metric, String segment, String arm, String level, long[] c) {
    double[] prior = arm.equals(spec.controlArm()) ? spec.priorControl() : spec.priorTreatment();
    BetaBinomial b = BetaBinomial.posterior(prior[0], prior[1], c[1], c[0]);
    return new ArmPosterior(
        exp,
        metric,
        segment,
        arm,
        level,
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
    Map<List<String>, long[]> totals = new LinkedHashMap<>();
    for (SegmentEstimate e : grid) {
      if (!e.binary() || !e.usable()) {
        continue;
      }
      long[] t =
          totals.computeIfAbsent(
              List.of(e.experimentId(), e.metric(), e.variant()), k -> new long[4]);
      t[0] += e.nControl();
      t[1] += e.successesControl();
      t[2] += e.nTreatment();
      t[3] += e.successesTreatment();
    }
    DecisionRule rule = new DecisionRule(spec.launchProbability());
    for (Map.Entry<List<String>, long[]> g : totals.entrySet()) {
      List<String> k = g.getKey();
      long[] t = g.getValue();
      List<PriorSensitivity> rows = new ArrayList<>();
      for (JobSpec.PriorGridEntry prior : spec.priorGrid()) {
        BetaBinomial c = BetaBinomial.posterior(prior.control()[0], prior.control()[1], t[1], t[0]);
        BetaBinomial v =
            BetaBinomial.posterior(prior.treatment()[0], prior.treatment()[1], t[3], t[2]);
        SegmentDraw d =
            new SegmentDraw(
                "(all)",
                1.0,
                SegmentDraw.BETA_DIFF,
                new double[] {v.alpha(), v.beta(), c.alpha(), c.beta()},
                SegmentDraw.BETA,
                new double[] {c.alpha(), c.beta()},
                false);
        DecisionMetrics m =
            ExperimentDraws.draw(
                    new String[] {k.get(0), k.get(1), k.get(2)},
                    new SegmentDraw[] {d},
                    spec.draws(),
                    spec.thresholdsByMetric().get(k.get(1)),
                    spec.economics(k.get(1)),
                    rule,
                    prior.name(),
                    Seeds.of(spec.seed(), k.get(0), k.get(1), k.get(2), "prior-grid", prior.name()))
                .metrics();
        rows.add(
            new PriorSensitivity(
                k.get(0),
                k.get(1),
                k.get(2),
                prior.name(),
                prior.control(),
                prior.treatment(),
                m,
                false));
      }
      boolean changes = rows.stream().map(r -> r.result().recommendation()).distinct().count() > 1;
      for (PriorSensitivity r : rows) {
        out.add(
            new PriorSensitivity(
                r.experimentId(),
                r.metric(),
                r.variant(),
                r.prior(),
                r.controlPrior(),
                r.treatmentPrior(),
                r.result(),
                changes));
      }
    }
    return out;
  }
}
