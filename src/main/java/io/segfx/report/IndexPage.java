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

/**
 * The segment job's {@code report/index.html}: run facts, the run's verdict summary, and one row
 * per (experiment, variant) led by its verdict, with the metric rows folded out below it.
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

  static String render(RunFacts run, RunSummary summary, Labels labels, List<IndexRow> rows) {
    StringBuilder b = Html.head("segfx report");
    runFacts(b, run);
    Html.warning(b, run.warning());
    summary(b, summary);
    b.append(
        "<p>One row per experiment and variant, in the verdict table's order (experiment, then"
            + " variant); each row's metrics fold out below it. Effects are relative to the control"
            + " level; a row is flagged (&#9873;) when the sample-ratio check fails or the decision"
            + " changes with the prior or the assumed bias, and the flag says which.");
    b.append("</p>\n");
    b.append(HEADER);
    for (IndexRow r : rows) {
      row(b, r, labels);
    }
    b.append("</table>\n");
    return Html.tail(b);
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
    b.append("<td class=\"l\"><a href=\"")
        .append(HtmlReport.PAGES)
        .append('/')
        .append(escape(r.page()))
        .append("\">")
        .append(escape(r.experimentId()))
        .append("</a>")
        .append(r.charted() ? " <span class=\"muted\">charts</span>" : "")
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
