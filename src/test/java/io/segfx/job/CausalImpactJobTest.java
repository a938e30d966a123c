package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.config.UsageException;
import io.segfx.sim.SeriesGenerator;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * causal-impact through Spark: the example markets (section-10 formulas, known impacts) are
 * recovered, bad series get a status instead of failing the run, and results do not depend on
 * the input partitioning.
 */
class CausalImpactJobTest extends SharedSparkSession {
  @TempDir Path tmp;

  private Path data() throws Exception {
    Path csv = tmp.resolve("series.csv");
    SeriesGenerator.write(OptionValues.resolve(SeriesGenerator.COMMAND, SeriesGenerator.OPTIONS, new String[] {"--output", csv.toString(), "--series", "30"}, null));
    StringBuilder extra = new StringBuilder();
    for (int t = 0; t < 10; t++) {
      extra.append("post-only,").append(100 + t).append(",1,2,3,0\n");
    }
    for (int t = 0; t < 100; t++) {
      extra.append("duplicated,").append(t == 50 ? 49 : t).append(",1,").append(t).append(",3,0\n");
      extra.append("gap,").append(t).append(",1,").append(t == 10 ? "" : String.valueOf(t)).append(",3,0\n");
    }
    Files.writeString(csv, Files.readString(csv) + extra);
    return csv;
  }

  private List<Row> run(Path in, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("--input", in.toString(), "--output", out.toString(), "--time-col", "time", "--outcome-col", "y", "--controls", "c1,c2",
                "--intervention-time", "82", "--trend", "--draws", "2000"));
    args.addAll(List.of(extra));
    return CausalImpactJob.run(spark(), OptionValues.resolve(CausalImpactJob.COMMAND, CausalImpactJob.OPTIONS, args.toArray(new String[0]), SpecReader::read));
  }

  @Test
  void recoversKnownImpactsAndReportsBadSeries() throws Exception {
    Path in = data();
    List<Row> rows = run(in, tmp.resolve("out"));
    Map<String, Row> byId = new HashMap<>();
    for (Row r : rows) {
      byId.put(r.getString(0), r);
    }
    assertEquals(33, rows.size());
    assertEquals("no_pre_period", byId.get("post-only").getAs("status"));
    assertEquals("duplicate_times", byId.get("duplicated").getAs("status"));
    assertEquals("missing_controls", byId.get("gap").getAs("status"));
    // True average impact per market, from the generator's column.
    Map<String, double[]> truth = new HashMap<>();
    for (String line : Files.readAllLines(in).subList(1, 30 * 120 + 1)) {
      String[] f = line.split(",");
      if (Integer.parseInt(f[1]) >= 82) {
        truth.computeIfAbsent(f[0], k -> new double[2])[0] += Double.parseDouble(f[5]);
        truth.get(f[0])[1] += 1;
      }
    }
    int covered = 0;
    int nullFlagged = 0;
    for (Map.Entry<String, double[]> e : truth.entrySet()) {
      Row r = byId.get(e.getKey());
      assertEquals("ok", r.getAs("status"));
      double avg = e.getValue()[0] / e.getValue()[1];
      covered += r.<Double>getAs("average_q025") <= avg && avg <= r.<Double>getAs("average_q975") ? 1 : 0;
      if (avg == 0) {
        nullFlagged += r.<Boolean>getAs("significant") ? 1 : 0;
      } else {
        Assertions.assertTrue(r.<Boolean>getAs("significant"), e.getKey() + " has a real impact");
      }
    }
    // 30 markets, 95% intervals: at least 26 cover (P(fewer) < 2% under nominal coverage).
    Assertions.assertTrue(covered >= 26, "covered " + covered + " of 30");
    Assertions.assertTrue(nullFlagged <= 2, "no-effect markets flagged: " + nullFlagged);
    long points = spark().read().parquet(tmp.resolve("out").resolve(CausalImpactJob.IMPACT_POINTWISE).toString()).count();
    assertEquals(30 * 120, points);
    Assertions.assertTrue(Files.exists(tmp.resolve("out").resolve("manifest.json")));
    // A memo per series, its numbers printed from the table; a report page with both panels.
    try (var memos = Files.list(tmp.resolve("out").resolve("memos"))) {
      assertEquals(33, memos.count());
    }
    String memo = Files.readString(tmp.resolve("out").resolve("memos/market-001.md"));
    Row m1 = byId.get("market-001");
    Assertions.assertTrue(memo.contains(io.segfx.report.DecisionMemo.number(m1.getAs("average_mean")) + " on average (95% interval ["
        + io.segfx.report.DecisionMemo.number(m1.getAs("average_q025")) + ", "), memo);
    Assertions.assertTrue(Files.readString(tmp.resolve("out").resolve("memos/gap.md")).contains("not analysed: missing controls"));
    String page = Files.readString(tmp.resolve("out").resolve("report/experiments/market-001.html"));
    assertEquals(2, page.split("<svg", -1).length - 1);
    Assertions.assertFalse(page.toLowerCase().contains("<script"));
    Assertions.assertTrue(Files.readString(tmp.resolve("out").resolve("report/index.html")).contains("experiments/market-001.html"));
  }

  @Test
  void resultsDoNotDependOnPartitioning() throws Exception {
    Path in = data();
    Path parts = tmp.resolve("parts");
    spark().read().option("header", "true").option("inferSchema", "true").csv(in.toString()).repartition(5).write().parquet(parts.toString());
    List<Row> a = run(in, tmp.resolve("a"));
    List<Row> b = run(parts, tmp.resolve("b"));
    assertEquals(a.toString(), b.toString());
  }

  /** Intervention windows: one summary per window, each against the pre-period before the first. */
  @Test
  void severalWindowsPerSeries() throws Exception {
    Path csv = tmp.resolve("w.csv");
    SeriesGenerator.write(OptionValues.resolve(SeriesGenerator.COMMAND, SeriesGenerator.OPTIONS, new String[] {"--output", csv.toString(), "--series", "5"}, null));
    Path windows = tmp.resolve("windows.csv");
    Files.writeString(windows, "series_id,start,end\nmarket-001,82,99\nmarket-001,100,119\nmarket-003,82,\nmarket-004,90,85\n");
    List<String> args =
        List.of("--input", csv.toString(), "--output", tmp.resolve("w-out").toString(), "--time-col", "time", "--outcome-col", "y",
            "--controls", "c1,c2", "--interventions", windows.toString(), "--trend", "--draws", "2000");
    List<Row> rows = CausalImpactJob.run(spark(), OptionValues.resolve(CausalImpactJob.COMMAND, CausalImpactJob.OPTIONS, args.toArray(new String[0]), null));
    Map<String, Row> byKey = new HashMap<>();
    for (Row r : rows) {
      byKey.put(r.getString(0) + "/" + r.<Integer>getAs("window"), r);
    }
    assertEquals("no_intervention", byKey.get("market-000/1").getAs("status"));
    assertEquals("bad_window", byKey.get("market-004/1").getAs("status"));
    Row w1 = byKey.get("market-001/1");
    Row w2 = byKey.get("market-001/2");
    assertEquals(82, (int) w1.getAs("n_pre"));
    assertEquals(82, (int) w2.getAs("n_pre"));
    assertEquals(18, (int) w1.getAs("n_post"));
    assertEquals(20, (int) w2.getAs("n_post"));
    assertEquals(99.0, w1.<Double>getAs("window_end"), 0.0);
    Assertions.assertTrue(Double.isNaN(byKey.get("market-003/1").<Double>getAs("window_end")), "open window");
    // The generator's impact grows with time: the later window's average impact is larger.
    Assertions.assertTrue(w2.<Double>getAs("average_mean") > w1.<Double>getAs("average_mean"));
    try (var memos = Files.list(tmp.resolve("w-out").resolve("memos"))) {
      Assertions.assertTrue(memos.anyMatch(m -> m.getFileName().toString().startsWith("market-001__window_2")), "a memo per window");
    }
  }

  /** The local-level model through the job: deterministic per series, real effects found. */
  @Test
  void localLevelModelRunsPerSeries() throws Exception {
    Path csv = tmp.resolve("ll.csv");
    SeriesGenerator.write(OptionValues.resolve(SeriesGenerator.COMMAND, SeriesGenerator.OPTIONS, new String[] {"--output", csv.toString(), "--series", "4"}, null));
    String[] extra = {"--model", "local-level", "--burn", "200", "--gibbs-draws", "500"};
    List<Row> a = run(csv, tmp.resolve("ll-a"), extra);
    List<Row> b = run(csv, tmp.resolve("ll-b"), extra);
    assertEquals(a.toString(), b.toString(), "same seed, same draws");
    for (Row r : a) {
      assertEquals("ok", r.getAs("status"));
      // Markets 1, 2 carry effects (factor >= 0.5 of an impact >= 4.5); market 0 and 3 none.
      boolean effect = !r.getString(0).equals("market-000") && !r.getString(0).equals("market-003");
      assertEquals(effect, r.<Boolean>getAs("significant"), r.toString());
    }
  }

  @Test
  void usageErrorsNameTheProblem() throws Exception {
    Path in = data();
    UsageException e = Assertions.assertThrows(UsageException.class, () -> run(in, tmp.resolve("x"), "--intervention-col", "iv"));
    Assertions.assertTrue(e.getMessage().contains("exactly one of"), e.getMessage());
    e =
        Assertions.assertThrows(
            UsageException.class,
            () -> CausalImpactJob.run(spark(), OptionValues.resolve(CausalImpactJob.COMMAND, CausalImpactJob.OPTIONS,
                new String[] {"--input", in.toString(), "--output", tmp.resolve("y").toString(), "--time-col", "time", "--outcome-col", "y",
                  "--controls", "c1,nope", "--intervention-time", "82"}, null)));
    Assertions.assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
  }
}
