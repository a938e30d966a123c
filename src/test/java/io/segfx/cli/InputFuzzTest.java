package io.segfx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.testing.SharedSparkSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of a valid CSV file and of a valid command line, from a fixed seed (so a failure
 * reproduces). Each run must end in one of the two outcomes the project allows: exit 0 with a
 * manifest whose rows balance (read = used + quarantined = the records an independent RFC 4180
 * count finds), or exit 2 with one {@code segfx:} line. A stack trace, any other exit code or an
 * unbalanced manifest fails, with the seed and the mutation in the message.
 */
class InputFuzzTest extends SharedSparkSession {
  private static final long SEED = 20261206L;
  private static final int FILE_MUTATIONS = 45;
  private static final int OPTION_MUTATIONS = 60;

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private Run cli(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      code =
          SegfxMain.run(
              args.toArray(new String[0]),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new AssertionError("uncaught " + e + " for " + args, e);
    }
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String validCsv() {
    return InputCases.csvText(InputCases.HEADER, InputCases.units(1, 3, 10, a -> a), "\n");
  }

  /**
   * Records of an RFC 4180 text after its header: a double quote opens a quoted field only at the
   * start of a field, {@code ""} inside one is a literal quote, line breaks outside quotes end a
   * record, and blank lines are skipped (Spark's rule). The line break is the first one's: CR LF in
   * a CR LF file, else LF, where a CR is an ordinary character (as the CSV parser detects it).
   */
  static long records(String text) {
    int firstLf = text.indexOf('\n');
    boolean crlf = firstLf > 0 && text.charAt(firstLf - 1) == '\r';
    long n = 0;
    boolean quoted = false;
    boolean fieldStart = true;
    boolean content = false;
    boolean header = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            i++;
          } else {
            quoted = false;
          }
        }
        continue;
      }
      if (c == '"' && fieldStart) {
        quoted = true;
        content = true;
        fieldStart = false;
      } else if (c == '\n') {
        if (content) {
          if (header) {
            header = false;
          } else {
            n++;
          }
        }
        content = false;
        fieldStart = true;
      } else if (c == ',') {
        content = true;
        fieldStart = true;
      } else if (!(crlf && c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n')) {
        content = true;
        fieldStart = false;
      }
    }
    if (content && !header) {
      n++;
    }
    return n;
  }

  private static final String[] FRAGMENTS = {
    "\"",
    "\"\"",
    ",",
    "\n",
    "\r\n",
    ";",
    "\t",
    "NaN",
    "1e309",
    "-",
    "\u0000",
    "\u001b[31m",
    "\uFEFF",
    " ",
    "null",
    "0.0",
    "true",
    "ü",
    "\\",
    "'",
    "1,5"
  };

  @Test
  void mutatedFilesGiveAnAnswerOrOneLine() throws Exception {
    Random r = new Random(SEED);
    String valid = validCsv();
    int answered = 0;
    for (int i = 0; i < FILE_MUTATIONS; i++) {
      StringBuilder b = new StringBuilder(valid);
      int edits = 1 + r.nextInt(4);
      List<String> what = new ArrayList<>();
      for (int k = 0; k < edits; k++) {
        int at = r.nextInt(b.length());
        switch (r.nextInt(4)) {
          case 0 -> {
            String f = FRAGMENTS[r.nextInt(FRAGMENTS.length)];
            b.insert(at, f);
            what.add("insert " + escape(f) + " at " + at);
          }
          case 1 -> {
            int len = Math.min(1 + r.nextInt(8), b.length() - at);
            b.delete(at, at + len);
            what.add("delete " + len + " at " + at);
          }
          case 2 -> {
            char c = (char) (32 + r.nextInt(95));
            b.setCharAt(at, c);
            what.add("set " + escape(String.valueOf(c)) + " at " + at);
          }
          default -> {
            b.setLength(Math.max(1, at));
            what.add("truncate at " + at);
          }
        }
      }
      String text = b.toString();
      Path dir = Files.createDirectories(tmp.resolve("f" + i));
      Path in = dir.resolve("in.csv");
      Files.writeString(in, text);
      Path out = dir.resolve("out");
      Run run =
          cli(
              List.of(
                  "segment-effects",
                  "--input",
                  in.toString(),
                  "--output",
                  out.toString(),
                  "--metric",
                  "y",
                  "--draws",
                  "200",
                  "--report",
                  "none"));
      String where = "seed " + SEED + ", file mutation " + i + " " + what;
      if (outcome(run, out, where) == 0) {
        answered++;
        JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals(
            records(text),
            m.get("rows_read").asLong(),
            "records read, "
                + where
                + " "
                + m.get("rejected_by_reason")
                + " near: "
                + escape(text.substring(Math.max(0, text.length() - 300))));
      }
    }
    // The mutations are mostly small: most files must still give an answer.
    Assertions.assertTrue(answered > FILE_MUTATIONS / 3, "answered " + answered);
  }

  private static final String[][] OPTION_VALUES = {
    {"--threshold", "NaN", "y=0.1", "revenu=1", "0.1,0.2", "y=", "=1", "1e999", "-0"},
    {"--draws", "0", "-1", "1e3", "99", "2147483647", "abc", "1000"},
    {"--pooling", "full", "reml", "FULL", "", "dl ", "moments"},
    {"--control-arm", "0", "0.0", "NaN", "", "control", "false"},
    {"--users", "-1", "1e6", "NaN", "inf", "0"},
    {"--prior-grid", "a=1,1", "a=1", "=1,1", "a=1,1|2,2|3,3", "a=-1,1"},
    {"--expected-split", "50/50", "1/0", "a=1", "50/", "0=50,1=50"},
    {"--csv-delimiter", ",", ";", "", "\\t", "ab", "\""},
    {"--tau-prior", "uniform", "half-normal:0", "half-cauchy:1", "half-normal:-1", "normal"},
    {"--min-segments", "1", "2", "3", "x"},
    {"--relative-threshold", "-1", "0.5", "NaN", "-0.99"},
    {"--design", "observational", "randomised", ""},
    {"--mode", "overwrite", "error", "Overwrite"},
    {"--metric", "y:binary", "y:", ":binary", "z", "y,y"},
    {"--launch-probability", "0.5", "1", "0.95", "2"},
    {"--report", "none", "all", "top:0", "top:-1", "top:x"},
  };

  @Test
  void mutatedCommandLinesGiveAnAnswerOrOneLine() throws Exception {
    Random r = new Random(SEED + 1);
    Path in = tmp.resolve("in.csv");
    String text = validCsv();
    Files.writeString(in, text);
    for (int i = 0; i < OPTION_MUTATIONS; i++) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "segment-effects",
                  "--input",
                  in.toString(),
                  "--output",
                  tmp.resolve("o" + i).toString(),
                  "--metric",
                  "y",
                  "--draws",
                  "200",
                  "--report",
                  "none"));
      int edits = 1 + r.nextInt(3);
      for (int k = 0; k < edits; k++) {
        switch (r.nextInt(5)) {
          case 0 -> {
            int at = 1 + r.nextInt(args.size() - 1);
            args.remove(at);
          }
          case 1 -> {
            int at = 1 + r.nextInt(args.size() - 1);
            String a = args.get(at);
            if (a.startsWith("--") && a.length() > 3) {
              int c = 2 + r.nextInt(a.length() - 2);
              args.set(at, a.substring(0, c) + a.substring(c + 1)); // a typo: one letter dropped
            }
          }
          default -> {
            String[] o = OPTION_VALUES[r.nextInt(OPTION_VALUES.length)];
            args.add(o[0]);
            args.add(o[1 + r.nextInt(o.length - 1)]);
          }
        }
      }
      Path out = tmp.resolve("o" + i);
      String where = "seed " + (SEED + 1) + ", command line " + i + " " + args;
      if (outcome(cli(args), out, where) == 0 && Files.exists(out.resolve("manifest.json"))) {
        JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals(records(text), m.get("rows_read").asLong(), "records read, " + where);
      }
    }
  }

  /** Asserts one of the two allowed outcomes; returns the exit code. */
  private static int outcome(Run run, Path out, String where) throws Exception {
    assertFalse(
        run.err().contains("\tat ") || run.err().contains("Exception"),
        "no stack trace, " + where + ": " + run.err());
    if (run.code() == 2) {
      long lines = run.err().lines().filter(l -> l.startsWith("segfx: ")).count();
      assertEquals(1, lines, "one line, " + where + ": " + run.err());
      return 2;
    }
    assertEquals(0, run.code(), where + ": " + run.err());
    if (Files.exists(out.resolve("manifest.json"))) {
      JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
      long byReason = 0;
      for (JsonNode v : m.get("rejected_by_reason")) {
        byReason += v.asLong();
      }
      assertEquals(
          m.get("rows_read").asLong(),
          m.get("rows_used").asLong() + m.get("rows_rejected").asLong(),
          where);
      assertEquals(m.get("rows_rejected").asLong(), byReason, where);
    }
    return 0;
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return "'" + b + "'";
  }
}
