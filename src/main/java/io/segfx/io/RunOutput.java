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
 * {@code _SUCCESS} are written last, and {@link #publish} renames the staging folder into place, so a
 * reader never sees a half-written run under the output path.
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

  private RunOutput(SparkSession spark, FileSystem fs, Path target, Path staging, boolean overwrite, String format) {
    this.spark = spark;
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.overwrite = overwrite;
    this.format = format;
  }

  /**
   * Prepares the staging folder for {@code output}.
   *
   * @throws UsageException if the output exists and mode is not overwrite
   */
  public static RunOutput open(SparkSession spark, String output, String mode, String format, String runId) {
    try {
      Path target = new Path(output);
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      target = fs.makeQualified(target);
      boolean overwrite = "overwrite".equals(mode);
      if (fs.exists(target) && !overwrite) {
        throw new UsageException(
            "output " + output + " exists; choose another folder or pass --mode overwrite");
      }
      Path staging = new Path(target.getParent(), "." + target.getName() + ".staging-" + runId);
      fs.mkdirs(staging);
      return new RunOutput(spark, fs, target, staging, overwrite, format);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output " + output, e);
    }
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

  /** Writes a distributed table. */
  public void write(String name, Dataset<Row> table) {
    String path = new Path(staging, name).toString();
    if ("csv".equals(format)) {
      table.write().option("header", "true").csv(path);
    } else {
      table.write().parquet(path);
    }
  }

  /**
   * Writes a UTF-8 text file at {@code relative} under the run folder. On the local file system it
   * is written with java.nio: Hadoop's local file system sets permissions through a forked
   * {@code chmod} when its native library is absent (milliseconds per file, which thousands of
   * memos feel) and adds a hidden .crc file beside each.
   */
  public void writeText(String relative, String text) {
    Path path = new Path(staging, relative);
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
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

  /** Writes {@code manifest.json} then {@code _SUCCESS}, and moves the run into place. */
  public void publish(Map<String, Object> manifest) {
    try {
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      try (OutputStream out = fs.create(new Path(staging, MANIFEST), true)) {
        json.writeValue(out, manifest);
      }
      fs.create(new Path(staging, SUCCESS), true).close();
      if (fs.exists(target)) {
        if (!overwrite) {
          throw new UsageException("output " + target + " appeared during the run; not replaced");
        }
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
