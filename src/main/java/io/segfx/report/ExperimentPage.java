package io.segfx.report;

import static io.segfx.report.Html.escape;
import static io.segfx.report.Html.interval;
import static io.segfx.report.Html.num;
import static io.segfx.report.Html.prob;

import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import io.segfx.report.HtmlReport.Banner;
import io.segfx.report.HtmlReport.Section;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One experiment's page: a verdict banner per variant, then per (metric, variant) the decision
 * table, the pooling line, the charts, and the segment, prior-sensitivity and bias tables.
 */
final class ExperimentPage {
  private ExperimentPage() {}

  private static final String SEGMENT_HEADER =
      "<h3>Segments</h3>\n"
          + "<table>\n"
          + "<tr><th class=\"l\">segment</th><th>control units</th><th>variant units</th>"
          + "<th>control mean{unit}</th><th>variant mean{unit}</th>"
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

  static String render(HtmlReport.Page page) {
    String experimentId = page.experimentId();
    StringBuilder b = Html.head("segfx: " + experimentId);
    b.append("<p><a href=\"../")
        .append(escape(page.index()))
        .append("\">&larr; all experiments</a></p>\n");
    b.append("<h1>Experiment ").append(escape(experimentId)).append("</h1>\n");
    for (Banner banner : page.banners()) {
      banner(b, banner);
    }
    Html.warning(b, page.warning());
    for (Map.Entry<String, String> m : page.memoLinks().entrySet()) {
      b.append("<p>Decision memo (variant ")
          .append(escape(m.getKey()))
          .append("): <a href=\"")
          .append(escape(m.getValue()))
          .append("\">")
          .append(escape(m.getValue()))
          .append("</a></p>\n");
    }
    for (Section s : page.sections()) {
      section(b, s, page.labels());
    }
    return Html.tail(b);
  }

  /**
   * A variant's verdict banner: the verdict and the table's reason, the primary effect and the
   * profit with their units, the guardrails, what happens next, and the flags in words.
   */
  private static void banner(StringBuilder b, Banner banner) {
    ExperimentVerdict v = banner.verdict();
    if (v == null && banner.flags().isEmpty()) {
      return;
    }
    Labels l = banner.context().labels();
    b.append("<div class=\"banner")
        .append(v == null ? "" : " b-" + v.verdict().code())
        .append("\">\n<p><b>Variant ")
        .append(escape(banner.variant()))
        .append(": ");
    if (v == null) {
      b.append("no verdict.</b></p>\n");
    } else {
      b.append("<span class=\"")
          .append(v.verdict().code())
          .append("\">")
          .append(VerdictWords.name(v.verdict()))
          .append("</span>.</b> ")
          .append(escape(v.reason()))
          .append("</p>\n<p>Primary metric ")
          .append(escape(v.primaryMetric()))
          .append(": relative effect ")
          .append(VerdictWords.percent(v.relativeEffectMean()));
      if (!Double.isNaN(v.relativeQ025()) || !Double.isNaN(v.relativeQ975())) {
        b.append(' ').append(VerdictWords.percentInterval(v.relativeQ025(), v.relativeQ975()));
      }
      b.append(", effect ")
          .append(escape(l.amount(v.effectMean(), v.primaryMetric())))
          .append(" per unit ")
          .append(DecisionMemo.interval(v.effectQ025(), v.effectQ975()))
          .append(". Expected profit ")
          .append(escape(l.money(v.expectedProfit())))
          .append(' ')
          .append(escape(l.money(v.profitQ025(), v.profitQ975())))
          .append(", chance of profit ")
          .append(VerdictWords.chance(v.probProfitPositive()))
          .append(". Guardrails: ");
      Html.guardrails(b, v);
      b.append(".</p>\n<p><b>Why:</b> ")
          .append(escape(VerdictWords.why(v, banner.context())))
          .append("</p>\n<p><b>Next:</b> ")
          .append(escape(VerdictWords.next(v)))
          .append("</p>\n");
    }
    if (!banner.flags().isEmpty()) {
      b.append("<p>");
      Html.flags(b, banner.flags());
      b.append("</p>\n");
    }
    b.append("</div>\n");
  }

  private static void section(StringBuilder b, Section s, Labels l) {
    DecisionMetrics d = s.decision();
    b.append("<h2>Metric ")
        .append(escape(d.metric()))
        .append(" · variant ")
        .append(escape(d.variant()))
        .append("</h2>\n");
    decisionTable(b, s, l);
    b.append("<p class=\"muted\">Prior: ").append(escape(d.prior())).append("</p>\n");
    pooling(b, s.pooling());
    if (!s.charts().isEmpty()) {
      Html.charts(b, s.charts());
    }
    segmentTable(b, s, l);
    priorTable(b, s.sensitivity());
    biasTable(b, s.bias());
  }

  /**
   * The metric's decision: arm means, the effect with its unit, the relative effect in % with its
   * interval, the probabilities over the thresholds (their values in the headers), and the profit.
   */
  private static void decisionTable(StringBuilder b, Section s, Labels l) {
    DecisionMetrics d = s.decision();
    String unit = unitSuffix(l, d.metric());
    b.append("<table>\n<tr><th class=\"l\">recommendation</th><th>control mean")
        .append(unit)
        .append("</th><th>variant mean")
        .append(unit)
        .append("</th><th>effect mean")
        .append(unit)
        .append("</th><th>sd</th><th>95% interval</th><th>relative effect [95%]</th>")
        .append("<th>P(effect &gt; 0)</th><th>P(effect &gt; ")
        .append(escape(l.amount(s.threshold(), d.metric())))
        .append(")</th><th>P(relative effect &gt; ")
        .append(VerdictWords.percent(s.relativeThreshold()))
        .append(")</th><th>expected profit")
        .append(l.currency() == null ? "" : " (" + escape(l.currency()) + ")")
        .append("</th><th>profit 95% interval</th><th>P(profit &gt; 0)</th><th>loss if launch</th>")
        .append("<th>loss if wait</th><th>SRM p</th><th class=\"l\">posterior</th></tr>\n<tr>");
    Html.recommendation(b, d.recommendation());
    boolean posterior = Double.isFinite(d.controlMean());
    num(b, posterior ? d.controlMean() : observedMean(s.raw(), true));
    num(b, posterior ? d.controlMean() + d.effectMean() : observedMean(s.raw(), false));
    num(b, d.effectMean());
    num(b, d.effectSd());
    interval(b, d.effectQ025(), d.effectQ975());
    Html.relative(b, d.relativeEffectMean(), d.relativeQ025(), d.relativeQ975());
    prob(b, d.probPositive());
    prob(b, d.probAboveThreshold());
    prob(b, d.probRelativeAboveThreshold());
    num(b, d.expectedProfit());
    interval(b, d.profitQ025(), d.profitQ975());
    prob(b, d.probProfitPositive());
    num(b, d.expectedLossLaunch());
    num(b, d.expectedLossWait());
    prob(b, d.srmPValue());
    b.append("<td class=\"l\">")
        .append(d.draws() == 0 ? "closed form" : d.draws() + " draws")
        .append("</td></tr>\n</table>\n");
    b.append(
        posterior
            ? "<p class=\"muted\">Control mean: the posterior mean of the control level; variant"
                + " mean: that plus the effect's posterior mean.</p>\n"
            : "<p class=\"muted\">Arm means are observed, over the usable segments weighted by"
                + " each arm's units (the run has no posterior control level).</p>\n");
  }

  /** " (unit)" for a header, or nothing. */
  private static String unitSuffix(Labels l, String metric) {
    String u = l.unit(metric);
    return u == null ? "" : " (" + escape(u) + ")";
  }

  /**
   * An arm's observed mean over the segments with a finite one, weighted by the arm's units: the
   * mean over all those units. NaN without any (estimates input carries no arm means).
   */
  static double observedMean(List<SegmentEstimate> raw, boolean control) {
    double sum = 0;
    long n = 0;
    for (SegmentEstimate e : raw) {
      double mean = control ? e.meanControl() : e.meanTreatment();
      long units = control ? e.nControl() : e.nTreatment();
      if (Double.isFinite(mean) && units > 0) {
        sum += mean * units;
        n += units;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
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

  private static void segmentTable(StringBuilder b, Section s, Labels l) {
    if (s.raw().isEmpty()) {
      return;
    }
    Map<String, SegmentPosterior> post = new HashMap<>();
    for (SegmentPosterior p : s.segments()) {
      post.put(p.segment(), p);
    }
    String unit = unitSuffix(l, s.decision().metric());
    b.append(SEGMENT_HEADER.replace("{unit}", unit));
    for (SegmentEstimate e : s.raw()) {
      b.append("<tr><td class=\"l\">")
          .append(escape(e.segment()))
          .append("</td><td>")
          .append(e.nControl())
          .append("</td><td>")
          .append(e.nTreatment())
          .append("</td>");
      num(b, e.meanControl());
      num(b, e.meanTreatment());
      b.append("<td class=\"l\">").append(escape(e.status())).append("</td>");
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
