package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.io.RunOutput;
import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.GroupKey;
import io.segfx.model.PooledPosterior;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import io.segfx.model.VariantKey;
import io.segfx.report.Charts;
import io.segfx.report.DecisionMemo;
import io.segfx.report.HtmlReport;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.NormalMixture;
import io.segfx.stats.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

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
      Map<VariantKey, String> memos,
      String runId,
      long rowsUsed,
      long rowsRejected) {
    Inputs in =
        new Inputs(
            spec,
            GroupKeys.Index.of(s2.pooling(), tables),
            GroupKeys.unique(
                s2.draws(), p -> new GroupKey(p.experimentId(), p.metric(), p.variant())),
            GroupKeys.group(
                tables.estimates(), e -> new GroupKey(e.experimentId(), e.metric(), e.variant())),
            memos);
    Set<String> flagged = flagged(tables);
    List<DecisionMetrics> byProfit = new ArrayList<>(tables.decisions());
    byProfit.sort(BY_PROFIT);
    Set<String> charted = charted(spec, byProfit, flagged);

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
        IntStream.range(0, pages.size())
            .parallel()
            .map(
                p -> {
                  String experiment = pages.get(p).getKey();
                  return page(
                      out,
                      in,
                      experiment,
                      pages.get(p).getValue(),
                      charted.contains(experiment),
                      pageOf.get(experiment));
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
   * What a page reads per group.
   *
   * @param index the decision tables per group
   * @param drawn each drawn group's pooled posterior, to redraw its histograms
   * @param raw each group's segment estimates
   * @param memos each (experiment, variant)'s memo path, when it has one
   */
  private record Inputs(
      JobSpec spec,
      GroupKeys.Index index,
      Map<GroupKey, PooledPosterior> drawn,
      Map<GroupKey, List<SegmentEstimate>> raw,
      Map<VariantKey, String> memos) {

    List<SegmentEstimate> raw(GroupKey k) {
      return raw.getOrDefault(k, List.of());
    }
  }

  /**
   * The experiments with charts: the {@code --report} top by expected profit, and every flagged
   * one; none when charts are off.
   */
  private static Set<String> charted(
      JobSpec spec, List<DecisionMetrics> byProfit, Set<String> flagged) {
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
    return charted;
  }

  /**
   * Writes one experiment's page, a section per (metric, variant) in (variant, metric) order;
   * returns the number of charts drawn on it.
   */
  private static int page(
      RunOutput out,
      Inputs in,
      String experiment,
      List<DecisionMetrics> decisions,
      boolean chart,
      String pageName) {
    List<DecisionMetrics> rows = new ArrayList<>(decisions);
    rows.sort(
        Comparator.comparing(DecisionMetrics::variant).thenComparing(DecisionMetrics::metric));
    List<HtmlReport.Section> sections = new ArrayList<>();
    Map<String, String> memoLinks = new TreeMap<>();
    int c = 0;
    int drawnCharts = 0;
    for (DecisionMetrics d : rows) {
      GroupKey k = d.key();
      String memo = in.memos().get(k.variantKey());
      if (memo != null) {
        memoLinks.put(d.variant(), "../../" + memo);
      }
      List<String> svgs = chart ? charts(in, d, "c" + c++) : new ArrayList<>();
      drawnCharts += svgs.size();
      sections.add(
          new HtmlReport.Section(
              d,
              in.index().pools().get(k),
              in.raw(k),
              in.index().segments(k),
              in.index().grid(k),
              in.index().bias(k),
              svgs,
              memo));
    }
    out.writeText(
        HtmlReport.FOLDER + "/" + HtmlReport.PAGES + "/" + pageName,
        HtmlReport.experiment(experiment, sections, in.spec().confoundingWarning(), memoLinks));
    return drawnCharts;
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
    Map<GroupKey, Set<String>> biasRecs = new HashMap<>();
    for (BiasSensitivity b : tables.bias()) {
      biasRecs
          .computeIfAbsent(
              new GroupKey(b.experimentId(), b.metric(), b.variant()), k -> new HashSet<>())
          .add(b.result().recommendation());
    }
    for (Map.Entry<GroupKey, Set<String>> e : biasRecs.entrySet()) {
      if (e.getValue().size() > 1) {
        out.add(e.getKey().experiment());
      }
    }
    return out;
  }

  /**
   * A (metric, variant)'s charts, drawn ones only: the effect's posterior, the forest plot, the
   * shrinkage of pooled segments, the effect under each prior and bias scenario, and profit.
   */
  private static List<String> charts(Inputs in, DecisionMetrics d, String id) {
    GroupKey k = d.key();
    ExperimentPooling pool = in.index().pools().get(k);
    PooledPosterior posterior = in.drawn().get(k);
    List<SegmentPosterior> segments = in.index().segments(k);
    double[] effect =
        d.draws() > 0 && posterior != null
            ? ExperimentDraws.effectDraws(
                posterior.segments(),
                d.draws(),
                Seeds.of(in.spec().seed(), d.experimentId(), d.metric(), d.variant()))
            : null;
    NormalMixture mixture = effect == null ? mixture(posterior) : null;
    String axis = "effect on " + d.metric();
    List<String> out = new ArrayList<>();
    out.add(
        Charts.effectPosterior(
            id + "-effect",
            effect,
            mixture == null ? null : mixture::density,
            d.effectMean(),
            d.effectSd(),
            d.effectQ025(),
            d.effectQ975(),
            in.spec().thresholdsByMetric().get(d.metric()).effect(),
            axis));
    out.add(forest(id + "-forest", pool, in.raw(k), segments));
    if (pool != null && !"none".equals(pool.method()) && !segments.isEmpty()) {
      out.add(shrinkage(id + "-shrinkage", segments));
    }
    List<Charts.Curve> priors = new ArrayList<>();
    for (PriorSensitivity p : in.index().grid(k)) {
      priors.add(curve("prior " + p.prior(), p.result()));
    }
    out.add(curves(id + "-priors", "Posterior of the effect under each prior", priors, axis));
    List<Charts.Curve> bias = new ArrayList<>();
    for (BiasSensitivity b : in.index().bias(k)) {
      bias.add(curve("bias " + b.scenario(), b.result()));
    }
    out.add(curves(id + "-bias", "Bias-adjusted effect under each scenario", bias, axis));
    out.add(profit(id + "-profit", in.spec(), d, effect, mixture));
    out.removeIf(Objects::isNull);
    return out;
  }

  /**
   * A full-Bayes group's effect as the exact normal mixture over its tau grid, or null when the
   * group has no grid (its effect is then drawn or closed-form normal).
   */
  private static NormalMixture mixture(PooledPosterior posterior) {
    if (posterior == null
        || posterior.hierarchy() == null
        || posterior.hierarchy().tau().length <= 1) {
      return null;
    }
    double[] shares = new double[posterior.segments().length];
    for (int j = 0; j < shares.length; j++) {
      shares[j] = posterior.segments()[j].share();
    }
    return posterior.hierarchy().linear(shares, 0, 0);
  }

  private static String shrinkage(String id, List<SegmentPosterior> segments) {
    long[] units = new long[segments.size()];
    double[] weights = new double[segments.size()];
    for (int j = 0; j < units.length; j++) {
      units[j] = segments.get(j).units();
      weights[j] = segments.get(j).shrinkageWeight();
    }
    return Charts.shrinkage(id, units, weights);
  }

  private static Charts.Curve curve(String label, DecisionMetrics result) {
    return new Charts.Curve(label, result.effectMean(), result.effectSd());
  }

  /** Normal curves of the effect under each scenario; null (no chart) without scenarios. */
  private static String curves(String id, String title, List<Charts.Curve> curves, String axis) {
    return curves.isEmpty() ? null : Charts.curves(id, title, curves, axis);
  }

  /**
   * Launch profit {@code users * value * effect - cost}: from the effect's draws when drawn, else
   * from its mixture when full Bayes, else the normal of its summary.
   */
  private static String profit(
      String id, JobSpec spec, DecisionMetrics d, double[] effect, NormalMixture mixture) {
    ExperimentDraws.Economics econ = spec.economicsByMetric().get(d.metric());
    double factor = econ.users() * econ.valuePerUnit();
    double[] profit = null;
    if (effect != null) {
      profit = new double[effect.length];
      for (int j = 0; j < effect.length; j++) {
        profit[j] = factor * effect[j] - econ.cost();
      }
    }
    NormalMixture profitMixture = mixture == null ? null : mixture.affine(factor, -econ.cost());
    return Charts.profit(
        id,
        profit,
        profitMixture == null ? null : profitMixture::density,
        d.expectedProfit(),
        Math.abs(factor) * d.effectSd(),
        d.profitQ025(),
        d.profitQ975());
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
}
