package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.segfx.io.OutputTables;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memos agree with the tables number for number, and file names are safe whatever the ids. */
class DecisionMemoTest extends SharedSparkSession {
  @TempDir Path tmp;

  /**
   * number() and probability() print exactly what String.format("%.4f") / ("%,.0f") / ("%.3f")
   * print, on 200,000 random values over 12 decades and 200,000 probabilities, values on the
   * rounding boundaries (k + 0.5) / 10^4 and / 10^3, signed zeros and tiny negatives.
   */
  @Test
  void numbersPrintAsFormatterDoes() {
    Random r = new Random(4);
    List<Double> values =
        new ArrayList<>(
            List.of(
                0.0,
                -0.0,
                -1e-9,
                1e-9,
                0.00005,
                -0.00005,
                1.00005,
                999.99995,
                999.99994,
                -999.99995));
    for (int i = 0; i < 100_000; i++) {
      values.add((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(12) - 6));
      values.add((r.nextInt(20_000_000) - 10_000_000 + 0.5) / 1e4);
    }
    for (double v : values) {
      String expected =
          Math.abs(v) >= 1000
              ? String.format(Locale.ROOT, "%,.0f", v)
              : String.format(Locale.ROOT, "%.4f", v);
      assertEquals(expected, DecisionMemo.number(v), "value " + v);
    }
    List<Double> probabilities = new ArrayList<>(List.of(0.0, 1.0, 0.0005, 0.9995, 0.1235, 0.0625));
    for (int i = 0; i < 100_000; i++) {
      probabilities.add(r.nextDouble());
      probabilities.add((r.nextInt(1000) + 0.5) / 1e3);
    }
    for (double p : probabilities) {
      assertEquals(
          String.format(Locale.ROOT, "%.3f", p), DecisionMemo.probability(p), "probability " + p);
    }
  }

  /**
   * Money figures (|v| >= 1000) print exactly as String.format("%,.0f") prints them, the reference:
   * 100,000 random values over 1e3..1e12 of both signs (the fast path below 1e9 and Formatter above
   * it), and beside each the exact half k + 0.5 of its magnitude, one ulp either side of it, a
   * value up to 1000 ulps from it, and a negative one within 5e-7 of it; and the edges of the fast
   * path's range.
   */
  @Test
  void moneyFiguresPrintAsFormatterDoes() {
    Random r = new Random(22);
    List<Double> values =
        new ArrayList<>(
            List.of(
                1000.0,
                -1000.0,
                1000.5,
                -1000.5,
                999_999_999.4,
                999_999_999.5,
                999_999_999.6,
                1e9,
                -1e9,
                123_456_789_012.5,
                Double.MAX_VALUE));
    for (int i = 0; i < 100_000; i++) {
      double v = Math.pow(10, 3 + 9 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
      values.add(v);
      double half = Math.floor(Math.abs(v)) + 0.5;
      values.add(half);
      values.add(Math.nextUp(half));
      values.add(Math.nextDown(half));
      values.add(half + (r.nextInt(2001) - 1000) * Math.ulp(half));
      values.add(-(half + 1e-6 * (r.nextDouble() - 0.5)));
    }
    for (double v : values) {
      assertEquals(String.format(Locale.ROOT, "%,.0f", v), DecisionMemo.grouped(v), "value " + v);
    }
  }

  @Test
  void safeNamesStayInTheFolderAndDoNotCollide() {
    List<String> names =
        DecisionMemo.safeNames(
            List.of("../../etc/passwd", "a/b", "a_b", "A_B", "...", "x\u0000y\nz", "ok-1.2"));
    assertEquals(List.of("_.._etc_passwd", "a_b", "a_b-2", "A_B-3", "_", "x_y_z", "ok-1.2"), names);
    for (String n : names) {
      assertFalse(n.contains("/") || n.contains("\\\\") || n.startsWith("."), n);
    }
  }

  @Test
  void memoNumbersEqualTheTables() throws Exception {
    StringBuilder csv = new StringBuilder("experiment_id,segment,arm,n,conversions\n");
    String[] ids = {"../evil/<id>", "_.._evil__id_", "plain"};
    int[][] counts = {{5200, 593, 5100, 635}, {1000, 100, 1000, 150}, {2000, 200, 2000, 190}};
    for (int e = 0; e < ids.length; e++) {
      csv.append('"')
          .append(ids[e])
          .append("\",s1,0,")
          .append(counts[e][0])
          .append(',')
          .append(counts[e][1])
          .append('\n');
      csv.append('"')
          .append(ids[e])
          .append("\",s1,1,")
          .append(counts[e][2])
          .append(',')
          .append(counts[e][3])
          .append('\n');
    }
    Path in = tmp.resolve("memo.csv");
    Files.writeString(in, csv.toString());
    Path out = tmp.resolve("memo-out");
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
        "--users",
        "900000",
        "--value-per-unit",
        "38",
        "--cost",
        "180000",
        "--threshold",
        "0.005",
        "--prior-grid",
        "uniform=1,1;skeptical=20,180");
    Path memos = out.resolve("memos");
    List<Path> files;
    try (Stream<Path> s = Files.list(memos)) {
      files =
          s.filter(p -> p.getFileName().toString().endsWith(".md"))
              .filter(p -> !p.getFileName().toString().equals("all.md")) // the digest
              .sorted()
              .toList();
    }
    assertEquals(3, files.size(), files.toString());
    for (Row d :
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_DECISIONS)
            .collectAsList()) {
      String id = d.getAs("experiment_id");
      Path memo = null;
      for (Path f : files) {
        if (Files.readString(f)
            .contains("# Decision memo: experiment `" + id.replace('`', '\'') + "`")) {
          memo = f;
        }
      }
      Assertions.assertNotNull(memo, "a memo names experiment " + id);
      Assertions.assertEquals(memos, memo.getParent(), "memo stays in memos/");
      String text = Files.readString(memo);
      for (String line :
          List.of(
              "- Posterior mean effect: " + DecisionMemo.number(d.getAs("effect_mean")),
              "- 95% credible interval: ["
                  + DecisionMemo.number(d.getAs("effect_q025"))
                  + ", "
                  + DecisionMemo.number(d.getAs("effect_q975"))
                  + "]",
              "- Probability the effect is positive: "
                  + DecisionMemo.probability(d.getAs("prob_positive")),
              "- Probability the effect exceeds the threshold: "
                  + DecisionMemo.probability(d.getAs("prob_above_threshold")),
              "- Expected profit: " + DecisionMemo.number(d.getAs("expected_profit")),
              "- Probability profit is positive: "
                  + DecisionMemo.probability(d.getAs("prob_profit_positive")),
              "- Expected loss if we launch: "
                  + DecisionMemo.number(d.getAs("expected_loss_launch")),
              "- Expected loss if we wait: " + DecisionMemo.number(d.getAs("expected_loss_wait")),
              "**Recommendation: " + d.getAs("recommendation") + ".**")) {
        Assertions.assertTrue(
            text.contains(line), "memo of " + id + " lacks: " + line + "\n" + text);
      }
      Assertions.assertTrue(
          text.contains("**Prior.** beta(1,1) control, beta(1,1) treatment."), text);
      Assertions.assertTrue(text.contains("- Prior `skeptical`: mean "), text);
    }
  }
}
