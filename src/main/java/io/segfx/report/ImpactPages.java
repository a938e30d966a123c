package io.segfx.report;

import static io.segfx.report.DecisionMemo.number;
import static io.segfx.report.Html.escape;
import static io.segfx.report.Html.num;
import static io.segfx.report.Html.prob;

import io.segfx.io.SafeText;
import io.segfx.report.ImpactTable.Cell;
import io.segfx.report.ImpactTable.Column;
import java.util.List;
import java.util.Map;

/** The causal-impact report: the index of every series, and one page per charted series. */
final class ImpactPages {
  private ImpactPages() {}

  private static final String HEADER =
      "<table>\n"
          + "<tr><th class=\"l\">series</th><th class=\"l\">status</th>"
          + "<th>P(causal effect)</th><th>average effect</th><th>95% interval</th>"
          + "<th>cumulative effect</th><th>relative effect</th><th>placebo p</th>"
          + "<th class=\"l\">flags</th></tr>\n";

  static String index(
      String runId, List<ImpactSummary> rows, List<String> labels, Map<String, String> pages) {
    StringBuilder b = Html.head("segfx causal impact");
    b.append("<h1>Causal impact report</h1>\n<p class=\"muted\">run ")
        .append(escape(runId))
        .append(" · ")
        .append(rows.size())
        .append(" series, by probability of a causal effect · pages for the charted ones</p>\n")
        .append(HEADER);
    int most = 0;
    for (int i = 0; i < rows.size(); i++) {
      ImpactSummary r = rows.get(i);
      String id = labels.get(i);
      row(b, r, SafeText.clean(id), pages.get(id));
      most = Math.max(most, r.placebos());
    }
    b.append("</table>\n");
    if (most > 0) {
      b.append(
              "<p class=\"muted\">placebo p = (1 + placebo effects at least as large)/(1 +"
                  + " placebos) cannot go below ")
          .append(ImpactMemo.placeboFloor(most))
          .append(" with ")
          .append(most)
          .append(" placebos; more placebos resolve smaller values.</p>\n");
    }
    return Html.tail(b);
  }

  private static void row(StringBuilder b, ImpactSummary r, String label, String page) {
    String shown = escape(label);
    b.append("<tr><td class=\"l\">");
    if (page != null) {
      b.append("<a href=\"")
          .append(HtmlReport.PAGES)
          .append('/')
          .append(escape(page))
          .append("\">")
          .append(shown)
          .append("</a>");
    } else {
      b.append(shown);
    }
    b.append("</td><td class=\"l\">").append(escape(r.status())).append("</td>");
    prob(b, r.probCausalEffect());
    num(b, r.averageMean());
    Html.interval(b, r.averageQ025(), r.averageQ975());
    num(b, r.cumulativeMean());
    b.append("<td>").append(VerdictWords.percent(r.relativeEffectMean())).append("</td>");
    prob(b, r.placeboP());
    b.append("<td class=\"l\">");
    Html.flags(b, r.flags());
    b.append("</td></tr>\n");
  }

  /**
   * One series' page: its facts, CausalImpact's three panels, the summary table, and our paragraph.
   */
  static String page(
      String label, ImpactTable table, ImpactTime time, String paragraph, String chart) {
    String id = SafeText.clean(label);
    ImpactSummary s = table.summary();
    StringBuilder b = Html.head("segfx: " + id);
    b.append("<p><a href=\"../index.html\">&larr; all series</a></p>\n<h1>Series ")
        .append(escape(id))
        .append("</h1>\n<p class=\"muted\">intervention at ")
        .append(escape(time.format(s.interventionTime())))
        .append(" · ")
        .append(s.nPre())
        .append(" pre-period points · ")
        .append(s.nPost())
        .append(" post-period points</p>\n");
    if (!s.flags().isEmpty()) {
      b.append("<p>");
      Html.flags(b, s.flags());
      b.append("</p>\n");
    }
    Html.charts(b, List.of(chart));
    b.append("<h2>Posterior inference</h2>\n");
    summaryTable(b, table);
    b.append("<p>").append(escape(SafeText.clean(paragraph))).append("</p>\n");
    return Html.tail(b);
  }

  /** CausalImpact's summary table (see {@link ImpactTable}), row for row. */
  static void summaryTable(StringBuilder b, ImpactTable t) {
    ImpactSummary s = t.summary();
    b.append("<table class=\"impact\">\n<tr><th class=\"l\"></th><th>Average</th>")
        .append("<th>Cumulative</th></tr>\n<tr><td class=\"l\">Actual</td>");
    num(b, t.actual(Column.AVERAGE));
    num(b, t.actual(Column.CUMULATIVE));
    b.append("</tr>\n");
    cells(b, "Prediction", t.prediction(Column.AVERAGE), t.prediction(Column.CUMULATIVE), false);
    cells(b, "Absolute effect", t.absolute(Column.AVERAGE), t.absolute(Column.CUMULATIVE), false);
    cells(b, "Relative effect", t.relative(Column.AVERAGE), t.relative(Column.CUMULATIVE), true);
    b.append("<tr><td class=\"l\">Posterior tail-area probability p</td><td colspan=\"2\">")
        .append(number(s.tailAreaP()))
        .append("</td></tr>\n<tr><td class=\"l\">Posterior probability of a causal effect</td>")
        .append("<td colspan=\"2\">")
        .append(DecisionMemo.probability(s.probCausalEffect()))
        .append("</td></tr>\n</table>\n")
        .append("<p class=\"muted\">Prediction = actual &minus; effect; the relative effect is")
        .append(" the cumulative effect over the absolute cumulative prediction, shown in both")
        .append(" columns as CausalImpact does (the average's ratio is the same).</p>\n");
  }

  /** A row "name (sd)" with mean (sd) cells, and its "95% CI" row below. */
  private static void cells(StringBuilder b, String name, Cell avg, Cell cum, boolean percent) {
    b.append("<tr><td class=\"l\">").append(name).append(" (sd)</td>");
    for (Cell c : List.of(avg, cum)) {
      b.append("<td>")
          .append(percent ? VerdictWords.percent(c.value()) : number(c.value()))
          .append(" (")
          .append(percent ? sdPercent(c.sd()) : number(c.sd()))
          .append(")</td>");
    }
    b.append("</tr>\n<tr class=\"fold\"><td class=\"l\">95% CI</td>");
    for (Cell c : List.of(avg, cum)) {
      b.append("<td>")
          .append(
              percent
                  ? VerdictWords.percentInterval(c.q025(), c.q975())
                  : DecisionMemo.interval(c.q025(), c.q975()))
          .append("</td>");
    }
    b.append("</tr>\n");
  }

  /** An sd in percent, without the sign a percentage change carries. */
  private static String sdPercent(double sd) {
    String p = VerdictWords.percent(sd);
    return p.startsWith("+") ? p.substring(1) : p;
  }
}
