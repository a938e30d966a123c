package io.segfx.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.segfx.config.UsageException;
import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import java.io.BufferedWriter;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
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

  /**
   * The hidden index of every file and folder a run wrote, one relative path per line (folders end
   * in '/'): {@code --mode overwrite} replaces a folder only while everything in it, at any depth,
   * is listed here.
   */
  public static final String FILES = ".segfx-files";

  public static final String SUCCESS = "_SUCCESS";

  private final SparkSession spark;
  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private final TableFormat format;

  private RunOutput(
      SparkSession spark,
      FileSystem fs,
      Path target,
      Path staging,
      boolean overwrite,
      TableFormat format) {
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
      WriteMode mode,
      TableFormat format,
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
    boolean overwrite = mode == WriteMode.OVERWRITE;
    for (String input : inputs) {
      if (input != null) {
        OutputGuard.refuseOverlap(spark, target, output, input);
      }
    }
    refuseSymbolicLink(target, output);
    try {
      if (fs.exists(target)) {
        if (!fs.getFileStatus(target).isDirectory()) {
          // Refused in either mode, so the hint must not suggest --mode overwrite.
          throw new UsageException(
              "--output "
                  + output
                  + " is an existing file, not a folder; choose a folder path for the output");
        }
        if (!overwrite) {
          throw new UsageException(
              "output " + output + " exists; choose another folder or pass --mode overwrite");
        }
        OutputGuard.refuseForeign(fs, target, output);
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

  /**
   * Refuses a local {@code --output} that is a symbolic link (dangling or not): a run publishes its
   * output by renaming a new folder into place, which would replace the user's link rather than
   * write where it points, or fail only after the whole run when the link dangles.
   */
  private static void refuseSymbolicLink(Path target, String output) {
    if (!"file".equals(target.toUri().getScheme())) {
      return;
    }
    if (java.nio.file.Files.isSymbolicLink(java.nio.file.Path.of(target.toUri()))) {
      throw new UsageException(
          "--output "
              + output
              + " is a symbolic link; pass the folder it points to (segfx replaces the output"
              + " folder as a whole, which would replace the link)");
    }
  }

  /** The manifest key listing the entries a run wrote in its output folder. */
  public static final String OUTPUTS = "outputs";

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
    if (format == TableFormat.CSV || !ParquetTableWriter.supports(schema)) {
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
    if (format == TableFormat.CSV) {
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
    byte[] bytes = SafeText.cleanDocument(text).getBytes(StandardCharsets.UTF_8);
    try {
      if (fs instanceof LocalFileSystem local) {
        java.nio.file.Path file = local.pathToFile(path).toPath();
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
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
   * Opens a UTF-8 text file at {@code relative} under the run folder for writing in pieces, each
   * piece cleaned as by {@link #writeText}: a file too large to hold as one string.
   */
  public Writer openText(String relative) {
    Path path = new Path(staging, relative);
    try {
      OutputStream stream;
      if (fs instanceof LocalFileSystem local) {
        java.nio.file.Path file = local.pathToFile(path).toPath();
        Files.createDirectories(file.getParent());
        stream = Files.newOutputStream(file);
      } else {
        stream = fs.create(path, true);
      }
      Writer utf8 =
          new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
      return new FilterWriter(utf8) {
        @Override
        public void write(String str, int off, int len) throws IOException {
          out.write(SafeText.cleanDocument(str.substring(off, off + len)));
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
          write(new String(cbuf, off, len), 0, len);
        }

        @Override
        public void write(int c) throws IOException {
          write(String.valueOf((char) c), 0, 1);
        }
      };
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
    Map<String, Object> manifest = new LinkedHashMap<>(given);
    try {
      List<String> entries = new ArrayList<>();
      for (FileStatus f : fs.listStatus(staging)) {
        if (!f.getPath().getName().startsWith(".")) {
          entries.add(f.getPath().getName());
        }
      }
      Collections.sort(entries);
      manifest.put(OUTPUTS, entries);
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      try (OutputStream out = fs.create(new Path(staging, MANIFEST), true)) {
        json.writeValue(out, manifest);
      }
      fs.create(new Path(staging, SUCCESS), true).close();
      List<String> files = new ArrayList<>();
      OutputGuard.walk(fs, staging, "", files);
      files.add(FILES);
      Collections.sort(files);
      try (OutputStream out = fs.create(new Path(staging, FILES), true)) {
        out.write((String.join("\n", files) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (fs.exists(target)) {
        if (!overwrite) {
          throw new UsageException("output " + target + " appeared during the run; not replaced");
        }
        // Checked again: the folder may have changed since the run started.
        OutputGuard.refuseForeign(fs, target, target.toString());
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
