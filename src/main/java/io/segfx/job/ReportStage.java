package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.io.RunOutput;
import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import io.segfx.report.Charts;
import io.segfx.report.DecisionMemo;
import io.segfx.report.HtmlReport;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.NormalMixture;
import io.segfx.stats.PooledPosterior;
import io.segfx.stats.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes the HTML report ({@code report/index.html} and {@code report/experiments/*.html}) from the
 * run's final tables. Which experiments get charts is {@code --report}; the others get their page
 * with tables only, so a run of thousands of experiments stays quick to write and to open.
 *
 * <p>Histograms of drawn posteriors are redrawn here, on the driver, from the same per-experiment
 * stream as stage 3 ({@link Seeds#of}), so they show exactly the draws the tables summarise; only
 * charted experiments are redrawn.
 */
final class ReportStage {
  private ReportStage() {}

  /** What was written: experiment pages, charted experiments, charts. */
  record Result(int pages, int charted, int charts) {}

  /** Index order: highest expected profit first, undefined profits last, then table order. */
  static final Comparator<DecisionMetrics> BY_PROFIT =
      Comparator.<DecisionMetrics>comparingDouble(
              d ->
                  Double.isNaN(d.expectedProfit()) ? Double.POSITIVE_INFINITY : -d.expectedProfit())
          .thenComparing(DecisionMetrics.ORDER);

  static Result write(
      RunOutput out,
      JobSpec spec,
      PoolingStage.Result s2,
      DecisionAssembly.Tables tables,
      Map<List<String>, String> memos,
      String runId,
      long rowsUsed,
      long rowsRejected) {
    Map<List<String>, ExperimentPooling> pools =
        GroupKeys.unique(s2.pooling(), p -> key(p.experimentId(), p.metric(), p.variant()));
    Map<List<String>, PooledPosterior> drawn =
        GroupKeys.unique(s2.draws(), p -> key(p.experimentId(), p.metric(), p.variant()));
    Map<List<String>, List<SegmentEstimate>> raw =
        GroupKeys.group(tables.estimates(), e -> key(e.experimentId(), e.metric(), e.variant()));
    Map<List<String>, List<SegmentPosterior>> segments =
        GroupKeys.group(tables.posteriors(), p -> key(p.experimentId(), p.metric(), p.variant()));
    Map<List<String>, List<PriorSensitivity>> grid =
        GroupKeys.group(tables.sensitivity(), p -> key(p.experimentId(), p.metric(), p.variant()));
    Map<List<String>, List<BiasSensitivity>> bias =
        GroupKeys.group(tables.bias(), b -> key(b.experimentId(), b.metric(), b.variant()));

    Set<String> flagged = flagged(tables);
    List<DecisionMetrics> byProfit = new ArrayList<>(tables.decisions());
    byProfit.sort(BY_PROFIT);
    Set<String> charted = new LinkedHashSet<>();
    if (spec.report().charts()) {
      for (DecisionMetrics d : byProfit) {
        if (charted.size() >= spec.report().top()) {
          break;
        }
        charted.add(d.experimentId());
      }
      charted.addAll(flagged);
    }

    Map<String, List<DecisionMetrics>> byExperiment = new TreeMap<>();
    for (DecisionMetrics d : tables.decisions()) {
      byExperiment.computeIfAbsent(d.experimentId(), k -> new ArrayList<>()).add(d);
    }
    List<String> names = DecisionMemo.safeNames(byExperiment.keySet());
    Map<String, String> pageOf = new HashMap<>();
    int i = 0;
    for (String e : byExperiment.keySet()) {
      pageOf.put(e, names.get(i++) + ".html");
    }

    // Pages are independent files with ids local to the page: rendered in parallel, each the same
    // whatever the order.
    List<Map.Entry<String, List<DecisionMetrics>>> pages = new ArrayList<>(byExperiment.entrySet());
    int charts =
        java.util.stream.IntStream.range(0, pages.size())
            .parallel()
            .map(
                p -> {
                  String experiment = pages.get(p).getKey();
                  boolean chart = charted.contains(experiment);
                  List<DecisionMetrics> rows = new ArrayList<>(pages.get(p).getValue());
                  rows.sort(
                      Comparator.comparing(DecisionMetrics::variant)
                          .thenComparing(DecisionMetrics::metric));
                  List<HtmlReport.Section> sections = new ArrayList<>();
                  Map<String, String> memoLinks = new TreeMap<>();
                  int c = 0;
                  int drawnCharts = 0;
                  for (DecisionMetrics d : rows) {
                    List<String> k = key(d.experimentId(), d.metric(), d.variant());
                    String memo = memos.get(List.of(d.experimentId(), d.variant()));
                    if (memo != null) {
                      memoLinks.put(d.variant(), "../../" + memo);
                    }
                    List<String> svgs = new ArrayList<>();
                    if (chart) {
                      for (String svg :
                          charts(
                              spec,
                              d,
                              pools.get(k),
                              drawn.get(k),
                              raw.getOrDefault(k, List.of()),
                              segments.getOrDefault(k, List.of()),
                              grid.getOrDefault(k, List.of()),
                              bias.getOrDefault(k, List.of()),
                              "c" + c++)) {
                        if (svg != null) {
                          svgs.add(svg);
                        }
                      }
                      drawnCharts += svgs.size();
                    }
                    sections.add(
                        new HtmlReport.Section(
                            d,
                            pools.get(k),
                            raw.getOrDefault(k, List.of()),
                            segments.getOrDefault(k, List.of()),
                            grid.getOrDefault(k, List.of()),
                            bias.getOrDefault(k, List.of()),
                            svgs,
                            memo));
                  }
                  out.writeText(
                      HtmlReport.FOLDER + "/" + HtmlReport.PAGES + "/" + pageOf.get(experiment),
                      HtmlReport.experiment(
                          experiment, sections, spec.confoundingWarning(), memoLinks));
                  return drawnCharts;
                })
            .sum();

    List<HtmlReport.IndexRow> index = new ArrayList<>();
    for (DecisionMetrics d : byProfit) {
      index.add(
          new HtmlReport.IndexRow(
              d,
              pageOf.get(d.experimentId()),
              charted.contains(d.experimentId()),
              flagged.contains(d.experimentId())));
    }
    HtmlReport.RunSummary run =
        new HtmlReport.RunSummary(
            runId,
            rowsUsed + rowsRejected,
            rowsUsed,
            rowsRejected,
            spec.pooling().code(),
            spec.design(),
            spec.confoundingWarning(),
            spec.report().toString(),
            charted.size());
    out.writeText(HtmlReport.FOLDER + "/index.html", HtmlReport.index(run, index));
    return new Result(byExperiment.size(), charted.size(), charts);
  }

  /**
   * Experiments flagged for a reader's attention whatever their profit: a sample-ratio mismatch, or
   * a decision that changes across the prior grid or the bias scenarios.
   */
  static Set<String> flagged(DecisionAssembly.Tables tables) {
    Set<String> out = new HashSet<>();
    for (DecisionMetrics d : tables.decisions()) {
      if (d.srmFlag()) {
        out.add(d.experimentId());
      }
    }
    for (PriorSensitivity p : tables.sensitivity()) {
      if (p.decisionChanges()) {
        out.add(p.experimentId());
      }
    }
    Map<List<String>, Set<String>> biasRecs = new HashMap<>();
    for (BiasSensitivity b : tables.bias()) {
      biasRecs
          .computeIfAbsent(key(b.experimentId(), b.metric(), b.variant()), k -> new HashSet<>())
          .add(b.result().recommendation());
    }
    for (Map.Entry<List<String>, Set<String>> e : biasRecs.entrySet()) {
      if (e.getValue().size() > 1) {
        out.add(e.getKey().get(0));
      }
    }
    return out;
  }

  private static List<String> charts(
      JobSpec spec,
      DecisionMetrics d,
      ExperimentPooling pool,
      PooledPosterior posterior,
      List<SegmentEstimate> raw,
      List<SegmentPosterior> segments,
      List<PriorSensitivity> grid,
      List<BiasSensitivity> bias,
      String id) {
    List<String> out = new ArrayList<>();
    double[] effect =
        d.draws() > 0 && posterior != null
            ? ExperimentDraws.effectDraws(
                posterior.segments(),
                d.draws(),
                Seeds.of(spec.seed(), d.experimentId(), d.metric(), d.variant()))
            : null;
    double threshold = spec.thresholdsByMetric().get(d.metric()).effect();
    // A full-Bayes group's effect is a normal mixture over the tau grid: drawn exactly.
    NormalMixture mixture = null;
    if (effect == null
        && posterior != null
        && posterior.hierarchy() != null
        && posterior.hierarchy().tau().length > 1) {
      double[] shares = new double[posterior.segments().length];
      for (int j = 0; j < shares.length; j++) {
        shares[j] = posterior.segments()[j].share();
      }
      mixture = posterior.hierarchy().linear(shares, 0, 0);
    }
    NormalMixture effectMixture = mixture;
    out.add(
        Charts.effectPosterior(
            id + "-effect",
            effect,
            effectMixture == null ? null : effectMixture::density,
            d.effectMean(),
            d.effectSd(),
            d.effectQ025(),
            d.effectQ975(),
            threshold,
            "effect on " + d.metric()));
    out.add(forest(id + "-forest", pool, raw, segments));
    if (pool != null && !"none".equals(pool.method()) && !segments.isEmpty()) {
      long[] units = new long[segments.size()];
      double[] weights = new double[segments.size()];
      for (int j = 0; j < units.length; j++) {
        units[j] = segments.get(j).units();
        weights[j] = segments.get(j).shrinkageWeight();
      }
      out.add(Charts.shrinkage(id + "-shrinkage", units, weights));
    }
    if (!grid.isEmpty()) {
      List<Charts.Curve> curves = new ArrayList<>();
      for (PriorSensitivity p : grid) {
        curves.add(
            new Charts.Curve("prior " + p.prior(), p.result().effectMean(), p.result().effectSd()));
      }
      out.add(
          Charts.curves(
              id + "-priors",
              "Posterior of the effect under each prior",
              curves,
              "effect on " + d.metric()));
    }
    if (!bias.isEmpty()) {
      List<Charts.Curve> curves = new ArrayList<>();
      for (BiasSensitivity b : bias) {
        curves.add(
            new Charts.Curve(
                "bias " + b.scenario(), b.result().effectMean(), b.result().effectSd()));
      }
      out.add(
          Charts.curves(
              id + "-bias",
              "Bias-adjusted effect under each scenario",
              curves,
              "effect on " + d.metric()));
    }
    ExperimentDraws.Economics econ = spec.economicsByMetric().get(d.metric());
    double factor = econ.users() * econ.valuePerUnit();
    double[] profit = null;
    if (effect != null) {
      profit = new double[effect.length];
      for (int j = 0; j < effect.length; j++) {
        profit[j] = factor * effect[j] - econ.cost();
      }
    }
    NormalMixture profitMixture =
        effectMixture == null ? null : effectMixture.affine(factor, -econ.cost());
    out.add(
        Charts.profit(
            id + "-profit",
            profit,
            profitMixture == null ? null : profitMixture::density,
            d.expectedProfit(),
            Math.abs(factor) * d.effectSd(),
            d.profitQ025(),
            d.profitQ975()));
    return out;
  }

  /**
   * The forest plot's rows: usable segments, at most {@link Charts#FOREST_MAX_SEGMENTS} by units.
   */
  private static String forest(
      String id,
      ExperimentPooling pool,
      List<SegmentEstimate> raw,
      List<SegmentPosterior> segments) {
    Map<String, SegmentPosterior> post = new HashMap<>();
    for (SegmentPosterior p : segments) {
      post.put(p.segment(), p);
    }
    List<SegmentEstimate> usable = new ArrayList<>();
    for (SegmentEstimate e : raw) {
      if (e.usable() && post.containsKey(e.segment())) {
        usable.add(e);
      }
    }
    if (usable.size() > Charts.FOREST_MAX_SEGMENTS) {
      usable.sort(
          Comparator.comparingLong((SegmentEstimate e) -> -(e.nControl() + e.nTreatment()))
              .thenComparing(SegmentEstimate::segment));
      usable = new ArrayList<>(usable.subList(0, Charts.FOREST_MAX_SEGMENTS));
    }
    usable.sort(Comparator.comparing(SegmentEstimate::segment));
    List<Charts.ForestRow> rows = new ArrayList<>();
    for (SegmentEstimate e : usable) {
      SegmentPosterior p = post.get(e.segment());
      rows.add(
          new Charts.ForestRow(
              e.segment(), e.estimate(), e.stdError(), p.postMean(), p.q025(), p.q975()));
    }
    return Charts.forest(id, rows, pool == null ? Double.NaN : pool.mu());
  }

  private static List<String> key(String experiment, String metric, String variant) {
    return GroupKeys.of(experiment, metric, variant);
  }
}
