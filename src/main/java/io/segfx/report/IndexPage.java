package io.segfx.report;

import static io.segfx.report.Html.escape;

import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.RunSummary;
import io.segfx.model.Verdict;
import io.segfx.report.HtmlReport.IndexRow;
import io.segfx.report.HtmlReport.MetricRow;
import io.segfx.report.HtmlReport.RunFacts;
import java.util.List;
import java.util.Locale;

/**
 * The segment job's {@code report/index.html}: run facts, the run's verdict summary, and one row
 * per (experiment, variant) led by its verdict, with the metric rows folded out below it. Rows are
 * cut into pages of a fixed size ({@code index.html}, {@code index-2.html}, ...) so that a run of
 * 100,000 experiments gives pages a browser opens at once; a filter box narrows a page's rows.
 */
final class IndexPage {
  private IndexPage() {}

  /** Columns of a verdict row; the fold-out row spans them all. */
  private static final int COLUMNS = 10;

  private static final String HEADER =
      "<table>\n"
          + "<tr><th class=\"l\">verdict</th><th class=\"l\">experiment</th><th"
          + " class=\"l\">variant</th><th class=\"l\">primary metric</th><th>relative effect"
          + " [95%]</th><th>expected profit</th><th>P(profit &gt; 0)</th><th"
          + " class=\"l\">guardrails</th><th class=\"l\">reason</th><th"
          + " class=\"l\">flags</th></tr>\n";

  private static final String METRIC_HEADER =
      "<table>\n"
          + "<tr><th class=\"l\">metric</th><th class=\"l\">recommendation</th><th>effect"
          + " mean</th><th>95% interval</th><th>relative effect [95%]</th><th>P(effect &gt; 0)</th>"
          + "<th>threshold</th><th>P(effect &gt; threshold)</th><th>expected profit</th>"
          + "<th>P(profit &gt; 0)</th><th class=\"l\">SRM</th></tr>\n";

  /**
   * Filters the verdict rows of the page (each with its fold-out row) by the text of their verdict,
   * experiment and variant cells. It reads the cells' text and sets only {@code hidden}, so no
   * input string reaches markup; the page's policy admits this script alone, by its hash.
   */
  static final String FILTER_SCRIPT =
      "(function(){var q=document.getElementById('filter'),"
          + "n=document.getElementById('filter-count'),"
          + "rows=document.querySelectorAll('tr.verdict');"
          + "function norm(s){return s.toLowerCase().replace(/_/g,' ');}"
          + "q.addEventListener('input',function(){var t=norm(q.value.trim()),k=0;"
          + "rows.forEach(function(r){var c=r.cells,f=r.nextElementSibling,"
          + "s=norm(c[0].textContent+' '+c[1].textContent+' '+c[2].textContent),"
          + "on=!t||s.indexOf(t)>=0;r.hidden=!on;"
          + "if(f&&f.classList.contains('fold')){f.hidden=!on;}if(on){k++;}});"
          + "n.textContent=t?k+' of '+rows.length+' rows on this page match':'';});})();";

  private static final String FILTER =
      "<p><label>Filter this page: <input id=\"filter\" type=\"search\" autocomplete=\"off\""
          + " placeholder=\"experiment id, variant or verdict\"></label> <span id=\"filter-count\""
          + " class=\"muted\"></span></p>\n";

  /**
   * Index page {@code page} (from 0) of a run's rows cut into pages of {@code perPage}: the run's
   * facts and verdict summary, the filter box, then the page's rows; with more than one page, a
   * line says which rows the page holds and links its neighbours.
   */
  static String render(
      RunFacts run, RunSummary summary, Labels labels, List<IndexRow> rows, int page, int perPage) {
    int pages = pages(rows.size(), perPage);
    if (page < 0 || page >= pages) {
      throw new IllegalArgumentException("index page " + page + " of " + pages);
    }
    int from = page * perPage;
    int to = Math.min(rows.size(), from + perPage);
    StringBuilder b = Html.head("segfx report", FILTER_SCRIPT);
    runFacts(b, run);
    Html.warning(b, run.warning());
    summary(b, summary);
    b.append(
        "<p>One row per experiment and variant, in the verdict table's order (experiment, then"
            + " variant); each row's metrics fold out below it. Effects are relative to the control"
            + " level; a row is flagged (&#9873;) when the sample-ratio check fails or the decision"
            + " changes with the prior or the assumed bias, and the flag says which.");
    for (IndexRow r : rows) {
      if (r.page() == null) {
        b.append(
            " Charted and flagged experiments have a page; the others are listed without a"
                + " link (their numbers are in the run's tables).");
        break;
      }
    }
    b.append("</p>\n");
    if (pages > 1) {
      navigation(b, page, pages, from, to, rows.size());
    }
    b.append(FILTER);
    b.append(HEADER);
    for (IndexRow r : rows.subList(from, to)) {
      row(b, r, labels);
    }
    b.append("</table>\n");
    if (pages > 1) {
      navigation(b, page, pages, from, to, rows.size());
    }
    b.append("<script>").append(FILTER_SCRIPT).append("</script>\n");
    return Html.tail(b);
  }

  /** The number of index pages for {@code rows} rows: at least one, which may be empty. */
  static int pages(int rows, int perPage) {
    if (perPage < 1) {
      throw new IllegalArgumentException("rows per index page must be >= 1, got " + perPage);
    }
    return Math.max(1, (rows + perPage - 1) / perPage);
  }

  /** Index page {@code page}'s file name (from 0): index.html, index-2.html, ... */
  static String file(int page) {
    return page == 0 ? "index.html" : "index-" + (page + 1) + ".html";
  }

  /** "rows 1,001&ndash;2,000 of 100,000", with links to the first, previous, next, last page. */
  private static void navigation(
      StringBuilder b, int page, int pages, int from, int to, int total) {
    b.append("<p class=\"nav\">rows ")
        .append(String.format(Locale.ROOT, "%,d", from + 1))
        .append("&ndash;")
        .append(String.format(Locale.ROOT, "%,d", to))
        .append(" of ")
        .append(String.format(Locale.ROOT, "%,d", total))
        .append(" · page ")
        .append(page + 1)
        .append(" of ")
        .append(pages);
    link(b, page > 0, 0, "&laquo; first");
    link(b, page > 0, page - 1, "&larr; previous");
    link(b, page < pages - 1, page + 1, "next &rarr;");
    link(b, page < pages - 1, pages - 1, "last &raquo;");
    b.append("</p>\n");
  }

  private static void link(StringBuilder b, boolean on, int page, String text) {
    b.append(" · ");
    if (on) {
      b.append("<a href=\"").append(file(page)).append("\">").append(text).append("</a>");
    } else {
      b.append("<span class=\"muted\">").append(text).append("</span>");
    }
  }

  private static void runFacts(StringBuilder b, RunFacts run) {
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

  /** The run's verdicts at a glance: counts, and the expected number of wrong launches. */
  private static void summary(StringBuilder b, RunSummary s) {
    long total = 0;
    for (long n : s.verdictCounts().values()) {
      total += n;
    }
    b.append("<h2>Verdicts</h2>\n<p class=\"summary\">");
    if (total == 0) {
      b.append("The run made no verdicts.</p>\n");
      return;
    }
    b.append(total).append(total == 1 ? " experiment variant: " : " experiment variants: ");
    String sep = "";
    for (Verdict v : Verdict.values()) {
      b.append(sep)
          .append("<span class=\"")
          .append(v.code())
          .append("\">")
          .append(s.count(v))
          .append(' ')
          .append(VerdictWords.name(v))
          .append("</span>");
      sep = " · ";
    }
    b.append(".</p>\n<p>Expected number of wrong launches: <b>")
        .append(DecisionMemo.fixed(s.expectedWrongLaunches(), 2))
        .append(" &plusmn; ")
        .append(DecisionMemo.fixed(s.wrongLaunchesSd(), 2))
        .append("</b> of ")
        .append(s.count(Verdict.LAUNCH))
        .append(
            " launches (the sum over launched variants of P(primary effect &le; 0); &plusmn;"
                + " one sd)");
    if (!Double.isNaN(s.expectedWrongLaunchesLearned())) {
      b.append("; under the prior learned across experiments: <b>")
          .append(DecisionMemo.fixed(s.expectedWrongLaunchesLearned(), 2))
          .append("</b>");
    }
    b.append(".</p>\n");
  }

  private static void row(StringBuilder b, IndexRow r, Labels labels) {
    ExperimentVerdict v = r.verdict();
    b.append("<tr class=\"verdict\">");
    if (v == null) {
      b.append("<td class=\"l muted\">no verdict</td>");
    } else {
      Html.recommendation(b, v.verdict().code());
    }
    b.append("<td class=\"l\">");
    if (r.page() == null) {
      b.append(escape(r.experimentId()));
    } else {
      b.append("<a href=\"")
          .append(HtmlReport.PAGES)
          .append('/')
          .append(escape(r.page()))
          .append("\">")
          .append(escape(r.experimentId()))
          .append("</a>");
    }
    b.append(r.charted() ? " <span class=\"muted\">charts</span>" : "")
        .append("</td><td class=\"l\">")
        .append(escape(r.variant()))
        .append("</td>");
    if (v == null) {
      b.append("<td></td><td></td><td></td><td></td><td></td><td></td>");
    } else {
      b.append("<td class=\"l\">").append(escape(v.primaryMetric())).append("</td>");
      Html.relative(b, v.relativeEffectMean(), v.relativeQ025(), v.relativeQ975());
      b.append("<td>").append(escape(labels.money(v.expectedProfit()))).append("</td>");
      Html.prob(b, v.probProfitPositive());
      b.append("<td class=\"l\">");
      Html.guardrails(b, v);
      b.append("</td><td class=\"l\">").append(escape(v.reason())).append("</td>");
    }
    b.append("<td class=\"l\">");
    Html.flags(b, r.flags());
    b.append("</td></tr>\n");
    metrics(b, r, labels);
  }

  /** The pair's metric rows, folded into a {@code <details>} below its verdict row. */
  private static void metrics(StringBuilder b, IndexRow r, Labels labels) {
    if (r.metrics().isEmpty()) {
      return;
    }
    b.append("<tr class=\"fold\"><td class=\"l\" colspan=\"")
        .append(COLUMNS)
        .append("\"><details><summary>")
        .append(r.metrics().size())
        .append(r.metrics().size() == 1 ? " metric" : " metrics")
        .append("</summary>\n")
        .append(METRIC_HEADER);
    for (MetricRow m : r.metrics()) {
      DecisionMetrics d = m.decision();
      b.append("<tr><td class=\"l\">").append(escape(d.metric())).append("</td>");
      Html.recommendation(b, d.recommendation());
      b.append("<td>").append(escape(labels.amount(d.effectMean(), d.metric()))).append("</td>");
      Html.interval(b, d.effectQ025(), d.effectQ975());
      Html.relative(b, d.relativeEffectMean(), d.relativeQ025(), d.relativeQ975());
      Html.prob(b, d.probPositive());
      b.append("<td>").append(escape(labels.amount(m.threshold(), d.metric()))).append("</td>");
      Html.prob(b, d.probAboveThreshold());
      b.append("<td>").append(escape(labels.money(d.expectedProfit()))).append("</td>");
      Html.prob(b, d.probProfitPositive());
      b.append("<td class=\"l\">").append(d.srmFlag() ? "mismatch" : "").append("</td></tr>\n");
    }
    b.append("</table></details></td></tr>\n");
  }
}
