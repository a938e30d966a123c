package io.segfx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * segfx's CSV tables read back by the readers users have, with every value unchanged: Python's
 * {@code csv} module, pandas and DuckDB (each told the RFC 4180 dialect and to keep text as text).
 * Ids with separators, quotes, line breaks and leading or trailing spaces must come back as
 * written, {@code s1} and {@code "s1 "} must stay two segments, and every number must parse to the
 * Parquet run's double exactly. Outside CI a reader that is not installed is skipped; in CI ({@code
 * CI=true}, where .ci/run installs them) a missing reader fails.
 */
class CsvOutputRoundTripTest extends SharedSparkSession {
  @TempDir Path tmp;

  private static final String[] IDS = {
    "plain", "comma, inside", "say \"hi\"", " lead", "trail ", "two\nlines", "ünï"
  };
  private static final String[] COLUMNS = {
    "experiment_id", "segment", "variant", "estimate", "std_error"
  };

  @Test
  void csvTablesRoundTripThroughCsvModulePandasAndDuckDb() throws Exception {
    Random r = new Random(3);
    StringBuilder csv = new StringBuilder("experiment_id,segment,arm,y\n");
    for (String e : IDS) {
      for (String s : new String[] {"s1", "s1 ", "s,2"}) {
        for (int i = 0; i < 40; i++) {
          csv.append(quote(e))
              .append(',')
              .append(quote(s))
              .append(',')
              .append(i % 2)
              .append(',')
              .append(String.format(Locale.ROOT, "%.6f", r.nextGaussian() + 0.2 * (i % 2)))
              .append('\n');
        }
      }
    }
    Path source = tmp.resolve("in.csv");
    Files.writeString(source, csv.toString());
    Path parquetOut = tmp.resolve("pq");
    Path csvOut = tmp.resolve("csv");
    String[] common = {
      "--input",
      source.toString(),
      "--metric",
      "y",
      "--pooling",
      "reml",
      "--draws",
      "500",
      "--report",
      "none"
    };
    JobRunner.run(spark(), concat(common, "--output", parquetOut.toString()));
    JobRunner.run(spark(), concat(common, "--output", csvOut.toString(), "--output-format", "csv"));

    List<List<String>> expected = new ArrayList<>();
    for (Row row :
        JobRunner.table(spark(), parquetOut.toString(), OutputTables.SEGMENT_ESTIMATES)
            .collectAsList()) {
      List<String> v = new ArrayList<>();
      for (String c : COLUMNS) {
        Object o = row.getAs(c);
        v.add(String.valueOf(o));
      }
      expected.add(v);
    }
    TreeSet<String> segments = new TreeSet<>();
    for (List<String> v : expected) {
      segments.add(v.get(1));
    }
    assertEquals(
        new TreeSet<>(List.of("s1", "s1 ", "s,2")), segments, "the Parquet run keeps the ids");
    Path table;
    try (Stream<Path> files = Files.list(csvOut.resolve(OutputTables.SEGMENT_ESTIMATES))) {
      table = files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow();
    }
    boolean ci = "true".equals(System.getenv("CI"));
    int readers = 0;
    for (String reader : new String[] {"csv", "pandas", "duckdb"}) {
      List<String> cmd = command(reader, table);
      if (cmd == null) {
        if (ci) {
          throw new AssertionError("reader " + reader + " is not installed; .ci/run installs it");
        }
        continue;
      }
      List<List<String>> got = read(cmd);
      assertEquals(expected.size(), got.size(), reader + ": rows");
      for (int i = 0; i < expected.size(); i++) {
        List<String> e = expected.get(i);
        List<String> g = got.get(i);
        for (int c = 0; c < 3; c++) {
          assertEquals(e.get(c), g.get(c), reader + ": row " + i + " column " + COLUMNS[c]);
        }
        for (int c = 3; c < COLUMNS.length; c++) {
          assertEquals(
              Double.doubleToLongBits(Double.parseDouble(e.get(c))),
              Double.doubleToLongBits(Double.parseDouble(g.get(c))),
              reader + ": row " + i + " column " + COLUMNS[c] + " " + e.get(c) + " vs " + g.get(c));
        }
      }
      readers++;
    }
    Assumptions.assumeTrue(readers > 0, "no CSV reader installed");
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The command that prints the table's rows as JSON, or null when the reader is missing. */
  private static List<String> command(String reader, Path table) throws Exception {
    Path scripts = Path.of("src/test/resources/roundtrip").toAbsolutePath();
    List<String> cmd = new ArrayList<>();
    switch (reader) {
      case "csv" -> {
        if (!works("python3", "-c", "import csv")) {
          return null;
        }
        cmd.addAll(List.of("python3", scripts.resolve("read_csv.py").toString(), "csv"));
      }
      case "pandas" -> {
        String python =
            works("python3", "-c", "import pandas")
                ? "python3"
                : works("/usr/bin/python3", "-c", "import pandas") ? "/usr/bin/python3" : null;
        if (python == null) {
          return null;
        }
        cmd.addAll(List.of(python, scripts.resolve("read_csv.py").toString(), "pandas"));
      }
      default -> {
        Path modules = Path.of("target/roundtrip-tools").toAbsolutePath();
        if (!Files.isDirectory(modules.resolve("node_modules/@duckdb/node-api"))
            || !works("node", "--version")) {
          return null;
        }
        cmd.addAll(List.of("node", scripts.resolve("read_csv.mjs").toString(), modules.toString()));
      }
    }
    cmd.add(table.toString());
    cmd.addAll(List.of(COLUMNS));
    return cmd;
  }

  private static boolean works(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static List<List<String>> read(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(cmd + " failed: " + err);
    }
    JsonNode rows = new ObjectMapper().readTree(out);
    List<List<String>> got = new ArrayList<>();
    for (JsonNode row : rows) {
      List<String> v = new ArrayList<>();
      row.forEach(x -> v.add(x.asText()));
      got.add(v);
    }
    return got;
  }
}
