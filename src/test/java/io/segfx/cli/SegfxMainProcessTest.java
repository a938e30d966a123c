package io.segfx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.spark.FaultInjection;
import io.segfx.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI in its own JVMs, as schedulers call it: local[1] and local[2] runs give byte-identical
 * tables (CSV output, so the files themselves are compared), and user errors exit 2 with one
 * message and no stack trace.
 */
class SegfxMainProcessTest {
  @TempDir Path tmp;

  private static final String OPENS = System.getProperty("segfx.test.opens", "");

  private static Process start(Path log, String... args) throws IOException {
    return start(log, List.of(), args);
  }

  private static Process start(Path log, List<String> jvmProps, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmProps);
    for (String o : OPENS.split(" ")) {
      if (!o.isBlank()) {
        cmd.add(o);
      }
    }
    cmd.add("-Xmx1g");
    cmd.add("-Dspark.ui.enabled=false");
    cmd.add("-Dspark.driver.bindAddress=127.0.0.1");
    cmd.add("-Dspark.driver.host=127.0.0.1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SegfxMain.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  private int run(Path log, String... args) throws Exception {
    return start(log, args).waitFor();
  }

  private static String csvTable(Path dir) throws IOException {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
        b.append(Files.readString(f));
      }
    }
    return b.toString();
  }

  /**
   * local[1], local[2] and local[2] with every task's first attempt failing (local[2,4] allows
   * retries) write byte-identical tables.
   */
  @Test
  void localOneLocalTwoAndRetriedTasksAreByteIdentical() throws Exception {
    String input = Fixtures.path("seed_section9_segments.csv").toString();
    List<String> outs = new ArrayList<>();
    List<String> masters = List.of("local[1]", "local[2]", "local[2,4]");
    for (String master : masters) {
      Path out = tmp.resolve("out-" + master.replaceAll("\\W", ""));
      Path log = tmp.resolve(out.getFileName() + ".log");
      List<String> props =
          master.equals("local[2,4]")
              ? List.of("-D" + FaultInjection.PROPERTY + "=true")
              : List.of();
      int code =
          start(
                  log,
                  props,
                  "segment-effects",
                  "--input",
                  input,
                  "--output",
                  out.toString(),
                  "--arm-col",
                  "A",
                  "--metric",
                  "Y",
                  "--covariates",
                  "baseline",
                  "--output-format",
                  "csv",
                  "--draws",
                  "5000",
                  "--users",
                  "900000",
                  "--value-per-unit",
                  "1",
                  "--cost",
                  "100000",
                  "--master",
                  master)
              .waitFor();
      assertEquals(0, code, Files.readString(log));
      String manifest = Files.readString(out.resolve("manifest.json"));
      assertEquals(
          !props.isEmpty(),
          !manifest.contains("\"failed_task_attempts\" : 0"),
          "injected failures are retried and counted: " + manifest);
      StringBuilder all = new StringBuilder();
      for (String t :
          List.of(
              "segment_estimates",
              "segment_posteriors",
              "experiment_pooling",
              "experiment_decisions")) {
        String csv = csvTable(out.resolve(t));
        assertFalse(csv.isBlank(), t);
        all.append(t).append('\n').append(csv);
      }
      outs.add(all.toString());
      assertTrue(Files.readString(log).contains("units_to_decide"), "prints the verdict table");
    }
    assertEquals(outs.get(0), outs.get(1));
    assertEquals(outs.get(0), outs.get(2));
  }

  /**
   * A run killed midway leaves nothing under the output path (it writes to a hidden staging folder
   * and renames it into place last), and a rerun into the same folder then succeeds.
   */
  @Test
  void killedRunLeavesNoOutput() throws Exception {
    String input = Fixtures.path("seed_section9_segments.csv").toString();
    Path out = tmp.resolve("killed");
    String[] args = {
      "segment-effects",
      "--input",
      input,
      "--output",
      out.toString(),
      "--arm-col",
      "A",
      "--metric",
      "Y",
      "--covariates",
      "baseline",
      "--master",
      "local[2]"
    };
    Process p = start(tmp.resolve("killed.log"), args);
    long deadline = System.currentTimeMillis() + 120_000;
    boolean staged = false;
    while (!staged && System.currentTimeMillis() < deadline && p.isAlive()) {
      try (Stream<Path> s = Files.list(tmp)) {
        staged = s.anyMatch(f -> f.getFileName().toString().startsWith(".killed.staging-"));
      }
      Thread.sleep(20);
    }
    assertTrue(staged, "the run started staging: " + Files.readString(tmp.resolve("killed.log")));
    p.destroyForcibly().waitFor();
    assertFalse(Files.exists(out), "a killed run must not leave output under " + out);
    Path log = tmp.resolve("rerun.log");
    assertEquals(0, run(log, args), Files.readString(log));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void userErrorsExitTwoWithOneMessage() throws Exception {
    Path log = tmp.resolve("err.log");
    int code =
        run(
            log,
            "segment-effects",
            "--input",
            "x.parquet",
            "--output",
            "o",
            "--metric",
            "y",
            "--bogus",
            "1");
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(2, code, text);
    assertTrue(
        text.contains("segfx: segment-effects: unknown option --bogus; valid options:"), text);
    assertFalse(text.contains("\tat "), "no stack trace: " + text);

    Path log2 = tmp.resolve("err2.log");
    code =
        run(
            log2,
            "segment-effects",
            "--input",
            tmp.resolve("missing.parquet").toString(),
            "--output",
            tmp.resolve("o2").toString(),
            "--metric",
            "y");
    String text2 = Files.readString(log2, StandardCharsets.UTF_8);
    assertEquals(2, code, text2);
    assertTrue(text2.contains("segfx: input not found:"), text2);
    assertFalse(text2.contains("\tat "), "no stack trace: " + text2);
  }
}
