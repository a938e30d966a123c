package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.model.DecisionMetrics;
import io.segfx.model.Design;
import io.segfx.model.PoolingMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page renderer escapes every user string and keeps the order it is given. */
class HtmlReportTest {
  @Test
  void escapesTheFiveCharactersThatEndTextOrAttributes() {
    assertEquals(
        "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;",
        HtmlReport.escape("<a href=\"x\" title='y'>&"));
    assertEquals("", HtmlReport.escape(null));
    assertEquals("plain é 😀", HtmlReport.escape("plain é 😀"));
  }

  private static DecisionMetrics decision(String id, String metric, double profit) {
    return new DecisionMetrics(
        id,
        metric,
        "1",
        0,
        0.01,
        0.005,
        0.0,
        0.02,
        0.97,
        0.5,
        0.1,
        8.5,
        0.05,
        0.15,
        0.4,
        profit,
        profit - 1,
        profit + 1,
        0.9,
        0.1,
        0.2,
        "launch",
        0,
        0,
        0,
        "prior",
        0.5,
        false);
  }

  @Test
  void indexKeepsTheGivenOrderAndEscapesIds() {
    String evil = "<script>alert(1)</script>";
    List<HtmlReport.IndexRow> rows =
        List.of(
            new HtmlReport.IndexRow(decision("b", "m<1>", 30), "b.html", true, false),
            new HtmlReport.IndexRow(
                decision(evil, "m", 20), "_script_alert_1___script_.html", false, true),
            new HtmlReport.IndexRow(decision("a", "m", 10), "a.html", false, false));
    String html =
        HtmlReport.index(
            new HtmlReport.RunSummary(
                "run-1", 10, 9, 1, PoolingMethod.REML, Design.RANDOMIZED, null, "top:1", 1),
            rows);
    assertFalse(html.toLowerCase().contains("<script"), html);
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("m&lt;1&gt;"));
    int b = html.indexOf(">b</a>");
    int e = html.indexOf(">&lt;script&gt;");
    int a = html.indexOf(">a</a>");
    assertTrue(b > 0 && b < e && e < a, "rows in the given order");
    assertTrue(html.contains("Content-Security-Policy"), "scripts are forbidden by policy too");
  }

  @Test
  void experimentPageEscapesEverything() {
    String evil = "<img src=x onerror=alert(1)>";
    HtmlReport.Section s =
        new HtmlReport.Section(
            decision(evil, evil, 5),
            null,
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            null);
    String html =
        HtmlReport.experiment(
            evil, List.of(s), "warning <i>x</i>", Map.of(evil, "../../memos/x.md"));
    assertFalse(html.contains("<img"), html);
    assertFalse(html.contains("<i>"), "the warning is text");
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
  }
}
