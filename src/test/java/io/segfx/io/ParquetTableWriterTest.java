package io.segfx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver-side Parquet writer against Spark's own: the same table (every supported type, nulls,
 * non-ASCII strings, NaN, infinities, extreme longs) written both ways reads back through Spark
 * with the same schema and the same rows in the same order; an empty table keeps its schema.
 */
class ParquetTableWriterTest extends SharedSparkSession {
  private static final StructType SCHEMA =
      new StructType()
          .add("experiment_id", DataTypes.StringType, false)
          .add("n", DataTypes.LongType, true)
          .add("k", DataTypes.IntegerType, true)
          .add("estimate", DataTypes.DoubleType, true)
          .add("flag", DataTypes.BooleanType, true)
          .add("note", DataTypes.StringType, true);

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    double[] specials = {
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, 1e300
    };
    for (int i = 0; i < 5_000; i++) {
      rows.add(
          RowFactory.create(
              "exp-" + i + (i % 7 == 0 ? "-ümlaut-日本" : ""),
              i % 11 == 0 ? null : (i % 13 == 0 ? Long.MIN_VALUE : (long) i * 1_000_003L),
              i % 17 == 0 ? null : i - 2500,
              i % 19 == 0 ? null : (i < specials.length ? specials[i] : Math.sin(i) * 1e-3),
              i % 23 == 0 ? null : i % 2 == 0,
              i % 3 == 0 ? null : "note " + i));
    }
    return rows;
  }

  @Test
  void readsBackAsSparksOwnWrite(@TempDir Path dir) throws Exception {
    RunOutput out =
        RunOutput.open(
            spark(),
            dir.resolve("run").toString(),
            WriteMode.ERROR,
            TableFormat.PARQUET,
            "t1",
            List.of());
    List<Row> rows = rows();
    out.writeTable("ours", rows, SCHEMA);
    out.write("spark", spark().createDataFrame(rows, SCHEMA).coalesce(1));
    out.writeTable("empty", List.of(), SCHEMA);
    out.publish(Map.of());
    Dataset<Row> ours = spark().read().parquet(dir.resolve("run/ours").toString());
    Dataset<Row> theirs = spark().read().parquet(dir.resolve("run/spark").toString());
    assertEquals(theirs.schema(), ours.schema());
    List<Row> a = ours.collectAsList();
    List<Row> b = theirs.collectAsList();
    assertEquals(rows.size(), a.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(b.get(i), a.get(i), "row " + i);
      assertEquals(rows.get(i), a.get(i), "row " + i + " as given");
    }
    Dataset<Row> empty = spark().read().parquet(dir.resolve("run/empty").toString());
    assertEquals(theirs.schema(), empty.schema());
    assertEquals(0, empty.count());
    assertTrue(Files.exists(dir.resolve("run/ours/_SUCCESS")));
    try (var files = Files.list(dir.resolve("run/ours"))) {
      assertEquals(
          1,
          files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count(),
          "one file");
    }
    assertFalse(
        ParquetTableWriter.supports(
            new StructType().add("a", DataTypes.createArrayType(DataTypes.DoubleType))));
  }
}
