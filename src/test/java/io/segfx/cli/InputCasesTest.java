package io.segfx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.cli.InputCases.Answer;
import io.segfx.cli.InputCases.Case;
import io.segfx.cli.InputCases.Refusal;
import io.segfx.io.OutputTables;
import io.segfx.testing.SharedSparkSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of {@link InputCaseTable} and checks its stated outcome. By default in this JVM
 * through {@link SegfxMain#run} (the code scripts/segfx runs); with {@code -Dsegfx.cases=process}
 * each case is a {@code scripts/segfx} process started in the case's folder, as {@code
 * scripts/input-cases} does in CI. Every answer must balance its manifest (rows read = used +
 * quarantined, and quarantined = the sum by reason) against the records the case wrote; every
 * refusal must be one line, exit 2, no stack trace and no output.
 */
class InputCasesTest extends SharedSparkSession {
  static final boolean PROCESS = "process".equals(System.getProperty("segfx.cases"));

  @TempDir Path tmp;

  static List<Case> cases() {
    return InputCaseTable.all();
  }

  /** A finished run and accessors for the checks. */
  record Result(
      int code, String stdout, String stderr, Path out, JsonNode manifest, SparkSession spark) {
    private List<Row> table(String name) {
      return spark.read().parquet(out.resolve(name).toString()).collectAsList();
    }

    Set<String> experiments() {
      Set<String> s = new TreeSet<>();
      for (Row r : table(OutputTables.EXPERIMENT_DECISIONS)) {
        s.add(r.getAs("experiment_id"));
      }
      return s;
    }

    Set<String> variants() {
      Set<String> s = new TreeSet<>();
      for (Row r : table(OutputTables.EXPERIMENT_DECISIONS)) {
        s.add(r.getAs("variant"));
      }
      return s;
    }

    Set<String> segments(String experiment) {
      Set<String> s = new TreeSet<>();
      for (Row r : table(OutputTables.SEGMENT_ESTIMATES)) {
        if (experiment.equals(r.getAs("experiment_id"))) {
          s.add(r.getAs("segment"));
        }
      }
      return s;
    }

    String recommendation(String experiment) {
      for (Row r : table(OutputTables.EXPERIMENT_DECISIONS)) {
        if (experiment.equals(r.getAs("experiment_id"))) {
          return r.getAs("recommendation");
        }
      }
      return null;
    }

    boolean memosAndPagesContain(String text) throws Exception {
      try (Stream<Path> files = Files.walk(out)) {
        for (Path p :
            (Iterable<Path>)
                files.filter(f -> f.toString().endsWith(".md") || f.toString().endsWith(".html"))
                    ::iterator) {
          if (Files.readString(p).contains(text)) {
            return true;
          }
        }
      }
      return false;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void caseHasItsStatedOutcome(Case c) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(c.name()));
    if (c.file() != null) {
      Files.write(dir.resolve(c.file()), c.content());
    }
    for (Map.Entry<String, byte[]> f : c.setup().entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, f.getValue());
    }
    Map<Path, byte[]> before = snapshot(dir);
    Result r = PROCESS ? process(c, dir) : inJvm(c, dir);
    if (c.expect() instanceof Refusal refusal) {
      assertEquals(2, r.code(), "exit code; stderr: " + r.stderr());
      List<String> lines = segfxLines(r.stderr());
      assertEquals(1, lines.size(), "one line: " + r.stderr());
      Assertions.assertTrue(lines.get(0).contains(refusal.message()), lines.get(0));
      assertFalse(
          r.stderr().contains("\tat ") || r.stderr().contains("Exception in thread"),
          "no stack trace: " + r.stderr());
      assertEquals(
          before.keySet(), snapshot(dir).keySet(), "a refusal leaves the folder as it was");
      for (Map.Entry<Path, byte[]> e : before.entrySet()) {
        Assertions.assertTrue(
            Arrays.equals(e.getValue(), Files.readAllBytes(e.getKey())),
            "unchanged: " + e.getKey());
      }
      return;
    }
    Answer a = (Answer) c.expect();
    assertEquals(0, r.code(), "exit code; stderr: " + tail(r.stderr()));
    JsonNode m = r.manifest();
    long byReason = 0;
    Map<String, Long> got = new LinkedHashMap<>();
    for (var it = m.get("rejected_by_reason").fields(); it.hasNext(); ) {
      var e = it.next();
      got.put(e.getKey(), e.getValue().asLong());
      byReason += e.getValue().asLong();
    }
    assertEquals(a.rowsRead(), m.get("rows_read").asLong(), "rows read = records written");
    assertEquals(
        m.get("rows_read").asLong(),
        m.get("rows_used").asLong() + m.get("rows_rejected").asLong(),
        "balance");
    assertEquals(m.get("rows_rejected").asLong(), byReason, "rejected = sum by reason");
    assertEquals(a.rejected(), got, "quarantine reasons");
    if (a.check() != null) {
      a.check().verify(r);
    }
  }

  /** The case table of docs/operations.md lists exactly these cases, in this order. */
  @Test
  void caseTableListsEveryCase() throws Exception {
    String readme = Files.readString(Path.of("docs/operations.md"));
    String table = readme.substring(readme.indexOf("| case | outcome |"));
    List<String> listed = new ArrayList<>();
    for (String line : table.split("\n")) {
      if (!line.startsWith("|")) {
        break;
      }
      Matcher m = Pattern.compile("^\\| `([a-z0-9-]+)` \\|").matcher(line);
      if (m.find()) {
        listed.add(m.group(1));
      }
    }
    List<String> names = new ArrayList<>();
    for (Case c : cases()) {
      names.add(c.name());
    }
    assertEquals(names, listed);
  }

  private static Map<Path, byte[]> snapshot(Path dir) throws Exception {
    Map<Path, byte[]> out = new LinkedHashMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        out.put(p, Files.readAllBytes(p));
      }
    }
    return out;
  }

  /** The lines the CLI itself printed (log lines of Spark and segfx start with a time). */
  private static List<String> segfxLines(String stderr) {
    List<String> out = new ArrayList<>();
    for (String l : stderr.split("\n")) {
      if (l.startsWith("segfx: ")) {
        out.add(l);
      }
    }
    return out;
  }

  private static String tail(String s) {
    return s.length() < 4000 ? s : s.substring(s.length() - 4000);
  }

  private static List<String> resolved(Case c, Path dir, boolean relative) {
    List<String> out = new ArrayList<>();
    String base = relative ? "." : dir.toString();
    for (String a : c.args()) {
      out.add(
          a.replace(
                  "{in}",
                  relative
                      ? c.file() == null ? "" : c.file()
                      : dir.resolve(c.file() == null ? "" : c.file()).toString())
              .replace("{out}", relative ? "out" : dir.resolve("out").toString())
              .replace("{dir}", base));
    }
    return out;
  }

  private Result inJvm(Case c, Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SegfxMain.run(
            resolved(c, dir, false).toArray(new String[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return finish(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), dir);
  }

  private Result process(Case c, Path dir) throws Exception {
    Path script =
        Path.of(System.getProperty("segfx.home", ".")).toAbsolutePath().resolve("scripts/segfx");
    List<String> cmd = new ArrayList<>();
    cmd.add(script.toString());
    cmd.addAll(resolved(c, dir, true));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("SEGFX_DRIVER_MEMORY", "2g");
    pb.environment().put("SEGFX_CONF", "spark.ui.enabled=false");
    Path so = Files.createTempFile("case", ".out");
    Path se = Files.createTempFile("case", ".err");
    pb.redirectOutput(so.toFile()).redirectError(se.toFile());
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("case " + c.name() + " did not finish in 180 s");
    }
    return finish(p.exitValue(), Files.readString(so), Files.readString(se), dir);
  }

  private Result finish(int code, String out, String err, Path dir) throws Exception {
    Path o = dir.resolve("out");
    JsonNode m =
        Files.exists(o.resolve("manifest.json"))
            ? new ObjectMapper().readTree(o.resolve("manifest.json").toFile())
            : null;
    return new Result(code, out, err, o, m, spark());
  }
}
