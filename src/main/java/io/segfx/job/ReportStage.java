package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.io.RunOutput;
import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.GroupKey;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.RunSummary;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.VariantKey;
import io.segfx.report.DecisionMemo;
import io.segfx.report.HtmlReport;
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
import java.util.stream.IntStream;

/**
 * Writes the HTML report ({@code report/index.html} and {@code report/experiments/*.html}) from the
 * run's final tables. Which experiments get charts is {@code --report}; the others get their page
 * with tables only, so a run of thousands of experiments stays quick to write and to open.
 *
 * <p>Histograms of drawn posteriors are redrawn on the driver ({@link ReportCharts}) from the same
 * per-experiment stream as stage 3 ({@link Seeds#of}), so they show exactly the draws the tables
 * summarise; only charted experiments are redrawn.
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
      RunSummary summary,
      String runId,
      long rowsUsed,
      long rowsRejected) {
    Inputs in = Inputs.of(spec, s2, tables, memos);
    Set<String> flagged = flagged(tables);
    List<DecisionMetrics> byProfit = new ArrayList<>(tables.decisions());
    byProfit.sort(BY_PROFIT);
    Set<String> charted = charted(spec, byProfit, flagged);

    Map<String, List<DecisionMetrics>> byExperiment = new TreeMap<>();
    for (DecisionMetrics d : tables.decisions()) {
      byExperiment.computeIfAbsent(d.experimentId(), k -> new ArrayList<>()).add(d);
    }
    Map<String, String> pageOf = pageNames(byExperiment.keySet());

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

    HtmlReport.RunSummary run =
        new HtmlReport.RunSummary(
            runId,
            rowsUsed + rowsRejected,
            rowsUsed,
            rowsRejected,
            spec.pooling(),
            spec.design(),
            spec.confoundingWarning(),
            spec.report().toString(),
            charted.size());
    writeIndex(out, run, byProfit, pageOf, charted, flagged);
    return new Result(byExperiment.size(), charted.size(), charts);
  }

  /** Each experiment's page file name, safe and unique, in experiment order. */
  private static Map<String, String> pageNames(Set<String> experiments) {
    List<String> names = DecisionMemo.safeNames(experiments);
    Map<String, String> pageOf = new HashMap<>();
    int i = 0;
    for (String e : experiments) {
      pageOf.put(e, names.get(i++) + ".html");
    }
    return pageOf;
  }

  /** Writes {@code report/index.html}: one row per decision, highest expected profit first. */
  private static void writeIndex(
      RunOutput out,
      HtmlReport.RunSummary run,
      List<DecisionMetrics> byProfit,
      Map<String, String> pageOf,
      Set<String> charted,
      Set<String> flagged) {
    List<HtmlReport.IndexRow> index = new ArrayList<>();
    for (DecisionMetrics d : byProfit) {
      index.add(
          new HtmlReport.IndexRow(
              d,
              pageOf.get(d.experimentId()),
              charted.contains(d.experimentId()),
              flagged.contains(d.experimentId())));
    }
    out.writeText(HtmlReport.FOLDER + "/index.html", HtmlReport.index(run, index));
  }

  /**
   * What a page reads per group.
   *
   * @param index the decision tables per group
   * @param drawn each drawn group's pooled posterior, to redraw its histograms
   * @param raw each group's segment estimates
   * @param memos each (experiment, variant)'s memo path, when it has one
   */
  record Inputs(
      JobSpec spec,
      GroupKeys.Index index,
      Map<GroupKey, PooledPosterior> drawn,
      Map<GroupKey, List<SegmentEstimate>> raw,
      Map<VariantKey, String> memos) {

    static Inputs of(
        JobSpec spec,
        PoolingStage.Result s2,
        DecisionAssembly.Tables tables,
        Map<VariantKey, String> memos) {
      return new Inputs(
          spec,
          GroupKeys.Index.of(s2.pooling(), tables),
          GroupKeys.unique(
              s2.draws(), p -> new GroupKey(p.experimentId(), p.metric(), p.variant())),
          GroupKeys.group(
              tables.estimates(), e -> new GroupKey(e.experimentId(), e.metric(), e.variant())),
          memos);
    }

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
      List<String> svgs = chart ? ReportCharts.charts(in, d, "c" + c++) : new ArrayList<>();
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
}
