package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segfx.config.UsageException;
import io.segfx.io.OutputTables;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --input-table} with {@code --where}: the table's rows go through the same validation and
 * quarantine as a file's, and a bad filter or option combination is one line naming the option.
 */
class InputTableTest extends SharedSparkSession {
  @TempDir Path tmp;

  private static final StructType UNITS =
      new StructType()
          .add("ds", DataTypes.StringType)
          .add("segment", DataTypes.StringType)
          .add("arm", DataTypes.StringType)
          .add("y", DataTypes.DoubleType);

  /**
   * A units table of two days: 2026-12-01 has 200 valid rows and 3 with a null metric, 2026-12-02
   * has 50 rows. The filter must keep only the first day's 203 rows.
   */
  private String unitsTable() {
    String key = "spark.sql.catalog.cat_in";
    spark().conf().set(key, "org.apache.iceberg.spark.SparkCatalog");
    spark().conf().set(key + ".type", "hadoop");
    spark().conf().set(key + ".warehouse", tmp.resolve("warehouse").toUri().toString());
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(
          RowFactory.create("2026-12-01", "s" + (i % 2), String.valueOf(i % 4 / 2), i % 7 * 1.0));
    }
    for (int i = 0; i < 3; i++) {
      rows.add(RowFactory.create("2026-12-01", "s0", "1", null));
    }
    for (int i = 0; i < 50; i++) {
      rows.add(RowFactory.create("2026-12-02", "s0", String.valueOf(i % 2), 100.0));
    }
    Dataset<Row> df = spark().createDataFrame(rows, UNITS);
    spark().sql("CREATE NAMESPACE IF NOT EXISTS cat_in.db");
    String table = "cat_in.db.units";
    try {
      df.writeTo(table).createOrReplace();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return table;
  }

  private static String[] args(String... more) {
    List<String> a = new ArrayList<>(List.of("--metric", "y", "--draws", "200"));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  @Test
  void aFilteredTableIsValidatedAndQuarantinedAsAFileIs() {
    String table = unitsTable();
    String out = tmp.resolve("out").toString();
    var o =
        JobRunner.run(
            spark(), args("--input-table", table, "--where", "ds = '2026-12-01'", "--output", out));
    assertEquals(203L, ((Number) o.manifest().get("rows_read")).longValue());
    assertEquals(200L, ((Number) o.manifest().get("rows_used")).longValue());
    assertEquals(3, JobRunner.table(spark(), out, OutputTables.REJECTED_ROWS).count());
  }

  @Test
  void badCombinationsAndFiltersAreOneLineRefusals() {
    String table = unitsTable();
    String out = tmp.resolve("o").toString();
    UsageException unknown =
        assertThrows(
            UsageException.class,
            () ->
                JobRunner.run(
                    spark(), args("--input-table", table, "--where", "nope = 1", "--output", out)));
    Assertions.assertTrue(
        unknown.getMessage().startsWith("--where 'nope = 1' is not a filter on cat_in.db.units: "),
        unknown.getMessage());
    Assertions.assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
    assertEquals(-1, unknown.getMessage().indexOf('\n'), unknown.getMessage());
    UsageException unparsed =
        assertThrows(
            UsageException.class,
            () ->
                JobRunner.run(
                    spark(),
                    args("--input-table", table, "--where", "ds = = 'x'", "--output", out)));
    Assertions.assertTrue(
        unparsed.getMessage().startsWith("--where 'ds = = 'x'' is not a filter"),
        unparsed.getMessage());
    assertEquals(-1, unparsed.getMessage().indexOf('\n'), unparsed.getMessage());
    assertEquals(
        "give --input or --input-table, not both",
        assertThrows(
                UsageException.class,
                () ->
                    JobRunner.run(
                        spark(), args("--input", "x.csv", "--input-table", table, "--output", out)))
            .getMessage());
    assertEquals(
        "give --input PATH or --input-table CATALOG.DB.TABLE",
        assertThrows(UsageException.class, () -> JobRunner.run(spark(), args("--output", out)))
            .getMessage());
    assertEquals(
        "--where filters an --input-table; it is not used with --input",
        assertThrows(
                UsageException.class,
                () ->
                    JobRunner.run(
                        spark(), args("--input", "x.csv", "--where", "ds = 1", "--output", out)))
            .getMessage());
    assertEquals(
        "give --output DIR, --output-table-prefix CATALOG.DB.PREFIX, or both",
        assertThrows(UsageException.class, () -> JobRunner.run(spark(), args("--input", "x.csv")))
            .getMessage());
    assertEquals(
        "--run-date '2026-13-01' is not a date YYYY-MM-DD (e.g. 2026-12-01)",
        assertThrows(
                UsageException.class,
                () ->
                    JobRunner.run(
                        spark(),
                        args("--input", "x.csv", "--output", out, "--run-date", "2026-13-01")))
            .getMessage());
    assertEquals(
        "--output-table-prefix 'a.b' is not CATALOG.DB.NAME (three names of letters, digits and"
            + " '_', e.g. local.db.experiments)",
        assertThrows(
                UsageException.class,
                () ->
                    JobRunner.run(
                        spark(), args("--input", "x.csv", "--output-table-prefix", "a.b")))
            .getMessage());
  }
}
