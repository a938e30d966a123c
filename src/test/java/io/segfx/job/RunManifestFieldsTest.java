package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.config.UsageException;
import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import io.segfx.sim.SeriesGenerator;
import io.segfx.testing.Fixtures;
import io.segfx.testing.JobRunner;
import io.segfx.testing.LogCapture;
import io.segfx.testing.SharedSparkSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest fields an operator relies on, for both jobs: status, Spark application and master,
 * the build's git commit, each output table's columns and row count (checked against the tables
 * read back), and the failure manifest of a failed run beside the output folder.
 */
class RunManifestFieldsTest extends SharedSparkSession {
  @TempDir Path tmp;

  private static String[] section9(String out, String metric) {
    return new String[] {
      "--input",
      Fixtures.path("seed_section9_segments.csv").toString(),
      "--output",
      out,
      "--arm-col",
      "A",
      "--metric",
      metric,
      "--covariates",
      "baseline",
      "--draws",
      "500",
      "--pooling",
      "moments",
      "--mode",
      "overwrite"
    };
  }

  @Test
  void segmentEffectsManifest() throws Exception {
    String out = tmp.resolve("out").toString();
    JobRunner.run(spark(), section9(out, "Y"));
    JsonNode m = manifest(Path.of(out));
    assertCommon(m);
    assertTablesMatch(m, out);
    // The table sizes the job already reports agree with output_tables.
    m.get("tables")
        .fields()
        .forEachRemaining(
            e ->
                assertEquals(
                    e.getValue().asLong(),
                    m.at("/output_tables/" + e.getKey() + "/rows").asLong()));
    Assertions.assertTrue(m.at("/run_summary/verdicts").isObject());
  }

  @Test
  void causalImpactManifestHasTheSameSchema() throws Exception {
    Path csv = tmp.resolve("series.csv");
    SeriesGenerator.write(
        OptionValues.resolve(
            SeriesGenerator.COMMAND,
            SeriesGenerator.OPTIONS,
            new String[] {"--output", csv.toString(), "--series", "3"},
            null));
    Path out = tmp.resolve("impact");
    CausalImpactJob.run(
        spark(),
        OptionValues.resolve(
            CausalImpactJob.COMMAND,
            CausalImpactJob.OPTIONS,
            new String[] {
              "--input",
              csv.toString(),
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
              "--draws",
              "200"
            },
            SpecReader::read));
    JsonNode m = manifest(out);
    assertCommon(m);
    assertTablesMatch(m, out.toString());
    // Typed numbers: row accounting, the input's fingerprint and the stage timings.
    for (String p :
        List.of("/rows_read", "/rows_used", "/rows_rejected", "/failed_task_attempts")) {
      Assertions.assertTrue(m.at(p).isIntegralNumber(), p + ": " + m.at(p));
    }
    assertEquals(360, m.get("rows_read").asLong());
    Assertions.assertTrue(m.at("/inputs/0/bytes").isIntegralNumber());
    assertEquals(Files.size(csv), m.at("/inputs/0/bytes").asLong());
    assertEquals(1, m.at("/inputs/0/files").asInt());
    List<String> stages = new ArrayList<>();
    m.get("stage_seconds").fieldNames().forEachRemaining(stages::add);
    assertEquals(List.of("read", "analysis", "write", "report"), stages);
    m.get("stage_seconds").forEach(v -> Assertions.assertTrue(v.isNumber(), v.toString()));
    Assertions.assertTrue(m.at("/series_by_status/ok").isIntegralNumber());
  }

  @Test
  void failedRunLeavesItsManifestBesideTheOutput() throws Exception {
    Path out = tmp.resolve("out");
    RunContext.Target target =
        new RunContext.Target(out.toString(), WriteMode.ERROR, TableFormat.PARQUET, List.of());
    IllegalStateException boom = new IllegalStateException("disk full");
    String runId;
    try (RunContext ctx = RunContext.open(spark(), "segment-effects", target)) {
      runId = ctx.runId();
      ctx.timed("read_aggregate", () -> 1);
      assertEquals(boom, ctx.failed(boom));
    }
    assertFalse(Files.exists(out), "no output for a failed run");
    Path failed = tmp.resolve(".out.failed.json");
    assertEquals(RunContext.failureManifest("file:" + out).toUri().getPath(), failed.toString());
    JsonNode m = new ObjectMapper().readTree(failed.toFile());
    assertEquals(runId, m.get("run_id").asText());
    assertEquals("failed", m.get("status").asText());
    assertEquals("disk full", m.at("/error/message").asText());
    assertEquals(IllegalStateException.class.getName(), m.at("/error/type").asText());
    assertEquals("segment-effects", m.get("command").asText());
    assertEquals(spark().sparkContext().applicationId(), m.get("spark_application_id").asText());
    assertEquals(expectedCommit(), m.at("/versions/git_commit").asText());
    Assertions.assertTrue(m.at("/stage_seconds/read_aggregate").isNumber());
    // A later run of the same output that succeeds removes it: its presence means the last failed.
    JobRunner.run(spark(), section9(out.toString(), "Y"));
    assertFalse(Files.exists(failed));
    assertEquals("succeeded", manifest(out).get("status").asText());
  }

  @Test
  void refusalIsOneLineAndLeavesTheFolderAsItWas() throws Exception {
    Path out = tmp.resolve("out");
    UsageException e;
    List<String> lines;
    try (LogCapture log = new LogCapture(RunContext.class.getName())) {
      e =
          assertThrows(
              UsageException.class, () -> JobRunner.run(spark(), section9(out.toString(), "nope")));
      lines = log.lines();
    }
    try (var files = Files.list(tmp)) {
      assertEquals(List.of(), files.toList(), "a refusal leaves the folder as it was");
    }
    // A refusal's message is its one line (the CLI prints it); the failure manifest is logged at
    // DEBUG, below the console's level, so the console shows nothing else from the run's context.
    assertEquals(List.of(), lines, "nothing beside the refusal's line: " + lines);
    Assertions.assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  private static JsonNode manifest(Path out) throws IOException {
    return new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
  }

  private void assertCommon(JsonNode m) throws Exception {
    assertEquals("succeeded", m.get("status").asText());
    assertEquals(spark().sparkContext().applicationId(), m.get("spark_application_id").asText());
    assertEquals(spark().sparkContext().master(), m.get("spark_master").asText());
    assertEquals(expectedCommit(), m.at("/versions/git_commit").asText());
  }

  /** Every output table's rows and columns, as Spark reads the written table back. */
  private void assertTablesMatch(JsonNode m, String out) {
    JsonNode tables = m.get("output_tables");
    Assertions.assertTrue(tables.size() > 0);
    Iterator<Map.Entry<String, JsonNode>> it = tables.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> t = it.next();
      var back = spark().read().parquet(out + "/" + t.getKey());
      assertEquals(back.count(), t.getValue().get("rows").asLong(), t.getKey());
      StructType schema = back.schema();
      JsonNode columns = t.getValue().get("columns");
      assertEquals(schema.fields().length, columns.size(), t.getKey());
      for (int i = 0; i < columns.size(); i++) {
        StructField f = schema.fields()[i];
        assertEquals(f.name(), columns.get(i).get("name").asText());
        assertEquals(f.dataType().simpleString(), columns.get(i).get("type").asText(), f.name());
      }
    }
  }

  /**
   * The commit of this work tree as git reports it, which the build wrote into the classes; {@code
   * unknown} when the sources are not a git work tree (or git is absent).
   */
  private static String expectedCommit() throws Exception {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(false).start();
      String commit = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && !commit.isEmpty()) {
        return commit;
      }
    } catch (IOException e) {
      // no git: the build wrote unknown
    }
    return "unknown";
  }
}
