package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.io.OutputTables;
import io.segfx.io.VerdictSchemas;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of a real run: order, which experiments are charted, escaping of a hostile
 * experiment id, numbers equal to the tables, and a headless-Chromium rendering of the pages.
 */
class HtmlReportJobTest extends SharedSparkSession {
  private static final String EVIL = "<script>alert(1)</script>";

  /**
   * A verdict row of the index: the verdict cell, then the experiment's link to its page, or its id
   * alone when it has no page (group 1 is then null).
   */
  private static final Pattern INDEX_ROW =
      Pattern.compile(
          "<tr class=\"verdict\"><td class=\"l[^\"]*\">[^<]*</td><td class=\"l\">(?:<a"
              + " href=\"experiments/([^\"]+)\">)?([^<]*)");

  @TempDir static Path tmp;
  private static Path run;

  /** Counts input: a pooled hostile id, an unpooled (drawn) one, an SRM one and four plain ones. */
  private Path run() throws Exception {
    if (run != null) {
      return run;
    }
    StringBuilder csv = new StringBuilder("experiment_id,segment,arm,n,conversions\n");
    int[][] pooled = {
      {2000, 200, 2000, 240}, {1500, 160, 1500, 170}, {1800, 170, 1800, 200}, {900, 95, 900, 99}
    };
    for (int j = 0; j < pooled.length; j++) {
      row(csv, EVIL, "s" + j, pooled[j]);
    }
    row(csv, "drawn", "a", new int[] {3000, 300, 3000, 330});
    row(csv, "drawn", "b", new int[] {2500, 260, 2500, 250});
    row(csv, "srm", "a", new int[] {5000, 500, 4000, 420});
    int[][] plain = {
      {4000, 400, 4000, 460}, {4000, 400, 4000, 380}, {4000, 400, 4000, 410}, {4000, 400, 4000, 440}
    };
    for (int e = 0; e < plain.length; e++) {
      row(csv, "plain-" + e, "all", plain[e]);
    }
    Path in = tmp.resolve("report.csv");
    Files.writeString(in, csv.toString());
    run = tmp.resolve("report-out");
    JobRunner.run(
        spark(),
        "--input",
        in.toString(),
        "--output",
        run.toString(),
        "--input-kind",
        "counts",
        "--metric",
        "c:binary",
        "--users",
        "100000",
        "--value-per-unit",
        "10",
        "--cost",
        "20000",
        "--draws",
        "4000",
        "--report",
        "top:2");
    return run;
  }

  private static void row(StringBuilder csv, String id, String segment, int[] c) {
    String q = "\"" + id.replace("\"", "\"\"") + "\"";
    csv.append(q)
        .append(',')
        .append(segment)
        .append(",0,")
        .append(c[0])
        .append(',')
        .append(c[1])
        .append('\n');
    csv.append(q)
        .append(',')
        .append(segment)
        .append(",1,")
        .append(c[2])
        .append(',')
        .append(c[3])
        .append('\n');
  }

  /**
   * Index rows are the verdict table's pairs in its order (experiment, then variant; one variant
   * here); charts and pages go to the top 2 by expected profit and the flagged experiment, and only
   * these are linked from the index.
   */
  @Test
  void indexFollowsTheVerdictTableAndChartsTheTopAndTheFlagged() throws Exception {
    Path out = run();
    List<Row> decisions =
        new ArrayList<>(
            JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_DECISIONS)
                .collectAsList());
    decisions.sort(
        Comparator.comparingDouble(
                (Row r) ->
                    Double.isNaN(r.<Double>getAs("expected_profit"))
                        ? Double.POSITIVE_INFINITY
                        : -r.<Double>getAs("expected_profit"))
            .thenComparing(r -> r.<String>getAs("experiment_id")));
    List<String> expectedOrder = new ArrayList<>();
    Set<String> expectedCharted = new LinkedHashSet<>();
    for (Row r : decisions) {
      expectedOrder.add(r.getAs("experiment_id"));
    }
    expectedOrder.sort(Comparator.naturalOrder());
    for (Row r : decisions) {
      if (expectedCharted.size() < 2) {
        expectedCharted.add(r.getAs("experiment_id"));
      }
    }
    for (Row r : decisions) {
      if (r.<Boolean>getAs("srm_flag")) {
        expectedCharted.add(r.getAs("experiment_id"));
      }
    }
    Assertions.assertTrue(
        expectedCharted.contains("srm"), "the SRM experiment is flagged: " + expectedCharted);
    Assertions.assertTrue(
        expectedCharted.size() == 3, "top 2 and the flagged one: " + expectedCharted);

    String index = Files.readString(out.resolve("report/index.html"));
    Matcher m = INDEX_ROW.matcher(index);
    List<String> order = new ArrayList<>();
    Map<String, String> pageOf = new HashMap<>();
    while (m.find()) {
      String id = unescape(m.group(2));
      order.add(id);
      if (m.group(1) != null) {
        pageOf.put(id, m.group(1));
      }
    }
    assertEquals(expectedOrder, order, "one index row per pair, in the verdict table's order");
    assertEquals(expectedCharted, pageOf.keySet(), "linked: the charted and flagged");

    Set<String> charted = new TreeSet<>();
    for (Map.Entry<String, String> e : pageOf.entrySet()) {
      String page = Files.readString(out.resolve("report/experiments").resolve(e.getValue()));
      if (page.contains("<svg")) {
        charted.add(e.getKey());
      }
    }
    assertEquals(
        new TreeSet<>(expectedCharted), charted, "charts only for the top 2 and the flagged");
    try (Stream<Path> pages = Files.list(out.resolve("report/experiments"))) {
      assertEquals(
          new TreeSet<>(pageOf.values()),
          new TreeSet<>(pages.map(p -> p.getFileName().toString()).toList()),
          "pages only for the charted and flagged");
    }
    JsonNode report =
        new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).get("report");
    assertEquals(3, report.get("pages").asInt());
    assertEquals(3, report.get("charted_experiments").asInt());
    assertEquals(1, report.get("index_pages").asInt());
  }

  @Test
  void hostileIdIsTextEverywhere() throws Exception {
    Path out = run();
    List<Path> files;
    try (Stream<Path> s = Files.walk(out.resolve("report"))) {
      files = s.filter(Files::isRegularFile).toList();
    }
    Assertions.assertFalse(files.isEmpty());
    boolean printed = false;
    String filter = "<script>" + IndexPage.FILTER_SCRIPT + "</script>";
    for (Path f : files) {
      String text = Files.readString(f).replace(filter, "").toLowerCase(Locale.ROOT);
      Assertions.assertFalse(
          text.contains("<script"), f + " contains a script element besides the index's filter");
      Assertions.assertFalse(text.contains("javascript:"), f + " contains a javascript: URL");
      printed |= text.contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }
    Assertions.assertTrue(printed, "the id is shown, escaped");
  }

  @Test
  void pageNumbersEqualTheTablesAndDrawnPosteriorsAreHistograms() throws Exception {
    Path out = run();
    String index = Files.readString(out.resolve("report/index.html"));
    Matcher m = INDEX_ROW.matcher(index);
    Map<String, String> pageOf = new HashMap<>();
    while (m.find()) {
      if (m.group(1) != null) {
        pageOf.put(unescape(m.group(2)), m.group(1));
      }
    }
    Assertions.assertFalse(pageOf.isEmpty());
    for (Row d :
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_DECISIONS)
            .collectAsList()) {
      String id = d.getAs("experiment_id");
      if (!pageOf.containsKey(id)) {
        continue; // no page: neither charted nor flagged
      }
      String page = Files.readString(out.resolve("report/experiments").resolve(pageOf.get(id)));
      for (String s :
          List.of(
              "<td>" + DecisionMemo.number(d.getAs("effect_mean")) + "</td>",
              "["
                  + DecisionMemo.number(d.getAs("effect_q025"))
                  + ", "
                  + DecisionMemo.number(d.getAs("effect_q975"))
                  + "]",
              "<td>" + DecisionMemo.probability(d.getAs("prob_profit_positive")) + "</td>",
              "<td>" + DecisionMemo.number(d.getAs("expected_profit")) + "</td>",
              ">" + d.getAs("recommendation") + "</td>")) {
        Assertions.assertTrue(page.contains(s), "page of " + id + " lacks " + s);
      }
      if (page.contains("<svg") && d.<Integer>getAs("draws") > 0) {
        Assertions.assertTrue(
            page.contains("posterior draws"), "drawn posterior of " + id + " is a histogram");
      }
    }
    String evilPage = Files.readString(out.resolve("report/experiments").resolve(pageOf.get(EVIL)));
    Assertions.assertTrue(evilPage.contains("../../memos/"), "links its memo");
    Matcher memo = Pattern.compile("href=\"\\.\\./\\.\\./(memos/[^\"]+)\"").matcher(evilPage);
    Assertions.assertTrue(memo.find());
    Assertions.assertTrue(Files.exists(out.resolve(memo.group(1))), "the memo link resolves");
  }

  /**
   * The verdict table of a real run drives the report and memos: the index has exactly one verdict
   * row per table row, in the table's order and with its verdict; each page's banner and each
   * memo's TL;DR carry the same verdict and reason.
   */
  @Test
  void indexBannersAndMemosMatchTheVerdictTable() throws Exception {
    Path out = run();
    List<Row> verdicts =
        JobRunner.table(spark(), out.toString(), VerdictSchemas.EXPERIMENT_VERDICTS.name())
            .collectAsList();
    Assertions.assertFalse(verdicts.isEmpty());
    List<String> table = new ArrayList<>();
    for (Row v : verdicts) {
      table.add(v.<String>getAs("experiment_id") + "|" + v.getAs("verdict"));
    }
    table.sort(Comparator.naturalOrder()); // one variant each: (experiment, variant) order
    String index = Files.readString(out.resolve("report/index.html"));
    Matcher m =
        Pattern.compile(
                "<tr class=\"verdict\"><td class=\"l ([a-z_]+)\">[a-z_]+</td><td class=\"l\">(?:<a"
                    + " href=\"experiments/([^\"]+)\">)?([^<]*)")
            .matcher(index);
    List<String> rows = new ArrayList<>();
    Map<String, String> pageOf = new HashMap<>();
    while (m.find()) {
      rows.add(unescape(m.group(3)) + "|" + m.group(1));
      if (m.group(2) != null) {
        pageOf.put(unescape(m.group(3)), m.group(2));
      }
    }
    assertEquals(table, rows, "one verdict row per table row, in order, verdict first");
    assertEquals(verdicts.size(), index.split("<tr class=\"verdict\">", -1).length - 1);

    Map<String, String> memoOf = new HashMap<>();
    try (Stream<Path> s = Files.list(out.resolve("memos"))) {
      for (Path f : s.toList()) {
        if (f.getFileName().toString().equals("all.md")) {
          continue; // the combined file
        }
        String text = Files.readString(f);
        Matcher id = Pattern.compile("# Decision memo: experiment `(.*)`, variant `").matcher(text);
        Assertions.assertTrue(id.find(), f.toString());
        memoOf.put(id.group(1), text);
      }
    }
    assertEquals(pageOf.keySet(), memoOf.keySet(), "a memo file for each experiment with a page");
    String combined = Files.readString(out.resolve("memos/all.md"));
    for (Row v : verdicts) {
      String id = v.getAs("experiment_id");
      String code = v.getAs("verdict");
      String reason = v.getAs("reason");
      Assertions.assertTrue(
          combined.contains("\n## `" + id.replace('`', '\'') + "`, variant `"),
          "the digest has a section for " + id);
      Assertions.assertTrue(index.contains(HtmlReport.escape(reason)), "index row carries it");
      if (!pageOf.containsKey(id)) {
        continue;
      }
      String page = Files.readString(out.resolve("report/experiments").resolve(pageOf.get(id)));
      int banner = page.indexOf("<div class=\"banner b-" + code + "\">");
      Assertions.assertTrue(banner > 0, "page of " + id + " opens with a " + code + " banner");
      Assertions.assertTrue(
          page.indexOf(HtmlReport.escape(reason), banner) < page.indexOf("</div>", banner)
              && page.indexOf(HtmlReport.escape(reason), banner) > banner,
          "banner of " + id + " carries the reason " + reason);
      Assertions.assertTrue(index.contains(HtmlReport.escape(reason)), "index row carries it");
      String memo = memoOf.get(id.replace('`', '\''));
      Assertions.assertNotNull(memo, "memo of " + id);
      Assertions.assertTrue(
          memo.contains("**TL;DR**\n\n1. **Verdict: " + code.replace('_', ' ') + "** (`" + code),
          "memo of " + id + " opens with its verdict");
      Assertions.assertTrue(memo.contains("**Verdict.** " + reason), "memo of " + id);
    }
  }

  /**
   * {@code --report none} charts nothing and pages only the flagged experiments; the index still
   * lists both, linking the flagged one.
   */
  @Test
  void reportNonePagesTheFlaggedWithoutCharts() throws Exception {
    Path in = tmp.resolve("none.csv");
    Files.writeString(
        in,
        "experiment_id,arm,n,conversions\n"
            + "ok,0,5200,593\nok,1,5100,635\n"
            + "srm,0,5000,500\nsrm,1,4000,420\n");
    Path out = tmp.resolve("none-out");
    JobRunner.run(
        spark(),
        "--input",
        in.toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "counts",
        "--metric",
        "c:binary",
        "--report",
        "none");
    String index = Files.readString(out.resolve("report/index.html"));
    Matcher m = INDEX_ROW.matcher(index);
    Map<String, String> linked = new HashMap<>();
    while (m.find()) {
      linked.put(m.group(2), m.group(1));
    }
    assertEquals(Set.of("ok", "srm"), linked.keySet(), "both listed");
    assertEquals(null, linked.get("ok"), "the unflagged one has no page");
    List<Path> pages;
    try (Stream<Path> s = Files.list(out.resolve("report/experiments"))) {
      pages = s.toList();
    }
    assertEquals(List.of(out.resolve("report/experiments").resolve(linked.get("srm"))), pages);
    Assertions.assertFalse(Files.readString(pages.get(0)).contains("<svg"), "no charts");
  }

  /**
   * A run of 1,001 experiments: index.html holds the first 1,000 rows and index-2.html the last,
   * each row once and in the verdict table's order, the pages link each other and say which rows
   * they hold; the one flagged experiment, on the second index page, has the only page, which links
   * back to index-2.html.
   */
  @Test
  void aWideRunsIndexIsPaged() throws Exception {
    int n = HtmlReport.INDEX_ROWS + 1;
    StringBuilder csv = new StringBuilder("experiment_id,arm,n,conversions\n");
    List<String> ids = new ArrayList<>();
    for (int e = 0; e < n; e++) {
      String id = String.format(Locale.ROOT, "w%04d", e);
      ids.add(id);
      // The last experiment's arms fail the sample-ratio check: flagged, so it has a page.
      int control = e == n - 1 ? 5000 : 4000;
      csv.append(id).append(",0,").append(control).append(",400\n");
      csv.append(id).append(",1,4000,").append(380 + e % 50).append('\n');
    }
    Path in = tmp.resolve("wide.csv");
    Files.writeString(in, csv.toString());
    Path out = tmp.resolve("wide-out");
    JobRunner.run(
        spark(),
        "--input",
        in.toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "counts",
        "--metric",
        "c:binary",
        "--report",
        "none",
        "--memos",
        "none");
    List<String> listed = new ArrayList<>();
    int[] rows = new int[2];
    Map<String, String> linked = new HashMap<>();
    for (int p = 0; p < 2; p++) {
      String page = Files.readString(out.resolve("report").resolve(HtmlReport.indexFile(p)));
      Matcher m = INDEX_ROW.matcher(page);
      while (m.find()) {
        rows[p]++;
        listed.add(m.group(2));
        if (m.group(1) != null) {
          linked.put(m.group(2), m.group(1));
        }
      }
      Assertions.assertTrue(
          page.contains(
              p == 0 ? "rows 1&ndash;1,000 of 1,001 · page 1 of 2" : "rows 1,001&ndash;1,001 of"),
          "count line of page " + (p + 1));
      Assertions.assertTrue(
          page.contains(p == 0 ? "<a href=\"index-2.html\">next" : "<a href=\"index.html\">"),
          "link to the other page");
    }
    Assertions.assertFalse(Files.exists(out.resolve("report/index-3.html")));
    assertEquals(List.of(HtmlReport.INDEX_ROWS, 1), List.of(rows[0], rows[1]));
    assertEquals(ids, listed, "every experiment once, in order");
    String last = ids.get(n - 1);
    assertEquals(Set.of(last), linked.keySet(), "only the flagged experiment has a page");
    String page = Files.readString(out.resolve("report/experiments").resolve(linked.get(last)));
    Assertions.assertTrue(page.contains("<a href=\"../index-2.html\">"), "links its index page");
    JsonNode report =
        new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).get("report");
    assertEquals(2, report.get("index_pages").asInt());
    assertEquals(1, report.get("pages").asInt());
  }

  /**
   * Headless Chromium renders the charted page: exit 0, no console message (the pages have no
   * script, so any message is a blocked resource, a policy violation or a parse error), and the
   * screenshot shows the charts' blue (the pooled-posterior colour, 31,119,180).
   */
  @Test
  void chromiumRendersTheReport() throws Exception {
    String chromium = HeadlessChromium.require();
    Path out = run();
    String index = Files.readString(out.resolve("report/index.html"));
    Matcher m = INDEX_ROW.matcher(index);
    String evilPage = null;
    while (m.find()) {
      if (unescape(m.group(2)).equals(EVIL)) {
        evilPage = m.group(1);
      }
    }
    Assertions.assertNotNull(evilPage);
    for (Path page :
        List.of(
            out.resolve("report/index.html"),
            out.resolve("report/experiments").resolve(evilPage))) {
      BufferedImage img =
          HeadlessChromium.screenshot(
              chromium, page, tmp, page.getFileName().toString(), 1280, 1600);
      long blue = 0;
      long nonWhite = 0;
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          int rgb = img.getRGB(x, y) & 0xffffff;
          nonWhite += rgb != 0xffffff ? 1 : 0;
          int r = rgb >> 16 & 0xff;
          int g = rgb >> 8 & 0xff;
          int b = rgb & 0xff;
          blue += Math.abs(r - 31) < 20 && Math.abs(g - 119) < 20 && Math.abs(b - 180) < 20 ? 1 : 0;
        }
      }
      Assertions.assertTrue(
          nonWhite > 10_000, page + ": the page rendered (" + nonWhite + " non-white pixels)");
      if (!page.getFileName().toString().equals("index.html")) {
        Assertions.assertTrue(blue > 500, page + ": charts drawn (" + blue + " chart-blue pixels)");
      }
    }
  }

  private static String unescape(String s) {
    return s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }
}
