package io.segfx.golden;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.cli.SegfxMain;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.job.CausalImpactJob;
import io.segfx.job.SegmentEffectsJob;
import io.segfx.sim.ExampleDataGenerator;
import io.segfx.sim.SeriesGenerator;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.Iterator;
import scala.collection.Seq;

/**
 * Golden outputs: a representative set of runs, each dumped as canonical text and compared with
 * {@code src/test/resources/golden/<run>/<file>.txt}, so that a refactor that must keep behaviour
 * proves every table, memo, report page and manifest byte-identical.
 *
 * <p>The runs, all in this JVM's shared session (arguments in {@link #runs()}):
 *
 * <ul>
 *   <li>{@code example}: the README's example run, {@code jobs/example.yaml} on 12 x 8 segments of
 *       {@link ExampleDataGenerator} data, generated as {@code segfx example} generates them;
 *   <li>{@code counts}, {@code estimates}: the aggregated input kinds as {@code .ci/run} runs them
 *       (a prior grid on counts; estimates with CSV tables);
 *   <li>{@code section9-reml}, {@code section9-dl} (CSV tables) and {@code section9-moments}
 *       (Parquet): the seed notebook's section-9 fixture, copied into the temporary folder, with
 *       the arguments of {@code scripts/cluster-test};
 *   <li>{@code observational}: 24 experiments given as estimates, {@code --design observational}
 *       with {@code --bias-prior} and {@code --learned-prior normal};
 *   <li>{@code rejected}: unit rows with nulls, non-numbers, unknown arms and duplicate units, so
 *       that {@code rejected_rows} is written;
 *   <li>{@code impact-regression}, {@code impact-local-level}: {@code causal-impact --trend} on six
 *       {@link SeriesGenerator} markets, the second with small Gibbs settings and two unusable rows
 *       appended, so that causal-impact's {@code rejected_rows} is written too.
 * </ul>
 *
 * <p>What a run's dump holds:
 *
 * <ul>
 *   <li>{@code files.txt}: every file of the output folder, hidden ones included, in path order,
 *       each with its size and SHA-256, except text files (dumped whole), Hadoop's {@code .crc}
 *       side files (by name only: each is a checksum of the file beside it, and the manifest's
 *       changes with the run id) and Parquet files (by name only, see below);
 *   <li>{@code <table>.txt} for each table folder: its part files in name order, Parquet parts read
 *       back with Spark one file at a time so that rows are in file order, with the schema and each
 *       value printed by {@link #value} (doubles through {@link Double#toString}, so equal text
 *       means bit-identical); CSV parts verbatim;
 *   <li>{@code <path>.txt} for each text file (memos, report pages, manifest), normalised as below;
 *   <li>{@code console.txt}: the table the CLI prints after the run.
 * </ul>
 *
 * <p>Parquet bytes are not compared because they vary between runs whose values are equal:
 * parquet-mr writes each column chunk's encodings in the iteration order of a {@code HashSet} of
 * enum constants, which follows identity hash codes (apache/parquet-java#3215), and the driver-side
 * writer sometimes gives double columns a dictionary despite {@code withDictionaryEncoding(column,
 * false)}, which changes the file's size.
 *
 * <p>Values that legitimately change from run to run are replaced, and nothing else:
 *
 * <ol>
 *   <li>the run id (the manifest's {@code run_id}, a random UUID) becomes {@code <RUN_ID>} wherever
 *       it appears (manifest, report index), replaced as that literal string;
 *   <li>this test's temporary folder, as given and as its real path, becomes {@code <TMP>}, also as
 *       a literal string; it appears in the manifest's settings and inputs;
 *   <li>Spark's part-file names {@code part-NNNNN-<uuid>-cNNN}, a fresh UUID per write job (in
 *       files.txt and in the manifest's {@code files_read}), keep their numbers and lose the UUID
 *       ({@link #PART_UUID});
 *   <li>in manifest.json only: {@code started_at}, {@code finished_at} (wall clock) and {@code
 *       modified_at} (the input's file time) become {@code <TIME>} ({@link #TIME_FIELD}); every
 *       {@code *_seconds} value becomes {@code <SECONDS>} ({@link #SECONDS_NUMBER}), and a {@code
 *       *_seconds} map keeps its keys, sorted, because {@code write_seconds} lists the write tasks
 *       in completion order ({@link #SECONDS_MAP}); {@code versions.java} becomes {@code
 *       <JAVA_VERSION>}, being the JVM's and not segfx's ({@link #JAVA_VERSION}); {@code
 *       versions.git_commit} becomes {@code <GIT_COMMIT>}, as it changes with every commit (and is
 *       {@code unknown} outside git) ({@link #GIT_COMMIT}); {@code spark_application_id} becomes
 *       {@code <APP_ID>}, being set by the cluster or test session ({@link #APP_ID}); the list
 *       {@code spark_conf_keys} becomes {@code <KEYS>} ({@link #SPARK_CONF_KEYS});
 *   <li>in HTML pages only: each inline {@code <svg>} element becomes {@code <svg sha256="..."
 *       chars="N"/>} ({@link #SVG}), which keeps the chart bit for bit by its hash and the page
 *       readable and small. JFreeChart measures text with the font that Java's {@code SansSerif}
 *       resolves to, so on a machine where it resolves to another font every chart hash differs,
 *       and nothing else does.
 * </ol>
 *
 * <p>Everything else is compared byte for byte, including {@code failed_task_attempts}, row counts
 * and the order of keys in the manifest.
 *
 * <p>{@code -Dsegfx.golden.update=true} rewrites the golden files of every run instead of
 * comparing, and passes with a message saying so; it refuses when the environment has {@code
 * CI=true}, so that CI never blesses its own output. {@code -Dspark.sql.shuffle.partitions=N} runs
 * the same comparison with N shuffle partitions (the shared session fixes 4 otherwise).
 */
class GoldenOutputTest extends SharedSparkSession {
  @TempDir Path tmp;

  /** Where the golden files live: the source tree, so that an update is seen by the next run. */
  private static final Path GOLDEN =
      Path.of(System.getProperty("segfx.project.dir", "."), "src", "test", "resources", "golden");

  /** Where a failing run's outputs are copied. */
  private static final Path KEPT_ON_FAILURE =
      Path.of(System.getProperty("segfx.project.dir", "."), "target", "golden-failed");

  /** Where a passing run's outputs are copied with {@code -Dsegfx.golden.keep=true}. */
  private static final Path KEPT =
      Path.of(System.getProperty("segfx.project.dir", "."), "target", "golden-kept");

  /** A dump larger than this fails the test: the golden set stays small, so inputs stay small. */
  private static final long MAX_DUMP_CHARS = 1_000_000;

  /** How many differing lines of each side a failing file shows. */
  private static final int DIFF_LINES = 8;

  /** The UUID Spark puts in each part-file name: one per write job. */
  static final Pattern PART_UUID =
      Pattern.compile(
          "(part-\\d{5})-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-c\\d{3})");

  /** Wall-clock and file-time fields of the manifest (Jackson's indented form, one per line). */
  static final Pattern TIME_FIELD =
      Pattern.compile("(\"(?:started_at|finished_at|modified_at)\" : )\"[^\"\\n]*\"");

  /** A {@code *_seconds} field with one number. */
  static final Pattern SECONDS_NUMBER = Pattern.compile("(\"\\w+_seconds\" : )-?[0-9][0-9.Ee+-]*");

  /** A {@code *_seconds} field with a map of numbers (no nested objects). */
  static final Pattern SECONDS_MAP = Pattern.compile("(\"\\w+_seconds\" : \\{)([^{}]*)(\\})");

  /** One entry of such a map. */
  private static final Pattern SECONDS_ENTRY =
      Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\" : (?:-?[0-9][0-9.Ee+-]*|null)");

  /**
   * The driver's Spark setting keys: they depend on the environment by design (a cluster's
   * defaults, the settings of whichever test made the shared session), so they are not compared.
   */
  static final Pattern SPARK_CONF_KEYS = Pattern.compile("(\"spark_conf_keys\" : )\\[[^\\]]*\\]");

  /** The JVM's version in the manifest's {@code versions} map. */
  static final Pattern JAVA_VERSION =
      Pattern.compile("(\"versions\" : \\{[^{}]*\"java\" : )\"[^\"\\n]*\"");

  /** The build's commit in the manifest's versions: it changes with every commit. */
  static final Pattern GIT_COMMIT =
      Pattern.compile("(\"versions\" : \\{[^{}]*\"git_commit\" : )\"[^\"\\n]*\"");

  /** The Spark application id, set by whatever runs the session. */
  static final Pattern APP_ID = Pattern.compile("(\"spark_application_id\" : )\"[^\"\\n]*\"");

  /** An inline chart: Batik writes one {@code <svg>} element with no nested {@code <svg>}. */
  static final Pattern SVG = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL);

  /** The extensions dumped as (normalised) text. */
  private static final List<String> TEXT = List.of(".md", ".html", ".json", ".txt", ".segfx-files");

  private interface Job {
    /** Runs into {@code out} and returns what the CLI would print. */
    String run(Path out) throws Exception;
  }

  private record Run(String name, Job job) {}

  @Test
  void everyOutputEqualsItsGoldenFile() throws Exception {
    boolean update = Boolean.getBoolean("segfx.golden.update");
    if (update && "true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(
          "-Dsegfx.golden.update=true with CI=true: refusing to rewrite golden files in CI; update"
              + " them locally and say why in the commit message");
    }
    String partitions = System.getProperty("spark.sql.shuffle.partitions");
    String before = spark().conf().get("spark.sql.shuffle.partitions");
    if (partitions != null) {
      spark().conf().set("spark.sql.shuffle.partitions", partitions);
    }
    System.out.println(
        "GoldenOutputTest: spark.sql.shuffle.partitions="
            + spark().conf().get("spark.sql.shuffle.partitions"));
    Map<String, Map<String, String>> dumps = new LinkedHashMap<>();
    try {
      for (Run r : runs()) {
        Path out = tmp.resolve(r.name() + "-out");
        long t0 = System.nanoTime();
        String console = r.job().run(out);
        long t1 = System.nanoTime();
        dumps.put(r.name(), dump(out, console));
        System.out.printf(
            Locale.ROOT,
            "GoldenOutputTest: %s ran in %.1f s, dumped in %.1f s%n",
            r.name(),
            (t1 - t0) / 1e9,
            (System.nanoTime() - t1) / 1e9);
      }
    } finally {
      spark().conf().set("spark.sql.shuffle.partitions", before);
    }
    if (update) {
      update(dumps);
      return;
    }
    try {
      compare(dumps);
    } catch (AssertionError e) {
      // The dumps hold hashes of charts; the files themselves show what differs.
      try {
        keep(KEPT_ON_FAILURE);
      } catch (IOException copy) {
        e.addSuppressed(copy);
      }
      throw e;
    }
    if (Boolean.getBoolean("segfx.golden.keep")) {
      keep(KEPT);
    }
  }

  /** Copies this run's outputs to {@code to}, emptied first so that no two runs mix. */
  private void keep(Path to) throws IOException {
    if (Files.exists(to)) {
      try (var old = Files.walk(to)) {
        for (Path f : (Iterable<Path>) old.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(f);
        }
      }
    }
    try (var files = Files.walk(tmp)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(tmp.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    System.out.println("GoldenOutputTest: outputs kept in " + to);
  }

  // ---------------------------------------------------------------------------------------- runs

  private List<Run> runs() throws Exception {
    List<Run> runs = new ArrayList<>();
    runs.add(new Run("example", this::example));

    Path counts = write("counts.csv", "arm,n,conversions", "0,5200,593", "1,5100,635");
    runs.add(
        segmentEffects(
            "counts",
            "--input",
            counts.toString(),
            "--input-kind",
            "counts",
            "--metric",
            "converted:binary",
            "--threshold",
            "0.005",
            "--relative-threshold",
            "0.05",
            "--users",
            "900000",
            "--value-per-unit",
            "38",
            "--cost",
            "180000",
            "--prior-grid",
            "uniform=1,1;skeptical=20,180;optimistic_treatment=20,180|28,172"));

    Path estimates =
        write(
            "estimates.csv",
            "segment,estimate,std_error",
            "a,0.10,0.05",
            "b,0.30,0.08",
            "c,-0.05,0.06",
            "d,0.20,0.10");
    runs.add(
        segmentEffects(
            "estimates",
            "--input",
            estimates.toString(),
            "--input-kind",
            "estimates",
            "--metric",
            "lift",
            "--output-format",
            "csv"));

    // A copy in tmp: the manifest records the input's path, and the checkout's path is not ours to
    // fix.
    Path section9 = tmp.resolve("seed_section9_segments.csv");
    Files.copy(
        Path.of(
            System.getProperty("segfx.project.dir", "."),
            "src/test/resources/fixtures/seed_section9_segments.csv"),
        section9);
    for (String[] p : new String[][] {{"reml", "csv"}, {"dl", "csv"}, {"moments", "parquet"}}) {
      runs.add(
          segmentEffects(
              "section9-" + p[0],
              "--input",
              section9.toString(),
              "--arm-col",
              "A",
              "--metric",
              "Y",
              "--covariates",
              "baseline",
              "--output-format",
              p[1],
              "--draws",
              "5000",
              "--users",
              "900000",
              "--value-per-unit",
              "1",
              "--cost",
              "100000",
              "--pooling",
              p[0]));
    }

    runs.add(
        segmentEffects(
            "observational",
            "--input",
            observationalEstimates().toString(),
            "--input-kind",
            "estimates",
            "--metric",
            "lift",
            "--threshold",
            "0.01",
            "--design",
            "observational",
            "--bias-prior",
            "none=0,0.005;moderate=0.01,0.005;large=0.02,0.01",
            "--learned-prior",
            "normal"));

    runs.add(
        segmentEffects(
            "rejected",
            "--input",
            dirtyUnits().toString(),
            "--metric",
            "y",
            "--covariates",
            "x",
            "--variants",
            "1",
            "--unit-col",
            "unit_id",
            "--draws",
            "500"));

    Path series = tmp.resolve("series.csv");
    SeriesGenerator.write(
        OptionValues.resolve(
            SeriesGenerator.COMMAND,
            SeriesGenerator.OPTIONS,
            new String[] {"--output", series.toString(), "--series", "6"},
            null));
    String[] impact = {
      "--input",
      series.toString(),
      "--time-col",
      "time",
      "--outcome-col",
      "y",
      "--controls",
      "c1,c2",
      "--intervention-time",
      "82",
      "--trend",
      "--draws",
      "2000"
    };
    runs.add(causalImpact("impact-regression", impact, "--model", "regression"));
    // Two unusable rows, so that causal-impact's own quarantine writes its rejected_rows table.
    Path dirtySeries = tmp.resolve("series-dirty.csv");
    Files.copy(series, dirtySeries);
    Files.writeString(
        dirtySeries,
        "market-001,120,,40.0,28.0,0\nmarket-002,121,12abc,40.0,28.0,0\n",
        StandardOpenOption.APPEND);
    String[] dirty = impact.clone();
    dirty[1] = dirtySeries.toString();
    runs.add(
        causalImpact(
            "impact-local-level",
            dirty,
            "--model",
            "local-level",
            "--burn",
            "200",
            "--gibbs-draws",
            "500"));
    return runs;
  }

  /** The README's example run: what {@code segfx example} generates and runs, into tmp. */
  private String example(Path out) {
    Path data = tmp.resolve("example-units.parquet");
    ExampleDataGenerator.write(
        spark(),
        OptionValues.resolve(
            ExampleDataGenerator.COMMAND,
            ExampleDataGenerator.OPTIONS,
            new String[] {"--output", data.toString(), "--experiments", "12", "--segments", "8"},
            null));
    SegmentEffectsJob.Outcome o =
        JobRunner.run(
            spark(),
            "--spec",
            "jobs/example.yaml",
            "--input",
            data.toString(),
            "--output",
            out.toString());
    return SegfxMain.verdictTable(o.verdicts()) + SegfxMain.decisionTable(o.decisions());
  }

  private Run segmentEffects(String name, String... args) {
    return new Run(
        name,
        out -> {
          List<String> all = new ArrayList<>(List.of(args));
          all.addAll(List.of("--output", out.toString()));
          SegmentEffectsJob.Outcome o = JobRunner.run(spark(), all.toArray(new String[0]));
          return SegfxMain.verdictTable(o.verdicts()) + SegfxMain.decisionTable(o.decisions());
        });
  }

  private Run causalImpact(String name, String[] common, String... extra) {
    return new Run(
        name,
        out -> {
          List<String> all = new ArrayList<>(List.of(common));
          all.addAll(List.of(extra));
          all.addAll(List.of("--output", out.toString()));
          OptionValues v =
              OptionValues.resolve(
                  CausalImpactJob.COMMAND,
                  CausalImpactJob.OPTIONS,
                  all.toArray(new String[0]),
                  SpecReader::read);
          return CausalImpactJob.consoleTable(CausalImpactJob.run(spark(), v));
        });
  }

  /**
   * 24 experiments of one segment each (enough for a learned prior), from a fixed {@link Random};
   * values are printed with 6 decimals so the file is the same on every JVM.
   */
  private Path observationalEstimates() throws IOException {
    Random r = new Random(20);
    List<String> l = new ArrayList<>(List.of("experiment_id,segment,estimate,std_error"));
    for (int i = 0; i < 24; i++) {
      double se = 0.003 + 0.007 * r.nextDouble();
      double effect = (i % 3 == 0 ? 0.02 : 0) + se * r.nextGaussian();
      l.add(String.format(Locale.ROOT, "e%02d,all,%.6f,%.6f", i, effect, se));
    }
    return write("observational.csv", l.toArray(new String[0]));
  }

  /** Unit rows of three segments with one bad row of each kind the validation quarantines. */
  private Path dirtyUnits() throws IOException {
    Random r = new Random(5);
    List<String> l = new ArrayList<>(List.of("experiment_id,segment,unit_id,arm,x,y"));
    for (int i = 0; i < 60; i++) {
      l.add(
          String.format(
              Locale.ROOT,
              "e1,s1,u%d,%d,%.6f,%.6f",
              i,
              i % 2,
              r.nextGaussian(),
              r.nextGaussian() + i % 2));
      l.add(
          String.format(
              Locale.ROOT, "e1,s2,v%d,%d,%.6f,%.6f", i, i % 2, r.nextGaussian(), r.nextGaussian()));
      l.add(
          String.format(
              Locale.ROOT, "e1,s3,w%d,%d,%.6f,%.6f", i, i % 2, r.nextGaussian(), r.nextGaussian()));
    }
    l.addAll(
        List.of(
            "e1,s1,n1,0,0.5,",
            "e1,s1,n2,0,NaN,1.0",
            "e1,s1,n3,1,0.5,Infinity",
            "e1,s1,n5,1,0.5,12abc",
            "e1,s1,n6,7,0.5,1.0",
            "e1,,n7,0,0.5,1.0",
            "e1,s2,dup,0,0.5,1.0",
            "e1,s2,dup,1,0.5,1.0",
            "e1,s2,,1,0.5,1.0"));
    return write("dirty.csv", l.toArray(new String[0]));
  }

  private Path write(String name, String... lines) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  // ---------------------------------------------------------------------------------------- dump

  /** The canonical text of one run's output folder: golden file name -> content. */
  private Map<String, String> dump(Path out, String console) throws IOException {
    String runId = runId(out.resolve("manifest.json"));
    Map<String, String> files = new TreeMap<>();
    StringBuilder listing = new StringBuilder();
    List<Path> all;
    try (Stream<Path> s = Files.walk(out)) {
      all = s.filter(Files::isRegularFile).sorted().toList();
    }
    Map<Path, List<Path>> tables = new TreeMap<>();
    for (Path f : all) {
      String rel = parts(out.relativize(f).toString());
      byte[] bytes = Files.readAllBytes(f);
      if (isText(rel)) {
        listing.append(rel).append(" text\n");
        files.put(rel + ".txt", normalise(rel, new String(bytes, StandardCharsets.UTF_8), runId));
      } else if (rel.endsWith(".crc")) {
        listing.append(rel).append(" checksum\n");
      } else if (rel.endsWith(".parquet")) {
        listing.append(rel).append(" parquet\n");
      } else {
        listing.append(String.format(Locale.ROOT, "%s %d %s%n", rel, bytes.length, sha256(bytes)));
      }
      String name = f.getFileName().toString();
      if (name.startsWith("part-")) {
        tables.computeIfAbsent(f.getParent(), k -> new ArrayList<>()).add(f);
      }
    }
    files.put("files.txt", listing.toString());
    for (Map.Entry<Path, List<Path>> t : tables.entrySet()) {
      files.put(parts(out.relativize(t.getKey()).toString()) + ".txt", table(t.getValue()));
    }
    files.put("console.txt", console);
    for (Map.Entry<String, String> e : files.entrySet()) {
      if (e.getValue().length() > MAX_DUMP_CHARS) {
        Assertions.fail(
            out.getFileName()
                + "/"
                + e.getKey()
                + " dumps to "
                + e.getValue().length()
                + " characters; use smaller inputs");
      }
    }
    return files;
  }

  private static boolean isText(String rel) {
    return TEXT.stream().anyMatch(rel::endsWith);
  }

  private static String runId(Path manifest) throws IOException {
    return new ObjectMapper().readTree(manifest.toFile()).get("run_id").asText();
  }

  /** A table's parts in name order: Parquet read back through Spark, CSV verbatim. */
  private String table(List<Path> parts) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Path p : parts.stream().sorted().toList()) {
      String name = parts(p.getFileName().toString());
      b.append("== ").append(name).append('\n');
      if (name.endsWith(".parquet")) {
        Dataset<Row> d = spark().read().parquet(p.toString());
        b.append("schema:");
        for (StructField f : d.schema().fields()) {
          b.append(' ')
              .append(f.name())
              .append(':')
              .append(f.dataType().simpleString())
              .append(f.nullable() ? "" : " not null");
        }
        b.append('\n');
        for (Row r : d.collectAsList()) {
          b.append(value(r)).append('\n');
        }
      } else {
        b.append(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return b.toString();
  }

  /**
   * One value as exact text: doubles and floats by their shortest round-tripping decimal (equal
   * text means equal bits, NaN and the infinities included), strings quoted and escaped so that
   * null, "null" and values with commas stay distinct.
   */
  static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Row r) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < r.length(); i++) {
        b.append(i == 0 ? "" : ", ").append(value(r.get(i)));
      }
      return b.append(']').toString();
    }
    if (v instanceof String s) {
      return quote(s);
    }
    if (v instanceof Double d) {
      return Double.toString(d);
    }
    if (v instanceof Float f) {
      return Float.toString(f) + "f";
    }
    if (v instanceof Seq<?> seq) {
      StringBuilder b = new StringBuilder("(");
      Iterator<?> it = seq.iterator();
      for (int i = 0; it.hasNext(); i++) {
        b.append(i == 0 ? "" : ", ").append(value(it.next()));
      }
      return b.append(')').toString();
    }
    return v.toString();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Applies the documented replacements (see the class javadoc) to one text file. */
  private String normalise(String rel, String text, String runId) throws IOException {
    String s = text.replace(runId, "<RUN_ID>");
    for (String root : tmpRoots()) {
      s = s.replace(root, "<TMP>");
    }
    s = parts(s);
    if (rel.equals("manifest.json")) {
      s = TIME_FIELD.matcher(s).replaceAll("$1\"<TIME>\"");
      s = JAVA_VERSION.matcher(s).replaceAll("$1\"<JAVA_VERSION>\"");
      s = GIT_COMMIT.matcher(s).replaceAll("$1\"<GIT_COMMIT>\"");
      s = APP_ID.matcher(s).replaceAll("$1\"<APP_ID>\"");
      s = SPARK_CONF_KEYS.matcher(s).replaceAll("$1\"<KEYS>\"");
      s = SECONDS_NUMBER.matcher(s).replaceAll("$1<SECONDS>");
      s =
          SECONDS_MAP
              .matcher(s)
              .replaceAll(
                  m -> Matcher.quoteReplacement(m.group(1) + secondsKeys(m.group(2)) + m.group(3)));
    }
    if (rel.endsWith(".html")) {
      s =
          SVG.matcher(s)
              .replaceAll(
                  m -> {
                    String svg = m.group();
                    return Matcher.quoteReplacement(
                        "<svg sha256=\""
                            + sha256(svg.getBytes(StandardCharsets.UTF_8))
                            + "\" chars=\""
                            + svg.length()
                            + "\"/>");
                  });
    }
    return s;
  }

  /**
   * The body of a seconds map with its keys sorted and its values replaced, laid out as Jackson
   * lays it out: one entry a line at the first entry's indent, the closing brace's indent kept.
   */
  private static String secondsKeys(String body) {
    List<String> keys = new ArrayList<>();
    Matcher m = SECONDS_ENTRY.matcher(body);
    while (m.find()) {
      keys.add(m.group(1));
    }
    if (keys.isEmpty()) {
      return body;
    }
    keys.sort(null);
    int first = body.indexOf('"');
    String indent = body.substring(body.lastIndexOf('\n', first) + 1, first);
    String closing = body.substring(body.lastIndexOf('\n') + 1);
    StringBuilder b = new StringBuilder();
    for (String k : keys) {
      b.append(b.length() == 0 ? "\n" : ",\n")
          .append(indent)
          .append('"')
          .append(k)
          .append("\" : <SECONDS>");
    }
    return b.append('\n').append(closing).toString();
  }

  /** The temporary folder as the runs name it; the longer first, in case one contains the other. */
  private List<String> tmpRoots() throws IOException {
    List<String> roots =
        new ArrayList<>(List.of(tmp.toAbsolutePath().toString(), tmp.toRealPath().toString()));
    roots.sort((a, b) -> b.length() - a.length());
    return roots;
  }

  private static String parts(String s) {
    return PART_UUID.matcher(s).replaceAll("$1-<UUID>$2");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ----------------------------------------------------------------------------- compare, update

  private static void compare(Map<String, Map<String, String>> dumps) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> run : dumps.entrySet()) {
      Path dir = GOLDEN.resolve(run.getKey());
      Map<String, String> expected = new TreeMap<>();
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.walk(dir)) {
          for (Path f : s.filter(Files::isRegularFile).toList()) {
            expected.put(dir.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8));
          }
        }
      }
      for (Map.Entry<String, String> e : run.getValue().entrySet()) {
        String where = run.getKey() + "/" + e.getKey();
        String want = expected.remove(e.getKey());
        if (want == null) {
          problems.add(where + ": no golden file (a new output?)");
        } else if (!want.equals(e.getValue())) {
          problems.add(where + ":\n" + diff(want, e.getValue()));
        }
      }
      for (String gone : expected.keySet()) {
        problems.add(run.getKey() + "/" + gone + ": golden file, but the run no longer writes it");
      }
    }
    if (!problems.isEmpty()) {
      Assertions.fail(
          problems.size()
              + " golden file(s) differ from the outputs (golden: "
              + GOLDEN
              + "). If the change is intended, rerun with -Dsegfx.golden.update=true and say why in"
              + " the commit message.\n\n"
              + String.join("\n\n", problems.subList(0, Math.min(problems.size(), 12)))
              + (problems.size() > 12 ? "\n\n... and " + (problems.size() - 12) + " more" : ""));
    }
  }

  /**
   * The differing block: the lines between the longest common head and the longest common tail,
   * expected (-) then actual (+), with line numbers, so that an inserted row shows as one line and
   * not as every line after it; for a single changed line, the column where the two part, since
   * table rows are long and a changed digit is hard to spot.
   */
  static String diff(String want, String got) {
    String[] a = want.split("\n", -1);
    String[] b = got.split("\n", -1);
    int head = 0;
    while (head < a.length && head < b.length && a[head].equals(b[head])) {
      head++;
    }
    int tail = 0;
    while (tail < a.length - head
        && tail < b.length - head
        && a[a.length - 1 - tail].equals(b[b.length - 1 - tail])) {
      tail++;
    }
    StringBuilder d = new StringBuilder();
    appendLines(d, "-", a, head, a.length - tail);
    appendLines(d, "+", b, head, b.length - tail);
    if (a.length - tail - head == 1 && b.length - tail - head == 1) {
      String x = a[head];
      String y = b[head];
      int c = 0;
      while (c < Math.min(x.length(), y.length()) && x.charAt(c) == y.charAt(c)) {
        c++;
      }
      d.append(String.format(Locale.ROOT, "    (first difference at column %d)%n", c + 1));
    }
    return d.append(
            String.format(Locale.ROOT, "  (%d expected lines, %d actual)", a.length, b.length))
        .toString();
  }

  private static void appendLines(StringBuilder d, String sign, String[] lines, int from, int to) {
    if (from >= to) {
      d.append(String.format(Locale.ROOT, "  %s (no lines at line %d)%n", sign, from + 1));
      return;
    }
    for (int i = from; i < Math.min(to, from + DIFF_LINES); i++) {
      d.append(String.format(Locale.ROOT, "  %s %d: %s%n", sign, i + 1, lines[i]));
    }
    if (to - from > DIFF_LINES) {
      d.append(
          String.format(Locale.ROOT, "  %s ... %d more lines%n", sign, to - from - DIFF_LINES));
    }
  }

  private static void update(Map<String, Map<String, String>> dumps) throws IOException {
    int n = 0;
    for (Map.Entry<String, Map<String, String>> run : dumps.entrySet()) {
      Path dir = GOLDEN.resolve(run.getKey());
      if (Files.exists(dir)) {
        try (Stream<Path> s = Files.walk(dir)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      for (Map.Entry<String, String> e : run.getValue().entrySet()) {
        Path f = dir.resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
        n++;
      }
    }
    System.out.println(
        "GoldenOutputTest: UPDATED "
            + n
            + " golden files of "
            + dumps.size()
            + " runs under "
            + GOLDEN
            + " instead of comparing; review the diff and justify it in the commit message");
  }
}
