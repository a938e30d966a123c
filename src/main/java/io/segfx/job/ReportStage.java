package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.io.RunOutput;
import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.GroupKey;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.RunSummary;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.VariantKey;
import io.segfx.report.DecisionMemo;
import io.segfx.report.HtmlReport;
import io.segfx.report.Labels;
import io.segfx.report.VerdictWords;
import io.segfx.stats.PooledPosterior;
import io.segfx.stats.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Writes the HTML report ({@code report/index.html}, {@code index-2.html}, ... and {@code
 * report/experiments/*.html}) from the run's final tables. The index lists every (experiment,
 * variant), {@link HtmlReport#INDEX_ROWS} rows a page; pages are written for the experiments {@code
 * --report} charts and every flagged one (every experiment under {@code all}; under {@code none}
 * the flagged ones, without charts), so a run of 100,000 experiments stays quick to write and to
 * open.
 *
 * <p>Histograms of drawn posteriors are redrawn on the driver ({@link ReportCharts}) from the same
 * per-experiment stream as stage 3 ({@link Seeds#of}), so they show exactly the draws the tables
 * summarise; only charted experiments are redrawn.
 */
final class ReportStage {
  private ReportStage() {}

  /** What was written: experiment pages, charted experiments, charts, index pages. */
  record Result(int pages, int charted, int charts, int indexPages) {}

  /** Index order: highest expected profit first, undefined profits last, then table order. */
  static final Comparator<DecisionMetrics> BY_PROFIT =
      Comparator.<DecisionMetrics>comparingDouble(
              d ->
                  Double.isNaN(d.expectedProfit()) ? Double.POSITIVE_INFINITY : -d.expectedProfit())
          .thenComparing(DecisionMetrics.ORDER);

  /**
   * Which experiments the report charts and which have a page, and why each (experiment, variant)
   * is flagged. Memos follow it: {@code --memos top} writes a file for each experiment with a page.
   *
   * @param charted the {@code --report} top by expected profit and every flagged experiment; none
   *     under {@code --report none}
   * @param paged the experiments with a page: charted and flagged ones, or all under {@code
   *     --report all}
   * @param flags the flagged pairs with their reasons in words
   */
  record Selection(Set<String> charted, Set<String> paged, Map<VariantKey, List<String>> flags) {
    static Selection of(JobSpec spec, DecisionAssembly.Tables tables) {
      Map<VariantKey, List<String>> flags = ReportStage.flags(tables);
      Set<String> flagged = new HashSet<>();
      for (VariantKey k : flags.keySet()) {
        flagged.add(k.experiment());
      }
      List<DecisionMetrics> byProfit = new ArrayList<>(tables.decisions());
      byProfit.sort(BY_PROFIT);
      Set<String> charted = ReportStage.charted(spec, byProfit, flagged);
      Set<String> paged = new HashSet<>(charted);
      paged.addAll(flagged);
      if (spec.report().charts() && spec.report().top() == Integer.MAX_VALUE) {
        for (DecisionMetrics d : tables.decisions()) {
          paged.add(d.experimentId());
        }
        for (ExperimentVerdict v : tables.verdicts()) {
          paged.add(v.experimentId());
        }
      }
      return new Selection(charted, paged, flags);
    }

    boolean paged(String experiment) {
      return paged.contains(experiment);
    }
  }

  static Result write(
      RunOutput out,
      JobSpec spec,
      PoolingStage.Result s2,
      DecisionAssembly.Tables tables,
      MemoStage.Result memos,
      RunSummary summary,
      String runId,
      long rowsUsed,
      long rowsRejected) {
    int indexRows = HtmlReport.INDEX_ROWS;
    Inputs in = Inputs.of(spec, s2, tables, memos.files());
    Selection selection = memos.selection();
    Map<VariantKey, List<String>> flags = selection.flags();
    Set<String> charted = selection.charted();

    Map<String, List<DecisionMetrics>> byExperiment = new TreeMap<>();
    for (DecisionMetrics d : tables.decisions()) {
      byExperiment.computeIfAbsent(d.experimentId(), k -> new ArrayList<>()).add(d);
    }
    Map<VariantKey, ExperimentVerdict> verdicts =
        GroupKeys.unique(tables.verdicts(), ExperimentVerdict::key);
    for (ExperimentVerdict v : tables.verdicts()) {
      byExperiment.computeIfAbsent(v.experimentId(), k -> new ArrayList<>());
    }
    // Names over every experiment, so a page's name is the same whichever pages are written.
    Map<String, String> pageOf = pageNames(byExperiment.keySet());
    Labels labels = MemoStage.labels(spec);
    List<HtmlReport.IndexRow> index =
        indexRows(spec, tables, verdicts, pageOf, selection.paged(), charted, flags);
    // Each experiment page links back to the index page holding its first row.
    Map<String, String> indexOf = new HashMap<>();
    for (int r = 0; r < index.size(); r++) {
      indexOf.putIfAbsent(index.get(r).experimentId(), HtmlReport.indexFile(r / indexRows));
    }

    // Each experiment's variants with a verdict, found once rather than by a scan of every verdict
    // per page (quadratic in the experiments of a wide run).
    Map<String, List<String>> verdictVariants = new HashMap<>();
    for (VariantKey k : verdicts.keySet()) {
      verdictVariants.computeIfAbsent(k.experiment(), e -> new ArrayList<>()).add(k.variant());
    }

    // Pages are independent files with ids local to the page: rendered in parallel, each the same
    // whatever the order.
    List<Map.Entry<String, List<DecisionMetrics>>> pages = new ArrayList<>();
    for (Map.Entry<String, List<DecisionMetrics>> e : byExperiment.entrySet()) {
      if (selection.paged(e.getKey())) {
        pages.add(e);
      }
    }
    int charts =
        IntStream.range(0, pages.size())
            .parallel()
            .map(
                p -> {
                  String experiment = pages.get(p).getKey();
                  List<DecisionMetrics> decisions = pages.get(p).getValue();
                  return page(
                      out,
                      in,
                      experiment,
                      decisions,
                      banners(
                          spec,
                          labels,
                          experiment,
                          decisions,
                          verdictVariants.getOrDefault(experiment, List.of()),
                          verdicts,
                          flags),
                      charted.contains(experiment),
                      pageOf.get(experiment),
                      indexOf.getOrDefault(experiment, HtmlReport.indexFile(0)));
                })
            .sum();

    HtmlReport.RunFacts run =
        new HtmlReport.RunFacts(
            runId,
            rowsUsed + rowsRejected,
            rowsUsed,
            rowsRejected,
            spec.pooling(),
            spec.design(),
            spec.confoundingWarning(),
            spec.report().toString(),
            charted.size());
    int indexPages = HtmlReport.indexPages(index.size(), indexRows);
    IntStream.range(0, indexPages)
        .parallel()
        .forEach(
            p ->
                out.writeText(
                    HtmlReport.FOLDER + "/" + HtmlReport.indexFile(p),
                    HtmlReport.index(run, summary, labels, index, p, indexRows)));
    return new Result(pages.size(), charted.size(), charts, indexPages);
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

  /**
   * The index's rows: one per (experiment, variant) with a verdict or a decision row, in the
   * verdict table's order (experiment, then variant), each with its decision rows in table order;
   * rows of experiments without a page have no page name.
   */
  static List<HtmlReport.IndexRow> indexRows(
      JobSpec spec,
      DecisionAssembly.Tables tables,
      Map<VariantKey, ExperimentVerdict> verdicts,
      Map<String, String> pageOf,
      Set<String> paged,
      Set<String> charted,
      Map<VariantKey, List<String>> flags) {
    Map<VariantKey, List<HtmlReport.MetricRow>> metrics = new TreeMap<>();
    for (VariantKey k : verdicts.keySet()) {
      metrics.put(k, new ArrayList<>());
    }
    for (DecisionMetrics d : tables.decisions()) {
      metrics
          .computeIfAbsent(d.key().variantKey(), k -> new ArrayList<>())
          .add(new HtmlReport.MetricRow(d, spec.threshold(d.metric())));
    }
    List<HtmlReport.IndexRow> rows = new ArrayList<>();
    for (Map.Entry<VariantKey, List<HtmlReport.MetricRow>> e : metrics.entrySet()) {
      VariantKey k = e.getKey();
      rows.add(
          new HtmlReport.IndexRow(
              k.experiment(),
              k.variant(),
              verdicts.get(k),
              e.getValue(),
              paged.contains(k.experiment()) ? pageOf.get(k.experiment()) : null,
              charted.contains(k.experiment()),
              flags.getOrDefault(k, List.of())));
    }
    return rows;
  }

  /** An experiment's verdict banners, one per variant in variant order. */
  private static List<HtmlReport.Banner> banners(
      JobSpec spec,
      Labels labels,
      String experiment,
      List<DecisionMetrics> decisions,
      List<String> verdictVariants,
      Map<VariantKey, ExperimentVerdict> verdicts,
      Map<VariantKey, List<String>> flags) {
    Set<String> variants = new TreeSet<>(verdictVariants);
    boolean srm = false;
    for (DecisionMetrics d : decisions) {
      variants.add(d.variant());
      srm |= d.srmFlag();
    }
    VerdictWords.Context context =
        new VerdictWords.Context(
            labels, spec.launchProbability(), spec.guardrailProb(), srm, spec.confoundingWarning());
    List<HtmlReport.Banner> out = new ArrayList<>();
    for (String v : variants) {
      VariantKey k = new VariantKey(experiment, v);
      out.add(new HtmlReport.Banner(v, verdicts.get(k), context, flags.getOrDefault(k, List.of())));
    }
    return out;
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
      List<HtmlReport.Banner> banners,
      boolean chart,
      String pageName,
      String indexPage) {
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
              memo,
              in.spec().threshold(d.metric()),
              in.spec().relativeThreshold()));
    }
    for (HtmlReport.Banner b : banners) {
      String memo = in.memos().get(new VariantKey(experiment, b.variant()));
      if (memo != null) {
        memoLinks.put(b.variant(), "../../" + memo);
      }
    }
    out.writeText(
        HtmlReport.FOLDER + "/" + HtmlReport.PAGES + "/" + pageName,
        HtmlReport.experiment(
            new HtmlReport.Page(
                experiment,
                banners,
                sections,
                in.spec().confoundingWarning(),
                memoLinks,
                MemoStage.labels(in.spec()),
                indexPage)));
    return drawnCharts;
  }

  /**
   * Each (experiment, variant) flagged for a reader's attention whatever its profit, with the
   * reasons in words: a sample-ratio mismatch, or a decision that changes across the prior grid or
   * the bias scenarios, naming the prior or scenario and the decisions it swaps. Reasons are in
   * table order, each once.
   */
  static Map<VariantKey, List<String>> flags(DecisionAssembly.Tables tables) {
    Map<VariantKey, Set<String>> out = new TreeMap<>();
    Map<GroupKey, String> baseline = new HashMap<>();
    for (DecisionMetrics d : tables.decisions()) {
      baseline.put(d.key(), d.recommendation());
      if (d.srmFlag()) {
        add(
            out,
            d.key(),
            "the arm sizes fail the sample-ratio check (p = "
                + DecisionMemo.probability(d.srmPValue())
                + ")");
      }
    }
    Map<GroupKey, List<PriorSensitivity>> grid = new LinkedHashMap<>();
    for (PriorSensitivity p : tables.sensitivity()) {
      if (p.decisionChanges()) {
        grid.computeIfAbsent(
                new GroupKey(p.experimentId(), p.metric(), p.variant()), k -> new ArrayList<>())
            .add(p);
      }
    }
    for (Map.Entry<GroupKey, List<PriorSensitivity>> e : grid.entrySet()) {
      List<String[]> named = new ArrayList<>();
      for (PriorSensitivity p : e.getValue()) {
        named.add(new String[] {"the " + p.prior() + " prior", p.result().recommendation()});
      }
      swaps(out, e.getKey(), baseline.get(e.getKey()), named, "the prior grid");
    }
    Map<GroupKey, List<BiasSensitivity>> bias = new LinkedHashMap<>();
    for (BiasSensitivity b : tables.bias()) {
      bias.computeIfAbsent(
              new GroupKey(b.experimentId(), b.metric(), b.variant()), k -> new ArrayList<>())
          .add(b);
    }
    for (Map.Entry<GroupKey, List<BiasSensitivity>> e : bias.entrySet()) {
      Set<String> recs = new HashSet<>();
      List<String[]> named = new ArrayList<>();
      for (BiasSensitivity b : e.getValue()) {
        recs.add(b.result().recommendation());
        named.add(new String[] {"the bias scenario " + b.scenario(), b.result().recommendation()});
      }
      if (recs.size() > 1) {
        swaps(out, e.getKey(), baseline.get(e.getKey()), named, "the bias scenarios");
      }
    }
    Map<VariantKey, List<String>> lists = new TreeMap<>();
    for (Map.Entry<VariantKey, Set<String>> e : out.entrySet()) {
      lists.put(e.getKey(), List.copyOf(e.getValue()));
    }
    return lists;
  }

  /** The decisions a decision rule can reach on its own; others (SRM, no data) are no baseline. */
  private static final Set<String> DECIDED = Set.of("launch", "do_not_launch", "collect_more_data");

  /**
   * Flags a group whose decision changes: "on m, the skeptical prior turns launch into collect more
   * data" for each alternative that differs from the group's own decision, or, when the group's
   * decision is no baseline or none differs from it, which alternative gives what.
   *
   * @param named each alternative's name and its recommendation, in table order
   */
  private static void swaps(
      Map<VariantKey, Set<String>> out,
      GroupKey k,
      String baseline,
      List<String[]> named,
      String what) {
    String on = "on " + k.metric() + ", ";
    boolean any = false;
    if (baseline != null && DECIDED.contains(baseline)) {
      for (String[] n : named) {
        if (!n[1].equals(baseline)) {
          any = true;
          add(
              out,
              k,
              on
                  + n[0]
                  + " turns "
                  + VerdictWords.name(baseline)
                  + " into "
                  + VerdictWords.name(n[1]));
        }
      }
    }
    if (!any) {
      StringBuilder b = new StringBuilder(on).append(what).append(" disagrees: ");
      for (int i = 0; i < named.size(); i++) {
        b.append(i == 0 ? "" : ", ")
            .append(named.get(i)[0])
            .append(" gives ")
            .append(VerdictWords.name(named.get(i)[1]));
      }
      add(out, k, b.toString());
    }
  }

  private static void add(Map<VariantKey, Set<String>> out, GroupKey k, String reason) {
    out.computeIfAbsent(k.variantKey(), x -> new LinkedHashSet<>()).add(reason);
  }
}
