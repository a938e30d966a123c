package io.segfx.cli;

import static io.segfx.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.io.OutputTables;
import io.segfx.sim.ExampleDataGenerator;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed inputs through the CLI entry point (the code scripts/segfx runs, here in the test JVM's
 * shared session). Each gets either a clear error (exit 2, one message, no output) or quarantined
 * rows with a reason and a manifest that reconciles.
 */
class BadInputTest extends SharedSparkSession {
  @TempDir Path tmp;

  private Path csv(String name, String... lines) throws Exception {
    Path p = tmp.resolve(name + ".csv");
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  private static JsonNode manifest(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
  }

  private static void assertReconciles(JsonNode m) {
    long byReason = 0;
    for (JsonNode v : m.get("rejected_by_reason")) {
      byReason += v.asLong();
    }
    assertEquals(m.get("rows_rejected").asLong(), byReason);
    assertEquals(
        m.get("rows_read").asLong(), m.get("rows_used").asLong() + m.get("rows_rejected").asLong());
  }

  private void assertUserError(CliRun r, Path out, String expected) {
    assertEquals(2, r.code(), r.err());
    Assertions.assertTrue(r.err().startsWith("segfx: "), r.err());
    Assertions.assertTrue(r.err().contains(expected), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(Files.exists(out), "no output after an error");
  }

  /** A header and rows where the good segment has 40 units in each arm. */
  private List<String> goodRows() {
    List<String> l = new ArrayList<>();
    l.add("experiment_id,segment,unit_id,arm,x,y");
    Random r = new Random(5);
    for (int i = 0; i < 80; i++) {
      l.add(
          String.format(
              "e1,s1,u%d,%d,%.6f,%.6f", i, i % 2, r.nextGaussian(), r.nextGaussian() + i % 2));
      l.add(String.format("e1,s2,v%d,%d,%.6f,%.6f", i, i % 2, r.nextGaussian(), r.nextGaussian()));
      l.add(String.format("e1,s3,w%d,%d,%.6f,%.6f", i, i % 2, r.nextGaussian(), r.nextGaussian()));
    }
    return l;
  }

  @Test
  void nullsNaNsInfinitiesUnknownArmsAndDuplicateUnitsAreQuarantined() throws Exception {
    List<String> l = goodRows();
    l.add("e1,s1,n1,0,0.5,");
    l.add("e1,s1,n2,0,NaN,1.0");
    l.add("e1,s1,n3,1,0.5,Infinity");
    l.add("e1,s1,n4,1,-Infinity,1.0");
    l.add("e1,s1,n5,1,0.5,12abc");
    l.add("e1,s1,n6,7,0.5,1.0");
    l.add("e1,,n7,0,0.5,1.0");
    l.add("e1,s2,dup,0,0.5,1.0");
    l.add("e1,s2,dup,1,0.5,1.0");
    l.add("e1,s2,,1,0.5,1.0");
    Path in = csv("dirty", l.toArray(new String[0]));
    Path out = tmp.resolve("dirty-out");
    CliRun r =
        cli(
            "segment-effects",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--metric",
            "y",
            "--covariates",
            "x",
            "--variants",
            "1",
            "--unit-col",
            "unit_id",
            "--draws",
            "500");
    assertEquals(0, r.code(), r.err());
    JsonNode m = manifest(out);
    assertReconciles(m);
    assertEquals(l.size() - 1, m.get("rows_read").asLong());
    Map<String, Long> expected = new HashMap<>();
    expected.put("null:y", 1L);
    expected.put("nonfinite:x", 2L);
    expected.put("nonfinite:y", 1L);
    expected.put("not_numeric:y", 1L);
    expected.put("unknown_arm", 1L);
    expected.put("null:segment", 1L);
    expected.put("duplicate:unit_id", 2L);
    expected.put("null:unit_id", 1L);
    Map<String, Long> got = new HashMap<>();
    m.get("rejected_by_reason")
        .fields()
        .forEachRemaining(e -> got.put(e.getKey(), e.getValue().asLong()));
    assertEquals(expected, got);
    List<Row> rejected =
        JobRunner.table(spark(), out.toString(), OutputTables.REJECTED_ROWS).collectAsList();
    assertEquals(10, rejected.size());
    Assertions.assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void missingColumnWrongTypeEmptyInputAndCorruptFileAreClearErrors() throws Exception {
    Path in = csv("ok", goodRows().toArray(new String[0]));
    Path out = tmp.resolve("never");
    assertUserError(
        cli(
            "segment-effects",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--metric",
            "revenue"),
        out,
        "input has no column 'revenue' (the metric (--metric)); its columns are: experiment_id,"
            + " segment, unit_id, arm, x, y");

    Path dated = tmp.resolve("dated.parquet");
    spark()
        .sql("SELECT 'e' AS experiment_id, 's' AS segment, 1 AS arm, current_date() AS y")
        .write()
        .parquet(dated.toString());
    assertUserError(
        cli(
            "segment-effects",
            "--input",
            dated.toString(),
            "--output",
            out.toString(),
            "--metric",
            "y"),
        out,
        "column 'y' has type date; a metric or covariate must be numeric (or numeric text)");

    Path empty = csv("empty", "experiment_id,segment,arm,y");
    assertUserError(
        cli(
            "segment-effects",
            "--input",
            empty.toString(),
            "--output",
            out.toString(),
            "--metric",
            "y"),
        out,
        "has no rows");

    Path corrupt = Files.createDirectories(tmp.resolve("corrupt.parquet"));
    Files.write(
        corrupt.resolve("part-0.parquet"), "this is not parquet".getBytes(StandardCharsets.UTF_8));
    CliRun r =
        cli(
            "segment-effects",
            "--input",
            corrupt.toString(),
            "--output",
            out.toString(),
            "--metric",
            "y");
    assertUserError(r, out, "cannot read");

    assertUserError(
        cli(
            "segment-effects",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--metric",
            "y",
            "--unit-col",
            "user"),
        out,
        "input has no column 'user' (the unit id column (--unit-col))");
  }

  @Test
  void oneRowExperimentAndTenThousandSegments() throws Exception {
    Path in = tmp.resolve("wide.parquet");
    ExampleDataGenerator.generate(
            spark(), new ExampleDataGenerator.Settings(1, 10_000, 10, 12, 1, 3))
        .union(
            spark()
                .sql(
                    "SELECT 'lonely' AS experiment_id, 'seg-01' AS segment, 1L AS unit_id, 1 AS"
                        + " arm, 0.0 AS x1, 0.0 AS x2, 1.0 AS revenue, 0 AS converted, 0.0 AS"
                        + " true_effect"))
        .write()
        .parquet(in.toString());
    Path out = tmp.resolve("wide-out");
    CliRun r =
        cli(
            "segment-effects",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--metric",
            "revenue",
            "--covariates",
            "x1,x2",
            "--draws",
            "1000");
    assertEquals(0, r.code(), r.err());
    assertReconciles(manifest(out));
    Map<String, Row> pooling = new HashMap<>();
    for (Row p :
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_POOLING).collectAsList()) {
      pooling.put(p.getAs("experiment_id"), p);
    }
    Row wide = pooling.get("exp-0001");
    assertEquals(10_000, (int) wide.getAs("n_segments_total"));
    Assertions.assertTrue(
        (int) wide.getAs("n_segments") > 9_900, "almost all cells usable: " + wide);
    assertEquals("full", wide.getAs("method"));
    assertEquals(0, (int) pooling.get("lonely").getAs("n_segments"));
    Map<String, String> rec = new HashMap<>();
    for (Row d :
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_DECISIONS)
            .collectAsList()) {
      rec.put(d.getAs("experiment_id"), d.getAs("recommendation"));
    }
    assertEquals("insufficient_data", rec.get("lonely"));
    Assertions.assertTrue(r.out().contains("lonely"), "printed table lists every experiment");
    try (Stream<Path> s = Files.list(tmp)) {
      assertFalse(
          s.anyMatch(p -> p.getFileName().toString().contains(".staging-")), "no staging left");
    }
  }

  @Test
  void unknownCommandAndSpecTypo() throws Exception {
    CliRun r = cli("segment-effect", "--input", "x");
    assertEquals(2, r.code());
    Assertions.assertTrue(
        r.err().contains("unknown command 'segment-effect'; commands: segment-effects"), r.err());
    Path spec = tmp.resolve("bad.yaml");
    Files.writeString(spec, "input: x\noutput: y\nmetric: z\ndraw: 10\n");
    r = cli("segment-effects", "--spec", spec.toString());
    assertEquals(2, r.code());
    Assertions.assertTrue(
        r.err().contains("unknown key 'draw'; valid keys for segment-effects:"), r.err());
  }
}
