package io.segfx.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.segfx.config.UsageException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The output folder of one run, written through Hadoop's {@link FileSystem} (file:, hdfs://,
 * s3a://). Everything is written into a sibling staging folder first; {@code manifest.json} and
 * {@code _SUCCESS} are written last, and {@link #publish} renames the staging folder into place, so
 * a reader never sees a half-written run under the output path.
 */
public final class RunOutput {
  public static final String MANIFEST = "manifest.json";
  public static final String SUCCESS = "_SUCCESS";

  private final SparkSession spark;
  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private final String format;

  private RunOutput(
      SparkSession spark,
      FileSystem fs,
      Path target,
      Path staging,
      boolean overwrite,
      String format) {
    this.spark = spark;
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.overwrite = overwrite;
    this.format = format;
  }

  /**
   * Prepares the staging folder for {@code output}, before any computation, so that an output that
   * cannot be written fails in seconds rather than after stage 1.
   *
   * <p>Safety rules, checked on fully qualified paths of whatever file system each path names:
   *
   * <ul>
   *   <li>the output must not be, contain or lie inside any of {@code inputs} (the data, the spec,
   *       side tables);
   *   <li>an existing output is replaced only with {@code --mode overwrite}, and only when it is an
   *       empty folder or a previous segfx output: a folder whose {@value #MANIFEST} names a segfx
   *       command and run id. Anything else is refused, so overwrite never deletes a user's files;
   *   <li>the staging folder is created and a probe file written in it now.
   * </ul>
   *
   * @param inputs every path the run reads (null entries are skipped)
   * @throws UsageException naming the path and what to do when a rule is broken
   */
  public static RunOutput open(
      SparkSession spark,
      String output,
      String mode,
      String format,
      String runId,
      List<String> inputs) {
    Path target;
    FileSystem fs;
    try {
      target = new Path(output);
      fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      target = fs.makeQualified(target);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(
          "--output '" + output + "' is not a usable path: " + e.getMessage(), e);
    }
    if (target.getName().contains(":")) {
      throw new UsageException(
          "--output "
              + output
              + " has a ':' in its name, which Hadoop paths cannot hold; choose another name");
    }
    boolean overwrite = "overwrite".equals(mode);
    for (String input : inputs) {
      if (input != null) {
        refuseOverlap(spark, target, output, input);
      }
    }
    try {
      if (fs.exists(target)) {
        if (!overwrite) {
          throw new UsageException(
              "output " + output + " exists; choose another folder or pass --mode overwrite");
        }
        refuseForeign(fs, target, output);
      }
      Path parent = target.getParent();
      if (parent != null && fs.exists(parent) && !fs.getFileStatus(parent).isDirectory()) {
        throw new UsageException(
            "--output "
                + output
                + " lies under "
                + parent
                + ", which is a file; choose a folder path");
      }
      Path staging = new Path(parent, "." + target.getName() + ".staging-" + runId);
      if (!fs.mkdirs(staging)) {
        throw new IOException("mkdirs returned false");
      }
      fs.create(new Path(staging, ".probe"), true).close();
      fs.delete(new Path(staging, ".probe"), false);
      return new RunOutput(spark, fs, target, staging, overwrite, format);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(
          "cannot write --output " + output + " (" + firstLine(e) + "); choose a writable folder",
          e);
    }
  }

  /** The command names a segfx manifest carries in its {@code command} field. */
  private static final java.util.Set<String> COMMANDS =
      java.util.Set.of("segment-effects", "causal-impact");

  /**
   * Refuses to replace {@code target} unless it is an empty folder or a previous segfx output: a
   * folder with a {@value #MANIFEST} whose {@code command} is a segfx command and that has a {@code
   * run_id}.
   */
  private static void refuseForeign(FileSystem fs, Path target, String output) throws IOException {
    if (!fs.getFileStatus(target).isDirectory()) {
      throw new UsageException(
          "--output "
              + output
              + " is an existing file, not a segfx output folder; refusing to"
              + " overwrite it: choose another path");
    }
    if (fs.listStatus(target).length == 0) {
      return;
    }
    Path manifest = new Path(target, MANIFEST);
    com.fasterxml.jackson.databind.JsonNode m = null;
    if (fs.exists(manifest)) {
      try (java.io.InputStream in = fs.open(manifest)) {
        m = new ObjectMapper().readTree(in);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        m = null;
      }
    }
    boolean ours =
        m != null && m.hasNonNull("run_id") && COMMANDS.contains(m.path("command").asText(""));
    if (!ours) {
      throw new UsageException(
          "--output "
              + output
              + " exists and is not a previous segfx output (no segfx "
              + MANIFEST
              + "); --mode overwrite replaces only segfx's own output folders:"
              + " choose a new folder or remove it yourself");
    }
    // Files added to a previous output by someone else are not segfx's to delete.
    java.util.Set<String> written = new java.util.HashSet<>(List.of(MANIFEST, SUCCESS));
    if (m.has(OUTPUTS)) {
      m.get(OUTPUTS).forEach(n -> written.add(n.asText()));
    }
    List<String> foreign = new java.util.ArrayList<>();
    for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(target)) {
      String name = f.getPath().getName();
      if (!written.contains(name)
          && !name.startsWith(".")
          && (m.has(OUTPUTS) || !LEGACY.contains(name))) {
        foreign.add(name);
      }
    }
    if (!foreign.isEmpty()) {
      java.util.Collections.sort(foreign);
      throw new UsageException(
          "--output "
              + output
              + " is a previous segfx output but also holds files segfx did not write ("
              + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
              + (foreign.size() > 5 ? ", ..." : "")
              + "); move them, or choose another folder");
    }
  }

  /** The manifest key listing the entries a run wrote in its output folder. */
  public static final String OUTPUTS = "outputs";

  /** What outputs written before {@value #OUTPUTS} was recorded may hold. */
  private static final java.util.Set<String> LEGACY =
      java.util.Set.of(
          "segment_estimates",
          "segment_posteriors",
          "experiment_pooling",
          "experiment_decisions",
          "arm_posteriors",
          "prior_sensitivity",
          "bias_sensitivity",
          "learned_prior",
          "learned_prior_effects",
          "rejected_rows",
          "impact_summary",
          "impact_pointwise",
          "memos",
          "report");

  /**
   * Refuses an output that equals, contains or lies inside {@code input}, compared as fully
   * qualified paths (scheme, authority, absolute path) after resolving {@code .} and {@code ..}.
   */
  private static void refuseOverlap(SparkSession spark, Path target, String output, String input) {
    Path in;
    try {
      Path p = new Path(input);
      in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p);
    } catch (IOException | IllegalArgumentException e) {
      return; // the reader reports an unusable input path
    }
    String t = normalized(target);
    String i = normalized(in);
    if (t.equals(i) || i.startsWith(t + "/") || t.startsWith(i + "/")) {
      throw new UsageException(
          "--output "
              + output
              + " overlaps the input "
              + input
              + " (the same path, or one inside the other); choose an output folder outside the"
              + " input");
    }
  }

  private static String normalized(Path p) {
    java.net.URI u = p.toUri().normalize();
    if ("file".equals(u.getScheme())) {
      return "file://" + realLocal(java.nio.file.Path.of(u.getPath()));
    }
    String path = u.getPath() == null ? "" : u.getPath();
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
    String authority =
        u.getAuthority() == null ? "" : u.getAuthority().toLowerCase(java.util.Locale.ROOT);
    return scheme + "://" + authority + path;
  }

  /**
   * A local path with symbolic links resolved: the real path of its longest existing prefix plus
   * the rest, so that a link to the input folder counts as the input folder.
   */
  private static String realLocal(java.nio.file.Path p) {
    java.nio.file.Path abs = p.toAbsolutePath().normalize();
    java.nio.file.Path existing = abs;
    java.nio.file.Path rest = abs.getFileSystem().getPath("");
    while (existing != null && !java.nio.file.Files.exists(existing)) {
      rest = existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    try {
      java.nio.file.Path real = existing == null ? abs : existing.toRealPath().resolve(rest);
      String s = real.normalize().toString();
      return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    } catch (IOException e) {
      return abs.toString();
    }
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /**
   * Writes one driver-side table as a single file, in the row order given: Parquet through {@link
   * ParquetTableWriter} (the file Spark would write, without a Spark job), CSV through Spark.
   */
  public void writeTable(String name, List<Row> rows, StructType schema) {
    if ("csv".equals(format) || !ParquetTableWriter.supports(schema)) {
      write(name, spark.createDataFrame(rows, schema).coalesce(1));
      return;
    }
    Path dir = new Path(staging, name);
    try {
      fs.mkdirs(dir);
      // A copy: the writer may set properties, and several tables are written at once.
      Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
      ParquetTableWriter.write(new Path(dir, "part-00000.snappy.parquet"), conf, rows, schema);
      fs.create(new Path(dir, SUCCESS), true).close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write table " + name, e);
    }
  }

  /**
   * Writes a distributed table. CSV is RFC 4180, as Python's {@code csv} module, pandas and DuckDB
   * read it: quotes inside a field are doubled (Spark's default escapes them with a backslash),
   * fields keep their leading and trailing spaces (Spark's writer trims them by default, which made
   * {@code s1} and {@code "s1 "} collide), and fields with separators, quotes or line breaks are
   * quoted.
   */
  public void write(String name, Dataset<Row> table) {
    String path = new Path(staging, name).toString();
    if ("csv".equals(format)) {
      table
          .write()
          .option("header", "true")
          .option("quote", "\"")
          .option("escape", "\"")
          .option("ignoreLeadingWhiteSpace", "false")
          .option("ignoreTrailingWhiteSpace", "false")
          .csv(path);
    } else {
      table.write().parquet(path);
    }
  }

  /**
   * Writes a UTF-8 text file at {@code relative} under the run folder, with control characters
   * other than tab and line feed replaced ({@link SafeText#cleanDocument}). On the local file
   * system it is written with java.nio: Hadoop's local file system sets permissions through a
   * forked {@code chmod} when its native library is absent (milliseconds per file, which thousands
   * of memos feel) and adds a hidden .crc file beside each.
   */
  public void writeText(String relative, String text) {
    Path path = new Path(staging, relative);
    // Ids from the input reach memos and pages; a NUL or escape byte must not.
    byte[] bytes = SafeText.cleanDocument(text).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (fs instanceof org.apache.hadoop.fs.LocalFileSystem local) {
        java.nio.file.Path file = local.pathToFile(path).toPath();
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.write(file, bytes);
        return;
      }
      try (OutputStream out = fs.create(path, true)) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + relative, e);
    }
  }

  /**
   * Writes {@code manifest.json} then {@code _SUCCESS}, and moves the run into place. The manifest
   * gains {@value #OUTPUTS}, the entries the run wrote, so that a later overwrite can tell them
   * from files someone else put in the folder.
   */
  public void publish(Map<String, Object> given) {
    Map<String, Object> manifest = new java.util.LinkedHashMap<>(given);
    try {
      List<String> entries = new java.util.ArrayList<>();
      for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(staging)) {
        if (!f.getPath().getName().startsWith(".")) {
          entries.add(f.getPath().getName());
        }
      }
      java.util.Collections.sort(entries);
      manifest.put(OUTPUTS, entries);
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      try (OutputStream out = fs.create(new Path(staging, MANIFEST), true)) {
        json.writeValue(out, manifest);
      }
      fs.create(new Path(staging, SUCCESS), true).close();
      if (fs.exists(target)) {
        if (!overwrite) {
          throw new UsageException("output " + target + " appeared during the run; not replaced");
        }
        // Checked again: the folder may have changed since the run started.
        refuseForeign(fs, target, target.toString());
        fs.delete(target, true);
      }
      if (!fs.rename(staging, target)) {
        throw new IOException("rename " + staging + " -> " + target + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish output " + target, e);
    }
  }

  /** Removes the staging folder of a failed run. */
  public void abandon() {
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      // The staging folder is hidden and named by run id; a leftover is harmless.
    }
  }

  /** The final output path. */
  public String target() {
    return target.toString();
  }
}
