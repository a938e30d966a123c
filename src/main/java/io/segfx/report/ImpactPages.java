package io.segfx.report;

import static io.segfx.report.Html.escape;
import static io.segfx.report.Html.num;
import static io.segfx.report.Html.prob;

import io.segfx.io.SafeText;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The causal-impact report: the index of every series, and one page per charted series. */
final class ImpactPages {
  private ImpactPages() {}

  private static final String HEADER =
      "<table>\n"
          + "<tr><th class=\"l\">series</th><th class=\"l\">status</th>"
          + "<th>average impact</th><th>95% interval</th><th>cumulative impact</th><th>relative"
          + " effect</th>"
          + "<th>P(causal effect)</th><th>placebo p</th><th class=\"l\">flags</th></tr>\n";

  static String index(
      String runId, List<ImpactSummary> rows, List<String> labels, Map<String, String> pages) {
    StringBuilder b = Html.head("segfx causal impact");
    b.append("<h1>Causal impact report</h1>\n<p class=\"muted\">run ")
        .append(escape(runId))
        .append(" · ")
        .append(rows.size())
        .append(" series · pages for the charted ones</p>\n")
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
    num(b, r.averageMean());
    Html.interval(b, r.averageQ025(), r.averageQ975());
    num(b, r.cumulativeMean());
    num(b, r.relativeEffectMean());
    prob(b, r.probCausalEffect());
    prob(b, r.placeboP());
    b.append("<td class=\"l\">")
        .append(r.residualDriftFlag() ? "residual drift" : "")
        .append("</td></tr>\n");
  }

  static String page(String seriesId, String paragraph, String[] charts) {
    String id = SafeText.clean(seriesId);
    StringBuilder b = Html.head("segfx: " + id);
    b.append("<p><a href=\"../index.html\">&larr; all series</a></p>\n<h1>Series ")
        .append(escape(id))
        .append("</h1>\n<p>")
        .append(escape(SafeText.clean(paragraph)))
        .append("</p>\n");
    Html.charts(b, Arrays.asList(charts));
    return Html.tail(b);
  }
}
