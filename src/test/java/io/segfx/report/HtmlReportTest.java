package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.model.DecisionMetrics;
import io.segfx.model.Design;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.PoolingMethod;
import io.segfx.model.RunSummary;
import io.segfx.model.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page renderer escapes every user string and keeps the order it is given. */
class HtmlReportTest {
  private static final HtmlReport.RunFacts RUN =
      new HtmlReport.RunFacts(
          "run-1", 10, 9, 1, PoolingMethod.REML, Design.RANDOMIZED, null, "top:1", 1);

  @Test
  void escapesTheFiveCharactersThatEndTextOrAttributes() {
    assertEquals(
        "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;",
        HtmlReport.escape("<a href=\"x\" title='y'>&"));
    assertEquals("", HtmlReport.escape(null));
    assertEquals("plain é 😀", HtmlReport.escape("plain é 😀"));
  }

  private static HtmlReport.IndexRow row(
      String id, String metric, ExperimentVerdict v, String page, List<String> flags) {
    return new HtmlReport.IndexRow(
        id,
        "1",
        v,
        List.of(new HtmlReport.MetricRow(VerdictFixtures.decision(id, metric, "1", 10), 0.01)),
        page,
        false,
        flags);
  }

  /** Layout changed: rows are (experiment, variant) verdict rows, metrics folded out below. */
  @Test
  void indexKeepsTheGivenOrderAndEscapesIds() {
    String evil = "<script>alert(1)</script>";
    List<HtmlReport.IndexRow> rows =
        List.of(
            row("b", "m<1>", null, "b.html", List.of()),
            row(evil, "m", null, "_script_alert_1___script_.html", List.of("flag <b>x</b>")),
            row("a", "m", null, "a.html", List.of()));
    String html = HtmlReport.index(RUN, RunSummary.of(List.of(), null), Labels.NONE, rows);
    assertFalse(
        html.replace("<script>" + IndexPage.FILTER_SCRIPT + "</script>", "")
            .toLowerCase()
            .contains("<script"),
        "no script but the filter: " + html);
    assertFalse(html.contains("<b>x</b>"), "a flag's words are text");
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("m&lt;1&gt;"));
    int b = html.indexOf(">b</a>");
    int e = html.indexOf(">&lt;script&gt;");
    int a = html.indexOf(">a</a>");
    assertTrue(b > 0 && b < e && e < a, "rows in the given order");
    assertTrue(html.contains("Content-Security-Policy"), "scripts are forbidden by policy too");
  }

  /**
   * Hostile text in every user-supplied field of a verdict (id, variant, metric, reason, guardrail
   * labels, currency, unit) and in the flags comes out as text on the index and the page.
   */
  @Test
  void verdictFieldsAreEscapedEverywhere() {
    String evil = "<img src=x onerror=alert(1)>";
    ExperimentVerdict base =
        VerdictFixtures.verdict(evil, evil, Verdict.INVESTIGATE, "reason " + evil);
    ExperimentVerdict v =
        new ExperimentVerdict(
            evil,
            evil,
            Verdict.INVESTIGATE,
            "reason " + evil,
            evil,
            evil,
            base.effectMean(),
            base.effectQ025(),
            base.effectQ975(),
            base.relativeEffectMean(),
            base.relativeQ025(),
            base.relativeQ975(),
            base.probEffectPositive(),
            base.expectedProfit(),
            base.profitQ025(),
            base.profitQ975(),
            base.probProfitPositive(),
            base.expectedLossLaunch(),
            base.expectedLossWait(),
            base.guardrailStatus(),
            List.of(evil + ">=1"),
            0,
            Double.NaN);
    Labels labels = new Labels(evil, Map.of(evil, evil));
    String index =
        HtmlReport.index(
            RUN,
            RunSummary.of(List.of(v), null),
            labels,
            List.of(
                new HtmlReport.IndexRow(
                    evil,
                    evil,
                    v,
                    List.of(
                        new HtmlReport.MetricRow(
                            VerdictFixtures.decision(evil, evil, evil, 5), 0.01)),
                    "x.html",
                    true,
                    List.of("flag " + evil))));
    HtmlReport.Section s = section(VerdictFixtures.decision(evil, evil, evil, 5));
    String page =
        HtmlReport.experiment(
            new HtmlReport.Page(
                evil,
                List.of(new HtmlReport.Banner(evil, v, context(labels), List.of("flag " + evil))),
                List.of(s),
                "warning <i>x</i>",
                Map.of(evil, "../../memos/x.md"),
                labels));
    for (String html : List.of(index, page)) {
      assertFalse(html.contains("<img"), html);
      assertFalse(html.contains("<i>"), "the warning is text");
      assertTrue(html.contains("reason &lt;img src=x onerror=alert(1)&gt;"), html);
      assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;&gt;=1"), "guardrail label");
      assertTrue(html.contains("flag &lt;img"), "flag words");
    }
  }

  private static VerdictWords.Context context(Labels labels) {
    return new VerdictWords.Context(labels, 0.95, 0.95, false, null);
  }

  private static HtmlReport.Section section(DecisionMetrics d) {
    return new HtmlReport.Section(
        d, null, List.of(), List.of(), List.of(), List.of(), List.of(), null, 0.01, 0.02);
  }

  @Test
  void experimentPageEscapesEverything() {
    String evil = "<img src=x onerror=alert(1)>";
    HtmlReport.Section s = section(VerdictFixtures.decision(evil, evil, "1", 5));
    String html =
        HtmlReport.experiment(
            new HtmlReport.Page(
                evil,
                List.of(),
                List.of(s),
                "warning <i>x</i>",
                Map.of(evil, "../../memos/x.md"),
                Labels.NONE));
    assertFalse(html.contains("<img"), html);
    assertFalse(html.contains("<i>"), "the warning is text");
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
  }

  /**
   * For each verdict kind, the page's banner carries the table's reason and opens the page, before
   * any metric section; the index shows the same reason on the pair's row.
   */
  @Test
  void bannerAndIndexRowCarryTheReason() {
    List<ExperimentVerdict> all = new ArrayList<>();
    List<HtmlReport.IndexRow> rows = new ArrayList<>();
    for (Verdict kind : Verdict.values()) {
      ExperimentVerdict v =
          VerdictFixtures.verdict("e-" + kind.code(), "1", kind, VerdictFixtures.reason(kind));
      all.add(v);
      rows.add(row(v.experimentId(), "revenue", v, "p.html", List.of()));
      String page =
          HtmlReport.experiment(
              new HtmlReport.Page(
                  v.experimentId(),
                  List.of(new HtmlReport.Banner("1", v, context(Labels.NONE), List.of())),
                  List.of(section(VerdictFixtures.decision(v.experimentId(), "revenue", "1", 5))),
                  null,
                  Map.of(),
                  Labels.NONE));
      int banner = page.indexOf("<div class=\"banner b-" + kind.code() + "\">");
      int reason = page.indexOf(HtmlReport.escape(v.reason()), banner);
      int end = page.indexOf("</div>", banner);
      assertTrue(banner > 0 && reason > banner && reason < end, "banner carries the reason");
      assertTrue(end < page.indexOf("<h2>Metric"), "the banner opens the page");
      assertTrue(
          page.substring(banner, end).contains(">" + VerdictWords.name(kind) + "</span>.</b>"),
          "banner names the verdict");
    }
    String index = HtmlReport.index(RUN, RunSummary.of(all, null), Labels.NONE, rows);
    Matcher m =
        Pattern.compile(
                "<tr class=\"verdict\"><td class=\"l ([a-z_]+)\">[a-z_]+</td><td class=\"l\"><a"
                    + " href=\"[^\"]*\">([^<]*)</a>")
            .matcher(index);
    List<String> seen = new ArrayList<>();
    while (m.find()) {
      seen.add(m.group(2) + "=" + m.group(1));
    }
    List<String> expected = new ArrayList<>();
    for (ExperimentVerdict v : all) {
      expected.add(v.experimentId() + "=" + v.verdict().code());
      assertTrue(index.contains(HtmlReport.escape(v.reason())), "row carries " + v.reason());
    }
    assertEquals(expected, seen, "one verdict row per pair, verdict first, in the given order");
    assertTrue(
        index.contains(
            "4 experiment variants: <span class=\"launch\">1 launch</span> · <span"
                + " class=\"do_not_launch\">1 do not launch</span> · <span"
                + " class=\"collect_more_data\">1 collect more data</span> · <span"
                + " class=\"investigate\">1 investigate</span>."),
        "verdict counts above the table");
  }

  /**
   * The run summary above the table: one launch with P(effect &gt; 0) = 0.9 expects 1 − 0.9 = 0.10
   * wrong launches with sd sqrt(0.1 × 0.9) = 0.30 (worked by hand); the learned-prior figure shows
   * only where it is not NaN.
   */
  @Test
  void runSummaryShowsWrongLaunchesAndTheLearnedFigure() {
    ExperimentVerdict launch =
        VerdictFixtures.verdict("e", "1", Verdict.LAUNCH, VerdictFixtures.reason(Verdict.LAUNCH));
    String plain =
        HtmlReport.index(RUN, RunSummary.of(List.of(launch), null), Labels.NONE, List.of());
    assertTrue(
        plain.contains("Expected number of wrong launches: <b>0.10 &plusmn; 0.30</b> of 1"), plain);
    assertFalse(plain.contains("learned"), "no learned prior ran");
    String learned =
        HtmlReport.index(
            RUN, RunSummary.of(List.of(launch), new double[] {0.96}), Labels.NONE, List.of());
    assertTrue(
        learned.contains("under the prior learned across experiments: <b>0.04</b>"), learned);
    String none = HtmlReport.index(RUN, RunSummary.of(List.of(), null), Labels.NONE, List.of());
    assertTrue(none.contains("The run made no verdicts."), none);
  }

  /**
   * The page's decision table: control mean = the posterior control level (8.5 in the fixture),
   * variant mean = 8.5 + 0.01 (the effect) = 8.51, both labelled with the metric's unit; the
   * relative effect 0.1 [0.05, 0.15] in %; the thresholds' values in their headers.
   */
  @Test
  void pageShowsArmMeansUnitsRelativeEffectsAndThresholds() {
    Labels labels = new Labels("EUR", Map.of("revenue", "EUR"));
    String page =
        HtmlReport.experiment(
            new HtmlReport.Page(
                "e",
                List.of(),
                List.of(section(VerdictFixtures.decision("e", "revenue", "1", 5))),
                null,
                Map.of(),
                labels));
    assertTrue(page.contains("<th>control mean (EUR)</th><th>variant mean (EUR)</th>"), page);
    assertTrue(page.contains("<td>8.5000</td><td>8.5100</td>"), page);
    assertTrue(page.contains("<td>+10.0% [+5.0%, +15.0%]</td>"), page);
    assertTrue(page.contains("<th>P(effect &gt; 0.0100 EUR)</th>"), "threshold 0.01 in EUR");
    assertTrue(page.contains("<th>P(relative effect &gt; +2.0%)</th>"), "relative threshold 0.02");
    assertTrue(page.contains("<th>expected profit (EUR)</th>"), page);
  }
}
