package io.segfx.report;

import static io.segfx.report.Html.escape;
import static io.segfx.report.Html.interval;
import static io.segfx.report.Html.num;
import static io.segfx.report.Html.prob;

import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import io.segfx.report.HtmlReport.Section;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One experiment's page: per (metric, variant) the decision table, the pooling line, the charts,
 * and the segment, prior-sensitivity and bias tables.
 */
final class ExperimentPage {
  private ExperimentPage() {}

  private static final String DECISION_HEADER =
      "<table>\n"
          + "<tr><th class=\"l\">recommendation</th><th>effect mean</th><th>sd</th><th>95%"
          + " interval</th>"
          + "<th>P(effect &gt; 0)</th><th>P(effect &gt; threshold)</th><th>relative"
          + " effect</th><th>expected profit</th>"
          + "<th>profit 95% interval</th><th>P(profit &gt; 0)</th><th>loss if launch</th><th>loss"
          + " if wait</th>"
          + "<th>SRM p</th><th class=\"l\">posterior</th></tr>\n<tr>";

  private static final String SEGMENT_HEADER =
      "<h3>Segments</h3>\n"
          + "<table>\n"
          + "<tr><th class=\"l\">segment</th><th>control units</th><th>variant units</th>"
          + "<th class=\"l\">status</th><th>raw estimate</th><th>SE</th><th>posterior"
          + " mean</th><th>95% interval</th>"
          + "<th>P(effect &gt; 0)</th><th>weight on own estimate</th></tr>\n";

  private static final String PRIOR_HEADER =
      "<h3>Prior sensitivity</h3>\n"
          + "<table>\n"
          + "<tr><th class=\"l\">prior</th><th>mean</th><th>95% interval</th>"
          + "<th>P(effect &gt; 0)</th><th>P(profit &gt; 0)</th><th"
          + " class=\"l\">recommendation</th></tr>\n";

  private static final String BIAS_HEADER =
      "<h3>Bias scenarios (unmeasured confounding)</h3>\n"
          + "<table>\n"
          + "<tr><th class=\"l\">scenario</th><th>bias mean</th>"
          + "<th>bias sd</th><th>adjusted mean</th><th>95% interval</th><th>P(effect &gt;"
          + " 0)</th><th class=\"l\">recommendation</th></tr>\n";

  static String render(
      String experimentId, List<Section> sections, String warning, Map<String, String> memoLinks) {
    StringBuilder b = Html.head("segfx: " + experimentId);
    b.append("<p><a href=\"../index.html\">&larr; all experiments</a></p>\n");
    b.append("<h1>Experiment ").append(escape(experimentId)).append("</h1>\n");
    Html.warning(b, warning);
    for (Map.Entry<String, String> m : memoLinks.entrySet()) {
      b.append("<p>Decision memo (variant ")
          .append(escape(m.getKey()))
          .append("): <a href=\"")
          .append(escape(m.getValue()))
          .append("\">")
          .append(escape(m.getValue()))
          .append("</a></p>\n");
    }
    for (Section s : sections) {
      section(b, s);
    }
    return Html.tail(b);
  }

  private static void section(StringBuilder b, Section s) {
    DecisionMetrics d = s.decision();
    b.append("<h2>Metric ")
        .append(escape(d.metric()))
        .append(" · variant ")
        .append(escape(d.variant()))
        .append("</h2>\n");
    decisionTable(b, d);
    b.append("<p class=\"muted\">Prior: ").append(escape(d.prior())).append("</p>\n");
    pooling(b, s.pooling());
    if (!s.charts().isEmpty()) {
      Html.charts(b, s.charts());
    }
    segmentTable(b, s);
    priorTable(b, s.sensitivity());
    biasTable(b, s.bias());
  }

  private static void decisionTable(StringBuilder b, DecisionMetrics d) {
    b.append(DECISION_HEADER);
    Html.recommendation(b, d.recommendation());
    num(b, d.effectMean());
    num(b, d.effectSd());
    interval(b, d.effectQ025(), d.effectQ975());
    prob(b, d.probPositive());
    prob(b, d.probAboveThreshold());
    num(b, d.relativeEffectMean());
    num(b, d.expectedProfit());
    interval(b, d.profitQ025(), d.profitQ975());
    prob(b, d.probProfitPositive());
    num(b, d.expectedLossLaunch());
    num(b, d.expectedLossWait());
    prob(b, d.srmPValue());
    b.append("<td class=\"l\">")
        .append(d.draws() == 0 ? "closed form" : d.draws() + " draws")
        .append("</td></tr>\n</table>\n");
  }

  private static void pooling(StringBuilder b, ExperimentPooling p) {
    if (p == null) {
      return;
    }
    b.append("<p>Pooling: ")
        .append(escape(p.method().code()))
        .append(", ")
        .append(p.nSegments())
        .append(" of ")
        .append(p.nSegmentsTotal())
        .append(" segments usable; mu = ")
        .append(DecisionMemo.number(p.mu()))
        .append(" (SE ")
        .append(DecisionMemo.number(p.muSe()))
        .append("), tau = ")
        .append(DecisionMemo.number(p.tau()))
        .append(p.note().isEmpty() ? "" : ". " + escape(p.note()))
        .append(".</p>\n");
  }

  private static void segmentTable(StringBuilder b, Section s) {
    if (s.raw().isEmpty()) {
      return;
    }
    Map<String, SegmentPosterior> post = new HashMap<>();
    for (SegmentPosterior p : s.segments()) {
      post.put(p.segment(), p);
    }
    b.append(SEGMENT_HEADER);
    for (SegmentEstimate e : s.raw()) {
      b.append("<tr><td class=\"l\">")
          .append(escape(e.segment()))
          .append("</td><td>")
          .append(e.nControl())
          .append("</td><td>")
          .append(e.nTreatment())
          .append("</td><td class=\"l\">")
          .append(escape(e.status()))
          .append("</td>");
      num(b, e.estimate());
      num(b, e.stdError());
      SegmentPosterior p = post.get(e.segment());
      if (p == null) {
        b.append("<td></td><td></td><td></td><td></td>");
      } else {
        num(b, p.postMean());
        interval(b, p.q025(), p.q975());
        prob(b, p.probPositive());
        num(b, p.shrinkageWeight());
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  /** A table of one row per item, each starting with a left-aligned label; none when empty. */
  private static <T> void table(
      StringBuilder b,
      String header,
      List<T> items,
      Function<T, String> label,
      BiConsumer<StringBuilder, T> cells) {
    if (items.isEmpty()) {
      return;
    }
    b.append(header);
    for (T item : items) {
      b.append("<tr><td class=\"l\">").append(escape(label.apply(item))).append("</td>");
      cells.accept(b, item);
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static void priorTable(StringBuilder b, List<PriorSensitivity> grid) {
    table(
        b,
        PRIOR_HEADER,
        grid,
        PriorSensitivity::prior,
        (row, ps) -> {
          Html.effectCells(row, ps.result());
          prob(row, ps.result().probProfitPositive());
          Html.recommendation(row, ps.result().recommendation());
        });
  }

  private static void biasTable(StringBuilder b, List<BiasSensitivity> scenarios) {
    table(
        b,
        BIAS_HEADER,
        scenarios,
        BiasSensitivity::scenario,
        (row, bs) -> {
          num(row, bs.biasMean());
          num(row, bs.biasSd());
          Html.effectCells(row, bs.result());
          Html.recommendation(row, bs.result().recommendation());
        });
  }
}
