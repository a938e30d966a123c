package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segfx.config.UsageException;
import io.segfx.io.OutputTables;
import io.segfx.testing.Fixtures;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentEffectsJobTest extends SharedSparkSession {
  @TempDir Path tmp;

  private String section9Csv() {
    return Fixtures.path("seed_section9_segments.csv").toString();
  }

  /** The section-9 arguments; {@code --pooling moments} unless {@code more} names a pooling. */
  private static String[] section9Args(String input, String output, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--input",
                input,
                "--output",
                output,
                "--arm-col",
                "A",
                "--metric",
                "Y",
                "--covariates",
                "baseline",
                "--draws",
                "2000"));
    if (!List.of(more).contains("--pooling")) {
      a.addAll(List.of("--pooling", "moments"));
    }
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  /**
   * The notebook's section-9 table end to end from unit rows: raw OLS estimates and SEs, shrunk
   * estimates, weights and posterior sds to 1e-9 relative (deterministic arithmetic), and the
   * pooled mu-hat and omega-hat. The notebook's posterior sd treats mu-hat as known; segfx's
   * carries mu-hat's variance too (issue #18: post_sd² = (1 - B) se² + B² mu_se²), so the
   * notebook's sd is checked as post_sd² - B² mu_se², B = 1 - shrinkage_weight.
   */
  @Test
  void reproducesSeedSection9WithMomentsPooling() {
    String out = tmp.resolve("s9").toString();
    JobRunner.run(spark(), section9Args(section9Csv(), out));
    Map<String, Row> est = bySegment(JobRunner.table(spark(), out, OutputTables.SEGMENT_ESTIMATES));
    Map<String, Row> post =
        bySegment(JobRunner.table(spark(), out, OutputTables.SEGMENT_POSTERIORS));
    List<Map<String, String>> expected = Fixtures.csv("seed_section9_expected.csv");
    assertEquals(18, est.size());
    assertEquals(18, post.size());
    Row pool = JobRunner.table(spark(), out, OutputTables.EXPERIMENT_POOLING).first();
    double muSe = pool.getAs("mu_se");
    for (Map<String, String> x : expected) {
      String s = x.get("segment");
      Row e = est.get(s);
      Row p = post.get(s);
      assertEquals("ok", e.getAs("status"));
      assertEquals(
          Long.parseLong(x.get("n")),
          (long) e.getAs("n_control") + (long) e.getAs("n_treatment"),
          s);
      assertRel(x.get("raw_estimate"), e.getAs("estimate"), s);
      assertRel(x.get("raw_se"), e.getAs("std_error"), s);
      assertRel(x.get("shrunk_estimate"), p.getAs("post_mean"), s);
      assertRel(x.get("shrinkage_weight_on_raw"), p.getAs("shrinkage_weight"), s);
      double b = 1 - (double) p.getAs("shrinkage_weight");
      double postSd = p.getAs("post_sd");
      assertRel(x.get("posterior_sd"), Math.sqrt(postSd * postSd - b * b * muSe * muSe), s);
    }
    assertEquals("moments", pool.getAs("method"));
    assertEquals(1.1194577592887442, (double) pool.getAs("mu"), 1e-9);
    assertEquals(0.6342516671663995, (double) pool.getAs("tau"), 1e-9);
    assertEquals(18, (int) pool.getAs("n_segments"));
    // The notebook prints mu_hat = 1.1195 and omega_hat = 0.6343.
    assertEquals(1.1195, (double) pool.getAs("mu"), 5e-5);
    assertEquals(0.6343, (double) pool.getAs("tau"), 5e-5);
  }

  private static void assertRel(String expected, Object actual, String what) {
    double x = Double.parseDouble(expected);
    Assertions.assertTrue(
        Fixtures.closeRel(x, (double) actual, 1e-9), what + ": expected " + x + ", got " + actual);
  }

  private static Map<String, Row> bySegment(Dataset<Row> t) {
    Map<String, Row> m = new HashMap<>();
    for (Row r : t.collectAsList()) {
      m.put(r.getAs("segment"), r);
    }
    return m;
  }

  /** Same input in 1 and 7 partitions (rows shuffled) gives bit-identical tables. */
  @Test
  void bitIdenticalWhateverThePartitioning() {
    // Under Kryo, as clusters commonly run.
    assertEquals(
        "org.apache.spark.serializer.KryoSerializer",
        spark().sparkContext().getConf().get("spark.serializer"));
    Dataset<Row> rows = spark().read().option("header", "true").csv(section9Csv());
    String one = tmp.resolve("p1.parquet").toString();
    String seven = tmp.resolve("p7.parquet").toString();
    rows.coalesce(1).write().parquet(one);
    rows.repartition(7).write().parquet(seven);
    String o1 = tmp.resolve("o1").toString();
    String o7 = tmp.resolve("o7").toString();
    JobRunner.run(
        spark(),
        section9Args(
            one,
            o1,
            "--pooling",
            "reml",
            "--users",
            "1000",
            "--value-per-unit",
            "2",
            "--cost",
            "100"));
    JobRunner.run(
        spark(),
        section9Args(
            seven,
            o7,
            "--pooling",
            "reml",
            "--users",
            "1000",
            "--value-per-unit",
            "2",
            "--cost",
            "100"));
    for (String t :
        List.of(
            OutputTables.SEGMENT_ESTIMATES,
            OutputTables.SEGMENT_POSTERIORS,
            OutputTables.EXPERIMENT_POOLING,
            OutputTables.EXPERIMENT_DECISIONS)) {
      List<String> a = JobRunner.rows(spark(), o1, t);
      assertFalse(a.isEmpty(), t);
      assertEquals(a, JobRunner.rows(spark(), o7, t), t);
    }
  }

  private static final StructType MESSY =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("experiment_id", DataTypes.StringType, true),
              DataTypes.createStructField("segment", DataTypes.StringType, true),
              DataTypes.createStructField("arm", DataTypes.StringType, true),
              DataTypes.createStructField("x", DataTypes.DoubleType, true),
              DataTypes.createStructField("y", DataTypes.StringType, true)));

  /**
   * Degenerate cells stay in the output with a status; bad rows are quarantined with a reason and
   * the manifest reconciles: rows_read = rows_used + rows_rejected, per reason.
   */
  @Test
  void degenerateCellsAndBadRowsAreAccountedFor() {
    List<Row> rows = new ArrayList<>();
    Random r = new Random(3);
    for (int i = 0; i < 40; i++) {
      String arm = i % 2 == 0 ? "c" : "t";
      rows.add(
          RowFactory.create(
              "e1",
              "good",
              arm,
              r.nextGaussian(),
              String.valueOf(r.nextGaussian() + (arm.equals("t") ? 1 : 0))));
      rows.add(RowFactory.create("e1", "const_x", arm, 1.0, String.valueOf(r.nextGaussian())));
      rows.add(
          RowFactory.create(
              "e1", "control_only", "c", r.nextGaussian(), String.valueOf(r.nextGaussian())));
      rows.add(
          RowFactory.create(
              "e1", "treatment_only", "t", r.nextGaussian(), String.valueOf(r.nextGaussian())));
    }
    rows.add(RowFactory.create("e1", "tiny", "c", 0.5, "1.0"));
    rows.add(RowFactory.create("e1", "tiny", "t", 0.7, "2.0"));
    rows.add(RowFactory.create("e1", "good", "c", 0.1, null));
    rows.add(RowFactory.create("e1", "good", "c", Double.NaN, "1"));
    rows.add(RowFactory.create("e1", "good", "c", 0.1, "abc"));
    rows.add(RowFactory.create("e1", "good", "c", 0.1, "Infinity"));
    rows.add(RowFactory.create("e1", "good", "zz", 0.1, "1"));
    rows.add(RowFactory.create("e1", null, "c", 0.1, "1"));
    rows.add(RowFactory.create("e1", "good", "c", 1e200, "1"));
    String in = tmp.resolve("messy.parquet").toString();
    spark().createDataFrame(rows, MESSY).write().parquet(in);
    String out = tmp.resolve("messy-out").toString();
    Map<String, Object> m =
        JobRunner.run(
                spark(),
                "--input",
                in,
                "--output",
                out,
                "--control-arm",
                "c",
                "--variants",
                "t",
                "--metric",
                "y",
                "--covariates",
                "x",
                "--draws",
                "500")
            .manifest();
    Map<String, String> status = new HashMap<>();
    for (Row e : JobRunner.table(spark(), out, OutputTables.SEGMENT_ESTIMATES).collectAsList()) {
      status.put(e.getAs("segment"), e.getAs("status"));
    }
    assertEquals("ok", status.get("good"));
    assertEquals("singular_covariates", status.get("const_x"));
    assertEquals("empty_treatment", status.get("control_only"));
    assertEquals("empty_control", status.get("treatment_only"));
    assertEquals("too_few_rows", status.get("tiny"));
    @SuppressWarnings("unchecked")
    Map<String, Long> reasons = (Map<String, Long>) m.get("rejected_by_reason");
    assertEquals(
        Map.of(
            "null:y",
            1L,
            "nonfinite:x",
            1L,
            "not_numeric:y",
            1L,
            "nonfinite:y",
            1L,
            "unknown_arm",
            1L,
            "null:segment",
            1L,
            "out_of_range:x",
            1L),
        reasons);
    long read = (long) m.get("rows_read");
    assertEquals(rows.size(), read);
    assertEquals(read, (long) m.get("rows_used") + (long) m.get("rows_rejected"));
    assertEquals(7L, (long) m.get("rows_rejected"));
    Dataset<Row> rejected = JobRunner.table(spark(), out, OutputTables.REJECTED_ROWS);
    assertEquals(7, rejected.count());
    assertEquals(1, rejected.where("reject_reason = 'unknown_arm' AND arm = 'zz'").count());
    // One usable segment: not pooled, its own posterior is reported.
    Row pool = JobRunner.table(spark(), out, OutputTables.EXPERIMENT_POOLING).first();
    assertEquals("none", pool.getAs("method"));
    assertEquals(1, (int) pool.getAs("n_segments"));
    assertEquals(5, (int) pool.getAs("n_segments_total"));
    Assertions.assertTrue(Files.exists(Path.of(out, "manifest.json")));
    Assertions.assertTrue(Files.exists(Path.of(out, "_SUCCESS")));
  }

  /** Without experiment and segment columns the input is one experiment with one segment, "all". */
  @Test
  void absentExperimentAndSegmentColumns() {
    List<Row> rows = new ArrayList<>();
    Random r = new Random(4);
    for (int i = 0; i < 200; i++) {
      rows.add(RowFactory.create(i % 2, 0.3 * (i % 2) + r.nextGaussian()));
    }
    StructType schema =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("arm", DataTypes.IntegerType, false),
                DataTypes.createStructField("y", DataTypes.DoubleType, false)));
    String in = tmp.resolve("plain.parquet").toString();
    spark().createDataFrame(rows, schema).write().parquet(in);
    String out = tmp.resolve("plain-out").toString();
    JobRunner.run(spark(), "--input", in, "--output", out, "--metric", "y", "--draws", "500");
    Row e = JobRunner.table(spark(), out, OutputTables.SEGMENT_ESTIMATES).first();
    assertEquals("all", e.getAs("experiment_id"));
    assertEquals("all", e.getAs("segment"));
    assertEquals("1", e.getAs("variant"));
    assertEquals(100L, (long) e.getAs("n_control"));
    Row d = JobRunner.table(spark(), out, OutputTables.EXPERIMENT_DECISIONS).first();
    // One segment, no pooling: the experiment effect is the segment's own N(estimate, se^2).
    assertEquals(
        (double) e.getAs("estimate"),
        (double) d.getAs("effect_mean"),
        4 * (double) e.getAs("std_error") / Math.sqrt(500));
  }

  @Test
  void missingColumnIsAClearError() {
    String out = tmp.resolve("never").toString();
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                JobRunner.run(
                    spark(),
                    "--input",
                    section9Csv(),
                    "--output",
                    out,
                    "--arm-col",
                    "A",
                    "--metric",
                    "revenue"));
    Assertions.assertTrue(
        e.getMessage().contains("input has no column 'revenue' (the metric (--metric))"),
        e.getMessage());
    Assertions.assertTrue(e.getMessage().contains("baseline"), e.getMessage());
    assertFalse(Files.exists(Path.of(out)), "no output for a failed run");
  }

  @Test
  void existingOutputNeedsOverwrite() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("exists"));
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> JobRunner.run(spark(), section9Args(section9Csv(), out.toString())));
    Assertions.assertTrue(e.getMessage().contains("--mode overwrite"), e.getMessage());
    JobRunner.run(spark(), section9Args(section9Csv(), out.toString(), "--mode", "overwrite"));
    Assertions.assertTrue(Files.exists(out.resolve("manifest.json")));
  }

  /**
   * A previous output is replaced only while everything in it, at any depth and hidden or not, is
   * what that run wrote: a hidden note, a folder such as .git, or a file inside report/ is a user's
   * and is never deleted.
   */
  @Test
  void overwriteRefusesHiddenAndNestedUserFiles() throws Exception {
    Path out = tmp.resolve("previous");
    JobRunner.run(spark(), section9Args(section9Csv(), out.toString()));
    Assertions.assertTrue(Files.exists(out.resolve(".segfx-files")));
    // The pristine previous output is replaced.
    JobRunner.run(spark(), section9Args(section9Csv(), out.toString(), "--mode", "overwrite"));
    String[][] additions = {
      {".mynotes", "mine"}, {".git/HEAD", "ref: main"}, {"memos/README-mine.txt", "mine"}
    };
    for (String[] a : additions) {
      Path user = out.resolve(a[0]);
      Files.createDirectories(user.getParent());
      Files.writeString(user, a[1]);
      UsageException e =
          assertThrows(
              UsageException.class,
              () ->
                  JobRunner.run(
                      spark(), section9Args(section9Csv(), out.toString(), "--mode", "overwrite")));
      Assertions.assertTrue(
          e.getMessage().contains("holds files segfx did not write (" + a[0].split("/")[0]),
          e.getMessage());
      Assertions.assertEquals(a[1], Files.readString(user), "the user's file is kept");
      Files.delete(user);
      if (a[0].startsWith(".git/")) {
        Files.delete(user.getParent());
      }
    }
    JobRunner.run(spark(), section9Args(section9Csv(), out.toString(), "--mode", "overwrite"));
    Assertions.assertTrue(Files.exists(out.resolve("manifest.json")));
  }
}
