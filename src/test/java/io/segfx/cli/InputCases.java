package io.segfx.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The table of real-world input cases behind {@code InputCasesTest}: files as pandas, Excel,
 * Postgres and hand editing write them, and the option mistakes users make. Each case states its
 * outcome: the answer (exit 0, the rows read, the quarantine counts by reason, and what the tables
 * must show) or a refusal (exit 2 and the text of its one line).
 *
 * <p>Arguments name the case's files by placeholder: {@code {in}} the input file, {@code {dir}} the
 * case folder, {@code {out}} the output folder. In process mode they stay relative to the case
 * folder, which is the process's working directory, so the suite also proves that relative paths
 * resolve against the caller's folder.
 */
final class InputCases {
  private InputCases() {}

  /** What a case expects. */
  sealed interface Expect permits Answer, Refusal {}

  /**
   * Exit 0 with this row accounting.
   *
   * @param rowsRead data records in the input
   * @param rejected quarantine counts by reason (empty: none)
   * @param check further checks of the output, or null
   */
  record Answer(long rowsRead, Map<String, Long> rejected, Check check) implements Expect {}

  /** Exit 2 with one line containing {@code message}; no output written. */
  record Refusal(String message) implements Expect {}

  /** A check of a finished run. */
  interface Check {
    void verify(InputCasesTest.Result r) throws Exception;
  }

  /**
   * One case.
   *
   * @param name its id in the table (and README)
   * @param file the input's file name in the case folder (null: the case builds its own files)
   * @param content the input's bytes
   * @param args the command line after {@code scripts/segfx}
   * @param expect the outcome
   * @param setup extra files to create (relative name to bytes), may be empty
   */
  record Case(
      String name,
      String file,
      byte[] content,
      List<String> args,
      Expect expect,
      Map<String, byte[]> setup) {
    @Override
    public String toString() {
      return name;
    }

    Case withSetup(Map<String, byte[]> files) {
      return new Case(name, file, content, args, expect, files);
    }

    Case withFile(String fileName) {
      return new Case(name, fileName, content, args, expect, setup);
    }
  }

  static final String HEADER = "experiment_id,segment,arm,y";

  /** Rows of {@code experiments} x {@code segments} cells with {@code perArm} units per arm. */
  static List<String> units(int experiments, int segments, int perArm, UnaryOperator<String> arm) {
    Random r = new Random(11);
    List<String> out = new ArrayList<>();
    for (int e = 0; e < experiments; e++) {
      for (int s = 0; s < segments; s++) {
        for (int i = 0; i < 2 * perArm; i++) {
          int a = i % 2;
          out.add(
              String.format(
                  Locale.ROOT,
                  "e%d,s%d,%s,%.5f",
                  e,
                  s,
                  arm.apply(String.valueOf(a)),
                  1 + 0.3 * a + r.nextGaussian()));
        }
      }
    }
    return out;
  }

  /** The standard good body: 2 experiments x 3 segments x 20 units per arm (240 rows). */
  static List<String> good() {
    return units(2, 3, 20, a -> a);
  }

  static byte[] csv(String header, List<String> rows) {
    return csvText(header, rows, "\n").getBytes(StandardCharsets.UTF_8);
  }

  static String csvText(String header, List<String> rows, String eol) {
    StringBuilder b = new StringBuilder(header).append(eol);
    for (String r : rows) {
      b.append(r).append(eol);
    }
    return b.toString();
  }

  static List<String> with(List<String> rows, String... extra) {
    return with(rows, Arrays.asList(extra));
  }

  static List<String> with(List<String> rows, List<String> extra) {
    List<String> out = new ArrayList<>(rows);
    out.addAll(extra);
    return out;
  }

  static Map<String, Long> reasons(Object... kv) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
    }
    return m;
  }

  static List<String> args(String... a) {
    return Arrays.asList(a);
  }

  /** segment-effects on {in} into {out} with metric y and few draws, plus {@code extra}. */
  static List<String> run(String... extra) {
    List<String> a =
        new ArrayList<>(
            args(
                "segment-effects",
                "--input",
                "{in}",
                "--output",
                "{out}",
                "--metric",
                "y",
                "--draws",
                "500"));
    a.addAll(Arrays.asList(extra));
    return a;
  }

  /** segment-effects on {in} into {out} reading estimates rows of metric m. */
  static List<String> estimates() {
    return args(
        "segment-effects",
        "--input",
        "{in}",
        "--output",
        "{out}",
        "--input-kind",
        "estimates",
        "--metric",
        "m");
  }

  static Case ok(
      String name,
      byte[] content,
      List<String> args,
      long rows,
      Map<String, Long> rejected,
      Check check) {
    return new Case(name, "in.csv", content, args, new Answer(rows, rejected, check), Map.of());
  }

  static Case refuse(String name, byte[] content, List<String> args, String message) {
    return new Case(name, "in.csv", content, args, new Refusal(message), Map.of());
  }
}
