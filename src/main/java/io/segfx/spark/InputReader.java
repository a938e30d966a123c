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
   * @throws UsageException if the path does not exist or cannot be read as that format
   */
  public static Dataset<Row> read(SparkSession spark, String path, String format) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new UsageException("input not found: " + path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the file system of " + path, e);
    }
    try {
      if ("csv".equals(format)) {
        return spark.read().option("header", "true").option("mode", "PERMISSIVE").csv(path);
      }
      return spark.read().parquet(path);
    } catch (RuntimeException e) {
      throw new UsageException(
          "cannot read " + path + " as " + format + ": " + e.getMessage()
              + " (set --input-format if the extension misleads)", e);
    }
  }
}
