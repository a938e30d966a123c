package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.config.UsageException;
import io.segfx.model.Status;
import io.segfx.report.DecisionMemo;
import io.segfx.sim.SeriesGenerator;
import io.segfx.spark.TimeValues;
import io.segfx.testing.SharedSparkSession;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * causal-impact through Spark: the example markets (section-10 formulas, known impacts) are
 * recovered, bad series get a status instead of failing the run, and results do not depend on the
 * input partitioning.
 */
class CausalImpactJobTest extends SharedSparkSession {
  @TempDir Path tmp;

  private Path data() throws Exception {
    Path csv = tmp.resolve("series.csv");
    SeriesGenerator.write(
        OptionValues.resolve(
            SeriesGenerator.COMMAND,
            SeriesGenerator.OPTIONS,
            new String[] {"--output", csv.toString(), "--series", "30"},
            null));
    StringBuilder extra = new StringBuilder();
    for (int t = 0; t < 10; t++) {
      extra.append("post-only,").append(100 + t).append(",1,2,3,0\n");
      // 4 pre-period points (78..81) where intercept, 2 controls and trend need 4 + 3 = 7.
      extra.append("short,").append(78 + t).append(",").append(t * t % 7).append(",");
      extra.append(t).append(",").append(t * t % 5).append(",0\n");
    }
    for (int t = 0; t < 100; t++) {
      extra.append("duplicated,").append(t == 50 ? 49 : t).append(",1,").append(t).append(",3,0\n");
      extra
          .append("gap,")
          .append(t)
          .append(",1,")
          .append(t == 10 ? "" : String.valueOf(t))
          .append(",3,0\n");
    }
    Files.writeString(csv, Files.readString(csv) + extra);
    return csv;
  }

  private List<Row> run(Path in, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                in.toString(),
                "--output",
                out.toString(),
                "--time-col",
                "time",
                "--outcome-col",
                "y",
                "--controls",
                "c1,c2",
                "--intervention-time",
                "82",
                "--trend",
                "--draws",
                "2000"));
    args.addAll(List.of(extra));
    return CausalImpactJob.run(
        spark(),
        OptionValues.resolve(
            CausalImpactJob.COMMAND,
            CausalImpactJob.OPTIONS,
            args.toArray(new String[0]),
            SpecReader::read));
  }

  @Test
  void recoversKnownImpactsAndReportsBadSeries() throws Exception {
    Path in = data();
    List<Row> rows = run(in, tmp.resolve("out"));
    Map<String, Row> byId = new HashMap<>();
    for (Row r : rows) {
      byId.put(r.<String>getAs("series_id"), r);
    }
    assertEquals(34, rows.size());
    assertEquals("no_pre_period", byId.get("post-only").getAs("status"));
    assertEquals("duplicate_times", byId.get("duplicated").getAs("status"));
    // The refusals say what to fix: the duplicated time, and the points needed against present.
    assertEquals(49.0, byId.get("duplicated").<Double>getAs("duplicate_time"), 0.0);
    assertEquals(2, byId.get("duplicated").<Integer>getAs("duplicate_rows"));
    assertEquals(1, byId.get("duplicated").<Integer>getAs("duplicated_times"));
    assertEquals(
        "Series duplicated was not analysed: duplicate times. Time 49 occurs in 2 rows, the only"
            + " time that occurs more than once; the model needs one row per time point, so remove"
            + " or aggregate the duplicates.",
        Files.readString(tmp.resolve("out").resolve("memos/duplicated.md")).split("\n")[2]);
    assertEquals("too_few_points", byId.get("short").getAs("status"));
    assertEquals(7, byId.get("short").<Integer>getAs("points_needed"));
    Assertions.assertTrue(
        Files.readString(tmp.resolve("out").resolve("memos/short.md"))
            .contains("The fit needs 7 pre-period points and the series has 4 before 82, 3 short"));
    // The gap's row is quarantined (null:c1); what is left has a constant control (c2 = 3).
    assertEquals("singular_controls", byId.get("gap").getAs("status"));
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
      covered +=
          r.<Double>getAs("average_q025") <= avg && avg <= r.<Double>getAs("average_q975") ? 1 : 0;
      if (avg == 0) {
        nullFlagged += r.<Boolean>getAs("significant") ? 1 : 0;
      } else {
        Assertions.assertTrue(r.<Boolean>getAs("significant"), e.getKey() + " has a real impact");
      }
    }
    // 30 markets, 95% intervals: at least 26 cover (P(fewer) < 2% under nominal coverage).
    Assertions.assertTrue(covered >= 26, "covered " + covered + " of 30");
    Assertions.assertTrue(nullFlagged <= 2, "no-effect markets flagged: " + nullFlagged);
    long points =
        spark()
            .read()
            .parquet(tmp.resolve("out").resolve(CausalImpactJob.IMPACT_POINTWISE).toString())
            .count();
    assertEquals(30 * 120, points);
    Assertions.assertTrue(Files.exists(tmp.resolve("out").resolve("manifest.json")));
    // A memo per series, its numbers printed from the table; a report page with the figure.
    try (var memos = Files.list(tmp.resolve("out").resolve("memos"))) {
      assertEquals(34, memos.count());
    }
    String memo = Files.readString(tmp.resolve("out").resolve("memos/market-001.md"));
    Row m1 = byId.get("market-001");
    Assertions.assertTrue(
        memo.contains(
            DecisionMemo.number(m1.getAs("average_mean"))
                + " on average (95% interval ["
                + DecisionMemo.number(m1.getAs("average_q025"))
                + ", "),
        memo);
    Assertions.assertTrue(
        Files.readString(tmp.resolve("out").resolve("memos/gap.md"))
            .contains("not analysed: singular controls"));
    String page =
        Files.readString(tmp.resolve("out").resolve("report/experiments/market-001.html"));
    assertEquals(1, page.split("<svg", -1).length - 1, "one figure of three panels");
    Assertions.assertFalse(page.toLowerCase().contains("<script"));
    Assertions.assertTrue(
        Files.readString(tmp.resolve("out").resolve("report/index.html"))
            .contains("experiments/market-001.html"));
  }

  @Test
  void resultsDoNotDependOnPartitioning() throws Exception {
    Path in = data();
    Path parts = tmp.resolve("parts");
    spark()
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(in.toString())
        .repartition(5)
        .write()
        .parquet(parts.toString());
    List<Row> a = run(in, tmp.resolve("a"));
    List<Row> b = run(parts, tmp.resolve("b"));
    assertEquals(a.toString(), b.toString());
  }

  /** Intervention windows: one summary per window, each against the pre-period before the first. */
  @Test
  void severalWindowsPerSeries() throws Exception {
    Path csv = tmp.resolve("w.csv");
    SeriesGenerator.write(
        OptionValues.resolve(
            SeriesGenerator.COMMAND,
            SeriesGenerator.OPTIONS,
            new String[] {"--output", csv.toString(), "--series", "5"},
            null));
    Path windows = tmp.resolve("windows.csv");
    Files.writeString(
        windows,
        "series_id,start,end\n"
            + "market-001,82,99\n"
            + "market-001,100,119\n"
            + "market-003,82,\n"
            + "market-004,90,85\n"
            + "ghost,10,20\n");
    List<String> args =
        List.of(
            "--input",
            csv.toString(),
            "--output",
            tmp.resolve("w-out").toString(),
            "--time-col",
            "time",
            "--outcome-col",
            "y",
            "--controls",
            "c1,c2",
            "--interventions",
            windows.toString(),
            "--trend",
            "--draws",
            "2000");
    List<Row> rows =
        CausalImpactJob.run(
            spark(),
            OptionValues.resolve(
                CausalImpactJob.COMMAND,
                CausalImpactJob.OPTIONS,
                args.toArray(new String[0]),
                null));
    Map<String, Row> byKey = new HashMap<>();
    for (Row r : rows) {
      byKey.put(r.<String>getAs("series_id") + "/" + r.<Integer>getAs("window"), r);
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
    Assertions.assertTrue(
        Double.isNaN(byKey.get("market-003/1").<Double>getAs("window_end")), "open window");
    // The generator's impact grows with time: the later window's average impact is larger.
    Assertions.assertTrue(w2.<Double>getAs("average_mean") > w1.<Double>getAs("average_mean"));
    try (var memos = Files.list(tmp.resolve("w-out").resolve("memos"))) {
      Assertions.assertTrue(
          memos.anyMatch(m -> m.getFileName().toString().startsWith("market-001__window_2")),
          "a memo per window");
    }
    // A window for a series the input does not have is listed, not dropped unseen.
    JsonNode manifest =
        new ObjectMapper().readTree(tmp.resolve("w-out").resolve("manifest.json").toFile());
    assertEquals("[\"ghost\"]", manifest.get("interventions_unmatched").toString());
  }

  /** The local-level model through the job: deterministic per series, real effects found. */
  @Test
  void localLevelModelRunsPerSeries() throws Exception {
    Path csv = tmp.resolve("ll.csv");
    SeriesGenerator.write(
        OptionValues.resolve(
            SeriesGenerator.COMMAND,
            SeriesGenerator.OPTIONS,
            new String[] {"--output", csv.toString(), "--series", "4"},
            null));
    String[] extra = {"--model", "local-level", "--burn", "200", "--gibbs-draws", "500"};
    List<Row> a = run(csv, tmp.resolve("ll-a"), extra);
    List<Row> b = run(csv, tmp.resolve("ll-b"), extra);
    assertEquals(a.toString(), b.toString(), "same seed, same draws");
    for (Row r : a) {
      assertEquals("ok", r.getAs("status"));
      // Markets 1, 2 carry effects (factor >= 0.5 of an impact >= 4.5); market 0 and 3 none.
      boolean effect =
          !r.<String>getAs("series_id").equals("market-000")
              && !r.<String>getAs("series_id").equals("market-003");
      assertEquals(effect, r.<Boolean>getAs("significant"), r.toString());
    }
  }

  private static Path generated(Path csv, int series) {
    SeriesGenerator.write(
        OptionValues.resolve(
            SeriesGenerator.COMMAND,
            SeriesGenerator.OPTIONS,
            new String[] {"--output", csv.toString(), "--series", String.valueOf(series)},
            null));
    return csv;
  }

  /** The generated CSV with each row's time (field 1) rewritten by {@code time}. */
  private Path withTimes(Path numeric, String name, IntFunction<String> time) throws Exception {
    List<String> lines = Files.readAllLines(numeric);
    StringBuilder b = new StringBuilder(lines.get(0)).append('\n');
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      f[1] = time.apply(Integer.parseInt(f[1]));
      b.append(String.join(",", f)).append('\n');
    }
    Path out = tmp.resolve(name);
    Files.writeString(out, b.toString());
    return out;
  }

  private static final LocalDate DAY0 = LocalDate.parse("2026-01-01");

  private static JsonNode manifest(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
  }

  private List<Row> runWith(Path in, Path out, String interventionTime, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                in.toString(),
                "--output",
                out.toString(),
                "--time-col",
                "time",
                "--outcome-col",
                "y",
                "--controls",
                "c1,c2",
                "--intervention-time",
                interventionTime,
                "--trend",
                "--draws",
                "2000"));
    args.addAll(List.of(extra));
    return CausalImpactJob.run(
        spark(),
        OptionValues.resolve(
            CausalImpactJob.COMMAND,
            CausalImpactJob.OPTIONS,
            args.toArray(new String[0]),
            SpecReader::read));
  }

  /**
   * Dates and timestamps, as CSV text or as Parquet date/timestamp columns, read as days since
   * 1970-01-01 UTC: day t of the numeric example becomes 2026-01-01 + t, and the analysis is the
   * numeric one (the trend is shift-free, the draws are seeded by series id). Dates are whole days,
   * so those runs agree bit for bit; timestamps at 10:00 carry a fraction whose rounding may move
   * the trend regressor by an ulp, so they agree to 1e-9 (relative).
   */
  @Test
  void datesAndTimestampsReadAsDaysSinceEpoch() throws Exception {
    Path numeric = generated(tmp.resolve("num.csv"), 4);
    List<Row> base = run(numeric, tmp.resolve("num-out"));
    String start = DAY0.plusDays(82).toString();
    double startDays = DAY0.plusDays(82).toEpochDay();

    Path dates = withTimes(numeric, "dates.csv", t -> DAY0.plusDays(t).toString());
    List<Row> byDate = runWith(dates, tmp.resolve("date-out"), start);
    assertSameAnalysis(base, byDate, startDays, 0);
    assertEquals(
        TimeValues.CALENDAR_UNIT, manifest(tmp.resolve("date-out")).get("time_unit").asText());
    Row firstPoint =
        spark()
            .read()
            .parquet(tmp.resolve("date-out").resolve(CausalImpactJob.IMPACT_POINTWISE).toString())
            .orderBy("time")
            .first();
    assertEquals((double) DAY0.toEpochDay(), firstPoint.<Double>getAs("time"), 0.0);

    // Both timestamp spellings in one column, and the intervention as a timestamp.
    Path stamps =
        withTimes(
            numeric, "stamps.csv", t -> DAY0.plusDays(t) + (t % 2 == 0 ? "T" : " ") + "10:00:00");
    assertSameAnalysis(
        base,
        runWith(stamps, tmp.resolve("ts-out"), start + "T10:00:00"),
        startDays + 10 / 24.0,
        1e-9);

    Dataset<Row> typed =
        spark()
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .csv(numeric.toString());
    Path dateParquet = tmp.resolve("dates.parquet");
    typed
        .withColumn("time", functions.expr("date_add(date'2026-01-01', time)"))
        .write()
        .parquet(dateParquet.toString());
    assertSameAnalysis(base, runWith(dateParquet, tmp.resolve("dp-out"), start), startDays, 0);
    Path tsParquet = tmp.resolve("ts.parquet");
    // An instant (UTC 10:00) whatever the session time zone; the intervention given with its
    // offset.
    typed
        .withColumn(
            "time",
            functions.expr(
                "timestamp_seconds(" + DAY0.toEpochDay() * 86400 + " + time * 86400 + 36000)"))
        .write()
        .parquet(tsParquet.toString());
    assertSameAnalysis(
        base,
        runWith(tsParquet, tmp.resolve("tp-out"), start + "T11:00:00+01:00"),
        startDays + 10 / 24.0,
        1e-9);
  }

  /**
   * Same statuses and counts; figures equal to {@code rel} (0 = bit for bit); the given
   * intervention time.
   */
  private static void assertSameAnalysis(
      List<Row> base, List<Row> other, double interventionDays, double rel) {
    assertEquals(base.size(), other.size());
    for (int i = 0; i < base.size(); i++) {
      Row a = base.get(i);
      Row b = other.get(i);
      assertEquals(a.<String>getAs("series_id"), b.<String>getAs("series_id"));
      assertEquals("ok", b.getAs("status"), b.toString());
      assertEquals(a.<Integer>getAs("n_pre"), b.<Integer>getAs("n_pre"));
      assertEquals(a.<Integer>getAs("n_post"), b.<Integer>getAs("n_post"));
      for (String f :
          List.of(
              "average_mean",
              "average_q025",
              "cumulative_mean",
              "tail_area_p",
              "placebo_p",
              "pre_r2")) {
        assertEquals(
            a.<Double>getAs(f),
            b.<Double>getAs(f),
            rel * Math.abs(a.<Double>getAs(f)),
            f + " of " + a.<String>getAs("series_id"));
      }
      assertEquals(interventionDays, b.<Double>getAs("intervention_time"), 1e-9);
    }
  }

  /**
   * Dates everywhere an intervention time can come from: a YAML spec (an unquoted date is a YAML
   * timestamp), an intervention column, and an --interventions table; each gives the numeric run's
   * analysis.
   */
  @Test
  void interventionDatesFromSpecColumnAndTable() throws Exception {
    Path numeric = generated(tmp.resolve("iv.csv"), 2);
    List<Row> base = run(numeric, tmp.resolve("iv-num"));
    String start = DAY0.plusDays(82).toString();
    double startDays = DAY0.plusDays(82).toEpochDay();
    Path dates = withTimes(numeric, "iv-dates.csv", t -> DAY0.plusDays(t).toString());
    Path spec = tmp.resolve("spec.yaml");
    Files.writeString(spec, "intervention-time: " + start + "\n");
    List<String> common =
        List.of(
            "--input",
            dates.toString(),
            "--time-col",
            "time",
            "--outcome-col",
            "y",
            "--controls",
            "c1,c2",
            "--trend",
            "--draws",
            "2000");
    List<String> args = new ArrayList<>(common);
    args.addAll(List.of("--output", tmp.resolve("iv-spec").toString(), "--spec", spec.toString()));
    assertSameAnalysis(
        base,
        CausalImpactJob.run(
            spark(),
            OptionValues.resolve(
                CausalImpactJob.COMMAND,
                CausalImpactJob.OPTIONS,
                args.toArray(new String[0]),
                SpecReader::read)),
        startDays,
        0);

    List<String> lines = Files.readAllLines(dates);
    StringBuilder withCol = new StringBuilder(lines.get(0)).append(",iv\n");
    for (String line : lines.subList(1, lines.size())) {
      withCol.append(line).append(',').append(start).append('\n');
    }
    Path col = tmp.resolve("iv-col.csv");
    Files.writeString(col, withCol.toString());
    args = new ArrayList<>(common);
    args.set(1, col.toString());
    args.addAll(List.of("--output", tmp.resolve("iv-col").toString(), "--intervention-col", "iv"));
    assertSameAnalysis(
        base,
        CausalImpactJob.run(
            spark(),
            OptionValues.resolve(
                CausalImpactJob.COMMAND,
                CausalImpactJob.OPTIONS,
                args.toArray(new String[0]),
                null)),
        startDays,
        0);

    Path table = tmp.resolve("iv-windows.csv");
    Files.writeString(
        table,
        "series_id,start,end\nmarket-000,"
            + start
            + ",\nmarket-001,"
            + start
            + ","
            + DAY0.plusDays(119)
            + "\n");
    args = new ArrayList<>(common);
    args.addAll(
        List.of(
            "--output", tmp.resolve("iv-table").toString(), "--interventions", table.toString()));
    assertSameAnalysis(
        base,
        CausalImpactJob.run(
            spark(),
            OptionValues.resolve(
                CausalImpactJob.COMMAND,
                CausalImpactJob.OPTIONS,
                args.toArray(new String[0]),
                null)),
        startDays,
        0);
    Files.writeString(table, "series_id,start,end\nmarket-000,82,\n");
    args.set(args.indexOf(tmp.resolve("iv-table").toString()), tmp.resolve("iv-table2").toString());
    List<String> finalArgs = args;
    UsageException e =
        Assertions.assertThrows(
            UsageException.class,
            () ->
                CausalImpactJob.run(
                    spark(),
                    OptionValues.resolve(
                        CausalImpactJob.COMMAND,
                        CausalImpactJob.OPTIONS,
                        finalArgs.toArray(new String[0]),
                        null)));
    Assertions.assertTrue(
        e.getMessage()
            .contains(
                "start '82' of series 'market-000' is a number but time column 'time' holds dates"),
        e.getMessage());
  }

  /** A time that is neither a number nor a date, or a number against dates, is one clear line. */
  @Test
  void timeKindsAreNotMixedSilently() throws Exception {
    Path numeric = generated(tmp.resolve("k.csv"), 2);
    Path dates = withTimes(numeric, "k-dates.csv", t -> DAY0.plusDays(t).toString());
    UsageException e =
        Assertions.assertThrows(
            UsageException.class, () -> runWith(dates, tmp.resolve("k1"), "82"));
    assertEquals(
        "--intervention-time 82 is a number but time column 'time' holds dates or timestamps; give"
            + " it as a date or timestamp such as 2026-01-05 or 2026-01-05T10:00:00",
        e.getMessage());
    e =
        Assertions.assertThrows(
            UsageException.class, () -> runWith(numeric, tmp.resolve("k2"), "2026-03-24"));
    Assertions.assertTrue(
        e.getMessage()
            .startsWith(
                "--intervention-time 2026-03-24 is a date or timestamp but time column 'time' holds"
                    + " numbers"),
        e.getMessage());
    e =
        Assertions.assertThrows(
            UsageException.class, () -> runWith(numeric, tmp.resolve("k3"), "soon"));
    Assertions.assertTrue(
        e.getMessage().startsWith("--intervention-time 'soon' is neither a number nor a date"),
        e.getMessage());
    Path mixed =
        withTimes(
            numeric, "k-mixed.csv", t -> t < 100 ? String.valueOf(t) : DAY0.plusDays(t).toString());
    e =
        Assertions.assertThrows(
            UsageException.class, () -> runWith(mixed, tmp.resolve("k4"), "82"));
    Assertions.assertTrue(
        e.getMessage()
            .startsWith(
                "time column 'time' mixes numbers (200 rows) and dates or timestamps (40 rows)"),
        e.getMessage());
    Path words = withTimes(numeric, "k-words.csv", t -> "day " + t);
    e =
        Assertions.assertThrows(
            UsageException.class, () -> runWith(words, tmp.resolve("k5"), "82"));
    Assertions.assertTrue(
        e.getMessage().startsWith("time column 'time' has no value that reads as a number, a date"),
        e.getMessage());
    Assertions.assertTrue(e.getMessage().endsWith("e.g. 'day 0'"), e.getMessage());
    Assertions.assertFalse(Files.exists(tmp.resolve("k1")), "no output from a refused run");
  }

  /**
   * Bad rows are quarantined under a named reason and counted, the rest of their series is analysed
   * as if they were absent, and rows_read = rows_used + rows_rejected.
   */
  @Test
  void badRowsAreQuarantinedAndCounted() throws Exception {
    Path clean = generated(tmp.resolve("q.csv"), 3);
    Path dirty = tmp.resolve("q-dirty.csv");
    Files.writeString(
        dirty,
        Files.readString(clean)
            + ",200,1,2,3,0\n"
            + "market-000,,1,2,3,0\nmarket-000,soon,1,2,3,0\nmarket-000,NaN,1,2,3,0\n"
            + "market-001,200,,2,3,0\nmarket-001,201,abc,2,3,0\nmarket-001,202,Infinity,2,3,0\n"
            + "market-002,203,1,,3,0\nmarket-002,204,1,2,x,0\nmarket-002,205,1,2,-Infinity,0\n"
            + "ghost,1,,2,3,0\nghost,2,abc,2,3,0\n");
    List<Row> base = run(clean, tmp.resolve("q-clean"));
    List<Row> rows = run(dirty, tmp.resolve("q-out"));
    Map<String, Row> byId = new HashMap<>();
    for (Row r : rows) {
      byId.put(r.<String>getAs("series_id"), r);
    }
    assertEquals(
        Set.of("market-000", "market-001", "market-002", "ghost"),
        byId.keySet(),
        "no phantom series for a null id");
    assertEquals(Status.NO_USABLE_ROWS.code(), byId.get("ghost").getAs("status"));
    assertEquals(2L, byId.get("ghost").<Long>getAs("rows_rejected"));
    for (Row a : base) {
      Row b = byId.get(a.<String>getAs("series_id"));
      assertEquals(3L, b.<Long>getAs("rows_rejected"));
      // The quarantined rows are absent from the analysis: the summary is the clean run's.
      for (int i = 0; i < SUMMARY_FIGURES; i++) {
        assertEquals(a.get(i), b.get(i), a.<String>getAs("series_id") + " field " + i);
      }
    }
    JsonNode m = manifest(tmp.resolve("q-out"));
    assertEquals(3 * 120 + 12, m.get("rows_read").asLong());
    assertEquals(3 * 120, m.get("rows_used").asLong());
    assertEquals(12, m.get("rows_rejected").asLong());
    Map<String, Long> reasons = new TreeMap<>();
    m.get("rejected_by_reason")
        .fields()
        .forEachRemaining(f -> reasons.put(f.getKey(), f.getValue().asLong()));
    Map<String, Long> expected = new TreeMap<>();
    for (String r :
        List.of(
            "null:series_id",
            "null:time",
            "not_time:time",
            "nonfinite:time",
            "null:y",
            "not_numeric:y",
            "nonfinite:y",
            "null:c1",
            "not_numeric:c2",
            "nonfinite:c2")) {
      expected.put(r, 1L);
    }
    expected.merge("null:y", 1L, Long::sum);
    expected.merge("not_numeric:y", 1L, Long::sum);
    assertEquals(expected, reasons);
    Dataset<Row> rejected =
        spark().read().parquet(tmp.resolve("q-out").resolve("rejected_rows").toString());
    assertEquals(12, rejected.count());
    assertEquals(12, rejected.where("reject_reason IS NOT NULL").count());
    Assertions.assertTrue(
        Files.readString(tmp.resolve("q-out").resolve("memos/market-000.md"))
            .contains("3 rows of this series were quarantined"));
  }

  /**
   * The summary columns a clean and a quarantined run share (all but window_end and rows_rejected).
   */
  private static final int SUMMARY_FIGURES = 28;

  /**
   * Constant or exactly collinear controls give singular_controls for that series only; the other
   * series' figures are those of a run without them.
   */
  @Test
  void singularControlsAffectOnlyTheirSeries() throws Exception {
    Path clean = generated(tmp.resolve("s.csv"), 3);
    List<String> lines = Files.readAllLines(clean);
    StringBuilder extra = new StringBuilder();
    for (String line : lines.subList(1, 121)) {
      String[] f = line.split(",");
      double c1 = Double.parseDouble(f[3]);
      extra
          .append("flat,")
          .append(f[1])
          .append(',')
          .append(f[2])
          .append(',')
          .append(f[3])
          .append(",3.3,0\n");
      extra
          .append("collinear,")
          .append(f[1])
          .append(',')
          .append(f[2])
          .append(',')
          .append(f[3])
          .append(',')
          .append(3 * c1 + 1)
          .append(",0\n");
    }
    Path with = tmp.resolve("s-with.csv");
    Files.writeString(with, Files.readString(clean) + extra);
    List<Row> base = run(clean, tmp.resolve("s-clean"));
    Map<String, Row> byId = new HashMap<>();
    for (Row r : run(with, tmp.resolve("s-out"))) {
      byId.put(r.<String>getAs("series_id"), r);
    }
    assertEquals("singular_controls", byId.get("flat").getAs("status"));
    assertEquals("singular_controls", byId.get("collinear").getAs("status"));
    Assertions.assertFalse(byId.get("collinear").<Boolean>getAs("significant"));
    for (Row a : base) {
      assertEquals(a.toString(), byId.get(a.<String>getAs("series_id")).toString());
    }
  }

  /**
   * A series whose values overflow double arithmetic (1e160 squared) gets status numerical_failure,
   * for both models, and every other series is analysed as without it.
   */
  @Test
  void aSeriesOverflowingDoublesFailsAloneForBothModels() throws Exception {
    Path clean = generated(tmp.resolve("o.csv"), 3);
    List<String> lines = Files.readAllLines(clean);
    StringBuilder extra = new StringBuilder();
    for (String line : lines.subList(1, 121)) {
      String[] f = line.split(",");
      extra.append("huge,").append(f[1]).append(',');
      extra.append(f[1].equals("10") ? "1e160" : f[2]);
      extra.append(',').append(f[3]).append(',').append(f[4]).append(",0\n");
    }
    Path with = tmp.resolve("o-with.csv");
    Files.writeString(with, Files.readString(clean) + extra);
    for (String model : new String[] {"regression", "local-level"}) {
      List<Row> base = run(clean, tmp.resolve("o-clean-" + model), "--model", model);
      Map<String, Row> byId = new HashMap<>();
      for (Row r : run(with, tmp.resolve("o-out-" + model), "--model", model)) {
        byId.put(r.<String>getAs("series_id"), r);
      }
      assertEquals("numerical_failure", byId.get("huge").getAs("status"), model);
      for (Row a : base) {
        assertEquals(a.toString(), byId.get(a.<String>getAs("series_id")).toString(), model);
      }
    }
  }

  /**
   * The console table, memos and report never carry an id's control characters, and the placebo
   * floor 1/(1 + placebos) is stated where placebo p is shown.
   */
  @Test
  void printedIdsAreCleanAndThePlaceboFloorIsStated() throws Exception {
    Path clean = generated(tmp.resolve("c.csv"), 2);
    String evil = "\u001b[31mred\u0007";
    Path in = tmp.resolve("c-evil.csv");
    Files.writeString(in, Files.readString(clean).replace("market-001", evil));
    Path out = tmp.resolve("c-out");
    List<Row> rows = run(in, out, "--report", "all");
    String table = CausalImpactJob.consoleTable(rows);
    Assertions.assertFalse(table.contains("\u001b") || table.contains("\u0007"), table);
    Assertions.assertTrue(table.contains("\uFFFD[31mred\uFFFD"), table);
    Assertions.assertTrue(
        table.contains("placebo p cannot go below 1/(1 + placebos) = 0.091 with 10 placebos"),
        table);
    // market-001 has a real effect no placebo matches: its placebo p sits at the floor.
    Assertions.assertTrue(table.contains("<=0.091"), table);
    try (var files = Files.walk(out)) {
      for (Path f :
          files
              .filter(f -> f.toString().endsWith(".md") || f.toString().endsWith(".html"))
              .toList()) {
        String text = Files.readString(f);
        Assertions.assertFalse(text.contains("\u001b") || text.contains("\u0007"), f.toString());
      }
    }
    String memo = Files.readString(out.resolve("memos/market-000.md"));
    Assertions.assertTrue(memo.contains("with 10 placebos it cannot go below 1/11 = 0.091"), memo);
    Assertions.assertTrue(
        Files.readString(out.resolve("report/index.html"))
            .contains("cannot go below 1/11 = 0.091 with 10 placebos"));
  }

  @Test
  void usageErrorsNameTheProblem() throws Exception {
    Path in = data();
    UsageException e =
        Assertions.assertThrows(
            UsageException.class, () -> run(in, tmp.resolve("x"), "--intervention-col", "iv"));
    Assertions.assertTrue(e.getMessage().contains("exactly one of"), e.getMessage());
    e =
        Assertions.assertThrows(
            UsageException.class,
            () ->
                CausalImpactJob.run(
                    spark(),
                    OptionValues.resolve(
                        CausalImpactJob.COMMAND,
                        CausalImpactJob.OPTIONS,
                        new String[] {
                          "--input",
                          in.toString(),
                          "--output",
                          tmp.resolve("y").toString(),
                          "--time-col",
                          "time",
                          "--outcome-col",
                          "y",
                          "--controls",
                          "c1,nope",
                          "--intervention-time",
                          "82"
                        },
                        null)));
    Assertions.assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    Assertions.assertFalse(e.getMessage().contains("segfx_raw_line"), e.getMessage());
    Path headerOnly = tmp.resolve("header.csv");
    Files.writeString(headerOnly, "series_id,time,y,c1,c2\n");
    e = Assertions.assertThrows(UsageException.class, () -> run(headerOnly, tmp.resolve("h")));
    Assertions.assertTrue(
        e.getMessage().endsWith("has no rows (a header only?): there is nothing to analyse"),
        e.getMessage());
    // A named series column must exist: silently reading every row as one series would merge them.
    e =
        Assertions.assertThrows(
            UsageException.class, () -> run(in, tmp.resolve("z"), "--series-col", "market"));
    Assertions.assertTrue(
        e.getMessage().startsWith("--series-col market: input has no such column (columns: "),
        e.getMessage());
  }

  /**
   * Both jobs detect the input format with one rule: a gzip-compressed {@code .csv.gz} is CSV for
   * causal-impact as for segment-effects, and gives the same summaries as the plain file.
   */
  @Test
  void readsGzippedCsvByItsName() throws Exception {
    Path plain = generated(tmp.resolve("plain.csv"), 3);
    Path gz = tmp.resolve("plain.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(plain));
    }
    List<Row> a = run(plain, tmp.resolve("gz-a"));
    List<Row> b = run(gz, tmp.resolve("gz-b"));
    assertEquals(3, b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).toString(), b.get(i).toString());
    }
    String manifest = Files.readString(tmp.resolve("gz-b").resolve("manifest.json"));
    Assertions.assertTrue(manifest.contains("\"input_format\" : \"csv\""), manifest);
    Assertions.assertTrue(manifest.contains("\"gibbs_draws\" : 2000"), manifest);
  }
}
