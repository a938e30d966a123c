package io.segfx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segfx.config.TableName;
import io.segfx.config.UsageException;
import io.segfx.job.SegmentEffectsJob;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * segment-effects through Spark's catalog, on an Iceberg Hadoop catalog of the test's own (the
 * shared session lives for the whole JVM, so each test registers a catalog under its own name and
 * warehouse at run time, which Spark's catalog manager reads on first use).
 */
class CatalogTablesTest extends SharedSparkSession {
  @TempDir Path tmp;

  private String catalog(String name) {
    String key = "spark.sql.catalog." + name;
    spark().conf().set(key, "org.apache.iceberg.spark.SparkCatalog");
    spark().conf().set(key + ".type", "hadoop");
    spark().conf().set(key + ".warehouse", tmp.resolve("warehouse").toUri().toString());
    return name;
  }

  private String counts() throws IOException {
    Path csv = tmp.resolve("counts.csv");
    Files.writeString(csv, "arm,n,conversions\n0,5200,593\n1,5100,635\n");
    return csv.toString();
  }

  private SegmentEffectsJob.Outcome run(String input, String prefix, String date, String... more) {
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "--input",
                input,
                "--input-kind",
                "counts",
                "--metric",
                "converted:binary",
                "--output-table-prefix",
                prefix,
                "--run-date",
                date));
    a.addAll(List.of(more));
    return JobRunner.run(spark(), a.toArray(new String[0]));
  }

  private long count(String sql) {
    return spark().sql(sql).count();
  }

  private List<Long> snapshots(String table) {
    return spark()
        .sql("SELECT snapshot_id FROM " + table + ".snapshots ORDER BY committed_at")
        .as(org.apache.spark.sql.Encoders.LONG())
        .collectAsList();
  }

  @Test
  void rerunReplacesItsDatesPartitionAndKeepsTheOthers() throws IOException {
    String prefix = catalog("cat_rerun") + ".db.exp";
    String verdicts = prefix + "_experiment_verdicts";
    String runs = prefix + "_runs";
    String input = counts();

    SegmentEffectsJob.Outcome first = run(input, prefix, "2026-12-01");
    String firstRun = (String) first.manifest().get("run_id");
    long verdictRows = count("SELECT * FROM " + verdicts);
    assertEquals(first.verdicts().size(), verdictRows);
    assertEquals(
        List.of("[" + firstRun + ",2026-12-01,2,2,0]"),
        spark()
            .sql("SELECT run_id, run_date, rows_read, rows_used, rows_rejected FROM " + runs)
            .collectAsList()
            .stream()
            .map(Row::toString)
            .toList());
    List<Long> before = snapshots(verdicts);

    // The same date again: the partition is replaced, not appended to, in a new snapshot.
    SegmentEffectsJob.Outcome second = run(input, prefix, "2026-12-01");
    String secondRun = (String) second.manifest().get("run_id");
    assertNotEquals(firstRun, secondRun);
    assertEquals(verdictRows, count("SELECT * FROM " + verdicts));
    assertEquals(
        verdictRows, count("SELECT * FROM " + verdicts + " WHERE run_id = '" + secondRun + "'"));
    assertEquals(1, count("SELECT * FROM " + runs));
    List<Long> after = snapshots(verdicts);
    assertEquals(before.size() + 1, after.size());

    // Time travel: the previous snapshot holds the first run's rows.
    Row old =
        spark()
            .sql(
                "SELECT DISTINCT run_id FROM "
                    + verdicts
                    + " VERSION AS OF "
                    + before.get(before.size() - 1))
            .first();
    assertEquals(firstRun, old.getString(0));

    // Another date: a second partition; the first date's rows are untouched.
    run(input, prefix, "2026-12-02");
    assertEquals(2 * verdictRows, count("SELECT * FROM " + verdicts));
    assertEquals(2, count("SELECT * FROM " + verdicts + ".partitions"));
    assertEquals(
        verdictRows,
        count(
            "SELECT * FROM "
                + verdicts
                + " WHERE run_date = DATE'2026-12-01' AND run_id = '"
                + secondRun
                + "'"));
    assertEquals(2, count("SELECT DISTINCT run_date FROM " + runs));
    // Every table the folder output has is in the catalog, with run_id and run_date first.
    for (String t :
        List.of(
            OutputTables.SEGMENT_ESTIMATES,
            OutputTables.SEGMENT_POSTERIORS,
            OutputTables.EXPERIMENT_POOLING,
            OutputTables.EXPERIMENT_DECISIONS)) {
      Dataset<Row> d = spark().table(prefix + "_" + t);
      assertEquals(List.of("run_id", "run_date"), List.of(d.columns()).subList(0, 2), t);
      org.junit.jupiter.api.Assertions.assertTrue(d.count() > 0, t);
    }
  }

  @Test
  void aWriteFailingMidwayLeavesThePreviousSnapshot() {
    String name = catalog("cat_fail");
    TableName prefix = new TableName(name, "db", "f");
    String runsTable = prefix.withSuffix("t");
    CatalogTables ok =
        CatalogTables.open(spark(), prefix, "run-1", LocalDate.parse("2026-12-01"), "unused");
    Dataset<Row> ids = spark().range(0, 1000, 1, 4).toDF();
    ok.write("t", ids, false);
    List<Long> before = snapshots(runsTable);

    CatalogTables failing =
        CatalogTables.open(spark(), prefix, "run-2", LocalDate.parse("2026-12-01"), "unused");
    // One row of one task fails while the others write their files.
    Dataset<Row> bad =
        ids.withColumn(
            "id",
            functions
                .when(functions.col("id").equalTo(777), functions.raise_error(functions.lit("x")))
                .otherwise(functions.col("id"))
                .cast("long"));
    assertThrows(IllegalStateException.class, () -> failing.write("t", bad, false));

    assertEquals(before, snapshots(runsTable));
    assertEquals(1000, count("SELECT * FROM " + runsTable + " WHERE run_id = 'run-1'"));
    assertEquals(1000, count("SELECT * FROM " + runsTable));
  }

  @Test
  void anUnconfiguredCatalogIsRefusedBeforeAnyWork() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                CatalogTables.open(
                    spark(),
                    new TableName("nowhere", "db", "x"),
                    "r",
                    LocalDate.parse("2026-12-01"),
                    "unused"));
    assertEquals(
        "--output-table-prefix nowhere.db.x: no catalog 'nowhere' is configured (set"
            + " spark.sql.catalog.nowhere, or use the embedded catalog 'local')",
        e.getMessage());
  }

  private Dataset<Row> sql(String q) {
    return spark().sql(q);
  }

  @Test
  void anOlderSchemaIsEvolvedInPlaceAndOlderPartitionsStayReadable() {
    String name = catalog("cat_evolve");
    TableName prefix = new TableName(name, "db", "e");
    String table = prefix.withSuffix("t");
    // The older version's table: an int id, a float figure and a required column since dropped.
    CatalogTables v1 =
        CatalogTables.open(spark(), prefix, "run-1", LocalDate.parse("2026-12-01"), "unused");
    spark()
        .sql(
            "CREATE TABLE "
                + table
                + " (run_id STRING, run_date DATE, id INT, v FLOAT, gone STRING NOT NULL)"
                + " USING iceberg PARTITIONED BY (run_date)");
    v1.write(
        "t",
        sql(
            "SELECT CAST(id AS INT) AS id, CAST(CAST(id AS FLOAT) / 2 AS FLOAT) AS v, 'a' AS gone"
                + " FROM range(3)"),
        false);
    assertEquals(false, spark().table(table).schema().apply("gone").nullable());

    // The newer version writes the id and figure wider, adds a column and no longer writes gone.
    CatalogTables v2 =
        CatalogTables.open(spark(), prefix, "run-2", LocalDate.parse("2026-12-02"), "unused");
    v2.write(
        "t", sql("SELECT id, CAST(id AS DOUBLE) / 4 AS v, id * 10 AS added FROM range(2)"), false);

    org.apache.spark.sql.types.StructType schema = spark().table(table).schema();
    assertEquals("BIGINT", schema.apply("id").dataType().sql());
    assertEquals("DOUBLE", schema.apply("v").dataType().sql());
    assertEquals("BIGINT", schema.apply("added").dataType().sql());
    assertEquals(true, schema.apply("gone").nullable());
    // The older partition reads as written, with nulls in the new column; the newer one has nulls
    // where the dropped column was.
    assertEquals(
        List.of("0,0.0,a,null", "1,0.5,a,null", "2,1.0,a,null"),
        rows("SELECT id, v, gone, added FROM " + table + " WHERE run_id = 'run-1' ORDER BY id"));
    assertEquals(
        List.of("0,0.0,null,0", "1,0.25,null,10"),
        rows("SELECT id, v, gone, added FROM " + table + " WHERE run_id = 'run-2' ORDER BY id"));

    // Re-running the newer date against the evolved table needs no further change.
    int versions = snapshots(table).size();
    v2.write(
        "t", sql("SELECT id, CAST(id AS DOUBLE) / 4 AS v, id * 10 AS added FROM range(2)"), false);
    assertEquals(versions + 1, snapshots(table).size());
    assertEquals(5, count("SELECT * FROM " + table));
  }

  private List<String> rows(String q) {
    List<String> out = new java.util.ArrayList<>();
    for (Row r : spark().sql(q).collectAsList()) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        b.append(i == 0 ? "" : ",").append(r.get(i));
      }
      out.add(b.toString());
    }
    return out;
  }

  @Test
  void aTypeChangeOtherThanWideningIsOneLineAndLeavesTheTable() {
    String name = catalog("cat_types");
    TableName prefix = new TableName(name, "db", "ty");
    String table = prefix.withSuffix("t");
    CatalogTables v1 =
        CatalogTables.open(spark(), prefix, "run-1", LocalDate.parse("2026-12-01"), "unused");
    v1.write("t", sql("SELECT id, CAST(id AS STRING) AS label FROM range(3)"), false);
    List<Long> before = snapshots(table);
    CatalogTables v2 =
        CatalogTables.open(spark(), prefix, "run-2", LocalDate.parse("2026-12-02"), "unused");
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                v2.write("t", sql("SELECT id, CAST(id AS DOUBLE) AS label FROM range(3)"), false));
    assertEquals(
        "table "
            + table
            + ": column label is STRING in the table but DOUBLE in this run; write to a new"
            + " --output-table-prefix, or migrate the table (ALTER TABLE, or drop it) and run"
            + " again",
        e.getMessage());
    assertEquals(before, snapshots(table));
    assertEquals(3, count("SELECT * FROM " + table));
  }

  @Test
  void aRunFigureMissingFromOneRunKeepsItsColumnsType() {
    String name = catalog("cat_runs");
    TableName prefix = new TableName(name, "db", "r");
    String runs = prefix.withSuffix(CatalogTables.RUNS);
    java.util.Map<String, Object> figures = new java.util.LinkedHashMap<>();
    figures.put("rows_read", 10L);
    figures.put("expected_wrong_launches", 0.25);
    CatalogTables.open(spark(), prefix, "run-1", LocalDate.parse("2026-12-01"), "unused")
        .writeRun(figures);
    figures.put("expected_wrong_launches", null);
    CatalogTables.open(spark(), prefix, "run-2", LocalDate.parse("2026-12-02"), "unused")
        .writeRun(figures);
    assertEquals(
        "DOUBLE", spark().table(runs).schema().apply("expected_wrong_launches").dataType().sql());
    assertEquals(
        List.of("run-1,0.25", "run-2,null"),
        rows("SELECT run_id, expected_wrong_launches FROM " + runs + " ORDER BY run_id"));
  }

  @Test
  void theRuntimeNamedInTheRefusalIsTheOneSegfxIsBuiltWith() throws ClassNotFoundException {
    String jar =
        Class.forName("org.apache.iceberg.spark.SparkCatalog")
            .getProtectionDomain()
            .getCodeSource()
            .getLocation()
            .getPath();
    String[] gav = CatalogTables.ICEBERG_RUNTIME.split(":");
    org.junit.jupiter.api.Assertions.assertTrue(
        jar.endsWith("/" + gav[1] + "-" + gav[2] + ".jar"), jar);
  }
}
