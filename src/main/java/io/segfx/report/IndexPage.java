package io.segfx.report;

import static io.segfx.report.Html.escape;

import io.segfx.model.DecisionMetrics;
import io.segfx.report.HtmlReport.IndexRow;
import io.segfx.report.HtmlReport.RunSummary;
import java.util.List;

/** The segment job's {@code report/index.html}: run facts and one row per decision. */
final class IndexPage {
  private IndexPage() {}

  private static final String HEADER =
      "<table>\n"
          + "<tr><th class=\"l\">experiment</th><th class=\"l\">metric</th><th"
          + " class=\"l\">variant</th>"
          + "<th class=\"l\">recommendation</th><th>effect mean</th><th>95%"
          + " interval</th><th>P(effect &gt; 0)</th>"
          + "<th>P(effect &gt; threshold)</th><th>expected profit</th><th>P(profit &gt; 0)</th><th"
          + " class=\"l\">flags</th><th class=\"l\">charts</th></tr>\n";

  static String render(RunSummary run, List<IndexRow> rows) {
    StringBuilder b = Html.head("segfx report");
    runFacts(b, run);
    Html.warning(b, run.warning());
    b.append("<p>Ordered by expected profit of launching (highest first). ")
        .append(
            "Flagged rows (&#9873;) failed the sample-ratio check or change decision with the prior"
                + " or the assumed bias.</p>\n");
    b.append(HEADER);
    for (IndexRow r : rows) {
      row(b, r);
    }
    b.append("</table>\n");
    return Html.tail(b);
  }

  private static void runFacts(StringBuilder b, RunSummary run) {
    b.append("<h1>segfx run report</h1>\n<p class=\"muted\">run ")
        .append(escape(run.runId()))
        .append(" · ")
        .append(run.rowsRead())
        .append(" rows read, ")
        .append(run.rowsUsed())
        .append(" used, ")
        .append(run.rowsRejected())
        .append(" quarantined · pooling ")
        .append(escape(run.pooling().code()))
        .append(" · design ")
        .append(escape(run.design().code()))
        .append(" · charts: ")
        .append(escape(run.reportScope()))
        .append(" (")
        .append(run.charted())
        .append(" experiments charted)</p>\n");
  }

  private static void row(StringBuilder b, IndexRow r) {
    DecisionMetrics d = r.decision();
    b.append("<tr><td class=\"l\"><a href=\"")
        .append(HtmlReport.PAGES)
        .append('/')
        .append(escape(r.page()))
        .append("\">")
        .append(escape(d.experimentId()))
        .append("</a>")
        .append("</td><td class=\"l\">")
        .append(escape(d.metric()))
        .append("</td><td class=\"l\">")
        .append(escape(d.variant()))
        .append("</td>");
    Html.recommendation(b, d.recommendation());
    Html.num(b, d.effectMean());
    Html.interval(b, d.effectQ025(), d.effectQ975());
    Html.prob(b, d.probPositive());
    Html.prob(b, d.probAboveThreshold());
    Html.num(b, d.expectedProfit());
    Html.prob(b, d.probProfitPositive());
    b.append("<td class=\"l\">")
        .append(r.flagged() ? "&#9873;" : "")
        .append(d.srmFlag() ? " SRM" : "")
        .append("</td><td class=\"l\">")
        .append(r.charted() ? "yes" : "")
        .append("</td></tr>\n");
  }
}
