package io.segfx.report;

import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import java.util.List;
import java.util.Map;

/**
 * The run's HTML report: {@code report/index.html} (every experiment, ordered by expected profit)
 * and one page per experiment under {@code report/experiments/}. Pages are self-contained (inline
 * CSS and SVG, no script, no external resource) so they open straight from disk; a
 * Content-Security-Policy forbids scripts and remote loads outright, and every user-supplied string
 * goes through {@link #escape}.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** Folder of the report inside the run's output folder. */
  public static final String FOLDER = "report";

  /** Folder of the experiment pages inside {@link #FOLDER}. */
  public static final String PAGES = "experiments";

  private static final String CSP =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action"
          + " 'none'";

  private static final String STYLE =
      """
      body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#222;max-width:1400px}
      h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}h3{font-size:15px}
      table{border-collapse:collapse;font-size:13px;margin:8px 0}
      th,td{border:1px solid #ddd;padding:3px 7px;text-align:right}th{background:#f3f3f3}
      td.l,th.l{text-align:left}
      .launch{color:#1a7f37;font-weight:600}.do_not_launch{color:#b42318;font-weight:600}
      .collect_more_data{color:#9a6700;font-weight:600}.investigate_srm,.insufficient_data{color:#b42318}
      .warn{background:#fff4e5;border:1px solid #f5b971;padding:8px 12px;margin:12px 0}
      .charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{border:1px solid #eee}
      .muted{color:#666;font-size:12px}
      """;

  /** Run-level facts shown on the index page. */
  public record RunSummary(
      String runId,
      long rowsRead,
      long rowsUsed,
      long rowsRejected,
      String pooling,
      String design,
      String warning,
      String reportScope,
      int charted) {}

  /** One row of the index: a decision and the page it links to (a safe file name). */
  public record IndexRow(DecisionMetrics decision, String page, boolean charted, boolean flagged) {}

  /**
   * One (metric, variant) section of an experiment page.
   *
   * @param charts rendered {@code <svg>} elements (empty when the experiment is not charted)
   * @param memo the memo's path relative to the page
   */
  public record Section(
      DecisionMetrics decision,
      ExperimentPooling pooling,
      List<SegmentEstimate> raw,
      List<SegmentPosterior> segments,
      List<PriorSensitivity> sensitivity,
      List<BiasSensitivity> bias,
      List<String> charts,
      String memo) {}

  /**
   * Escapes text for HTML element content and quoted attribute values: {@code & < > " '} become
   * character references (OWASP's rule for these two contexts), so no user string can open a tag or
   * leave an attribute.
   */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** The index page: run facts and every decision row, ordered as given (by expected profit). */
  public static String index(RunSummary run, List<IndexRow> rows) {
    StringBuilder b = head("segfx report");
    b.append("<h1>segfx run report</h1>\n<p class=\"muted\">run ")
        .append(escape(run.runId()))
        .append(" · ")
        .append(run.rowsRead())
        .append(" rows read, ")
        .append(run.rowsUsed())
        .append(" used, ")
        .append(run.rowsRejected())
        .append(" quarantined · pooling ")
        .append(escape(run.pooling()))
        .append(" · design ")
        .append(escape(run.design()))
        .append(" · charts: ")
        .append(escape(run.reportScope()))
        .append(" (")
        .append(run.charted())
        .append(" experiments charted)</p>\n");
    if (run.warning() != null) {
      b.append("<div class=\"warn\"><b>Warning:</b> ")
          .append(escape(run.warning()))
          .append("</div>\n");
    }
    b.append("<p>Ordered by expected profit of launching (highest first). ")
        .append(
            "Flagged rows (&#9873;) failed the sample-ratio check or change decision with the prior"
                + " or the assumed bias.</p>\n");
    b.append(
            "<table>\n"
                + "<tr><th class=\"l\">experiment</th><th class=\"l\">metric</th><th"
                + " class=\"l\">variant</th>")
        .append(
            "<th class=\"l\">recommendation</th><th>effect mean</th><th>95%"
                + " interval</th><th>P(effect &gt; 0)</th>")
        .append(
            "<th>P(effect &gt; threshold)</th><th>expected profit</th><th>P(profit &gt; 0)</th><th"
                + " class=\"l\">flags</th><th class=\"l\">charts</th></tr>\n");
    for (IndexRow r : rows) {
      DecisionMetrics d = r.decision();
      b.append("<tr><td class=\"l\"><a href=\"")
          .append(PAGES)
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
      recommendation(b, d.recommendation());
      b.append("<td>")
          .append(DecisionMemo.number(d.effectMean()))
          .append("</td><td>[")
          .append(DecisionMemo.number(d.effectQ025()))
          .append(", ")
          .append(DecisionMemo.number(d.effectQ975()))
          .append("]</td><td>")
          .append(DecisionMemo.probability(d.probPositive()))
          .append("</td><td>")
          .append(DecisionMemo.probability(d.probAboveThreshold()))
          .append("</td><td>")
          .append(DecisionMemo.number(d.expectedProfit()))
          .append("</td><td>")
          .append(DecisionMemo.probability(d.probProfitPositive()))
          .append("</td><td class=\"l\">")
          .append(r.flagged() ? "&#9873;" : "")
          .append(d.srmFlag() ? " SRM" : "")
          .append("</td><td class=\"l\">")
          .append(r.charted() ? "yes" : "")
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
    return tail(b);
  }

  /** One experiment's page: a section per (variant, metric) with numbers, charts and tables. */
  public static String experiment(
      String experimentId, List<Section> sections, String warning, Map<String, String> memoLinks) {
    StringBuilder b = head("segfx: " + experimentId);
    b.append("<p><a href=\"../index.html\">&larr; all experiments</a></p>\n");
    b.append("<h1>Experiment ").append(escape(experimentId)).append("</h1>\n");
    if (warning != null) {
      b.append("<div class=\"warn\"><b>Warning:</b> ").append(escape(warning)).append("</div>\n");
    }
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
      DecisionMetrics d = s.decision();
      b.append("<h2>Metric ")
          .append(escape(d.metric()))
          .append(" · variant ")
          .append(escape(d.variant()))
          .append("</h2>\n");
      b.append(
              "<table>\n"
                  + "<tr><th class=\"l\">recommendation</th><th>effect mean</th><th>sd</th><th>95%"
                  + " interval</th>")
          .append(
              "<th>P(effect &gt; 0)</th><th>P(effect &gt; threshold)</th><th>relative"
                  + " effect</th><th>expected profit</th>")
          .append(
              "<th>profit 95% interval</th><th>P(profit &gt; 0)</th><th>loss if launch</th><th>loss"
                  + " if wait</th>")
          .append("<th>SRM p</th><th class=\"l\">posterior</th></tr>\n<tr>");
      recommendation(b, d.recommendation());
      b.append("<td>")
          .append(DecisionMemo.number(d.effectMean()))
          .append("</td><td>")
          .append(DecisionMemo.number(d.effectSd()))
          .append("</td><td>[")
          .append(DecisionMemo.number(d.effectQ025()))
          .append(", ")
          .append(DecisionMemo.number(d.effectQ975()))
          .append("]</td><td>")
          .append(DecisionMemo.probability(d.probPositive()))
          .append("</td><td>")
          .append(DecisionMemo.probability(d.probAboveThreshold()))
          .append("</td><td>")
          .append(DecisionMemo.number(d.relativeEffectMean()))
          .append("</td><td>")
          .append(DecisionMemo.number(d.expectedProfit()))
          .append("</td><td>[")
          .append(DecisionMemo.number(d.profitQ025()))
          .append(", ")
          .append(DecisionMemo.number(d.profitQ975()))
          .append("]</td><td>")
          .append(DecisionMemo.probability(d.probProfitPositive()))
          .append("</td><td>")
          .append(DecisionMemo.number(d.expectedLossLaunch()))
          .append("</td><td>")
          .append(DecisionMemo.number(d.expectedLossWait()))
          .append("</td><td>")
          .append(DecisionMemo.probability(d.srmPValue()))
          .append("</td><td class=\"l\">")
          .append(d.draws() == 0 ? "closed form" : d.draws() + " draws")
          .append("</td></tr>\n</table>\n");
      b.append("<p class=\"muted\">Prior: ").append(escape(d.prior())).append("</p>\n");
      ExperimentPooling p = s.pooling();
      if (p != null) {
        b.append("<p>Pooling: ")
            .append(escape(p.method()))
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
      if (!s.charts().isEmpty()) {
        b.append("<div class=\"charts\">\n");
        for (String svg : s.charts()) {
          b.append(svg).append('\n');
        }
        b.append("</div>\n");
      }
      segmentTable(b, s);
      if (!s.sensitivity().isEmpty()) {
        b.append(
                "<h3>Prior sensitivity</h3>\n"
                    + "<table>\n"
                    + "<tr><th class=\"l\">prior</th><th>mean</th><th>95% interval</th>")
            .append(
                "<th>P(effect &gt; 0)</th><th>P(profit &gt; 0)</th><th"
                    + " class=\"l\">recommendation</th></tr>\n");
        for (PriorSensitivity ps : s.sensitivity()) {
          DecisionMetrics r = ps.result();
          b.append("<tr><td class=\"l\">").append(escape(ps.prior())).append("</td>");
          effectCells(b, r);
          b.append("<td>").append(DecisionMemo.probability(r.probProfitPositive())).append("</td>");
          recommendation(b, r.recommendation());
          b.append("</tr>\n");
        }
        b.append("</table>\n");
      }
      if (!s.bias().isEmpty()) {
        b.append(
                "<h3>Bias scenarios (unmeasured confounding)</h3>\n"
                    + "<table>\n"
                    + "<tr><th class=\"l\">scenario</th><th>bias mean</th>")
            .append(
                "<th>bias sd</th><th>adjusted mean</th><th>95% interval</th><th>P(effect &gt;"
                    + " 0)</th><th class=\"l\">recommendation</th></tr>\n");
        for (BiasSensitivity bs : s.bias()) {
          DecisionMetrics r = bs.result();
          b.append("<tr><td class=\"l\">")
              .append(escape(bs.scenario()))
              .append("</td><td>")
              .append(DecisionMemo.number(bs.biasMean()))
              .append("</td><td>")
              .append(DecisionMemo.number(bs.biasSd()))
              .append("</td>");
          effectCells(b, r);
          recommendation(b, r.recommendation());
          b.append("</tr>\n");
        }
        b.append("</table>\n");
      }
    }
    return tail(b);
  }

  /**
   * The causal-impact report's index: every series with status and impact figures, in the order
   * given (by probability of a causal effect), linking the charted ones' pages.
   */
  /**
   * The causal-impact index: one table row per summary row.
   *
   * @param rows each summary row's value by column name (the {@code impact_summary} schema)
   */
  public static String impactIndex(
      String runId,
      List<java.util.function.Function<String, Object>> rows,
      List<String> labels,
      Map<String, String> pages) {
    StringBuilder b = head("segfx causal impact");
    b.append("<h1>Causal impact report</h1>\n<p class=\"muted\">run ")
        .append(escape(runId))
        .append(" · ")
        .append(rows.size())
        .append(
            " series · pages for the charted ones</p>\n"
                + "<table>\n"
                + "<tr><th class=\"l\">series</th><th class=\"l\">status</th>")
        .append(
            "<th>average impact</th><th>95% interval</th><th>cumulative impact</th><th>relative"
                + " effect</th>")
        .append("<th>P(causal effect)</th><th>placebo p</th><th class=\"l\">flags</th></tr>\n");
    int most = 0;
    for (int i = 0; i < rows.size(); i++) {
      ImpactMemo.Fields r = new ImpactMemo.Fields(rows.get(i));
      String id = labels.get(i);
      String page = pages.get(id);
      String shown = escape(io.segfx.io.SafeText.clean(id));
      b.append("<tr><td class=\"l\">");
      if (page != null) {
        b.append("<a href=\"")
            .append(PAGES)
            .append('/')
            .append(escape(page))
            .append("\">")
            .append(shown)
            .append("</a>");
      } else {
        b.append(shown);
      }
      b.append("</td><td class=\"l\">")
          .append(escape(r.getAs("status")))
          .append("</td><td>")
          .append(DecisionMemo.number(r.<Double>getAs("average_mean")))
          .append("</td><td>[")
          .append(DecisionMemo.number(r.<Double>getAs("average_q025")))
          .append(", ")
          .append(DecisionMemo.number(r.<Double>getAs("average_q975")))
          .append("]</td><td>")
          .append(DecisionMemo.number(r.<Double>getAs("cumulative_mean")))
          .append("</td><td>")
          .append(DecisionMemo.number(r.<Double>getAs("relative_effect_mean")))
          .append("</td><td>")
          .append(DecisionMemo.probability(r.<Double>getAs("prob_causal_effect")))
          .append("</td><td>")
          .append(DecisionMemo.probability(r.<Double>getAs("placebo_p")))
          .append("</td><td class=\"l\">")
          .append(r.<Boolean>getAs("residual_drift_flag") ? "residual drift" : "")
          .append("</td></tr>\n");
      most = Math.max(most, r.<Integer>getAs("placebos"));
    }
    b.append("</table>\n");
    if (most > 0) {
      b.append(
              "<p class=\"muted\">placebo p = (1 + placebo effects at least as large)/(1 +"
                  + " placebos) cannot go below 1/")
          .append(most + 1)
          .append(" = ")
          .append(DecisionMemo.probability(1.0 / (most + 1)))
          .append(" with ")
          .append(most)
          .append(" placebos; more placebos resolve smaller values.</p>\n");
    }
    return tail(b);
  }

  /** One series' page: its memo paragraph and the two-panel chart. */
  public static String impactPage(String seriesId, String paragraph, String[] charts) {
    seriesId = io.segfx.io.SafeText.clean(seriesId);
    StringBuilder b = head("segfx: " + seriesId);
    b.append("<p><a href=\"../index.html\">&larr; all series</a></p>\n<h1>Series ")
        .append(escape(seriesId))
        .append("</h1>\n<p>")
        .append(escape(io.segfx.io.SafeText.clean(paragraph)))
        .append("</p>\n<div class=\"charts\">\n");
    for (String c : charts) {
      b.append(c).append('\n');
    }
    b.append("</div>\n");
    return tail(b);
  }

  private static void segmentTable(StringBuilder b, Section s) {
    if (s.raw().isEmpty()) {
      return;
    }
    Map<String, SegmentPosterior> post = new java.util.HashMap<>();
    for (SegmentPosterior p : s.segments()) {
      post.put(p.segment(), p);
    }
    b.append(
            "<h3>Segments</h3>\n"
                + "<table>\n"
                + "<tr><th class=\"l\">segment</th><th>control units</th><th>variant units</th>")
        .append(
            "<th class=\"l\">status</th><th>raw estimate</th><th>SE</th><th>posterior"
                + " mean</th><th>95% interval</th>")
        .append("<th>P(effect &gt; 0)</th><th>weight on own estimate</th></tr>\n");
    for (SegmentEstimate e : s.raw()) {
      SegmentPosterior p = post.get(e.segment());
      b.append("<tr><td class=\"l\">")
          .append(escape(e.segment()))
          .append("</td><td>")
          .append(e.nControl())
          .append("</td><td>")
          .append(e.nTreatment())
          .append("</td><td class=\"l\">")
          .append(escape(e.status()))
          .append("</td><td>")
          .append(DecisionMemo.number(e.estimate()))
          .append("</td><td>")
          .append(DecisionMemo.number(e.stdError()))
          .append("</td>");
      if (p == null) {
        b.append("<td></td><td></td><td></td><td></td>");
      } else {
        b.append("<td>")
            .append(DecisionMemo.number(p.postMean()))
            .append("</td><td>[")
            .append(DecisionMemo.number(p.q025()))
            .append(", ")
            .append(DecisionMemo.number(p.q975()))
            .append("]</td><td>")
            .append(DecisionMemo.probability(p.probPositive()))
            .append("</td><td>")
            .append(DecisionMemo.number(p.shrinkageWeight()))
            .append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  /** The cells of an effect: mean, 95% interval and P(effect > 0). */
  private static void effectCells(StringBuilder b, DecisionMetrics r) {
    b.append("<td>")
        .append(DecisionMemo.number(r.effectMean()))
        .append("</td><td>[")
        .append(DecisionMemo.number(r.effectQ025()))
        .append(", ")
        .append(DecisionMemo.number(r.effectQ975()))
        .append("]</td><td>")
        .append(DecisionMemo.probability(r.probPositive()))
        .append("</td>");
  }

  private static void recommendation(StringBuilder b, String rec) {
    // The class is one of the fixed recommendation codes; escaped anyway.
    b.append("<td class=\"l ")
        .append(escape(rec))
        .append("\">")
        .append(escape(rec))
        .append("</td>");
  }

  /**
   * A page's opening. Pages are kept to Latin-1 text (symbols beyond it are written as entities),
   * so the builder stays one byte per character: a single arrow on 5,000 pages otherwise doubled
   * every page's buffer and its copies (10% of the W50 write stage).
   */
  private static StringBuilder head(String title) {
    StringBuilder b = new StringBuilder(16 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(CSP)
        .append("\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        .append(escape(title))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n");
    return b;
  }

  private static String tail(StringBuilder b) {
    b.append(
        "<p class=\"muted\">Written by segfx. Numbers are those of the run's tables.</p>\n"
            + "</body>\n"
            + "</html>\n");
    return b.toString();
  }
}
