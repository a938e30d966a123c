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
import org.junit.jupiter.api.Assertions;
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

  /** A Parquet run output under {@code dir/run}. */
  private RunOutput open(Path dir, String runId) {
    return RunOutput.open(
        spark(),
        dir.resolve("run").toString(),
        WriteMode.ERROR,
        TableFormat.PARQUET,
        runId,
        List.of());
  }

  @Test
  void readsBackAsSparksOwnWrite(@TempDir Path dir) throws Exception {
    RunOutput out = open(dir, "t1");
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

  /** The footer of a Parquet file: its Thrift bytes before the length and {@code PAR1}. */
  private static byte[] footer(Path file) throws Exception {
    byte[] all = Files.readAllBytes(file);
    int n = all.length;
    int length =
        (all[n - 8] & 0xff)
            | (all[n - 7] & 0xff) << 8
            | (all[n - 6] & 0xff) << 16
            | (all[n - 5] & 0xff) << 24;
    return java.util.Arrays.copyOfRange(all, n - 8 - length, n - 8);
  }

  private static Path partFile(Path table) throws Exception {
    try (var files = Files.list(table)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().get();
    }
  }

  @Test
  void footersListEachChunksEncodingsInOneOrder(@TempDir Path dir) throws Exception {
    // parquet-mr lists a chunk's encodings from a HashSet of enums, in an order that changes
    // between JVM runs; the writer sorts them, so a table's bytes depend only on its rows.
    RunOutput out = open(dir, "t2");
    out.writeTable("ours", rows(), SCHEMA);
    out.publish(Map.of());
    byte[] footer = footer(partFile(dir.resolve("run/ours")));
    org.apache.parquet.format.FileMetaData md =
        org.apache.parquet.format.Util.readFileMetaData(new java.io.ByteArrayInputStream(footer));
    int multi = 0;
    for (org.apache.parquet.format.RowGroup rg : md.getRow_groups()) {
      for (org.apache.parquet.format.ColumnChunk cc : rg.getColumns()) {
        List<org.apache.parquet.format.Encoding> e = cc.getMeta_data().getEncodings();
        for (int i = 1; i < e.size(); i++) {
          Assertions.assertTrue(e.get(i - 1).getValue() < e.get(i).getValue(), e.toString());
        }
        multi += e.size() > 1 ? 1 : 0;
      }
    }
    Assertions.assertTrue(multi > 0, "no chunk has two encodings: the order is not exercised");
    // No dictionary pages: a dictionary decision that varied between runs changed the bytes.
    for (org.apache.parquet.format.RowGroup rg : md.getRow_groups()) {
      for (org.apache.parquet.format.ColumnChunk cc : rg.getColumns()) {
        Assertions.assertFalse(
            cc.getMeta_data().isSetDictionary_page_offset(),
            cc.getMeta_data().getPath_in_schema().toString());
      }
    }
    // A footer with every list reversed comes back sorted, at the same length, byte for byte.
    for (org.apache.parquet.format.RowGroup rg : md.getRow_groups()) {
      for (org.apache.parquet.format.ColumnChunk cc : rg.getColumns()) {
        List<org.apache.parquet.format.Encoding> e =
            new ArrayList<>(cc.getMeta_data().getEncodings());
        java.util.Collections.reverse(e);
        cc.getMeta_data().setEncodings(e);
      }
    }
    java.io.ByteArrayOutputStream reversed = new java.io.ByteArrayOutputStream();
    org.apache.parquet.format.Util.writeFileMetaData(md, reversed);
    assertFalse(java.util.Arrays.equals(footer, reversed.toByteArray()));
    assertTrue(java.util.Arrays.equals(footer, CanonicalFooter.canonical(reversed.toByteArray())));
  }

  @Test
  void aTableLargerThanTheHeldBackTailReadsBackWhole(@TempDir Path dir) throws Exception {
    StructType schema =
        new StructType()
            .add("i", DataTypes.LongType, false)
            .add("a", DataTypes.DoubleType, false)
            .add("b", DataTypes.DoubleType, false);
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    List<Row> rows = new ArrayList<>();
    double sum = 0;
    for (long i = 0; i < 400_000; i++) {
      double a = r.nextDouble();
      double b = r.nextGaussian();
      sum += a + b;
      rows.add(RowFactory.create(i, a, b));
    }
    RunOutput out = open(dir, "t3");
    out.writeTable("big", rows, schema);
    out.publish(Map.of());
    Path file = partFile(dir.resolve("run/big"));
    Assertions.assertTrue(Files.size(file) > CanonicalFooter.TAIL, "file " + Files.size(file));
    List<Row> back = spark().read().parquet(dir.resolve("run/big").toString()).collectAsList();
    assertEquals(rows.size(), back.size());
    double backSum = 0;
    for (int i = 0; i < back.size(); i++) {
      assertEquals(rows.get(i), back.get(i), "row " + i);
      backSum += back.get(i).getDouble(1) + back.get(i).getDouble(2);
    }
    assertEquals(sum, backSum);
  }
}
