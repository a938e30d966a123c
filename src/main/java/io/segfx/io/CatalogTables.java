package io.segfx.io;

import io.segfx.config.TableName;
import io.segfx.config.UsageException;
import java.io.IOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The output tables of one run written through Spark's catalog with {@code DataFrameWriterV2}, so
 * any catalog a cluster configures (Iceberg, Delta, Hive Metastore, Glue, REST) takes them.
 *
 * <p>Every row gains {@value #RUN_ID} and {@value #RUN_DATE}, and each table is partitioned by
 * {@value #RUN_DATE}. A table that does not exist is created; an existing one has the run date's
 * partition replaced in one commit ({@code overwritePartitions}), so re-running a date never
 * duplicates rows or shows an empty window, and other dates' partitions are untouched. An empty
 * table replaces the run date's partition with nothing ({@code overwrite(run_date = date)}), since
 * a dynamic partition overwrite of no rows would keep the previous run's rows. Each table is its
 * own commit: {@code PREFIX_runs} is written last, so its row for a date says the date is complete.
 */
public final class CatalogTables {
  public static final String RUN_ID = "run_id";
  public static final String RUN_DATE = "run_date";

  /** The table of one row per run, {@code PREFIX_runs}. */
  public static final String RUNS = "runs";

  /** The catalog segfx configures when the Spark settings name none by this name. */
  public static final String LOCAL_CATALOG = "local";

  private static final String CATALOG_KEY = "spark.sql.catalog." + LOCAL_CATALOG;

  private final SparkSession spark;
  private final TableName prefix;
  private final String runId;
  private final LocalDate runDate;

  private CatalogTables(SparkSession spark, TableName prefix, String runId, LocalDate runDate) {
    this.spark = spark;
    this.prefix = prefix;
    this.runId = runId;
    this.runDate = runDate;
  }

  /**
   * The writer of one run's tables under {@code prefix}. Configures the embedded catalog first when
   * the prefix names it ({@link #configureLocal}), and creates the namespace when the catalog has
   * none of that name.
   *
   * @throws UsageException when the prefix's catalog is not configured
   */
  public static CatalogTables open(
      SparkSession spark, TableName prefix, String runId, LocalDate runDate, String warehouse) {
    configureLocal(spark, warehouse);
    requireCatalog(spark, prefix, "--output-table-prefix");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + prefix.catalog() + "." + prefix.namespace());
    return new CatalogTables(spark, prefix, runId, runDate);
  }

  /**
   * Registers the embedded catalog {@value #LOCAL_CATALOG}, an Iceberg Hadoop catalog under {@code
   * warehouse}, unless the Spark settings already name a catalog {@value #LOCAL_CATALOG}: on a
   * cluster its own configuration wins. Spark's catalog manager reads a catalog's settings on the
   * catalog's first use, so setting them on a running session works.
   */
  public static void configureLocal(SparkSession spark, String warehouse) {
    if (spark.conf().contains(CATALOG_KEY)) {
      return;
    }
    String qualified;
    try {
      Path p = new Path(warehouse);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      qualified = fs.makeQualified(p).toString();
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("--warehouse '" + warehouse + "' is not a usable path", e);
    }
    spark.conf().set(CATALOG_KEY, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set(CATALOG_KEY + ".type", "hadoop");
    spark.conf().set(CATALOG_KEY + ".warehouse", qualified);
  }

  /** Refuses a table name whose catalog the Spark settings do not configure. */
  public static void requireCatalog(SparkSession spark, TableName table, String option) {
    String catalog = table.catalog();
    if (!catalog.equals("spark_catalog")
        && !spark.conf().contains("spark.sql.catalog." + catalog)) {
      throw new UsageException(
          option
              + " "
              + table
              + ": no catalog '"
              + catalog
              + "' is configured (set spark.sql.catalog."
              + catalog
              + ", or use the embedded catalog 'local')");
    }
  }

  /** The full name of the table {@code name}. */
  public String tableName(String name) {
    return prefix.withSuffix(name);
  }

  /** Writes a driver-side table. */
  public void write(String name, List<Row> rows, StructType schema) {
    write(name, spark.createDataFrame(rows, schema), rows.isEmpty());
  }

  /**
   * Writes a distributed table.
   *
   * @param empty true when the table is known to have no rows: the run date's partition is then
   *     emptied rather than left as a previous run wrote it
   */
  public void write(String name, Dataset<Row> table, boolean empty) {
    String target = tableName(name);
    Dataset<Row> tagged = table.select(withRunColumns(table));
    try {
      if (!spark.catalog().tableExists(target)) {
        tagged.writeTo(target).partitionedBy(functions.col(RUN_DATE)).create();
      } else if (empty) {
        tagged.writeTo(target).overwrite(functions.col(RUN_DATE).equalTo(runDateLiteral()));
      } else {
        tagged.writeTo(target).overwritePartitions();
      }
    } catch (Exception e) { // Spark declares the catalog's checked exceptions.
      throw new IllegalStateException("cannot write table " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the run's row of {@code PREFIX_runs}: its figures as given, in order, each a {@link
   * Long}, {@link Double}, {@link String} or {@link Instant} (null values are strings). Call it
   * after every other table, so that a date with a row here is complete.
   */
  public void writeRun(Map<String, Object> figures) {
    List<StructField> fields = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (Map.Entry<String, Object> f : figures.entrySet()) {
      Object v = f.getValue();
      DataType type;
      if (v instanceof Long) {
        type = DataTypes.LongType;
      } else if (v instanceof Double) {
        type = DataTypes.DoubleType;
      } else if (v instanceof Instant t) {
        type = DataTypes.TimestampType;
        v = Timestamp.from(t);
      } else if (v == null || v instanceof String) {
        type = DataTypes.StringType;
      } else {
        throw new IllegalArgumentException("figure " + f.getKey() + " has type " + v.getClass());
      }
      fields.add(DataTypes.createStructField(f.getKey(), type, true));
      values.add(v);
    }
    write(RUNS, List.of(RowFactory.create(values.toArray())), DataTypes.createStructType(fields));
  }

  /** {@value #RUN_ID} and {@value #RUN_DATE}, then the table's own columns. */
  private Column[] withRunColumns(Dataset<Row> table) {
    List<Column> cols = new ArrayList<>();
    cols.add(functions.lit(runId).as(RUN_ID));
    cols.add(runDateLiteral().as(RUN_DATE));
    for (String c : table.columns()) {
      cols.add(table.col("`" + c.replace("`", "``") + "`"));
    }
    return cols.toArray(new Column[0]);
  }

  private Column runDateLiteral() {
    return functions.lit(Date.valueOf(runDate));
  }
}
