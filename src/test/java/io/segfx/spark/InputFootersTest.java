package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.segfx.model.TableFormat;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet input whose few files agree on their schema is read with the schema taken from their
 * footers on the driver ({@link InputReader#commonSchema}), without Spark's schema job; the schema
 * must be the one Spark's own merge of the footers gives, and anything else goes to that merge.
 */
class InputFootersTest extends SharedSparkSession {
  @TempDir Path tmp;

  /** Spark jobs started while it listens. */
  private static final class Jobs extends SparkListener {
    final AtomicInteger started = new AtomicInteger();

    @Override
    public void onJobStart(SparkListenerJobStart e) {
      started.incrementAndGet();
    }
  }

  private String write(String name, String select, int files) {
    String out = tmp.resolve(name).toString();
    spark().range(0, 60).selectExpr(select.split(";")).repartition(files).write().parquet(out);
    return out;
  }

  /** Spark's merged schema of a folder: what the reader gives without a schema of ours. */
  private StructType merged(String folder) {
    return spark().read().option("mergeSchema", "true").parquet(folder).schema();
  }

  private static List<String> dataFiles(String folder) throws Exception {
    List<String> out = new ArrayList<>();
    try (var s = Files.walk(Path.of(folder))) {
      s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .sorted()
          .forEach(p -> out.add("file:" + p));
    }
    return out;
  }

  private static final String MANY_TYPES =
      "cast(id as string) as experiment_id;"
          + "cast(id % 3 as int) as arm;"
          + "cast(id as decimal(38,0)) as big;"
          + "cast(id / 7 as decimal(10,3)) as price;"
          + "timestamp_seconds(id) as at;"
          + "cast(id as float) as f;"
          + "named_struct('a', id, 'b', cast(id as string)) as nested;"
          + "array(id, id + 1) as list";

  @Test
  void filesThatAgreeAreReadWithoutASchemaJob() throws Exception {
    String folder = write("same", MANY_TYPES, 3);
    List<String> files = dataFiles(folder);
    assertEquals(3, files.size());
    StructType common = InputReader.commonSchema(spark(), files);
    assertNotNull(common);
    // The footers' own nullability; the reader makes every column nullable, as after a merge.
    assertEquals(merged(folder).simpleString(), common.simpleString());
    Jobs jobs = new Jobs();
    spark().sparkContext().addSparkListener(jobs);
    try {
      InputReader.Input in = InputReader.open(spark(), folder, TableFormat.PARQUET, null);
      spark().sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(0, jobs.started.get());
      assertEquals(merged(folder), in.data().schema());
      assertEquals(60, in.data().count());
    } finally {
      spark().sparkContext().removeSparkListener(jobs);
    }
  }

  @Test
  void partitionFoldersKeepTheirColumns() throws Exception {
    String folder = tmp.resolve("parts").toString();
    spark()
        .range(0, 40)
        .selectExpr(
            "cast(id % 4 as string) as experiment_id", "id as x", "cast(id % 2 as int) as arm")
        .write()
        .partitionBy("experiment_id")
        .parquet(folder);
    assertNotNull(InputReader.commonSchema(spark(), dataFiles(folder)));
    Dataset<Row> read = InputReader.open(spark(), folder, TableFormat.PARQUET, null).data();
    assertEquals(merged(folder), read.schema());
    assertEquals(
        spark().read().option("mergeSchema", "true").parquet(folder).orderBy("x").collectAsList(),
        read.orderBy("x").collectAsList());
  }

  @Test
  void aPartitionColumnAlsoInTheFilesKeepsTheFoldersText() throws Exception {
    // experiment_id=07/ holding files with an integer experiment_id: a merge keeps the folder's
    // text "07" (type inference is off); a schema taken from the footers would read 7.
    spark().conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    try {
      String folder = tmp.resolve("both").toString();
      for (String id : List.of("07", "12")) {
        spark()
            .range(0, 5)
            .selectExpr("cast(" + Integer.parseInt(id) + " as bigint) as experiment_id", "id as x")
            .write()
            .parquet(folder + "/experiment_id=" + id);
      }
      Dataset<Row> read = InputReader.open(spark(), folder, TableFormat.PARQUET, null).data();
      Dataset<Row> viaMerge = spark().read().option("mergeSchema", "true").parquet(folder);
      assertEquals(viaMerge.schema(), read.schema());
      assertEquals(
          viaMerge.orderBy("x", "experiment_id").collectAsList(),
          read.orderBy("x", "experiment_id").collectAsList());
      assertEquals(
          List.of("07", "12"),
          read.select("experiment_id").distinct().orderBy("experiment_id").collectAsList().stream()
              .map(r -> String.valueOf(r.get(0)))
              .toList());
    } finally {
      spark().conf().unset("spark.sql.sources.partitionColumnTypeInference.enabled");
    }
  }

  @Test
  void anythingElseGoesToSparksMerge() throws Exception {
    // Files with different columns: the union, as Spark's merge gives it.
    String folder = tmp.resolve("differ").toString();
    spark().range(0, 10).selectExpr("id", "id * 2 as y").write().parquet(folder);
    spark().range(10, 20).selectExpr("id").write().mode("append").parquet(folder);
    assertNull(InputReader.commonSchema(spark(), dataFiles(folder)));
    assertEquals(
        merged(folder),
        InputReader.open(spark(), folder, TableFormat.PARQUET, null).data().schema());
    // Names that differ only in case, and a file that is not Parquet.
    spark().conf().set("spark.sql.caseSensitive", "true");
    String cased;
    try {
      cased = write("cased", "id as a;id as A", 1);
    } finally {
      spark().conf().unset("spark.sql.caseSensitive");
    }
    assertNull(InputReader.commonSchema(spark(), dataFiles(cased)));
    Path bad = tmp.resolve("bad.parquet");
    Files.writeString(bad, "not parquet at all");
    assertNull(InputReader.commonSchema(spark(), List.of("file:" + bad)));
    // More files than are read on the driver.
    String many = write("many", "id", InputReader.DRIVER_FOOTERS + 1);
    List<String> manyFiles = dataFiles(many);
    assertEquals(InputReader.DRIVER_FOOTERS + 1, manyFiles.size());
    assertNull(InputReader.commonSchema(spark(), manyFiles));
    assertNotNull(InputReader.commonSchema(spark(), manyFiles.subList(0, 2)));
  }
}
