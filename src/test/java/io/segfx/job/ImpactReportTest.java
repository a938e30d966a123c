package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.report.DecisionMemo;
import io.segfx.report.HeadlessChromium;
import io.segfx.report.VerdictWords;
import io.segfx.sim.SeriesGenerator;
import io.segfx.testing.SharedSparkSession;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The causal-impact report of a real run on dated input: the index ordered by probability of a
 * causal effect, each page's CausalImpact summary table equal to {@code impact_summary} with the
 * Actual row recomputed from the input rows, the figure's date axis, and a headless-Chromium
 * rendering of a page (which, with {@code -Dsegfx.impact.example=PATH}, is also saved there: the
 * picture in docs/impact-example.png is made so).
 */
class ImpactReportTest extends SharedSparkSession {
  private static final LocalDate DAY0 = LocalDate.parse("2026-01-01");
  private static final int START = 82;

  /** An index row: the series cell (linked or not), then the status cell. */
  private static final Pattern INDEX_ROW =
      Pattern.compile(
          "<tr><td class=\"l\">(?:<a href=\"experiments/([^\"]+)\">)?([^<]*)(?:</a>)?</td>"
              + "<td class=\"l\">([a-z_]+)</td>");

  @TempDir static Path tmp;
  private static Path run;
  private static Path input;
  private static List<Row> summaries;

  /** The example markets with day t as the date 2026-01-01 + t, and one series not analysed. */
  private Path run() throws Exception {
    if (run != null) {
      return run;
    }
    Path numeric = tmp.resolve("numeric.csv");
    SeriesGenerator.write(
        OptionValues.resolve(
            SeriesGenerator.COMMAND,
            SeriesGenerator.OPTIONS,
            new String[] {"--output", numeric.toString(), "--series", "8"},
            null));
    StringBuilder csv = new StringBuilder("series_id,time,y,c1,c2,true_impact\n");
    for (String line : Files.readAllLines(numeric).subList(1, 8 * 120 + 1)) {
      String[] f = line.split(",", 3);
      csv.append(f[0])
          .append(',')
          .append(DAY0.plusDays(Integer.parseInt(f[1])))
          .append(',')
          .append(f[2])
          .append('\n');
    }
    for (int t = 0; t < 10; t++) {
      csv.append("post-only,").append(DAY0.plusDays(100 + t)).append(",1,2,3,0\n");
    }
    input = tmp.resolve("dated.csv");
    Files.writeString(input, csv.toString());
    run = tmp.resolve("out");
    summaries =
        CausalImpactJob.run(
            spark(),
            OptionValues.resolve(
                CausalImpactJob.COMMAND,
                CausalImpactJob.OPTIONS,
                new String[] {
                  "--input",
                  input.toString(),
                  "--output",
                  run.toString(),
                  "--time-col",
                  "time",
                  "--outcome-col",
                  "y",
                  "--controls",
                  "c1,c2",
                  "--intervention-time",
                  DAY0.plusDays(START).toString(),
                  "--trend",
                  "--draws",
                  "4000"
                },
                SpecReader::read));
    return run;
  }

  /** Index rows (label, page or null, status) in page order. */
  private static List<String[]> indexRows(String index) {
    List<String[]> rows = new ArrayList<>();
    Matcher m = INDEX_ROW.matcher(index);
    while (m.find()) {
      rows.add(new String[] {m.group(2), m.group(1), m.group(3)});
    }
    return rows;
  }

  @Test
  void indexListsSeriesByProbabilityOfACausalEffect() throws Exception {
    Path out = run();
    List<Row> expected = new ArrayList<>(summaries);
    // Highest probability first; series not analysed (NaN) last; ties by id.
    expected.sort(
        Comparator.comparingDouble(
                (Row r) -> {
                  double p = r.getAs("prob_causal_effect");
                  return Double.isNaN(p) ? Double.POSITIVE_INFINITY : -p;
                })
            .thenComparing(r -> r.<String>getAs("series_id")));
    List<String[]> rows = indexRows(Files.readString(out.resolve("report/index.html")));
    assertEquals(expected.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(expected.get(i).<String>getAs("series_id"), rows.get(i)[0], "row " + i);
      assertEquals(expected.get(i).<String>getAs("status"), rows.get(i)[2], "status of row " + i);
      assertEquals(
          "ok".equals(rows.get(i)[2]), rows.get(i)[1] != null, "analysed series have a page");
    }
    assertEquals("post-only", rows.get(rows.size() - 1)[0]);
    assertEquals("no_pre_period", rows.get(rows.size() - 1)[2]);
  }

  /**
   * Each page's table: Actual is the observed post-period mean and sum recomputed here from the
   * input rows; Prediction = Actual − effect (same sd, reversed interval); Absolute and Relative
   * effect, p and P(causal effect) are the {@code impact_summary} figures, printed as the report
   * prints numbers. The figure is one chart with the three panels' legends and a date axis.
   */
  @Test
  void pageTablesEqualTheSummaryAndTheInput() throws Exception {
    Path out = run();
    Map<String, double[]> actual = new HashMap<>();
    for (String line : Files.readAllLines(input).subList(1, 8 * 120 + 1)) {
      String[] f = line.split(",");
      if (!LocalDate.parse(f[1]).isBefore(DAY0.plusDays(START))) {
        double[] a = actual.computeIfAbsent(f[0], k -> new double[2]);
        a[0] += Double.parseDouble(f[2]);
        a[1] += 1;
      }
    }
    Map<String, String> pageOf = new HashMap<>();
    for (String[] r : indexRows(Files.readString(out.resolve("report/index.html")))) {
      pageOf.put(r[0], r[1]);
    }
    int pages = 0;
    for (Row s : summaries) {
      String id = s.getAs("series_id");
      if (!"ok".equals(s.getAs("status"))) {
        continue;
      }
      pages++;
      String page = Files.readString(out.resolve("report/experiments").resolve(pageOf.get(id)));
      double sum = actual.get(id)[0];
      double n = actual.get(id)[1];
      assertEquals(n, (double) s.<Integer>getAs("n_post"), 0.0);
      double avg = sum / n;
      String tableRows =
          row("Actual", num(avg), num(sum))
              + row(
                  "Prediction (sd)",
                  num(avg - d(s, "average_mean")) + " (" + num(d(s, "average_sd")) + ")",
                  num(sum - d(s, "cumulative_mean")) + " (" + num(d(s, "cumulative_sd")) + ")")
              + fold(
                  interval(avg - d(s, "average_q975"), avg - d(s, "average_q025")),
                  interval(sum - d(s, "cumulative_q975"), sum - d(s, "cumulative_q025")))
              + row(
                  "Absolute effect (sd)",
                  num(d(s, "average_mean")) + " (" + num(d(s, "average_sd")) + ")",
                  num(d(s, "cumulative_mean")) + " (" + num(d(s, "cumulative_sd")) + ")")
              + fold(
                  interval(d(s, "average_q025"), d(s, "average_q975")),
                  interval(d(s, "cumulative_q025"), d(s, "cumulative_q975")));
      String relative =
          VerdictWords.percent(d(s, "relative_effect_mean"))
              + " ("
              + VerdictWords.percent(d(s, "relative_effect_sd")).replace("+", "")
              + ")";
      String relativeRows =
          row("Relative effect (sd)", relative, relative)
              + fold(
                  VerdictWords.percentInterval(
                      d(s, "relative_effect_q025"), d(s, "relative_effect_q975")),
                  VerdictWords.percentInterval(
                      d(s, "relative_effect_q025"), d(s, "relative_effect_q975")));
      Assertions.assertTrue(page.contains(tableRows + relativeRows), id + " table:\n" + page);
      Assertions.assertTrue(
          page.contains(
              "tail-area probability p</td><td colspan=\"2\">"
                  + num(d(s, "tail_area_p"))
                  + "</td>"),
          id);
      Assertions.assertTrue(
          page.contains(
              "probability of a causal effect</td><td colspan=\"2\">"
                  + DecisionMemo.probability(d(s, "prob_causal_effect"))
                  + "</td>"),
          id);
      Assertions.assertTrue(d(s, "relative_effect_sd") > 0, "relative sd of " + id);
      // The figure, then the table, then the paragraph.
      assertEquals(1, page.split("<svg", -1).length - 1, id);
      int svg = page.indexOf("<svg");
      int table = page.indexOf("<table class=\"impact\">");
      int paragraph = page.indexOf("<p>From 2026-03-24, over 38 post-intervention points");
      Assertions.assertTrue(
          0 < svg && svg < table && table < paragraph, id + ": figure, table, paragraph");
      for (String legend :
          List.of(
              "counterfactual (95% band)", "pointwise effect (95% band)", "cumulative effect")) {
        Assertions.assertTrue(page.contains(legend), id + " panel legend " + legend);
      }
      // Dates on the time axis (2026-01-01 to 2026-04-30), not days since 1970 (20,454 ...).
      Assertions.assertTrue(page.contains(">2026-02-"), id + " date ticks");
      Assertions.assertFalse(page.contains(">20,4"), id + " epoch-day ticks");
      Assertions.assertTrue(page.contains("intervention at 2026-03-24"), id);
    }
    assertEquals(8, pages);
  }

  private static double d(Row r, String name) {
    return r.<Double>getAs(name);
  }

  private static String num(double v) {
    return DecisionMemo.number(v);
  }

  private static String interval(double lo, double hi) {
    return DecisionMemo.interval(lo, hi);
  }

  private static String row(String name, String avg, String cum) {
    return "<tr><td class=\"l\">" + name + "</td><td>" + avg + "</td><td>" + cum + "</td></tr>\n";
  }

  private static String fold(String avg, String cum) {
    return "<tr class=\"fold\"><td class=\"l\">95% CI</td><td>"
        + avg
        + "</td><td>"
        + cum
        + "</td></tr>\n";
  }

  /**
   * Headless Chromium renders the top page as the segment report's test does: exit 0, no console
   * message, and the screenshot shows the figure's blue line (31,119,180), its band and the red
   * intervention line (214,39,40).
   */
  @Test
  void chromiumRendersAPage() throws Exception {
    String chromium = HeadlessChromium.require();
    Path out = run();
    List<String[]> rows = indexRows(Files.readString(out.resolve("report/index.html")));
    Path page = out.resolve("report/experiments").resolve(rows.get(0)[1]);
    BufferedImage img = HeadlessChromium.screenshot(chromium, page, tmp, "page", 1000, 1400);
    long blue = 0;
    long band = 0;
    long red = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        blue += near(rgb, 31, 119, 180) ? 1 : 0;
        // The band's fill (158,202,225) at half opacity over white.
        band += near(rgb, 206, 228, 240) ? 1 : 0;
        red += near(rgb, 214, 39, 40) ? 1 : 0;
      }
    }
    Assertions.assertTrue(
        blue > 500, "counterfactual and effect lines drawn (" + blue + " pixels)");
    Assertions.assertTrue(band > 20_000, "95% bands drawn (" + band + " pixels)");
    Assertions.assertTrue(
        red > 200, "intervention line drawn in the three panels (" + red + " pixels)");
    String example = System.getProperty("segfx.impact.example");
    if (example != null) {
      Files.copy(tmp.resolve("page.png"), Path.of(example), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static boolean near(int rgb, int r, int g, int b) {
    return Math.abs((rgb >> 16 & 0xff) - r) < 20
        && Math.abs((rgb >> 8 & 0xff) - g) < 20
        && Math.abs((rgb & 0xff) - b) < 20;
  }
}
