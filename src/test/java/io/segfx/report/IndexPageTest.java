package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.model.Design;
import io.segfx.model.PoolingMethod;
import io.segfx.model.RunSummary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The index cut into pages: every row on exactly one page, in the order given, the count line and
 * the neighbour links right, rows without a page unlinked, and the filter script the only script,
 * admitted by its own hash.
 */
class IndexPageTest {
  private static final HtmlReport.RunFacts RUN =
      new HtmlReport.RunFacts(
          "run-1", 10, 9, 1, PoolingMethod.REML, Design.RANDOMIZED, null, "top:1", 1);

  /** An experiment id cell, linked or not: the id is the text up to the cell's end. */
  private static final Pattern ID_CELL =
      Pattern.compile(
          "<tr class=\"verdict\"><td class=\"l[^\"]*\">[^<]*</td><td class=\"l\">"
              + "(?:<a href=\"experiments/([^\"]+)\">)?([^<]*)");

  private static List<HtmlReport.IndexRow> rows(int n) {
    List<HtmlReport.IndexRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format(Locale.ROOT, "e%05d", i);
      rows.add(
          new HtmlReport.IndexRow(
              id,
              "1",
              null,
              List.of(new HtmlReport.MetricRow(VerdictFixtures.decision(id, "m", "1", 10), 0.01)),
              i % 3 == 0 ? id + ".html" : null,
              false,
              List.of()));
    }
    return rows;
  }

  private static String page(List<HtmlReport.IndexRow> rows, int page, int perPage) {
    return HtmlReport.index(RUN, RunSummary.of(List.of(), null), Labels.NONE, rows, page, perPage);
  }

  /**
   * 25 rows at 10 a page: pages of 10, 10 and 5 rows, each row once and in order across them, rows
   * with a page linked and the others plain text.
   */
  @Test
  void everyRowIsOnExactlyOnePageInOrder() {
    List<HtmlReport.IndexRow> rows = rows(25);
    assertEquals(3, HtmlReport.indexPages(rows.size(), 10));
    List<String> seen = new ArrayList<>();
    int[] perPage = new int[3];
    for (int p = 0; p < 3; p++) {
      Matcher m = ID_CELL.matcher(page(rows, p, 10));
      while (m.find()) {
        perPage[p]++;
        String id = m.group(2);
        seen.add(id);
        int i = Integer.parseInt(id.substring(1));
        if (i % 3 == 0) {
          assertEquals(id + ".html", m.group(1), "a row with a page links it");
        } else {
          assertEquals(null, m.group(1), "a row without a page is not a link: " + id);
        }
      }
    }
    assertEquals(List.of(10, 10, 5), List.of(perPage[0], perPage[1], perPage[2]));
    List<String> expected = new ArrayList<>();
    for (HtmlReport.IndexRow r : rows) {
      expected.add(r.experimentId());
    }
    assertEquals(expected, seen, "every row once, in the order given");
    assertEquals(rows.size(), new HashSet<>(seen).size());
  }

  @Test
  void countLineAndNeighbourLinks() {
    List<HtmlReport.IndexRow> rows = rows(2500);
    String first = page(rows, 0, 1000);
    String middle = page(rows, 1, 1000);
    String last = page(rows, 2, 1000);
    assertTrue(first.contains("rows 1&ndash;1,000 of 2,500 · page 1 of 3"), first);
    assertTrue(middle.contains("rows 1,001&ndash;2,000 of 2,500 · page 2 of 3"));
    assertTrue(last.contains("rows 2,001&ndash;2,500 of 2,500 · page 3 of 3"));
    assertEquals(Set.of("index-2.html", "index-3.html"), links(first));
    assertEquals(Set.of("index.html", "index-3.html"), links(middle));
    assertEquals(Set.of("index.html", "index-2.html"), links(last));
    assertTrue(middle.contains("<a href=\"index.html\">&larr; previous</a>"));
    assertTrue(middle.contains("<a href=\"index-3.html\">next &rarr;</a>"));
    assertTrue(first.contains("<span class=\"muted\">&larr; previous</span>"), "no page before 1");
    assertTrue(last.contains("<span class=\"muted\">next &rarr;</span>"), "no page after the last");
    assertEquals("index.html", HtmlReport.indexFile(0));
    assertEquals("index-100.html", HtmlReport.indexFile(99));
    assertThrows(IllegalArgumentException.class, () -> page(rows, 3, 1000));
    assertThrows(IllegalArgumentException.class, () -> page(rows, 0, 0));
  }

  /** A run of one page has no count line and no links between index pages, only the filter. */
  @Test
  void onePageHasNoNavigation() {
    List<HtmlReport.IndexRow> rows = rows(7);
    String one = HtmlReport.index(RUN, RunSummary.of(List.of(), null), Labels.NONE, rows);
    assertEquals(one, page(rows, 0, 1000));
    assertFalse(one.contains("class=\"nav\""));
    assertEquals(Set.of(), links(one));
    assertTrue(one.contains("<input id=\"filter\""));
    assertEquals(1, HtmlReport.indexPages(0, 1000), "an empty run still has its index");
    String empty = page(List.of(), 0, 1000);
    assertFalse(empty.contains("<tr class=\"verdict\">"));
  }

  /**
   * The page's policy admits the filter script by the SHA-256 of its text (computed here
   * independently), and that script is the page's only one: a hostile id stays text.
   */
  @Test
  void theFilterIsTheOnlyScriptAndThePolicyNamesItsHash() throws Exception {
    String evil = "<script>alert(1)</script>";
    List<HtmlReport.IndexRow> rows = new ArrayList<>(rows(3));
    rows.add(
        new HtmlReport.IndexRow(
            evil,
            "1",
            null,
            List.of(new HtmlReport.MetricRow(VerdictFixtures.decision(evil, "m", "1", 10), 0.01)),
            "x.html",
            false,
            List.of()));
    String html = page(rows, 0, 1000);
    String element = "<script>" + IndexPage.FILTER_SCRIPT + "</script>";
    assertEquals(1, html.split(Pattern.quote(element), -1).length - 1, "the filter, once");
    assertFalse(html.replace(element, "").toLowerCase(Locale.ROOT).contains("<script"));
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    String hash =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(IndexPage.FILTER_SCRIPT.getBytes(StandardCharsets.UTF_8)));
    Matcher csp = Pattern.compile("Content-Security-Policy\" content=\"([^\"]*)\"").matcher(html);
    assertTrue(csp.find());
    assertTrue(
        csp.group(1).startsWith("script-src 'sha256-" + hash + "'; default-src 'none';"),
        csp.group(1));
    assertFalse(csp.group(1).contains("unsafe-inline'; script"), "no inline script by default");
  }

  /** The hrefs between index pages. */
  private static Set<String> links(String html) {
    Set<String> out = new HashSet<>();
    Matcher m = Pattern.compile("href=\"(index[^\"]*)\"").matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
