package io.segfx.job;

import static io.segfx.job.ImpactTables.INTERVENTION_TIME;
import static io.segfx.job.ImpactTables.PROB_CAUSAL_EFFECT;
import static io.segfx.job.ImpactTables.SERIES_ID;
import static io.segfx.job.ImpactTables.STATUS;
import static io.segfx.job.ImpactTables.WINDOW;

import io.segfx.config.ReportScope;
import io.segfx.io.RunOutput;
import io.segfx.io.SafeText;
import io.segfx.model.Status;
import io.segfx.report.Charts;
import io.segfx.report.DecisionMemo;
import io.segfx.report.HtmlReport;
import io.segfx.report.ImpactMemo;
import io.segfx.report.ImpactPoint;
import io.segfx.report.ImpactSummary;
import io.segfx.report.ImpactTable;
import io.segfx.report.ImpactTime;
import io.segfx.spark.TimeValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Memos for every series window, and the HTML report of {@code causal-impact}: an index of all
 * windows ordered by probability of a causal effect, and a page for the charted ones (the first
 * {@code top} analysed windows in that order) with CausalImpact's three panels, its summary table
 * and our paragraph. Dates in the time column are shown as dates ({@link ImpactTime}).
 */
final class ImpactReport {
  private final RunOutput out;
  private final List<Row> summaries;
  private final Map<String, Integer> windowsOf = new HashMap<>();
  private final List<String> labels = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> names;
  private final ImpactTime time;

  /** Each window's observed post-period sum, CausalImpact's "Actual", by {@link #key}. */
  private final Map<String, Double> actual;

  private ImpactReport(
      RunOutput out, List<Row> summaries, ImpactTime time, Map<String, Double> actual) {
    this.out = out;
    this.summaries = summaries;
    this.time = time;
    this.actual = actual;
    for (Row r : summaries) {
      windowsOf.merge(r.getAs(SERIES_ID), 1, Integer::sum);
    }
    for (Row r : summaries) {
      index.put(label(r), labels.size());
      labels.add(label(r));
    }
    names = DecisionMemo.safeNames(labels);
  }

  /**
   * Writes the memos and the report.
   *
   * @param summaries the summaries, with the schema
   * @param analysed each window's summary (schema-less) and pointwise rows
   * @param timeKind whether the time column held numbers or dates (null: no row had a time)
   * @return the number of charted windows
   */
  static int write(
      RunOutput out,
      String runId,
      List<Row> summaries,
      JavaRDD<Tuple2<Row, List<Row>>> analysed,
      ReportScope scope,
      TimeValues.Kind timeKind) {
    ImpactTime time = timeKind == TimeValues.Kind.CALENDAR ? ImpactTime.DATES : ImpactTime.NUMBERS;
    // One number per window leaves the executors: the observed sum over its post-period points.
    Map<String, Double> actual =
        new HashMap<>(
            analysed
                .mapToPair(t -> new Tuple2<>(ImpactReport.key(t._1()), postSum(t._2())))
                .collectAsMap());
    ImpactReport report = new ImpactReport(out, summaries, time, actual);
    report.memos();
    List<Row> ordered = new ArrayList<>(summaries);
    ordered.sort(
        Comparator.comparingDouble(ImpactReport::byEffect)
            .thenComparing((Row r) -> r.<String>getAs(SERIES_ID))
            .thenComparingInt(r -> r.<Integer>getAs(WINDOW)));
    Set<String> charted = report.charted(ordered, scope);
    Map<String, String> pageOf = report.pages(charted, analysed);
    List<String> orderedLabels = new ArrayList<>();
    List<ImpactSummary> orderedFields = new ArrayList<>();
    for (Row r : ordered) {
      orderedLabels.add(report.label(r));
      orderedFields.add(ImpactSummary.of(r::getAs));
    }
    out.writeText(
        HtmlReport.FOLDER + "/index.html",
        HtmlReport.impactIndex(runId, orderedFields, orderedLabels, pageOf));
    return charted.size();
  }

  /** Highest probability of a causal effect first; windows without one last. */
  private static double byEffect(Row r) {
    double p = r.getAs(PROB_CAUSAL_EFFECT);
    return Double.isNaN(p) ? 1.0 : -p;
  }

  /** One label per (series, window): the series id, with the window when a series has several. */
  private String label(Row r) {
    String series = r.getAs(SERIES_ID);
    return windowsOf.get(series) > 1 ? series + " (window " + r.getAs(WINDOW) + ")" : series;
  }

  private void memos() {
    for (int i = 0; i < labels.size(); i++) {
      out.writeText(
          "memos/" + names.get(i) + ".md",
          SafeText.cleanDocument(
              "# Causal impact: "
                  + SafeText.clean(labels.get(i))
                  + "\n\n"
                  + ImpactMemo.paragraph(table(summaries.get(i)), time)
                  + "\n"));
    }
  }

  /** The labels of the windows to chart: the first {@code top} analysed ones in order. */
  private Set<String> charted(List<Row> ordered, ReportScope scope) {
    Set<String> charted = new LinkedHashSet<>();
    if (!scope.charts()) {
      return charted;
    }
    for (Row r : ordered) {
      if (charted.size() >= scope.top()) {
        break;
      }
      if (Status.ofCode(r.getAs(STATUS)) == Status.OK) {
        charted.add(label(r));
      }
    }
    return charted;
  }

  /** Writes a page per charted window; returns each one's page name by label. */
  private Map<String, String> pages(Set<String> charted, JavaRDD<Tuple2<Row, List<Row>>> analysed) {
    Map<String, String> pageOf = new LinkedHashMap<>();
    if (charted.isEmpty()) {
      return pageOf;
    }
    Set<String> wanted = new HashSet<>();
    for (String l : charted) {
      wanted.add(key(summaries.get(index.get(l))));
    }
    Map<String, List<Row>> points = new HashMap<>();
    List<Tuple2<Row, List<Row>>> kept =
        analysed.filter(t -> wanted.contains(ImpactReport.key(t._1()))).collect();
    for (Tuple2<Row, List<Row>> t : kept) {
      points.put(key(t._1()), t._2());
    }
    int c = 0;
    for (String l : charted) {
      Row summary = summaries.get(index.get(l));
      List<ImpactPoint> drawn = new ArrayList<>();
      for (Row r : points.get(key(summary))) {
        drawn.add(ImpactPoint.of(name -> ImpactTables.point(r, name)));
      }
      String svg = Charts.impactPanels("s" + c++, drawn, summary.getAs(INTERVENTION_TIME), time);
      String page = names.get(index.get(l)) + ".html";
      pageOf.put(l, page);
      ImpactTable table = table(summary);
      out.writeText(
          HtmlReport.FOLDER + "/" + HtmlReport.PAGES + "/" + page,
          HtmlReport.impactPage(l, table, time, ImpactMemo.paragraph(table, time), svg));
    }
    return pageOf;
  }

  /** A summary row's (series, window) key, whether the row carries its schema or not. */
  private static String key(Row r) {
    return ImpactTables.summary(r, SERIES_ID) + "\u0000" + ImpactTables.summary(r, WINDOW);
  }

  /** A summary row (with its schema) and its window's observed post-period sum. */
  private ImpactTable table(Row summary) {
    return new ImpactTable(
        ImpactSummary.of(summary::getAs), actual.getOrDefault(key(summary), Double.NaN));
  }

  /** The observed sum over a window's post-period points, in time order. */
  private static double postSum(List<Row> points) {
    double sum = 0;
    for (Row r : points) {
      if (ImpactTables.<Boolean>point(r, ImpactTables.POST)) {
        sum += ImpactTables.<Double>point(r, ImpactTables.OBSERVED);
      }
    }
    return sum;
  }
}
