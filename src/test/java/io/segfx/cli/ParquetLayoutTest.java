package io.segfx.cli;

import static io.segfx.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.io.OutputTables;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet layouts and types a warehouse produces, through the command line: each gets the right
 * answer, its bad rows quarantined and counted, or one line and exit 2 — never a silently different
 * reading. The CSV form of the same rows is the reference where one exists.
 */
class ParquetLayoutTest extends SharedSparkSession {
  @TempDir Path tmp;

  private static final StructType UNITS =
      new StructType()
          .add("experiment_id", DataTypes.StringType)
          .add("segment", DataTypes.StringType)
          .add("arm", DataTypes.IntegerType)
          .add("y", DataTypes.DoubleType);

  /** Rows of the given experiments, two segments, 30 units per arm. */
  private static List<Row> rows(String... experiments) {
    Random r = new Random(3);
    List<Row> out = new ArrayList<>();
    for (String e : experiments) {
      for (String g : new String[] {"s1", "s2"}) {
        for (int i = 0; i < 60; i++) {
          out.add(RowFactory.create(e, g, i % 2, 10 + 0.5 * (i % 2) + r.nextGaussian()));
        }
      }
    }
    return out;
  }

  private Dataset<Row> units(String... experiments) {
    return spark().createDataFrame(rows(experiments), UNITS);
  }

  private CliRun run(Path in, Path out, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "segment-effects",
                "--input",
                in.toString(),
                "--output",
                out.toString(),
                "--metric",
                "y",
                "--draws",
                "500",
                "--report",
                "none",
                "--memos",
                "none"));
    a.addAll(List.of(extra));
    return cli(a.toArray(new String[0]));
  }

  private static void refused(CliRun r, Path out, String message) {
    assertEquals(2, r.code(), r.err());
    Assertions.assertTrue(r.err().startsWith("segfx: "), r.err());
    Assertions.assertTrue(r.err().contains(message), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(out));
  }

  private static JsonNode manifest(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
  }

  /** The (experiment, segment) -> (n control, n treatment) of segment_estimates. */
  private Map<String, String> cells(Path out) {
    Map<String, String> m = new TreeMap<>();
    for (Row r :
        JobRunner.table(spark(), out.toString(), OutputTables.SEGMENT_ESTIMATES).collectAsList()) {
      m.put(
          r.getAs("experiment_id") + "/" + r.getAs("segment"),
          r.getAs("n_control") + "," + r.getAs("n_treatment"));
    }
    return m;
  }

  @Test
  void decimalIdsKeepTheirDigitsAtAnySize() throws Exception {
    // 2^64 + 1 and 1 share their low 64 bits: a cast to long would merge them.
    Path in = tmp.resolve("decimal-ids");
    units("18446744073709551617", "1", "2.5")
        .selectExpr("cast(experiment_id as decimal(38,18)) as experiment_id", "segment", "arm", "y")
        .write()
        .parquet(in.toString());
    Path out = tmp.resolve("decimal-out");
    CliRun r = run(in, out);
    assertEquals(0, r.code(), r.err());
    Map<String, String> cells = cells(out);
    assertEquals(
        new TreeSet<>(List.of("1", "18446744073709551617", "2.5")),
        new TreeSet<>(cells.keySet().stream().map(k -> k.split("/")[0]).toList()));
    assertEquals("30,30", cells.get("18446744073709551617/s1"));
    assertEquals("30,30", cells.get("1/s1"));
  }

  @Test
  void partitionFolderValuesAreText() throws Exception {
    // Spark would read 7 and 07 as one integer, and dates as a date no id column may be.
    String[][] layouts = {{"7", "07"}, {"2024-01-01", "2024-01-02"}};
    for (String[] ids : layouts) {
      Path in = tmp.resolve("partitioned-" + ids[0]);
      for (String e : ids) {
        units(e).drop("experiment_id").write().parquet(in.resolve("experiment_id=" + e).toString());
      }
      Path out = tmp.resolve("partitioned-out-" + ids[0]);
      CliRun r = run(in, out);
      assertEquals(0, r.code(), r.err());
      Map<String, String> cells = cells(out);
      assertEquals(4, cells.size(), cells.toString());
      for (String e : ids) {
        assertEquals("30,30", cells.get(e + "/s1"), cells.toString());
      }
    }
  }

  @Test
  void pathsWithSpacesAndPercentSignsAreRead() throws Exception {
    // Spark lists files as escaped URIs (sp%20ace) and escapes % in partition folder names.
    Path in = tmp.resolve("sp ace 50%");
    units("e1").write().parquet(in.toString());
    Files.copy(
        Files.list(in).filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow(),
        in.resolve("copy.parquet._COPYING_"));
    Path out = tmp.resolve("sp ace out");
    CliRun r = run(in, out);
    assertEquals(0, r.code(), r.err());
    assertEquals(Map.of("e1/s1", "30,30", "e1/s2", "30,30"), cells(out));
    Path parts = tmp.resolve("parts");
    units("e1", "e 2")
        .selectExpr("concat(experiment_id, ' 50%') as experiment_id", "segment", "arm", "y")
        .write()
        .partitionBy("experiment_id")
        .parquet(parts.toString());
    Path out2 = tmp.resolve("parts-out");
    r = run(parts, out2);
    assertEquals(0, r.code(), r.err());
    assertEquals("30,30", cells(out2).get("e 2 50%/s1"), cells(out2).toString());
  }

  @Test
  void decimalFractionsInScientificNotationKeepTheirDigits() throws Exception {
    Path in = tmp.resolve("tiny-ids");
    units("1E-10", "2E-10", "0.25")
        .selectExpr("cast(experiment_id as decimal(38,12)) as experiment_id", "segment", "arm", "y")
        .write()
        .parquet(in.toString());
    Path out = tmp.resolve("tiny-out");
    CliRun r = run(in, out);
    assertEquals(0, r.code(), r.err());
    TreeSet<String> ids =
        new TreeSet<>(cells(out).keySet().stream().map(k -> k.split("/")[0]).toList());
    assertEquals(3, ids.size(), ids.toString());
    Assertions.assertTrue(ids.contains("0.25"), ids.toString());
    for (String id : ids) {
      if (!id.equals("0.25")) {
        Assertions.assertTrue(
            new java.math.BigDecimal(id).compareTo(new java.math.BigDecimal("1E-9")) < 0, id);
      }
    }
  }

  @Test
  void aFileInAPlainSubfolderIsRefusedNotDropped() {
    Path in = tmp.resolve("nested");
    units("e1").write().parquet(in.toString());
    units("e2").write().parquet(in.resolve("sub").toString());
    Path out = tmp.resolve("nested-out");
    refused(run(in, out), out, "is in a subfolder that Spark does not read");
    Assertions.assertTrue(run(in, out).err().contains("file sub/part-"));
  }

  @Test
  void filesWithoutANeededColumnHaveThoseRowsQuarantined() throws Exception {
    Path in = tmp.resolve("evolved");
    units("e1").drop("segment").write().parquet(in.resolve("a").toString());
    units("e2").write().mode("append").parquet(in.resolve("a").toString());
    Path out = tmp.resolve("evolved-out");
    CliRun r = run(in.resolve("a"), out);
    assertEquals(0, r.code(), r.err());
    JsonNode m = manifest(out);
    assertEquals(240, m.get("rows_read").asLong());
    assertEquals(120, m.get("rows_used").asLong());
    assertEquals(120, m.get("rejected_by_reason").get("null:segment").asLong());
    assertEquals(Map.of("e2/s1", "30,30", "e2/s2", "30,30"), cells(out));
  }

  @Test
  void aColumnTypedDifferentlyBetweenFilesIsNamed() {
    Path in = tmp.resolve("types");
    units("e1").write().parquet(in.toString());
    units("e2")
        .selectExpr("experiment_id", "segment", "cast(arm as bigint) as arm", "y")
        .write()
        .mode("append")
        .parquet(in.toString());
    Path out = tmp.resolve("types-out");
    CliRun r = run(in, out);
    refused(r, out, "its files give column 'arm' as ");
    Assertions.assertTrue(
        r.err().contains("as INT and as BIGINT") || r.err().contains("as BIGINT and as INT"),
        r.err());
  }

  @Test
  void columnsDifferingOnlyInCaseAreRefused() {
    Path in = tmp.resolve("case");
    spark().conf().set("spark.sql.caseSensitive", "true");
    try {
      units("e1").selectExpr("*", "'u' as unit", "'v' as UNIT").write().parquet(in.toString());
    } finally {
      spark().conf().unset("spark.sql.caseSensitive");
    }
    Path out = tmp.resolve("case-out");
    refused(run(in, out), out, "two columns named 'unit' that differ only in case");
  }

  @Test
  void keyOptionsNamingOneColumnInTwoSpellingsAreRefused() {
    Path in = tmp.resolve("keys");
    units("e1").write().parquet(in.toString());
    Path out = tmp.resolve("keys-out");
    refused(
        run(in, out, "--experiment-col", "SEGMENT"),
        out,
        "column 'segment' is named twice among the experiment, segment, arm, metric and covariate"
            + " columns (as 'SEGMENT' and 'segment')");
    refused(run(in, out, "--covariates", "Y"), out, "column 'Y' is named twice");
  }

  @Test
  void estimateVariantsAreReadAsUnitRowsReadArms() throws Exception {
    Path in = tmp.resolve("estimates.csv");
    Files.writeString(
        in,
        String.join(
            "\n",
            "experiment_id,segment,variant,estimate,std_error",
            "e1,s1,1,0.5,0.1",
            "e1,s1,1.0,0.6,0.1",
            "e1,s2, 1,0.4,0.1",
            "e1,s3,01,0.3,0.1",
            "e1,s4,1,0.2,0.1",
            ""));
    Path out = tmp.resolve("estimates-out");
    CliRun r = run(in, out, "--input-kind", "estimates");
    assertEquals(0, r.code(), r.err());
    JsonNode m = manifest(out);
    assertEquals(2, m.get("rejected_by_reason").get("duplicate:segment").asLong());
    List<Row> decisions =
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_DECISIONS).collectAsList();
    assertEquals(1, decisions.size());
    assertEquals("1", decisions.get(0).getAs("variant"));
  }
}
