package io.segfx.spark;

import io.segfx.config.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads unit-level input through Spark's data sources (any Hadoop file system). */
public final class InputReader {
  private InputReader() {}

  /**
   * Reads {@code path} as {@code format}. CSV is read with a header and every column as text (no
   * schema inference, so no extra scan); numeric columns are cast and checked by {@link
   * ValidationStage}.
   *
   * A relative path is made absolute on the driver first, so executors on a cluster (whose working
   * folders differ) read the same files.
   *
   * @throws UsageException if the path does not exist or cannot be read as that format
   */
  public static Dataset<Row> read(SparkSession spark, String path, String format) {
    String qualified;
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new UsageException("input not found: " + path);
      }
      qualified = fs.makeQualified(p).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the file system of " + path, e);
    }
    try {
      if ("csv".equals(format)) {
        return spark.read().option("header", "true").option("mode", "PERMISSIVE").csv(qualified);
      }
      return spark.read().parquet(qualified);
    } catch (Exception e) { // Spark throws its checked SparkException undeclared.
      RuntimeException t = DataErrors.translate(e, path);
      if (t instanceof UsageException) {
        throw new UsageException(t.getMessage() + " (as " + format + "; set --input-format if the extension misleads)", e);
      }
      throw t;
    }
  }
}
