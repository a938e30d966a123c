package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --memos}: which memo files a run writes, the combined file with every memo as a section in
 * experiment order, and the manifest's counts, on a run of six experiments of which the report
 * pages three (the top two by expected profit and one with a sample-ratio mismatch).
 */
class MemoStageTest extends SharedSparkSession {
  @TempDir static Path tmp;

  private static final List<String> EXPERIMENTS = List.of("e0", "e1", "e2", "e3", "e4", "e5");

  private static final Pattern SECTION = Pattern.compile("\n## `([^`]*)`, variant `1`\n");

  private static Path input() throws Exception {
    Path in = tmp.resolve("memos.csv");
    if (Files.exists(in)) {
      return in;
    }
    StringBuilder csv = new StringBuilder("experiment_id,segment,arm,n,conversions\n");
    int[] treated = {460, 380, 410, 330, 440, 400};
    for (int e = 0; e < EXPERIMENTS.size(); e++) {
      // e3's arms are 5000 and 4000 units: a sample-ratio mismatch, so it is flagged.
      int n1 = 4000;
      int n0 = e == 3 ? 5000 : 4000;
      csv.append(EXPERIMENTS.get(e)).append(",all,0,").append(n0).append(",400\n");
      csv.append(EXPERIMENTS.get(e))
          .append(",all,1,")
          .append(n1)
          .append(',')
          .append(treated[e])
          .append('\n');
    }
    Files.writeString(in, csv.toString());
    return in;
  }

  private Path run(String name, String... extra) throws Exception {
    Path out = tmp.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                input().toString(),
                "--output",
                out.toString(),
                "--input-kind",
                "counts",
                "--metric",
                "c:binary",
                "--users",
                "100000",
                "--value-per-unit",
                "10",
                "--cost",
                "20000",
                "--report",
                "top:2"));
    args.addAll(List.of(extra));
    JobRunner.run(spark(), args.toArray(new String[0]));
    return out;
  }

  private static Set<String> memoFiles(Path out) throws Exception {
    Set<String> names = new TreeSet<>();
    if (!Files.exists(out.resolve("memos"))) {
      return names;
    }
    try (Stream<Path> s = Files.list(out.resolve("memos"))) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }

  private static Set<String> pages(Path out) throws Exception {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> s = Files.list(out.resolve("report/experiments"))) {
      s.forEach(p -> names.add(p.getFileName().toString().replace(".html", "")));
    }
    return names;
  }

  private static JsonNode manifest(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
  }

  /** The experiments of the combined file's sections, in file order. */
  private static List<String> sections(String combined) {
    List<String> ids = new ArrayList<>();
    Matcher m = SECTION.matcher(combined);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  /**
   * The default writes a memo file for each experiment with a report page (the charted and the
   * flagged), and the combined file with all six in experiment order; the manifest counts the files
   * and names the combined one.
   */
  @Test
  void topWritesAFilePerPagedExperimentAndTheCombinedFile() throws Exception {
    Path out = run("top");
    Set<String> paged = pages(out);
    assertEquals(3, paged.size(), "top 2 and the flagged e3: " + paged);
    Assertions.assertTrue(paged.contains("e3"), "the mismatched experiment is paged");
    Set<String> expected = new TreeSet<>();
    for (String e : paged) {
      expected.add(e + ".md");
    }
    expected.add("all.md");
    assertEquals(expected, memoFiles(out));
    String combined = Files.readString(out.resolve("memos/all.md"));
    assertEquals(EXPERIMENTS, sections(combined), "one section per experiment, in order");
    for (String e : EXPERIMENTS) {
      assertEquals(
          paged.contains(e),
          combined.contains("Memo: [" + e + ".md]"),
          "the digest links the memo of " + e + " where there is one");
    }
    JsonNode m = manifest(out);
    assertEquals(3, m.get("memos").asInt(), "memo files, the combined one aside");
    assertEquals("memos/all.md", m.get("memos_combined").asText());
    for (String e : paged) {
      String page = Files.readString(out.resolve("report/experiments/" + e + ".html"));
      Assertions.assertTrue(page.contains("href=\"../../memos/" + e + ".md\""), "page of " + e);
    }
  }

  /**
   * {@code all} writes every experiment's file; the digest's section of each experiment carries its
   * memo's verdict and links the file; a second run writes the same bytes.
   */
  @Test
  void allWritesEveryFileAndTheDigestLinksThem() throws Exception {
    Path out = run("all", "--memos", "all");
    Set<String> expected = new TreeSet<>();
    for (String e : EXPERIMENTS) {
      expected.add(e + ".md");
    }
    expected.add("all.md");
    assertEquals(expected, memoFiles(out));
    String combined = Files.readString(out.resolve("memos/all.md"));
    assertEquals(EXPERIMENTS, sections(combined));
    for (String e : EXPERIMENTS) {
      String memo = Files.readString(out.resolve("memos/" + e + ".md"));
      Matcher verdict = Pattern.compile("1\\. \\*\\*Verdict: ([a-z ]+)\\*\\*").matcher(memo);
      Assertions.assertTrue(verdict.find(), memo);
      int at = combined.indexOf("\n## `" + e + "`");
      int next = combined.indexOf("\n## `", at + 1);
      String section = combined.substring(at, next < 0 ? combined.length() : next);
      Assertions.assertTrue(
          section.contains("**" + verdict.group(1) + "**"), "the memo's verdict: " + section);
      Assertions.assertTrue(section.contains("Memo: [" + e + ".md](" + e + ".md)."), section);
    }
    assertEquals(6, manifest(out).get("memos").asInt());
    Path again = run("all-again", "--memos", "all");
    for (String f : expected) {
      assertArrayEquals(
          Files.readAllBytes(out.resolve("memos/" + f)),
          Files.readAllBytes(again.resolve("memos/" + f)),
          "bit-identical " + f);
    }
    assertEquals(
        Files.readString(out.resolve("report/index.html"))
            .replace(manifest(out).get("run_id").asText(), "RUN"),
        Files.readString(again.resolve("report/index.html"))
            .replace(manifest(again).get("run_id").asText(), "RUN"),
        "the same index but for the run id");
  }

  @Test
  void noneWritesNoMemos() throws Exception {
    Path out = run("none", "--memos", "none");
    assertFalse(Files.exists(out.resolve("memos")), "no memos folder");
    JsonNode m = manifest(out);
    assertEquals(0, m.get("memos").asInt());
    Assertions.assertTrue(m.get("memos_combined").isNull(), m.toString());
    for (String e : pages(out)) {
      String page = Files.readString(out.resolve("report/experiments/" + e + ".html"));
      assertFalse(page.contains("memos/"), "no memo link on the page of " + e);
    }
  }

  /** The combined file keeps its name unless an experiment's memo has it. */
  @Test
  void combinedNameAvoidsAnExperimentCalledAll() {
    assertEquals("all", MemoStage.combinedName(List.of("a", "b")));
    assertEquals("all-memos", MemoStage.combinedName(List.of("All")));
    assertEquals("all-memos-2", MemoStage.combinedName(List.of("all", "all-memos")));
  }
}
