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
import io.segfx.report.ImpactSummary;
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
 * windows ordered by probability of a causal effect, and a page with the two-panel chart for the
 * charted ones (the first {@code top} analysed windows in that order).
 */
final class ImpactReport {
  private final RunOutput out;
  private final List<Row> summaries;
  private final Map<String, Integer> windowsOf = new HashMap<>();
  private final List<String> labels = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> names;

  private ImpactReport(RunOutput out, List<Row> summaries) {
    this.out = out;
    this.summaries = summaries;
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
   * @return the number of charted windows
   */
  static int write(
      RunOutput out,
      String runId,
      List<Row> summaries,
      JavaRDD<Tuple2<Row, List<Row>>> analysed,
      ReportScope scope) {
    ImpactReport report = new ImpactReport(out, summaries);
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
                  + ImpactMemo.paragraph(ImpactSummary.of(summaries.get(i)::getAs))
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
      String[] svg = chart("s" + c++, points.get(key(summary)), summary.getAs(INTERVENTION_TIME));
      String page = names.get(index.get(l)) + ".html";
      pageOf.put(l, page);
      out.writeText(
          HtmlReport.FOLDER + "/" + HtmlReport.PAGES + "/" + page,
          HtmlReport.impactPage(l, ImpactMemo.paragraph(ImpactSummary.of(summary::getAs)), svg));
    }
    return pageOf;
  }

  /** A summary row's (series, window) key, whether the row carries its schema or not. */
  private static String key(Row r) {
    return ImpactTables.summary(r, SERIES_ID) + "\u0000" + ImpactTables.summary(r, WINDOW);
  }

  /** The two-panel chart of one window's pointwise rows. */
  private static String[] chart(String id, List<Row> points, double intervention) {
    int n = points.size();
    double[][] a = new double[2 + ImpactTables.CHART_BANDS.size()][n];
    for (int i = 0; i < n; i++) {
      Row r = points.get(i);
      a[0][i] = ImpactTables.point(r, ImpactTables.TIME);
      a[1][i] = ImpactTables.point(r, ImpactTables.OBSERVED);
      for (int k = 0; k < ImpactTables.CHART_BANDS.size(); k++) {
        a[2 + k][i] = ImpactTables.point(r, ImpactTables.CHART_BANDS.get(k));
      }
    }
    return Charts.impactPanels(id, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], intervention);
  }
}
