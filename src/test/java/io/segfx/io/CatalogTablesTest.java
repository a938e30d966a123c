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
}
