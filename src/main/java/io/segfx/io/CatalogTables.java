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
 *
 * <p>A table written by an earlier segfx version may have another schema. Before writing, {@link
 * #conform} brings the table to the run's columns in place: new columns are added (null in older
 * partitions), an integer or float column the run writes wider is widened, and a column the run no
 * longer writes stays, made nullable and null in the new partition. Any other type change is
 * refused with one line naming the table and column, because casting it would silently change what
 * older partitions mean.
 */
public final class CatalogTables {
  public static final String RUN_ID = "run_id";
  public static final String RUN_DATE = "run_date";

  /** The table of one row per run, {@code PREFIX_runs}. */
  public static final String RUNS = "runs";

  /** The catalog segfx configures when the Spark settings name none by this name. */
  public static final String LOCAL_CATALOG = "local";

  private static final String CATALOG_KEY = "spark.sql.catalog." + LOCAL_CATALOG;

  private static final String ICEBERG_CATALOG = "org.apache.iceberg.spark.SparkCatalog";

  /** The Maven coordinates of the Iceberg runtime segfx is built and tested with. */
  public static final String ICEBERG_RUNTIME =
      "org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.7.1";

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
    try {
      Class.forName(ICEBERG_CATALOG, false, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException e) {
      throw new UsageException(
          "the embedded catalog 'local' needs the Iceberg Spark runtime, which is not on the"
              + " classpath: run through scripts/segfx, which ships it, or add --packages "
              + ICEBERG_RUNTIME
              + " to spark-submit, or configure spark.sql.catalog.local",
          e);
    }
    spark.conf().set(CATALOG_KEY, ICEBERG_CATALOG);
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
        conform(target, tagged)
            .writeTo(target)
            .overwrite(functions.col(RUN_DATE).equalTo(runDateLiteral()));
      } else {
        conform(target, tagged).writeTo(target).overwritePartitions();
      }
    } catch (UsageException e) {
      throw e;
    } catch (Exception e) { // Spark declares the catalog's checked exceptions.
      throw new IllegalStateException("cannot write table " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the run's row of {@code PREFIX_runs}: its figures as given, in order, each a {@link
   * Long}, {@link Double}, {@link String} or {@link Instant}. A null value takes its column's type
   * in an existing table, so a figure missing from one run does not change the column's type;
   * otherwise it is a string. Call it after every other table, so that a date with a row here is
   * complete.
   */
  public void writeRun(Map<String, Object> figures) {
    String runs = tableName(RUNS);
    StructType existing = spark.catalog().tableExists(runs) ? spark.table(runs).schema() : null;
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
      } else if (v == null && existing != null && hasField(existing, f.getKey())) {
        type = existing.apply(f.getKey()).dataType();
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

  /**
   * Evolves the existing table {@code target} to take {@code data}, and returns {@code data} in the
   * table's column order with nulls for the table's columns it lacks. The schema changes are
   * catalog operations ({@code ALTER TABLE}), which Iceberg, Delta and Hive tables support; each is
   * its own commit, made before the data's, so a failed write leaves a wider table with the
   * previous rows.
   *
   * @throws UsageException when a column's type changed in a way other than widening
   */
  Dataset<Row> conform(String target, Dataset<Row> data) {
    StructType have = spark.table(target).schema();
    boolean altered = false;
    for (StructField f : data.schema().fields()) {
      if (!hasField(have, f.name())) {
        alter(target, "ADD COLUMNS (" + quote(f.name()) + " " + f.dataType().sql() + ")");
        altered = true;
        continue;
      }
      DataType old = have.apply(f.name()).dataType();
      if (old.equals(f.dataType()) || widens(f.dataType(), old)) {
        continue;
      }
      if (!widens(old, f.dataType())) {
        throw new UsageException(
            "table "
                + target
                + ": column "
                + f.name()
                + " is "
                + old.sql()
                + " in the table but "
                + f.dataType().sql()
                + " in this run; write to a new --output-table-prefix, or migrate the table"
                + " (ALTER TABLE, or drop it) and run again");
      }
      alter(target, "ALTER COLUMN " + quote(f.name()) + " TYPE " + f.dataType().sql());
      altered = true;
    }
    StructType incoming = data.schema();
    for (StructField f : have.fields()) {
      if (!hasField(incoming, f.name()) && !f.nullable()) {
        alter(target, "ALTER COLUMN " + quote(f.name()) + " DROP NOT NULL");
        altered = true;
      }
    }
    StructType now = altered ? spark.table(target).schema() : have;
    List<Column> cols = new ArrayList<>();
    for (StructField f : now.fields()) {
      cols.add(
          hasField(incoming, f.name())
              ? data.col(quote(f.name()))
              : functions.lit(null).cast(f.dataType()).as(f.name()));
    }
    return data.select(cols.toArray(new Column[0]));
  }

  private void alter(String target, String change) {
    spark.sql("ALTER TABLE " + target + " " + change);
  }

  private static boolean hasField(StructType schema, String name) {
    return java.util.Arrays.asList(schema.fieldNames()).contains(name);
  }

  /** True when every value of {@code from} is exactly a value of {@code to}. */
  private static boolean widens(DataType from, DataType to) {
    return (from.equals(DataTypes.IntegerType) && to.equals(DataTypes.LongType))
        || (from.equals(DataTypes.FloatType) && to.equals(DataTypes.DoubleType));
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** {@value #RUN_ID} and {@value #RUN_DATE}, then the table's own columns. */
  private Column[] withRunColumns(Dataset<Row> table) {
    List<Column> cols = new ArrayList<>();
    cols.add(functions.lit(runId).as(RUN_ID));
    cols.add(runDateLiteral().as(RUN_DATE));
    for (String c : table.columns()) {
      cols.add(table.col(quote(c)));
    }
    return cols.toArray(new Column[0]);
  }

  private Column runDateLiteral() {
    return functions.lit(Date.valueOf(runDate));
  }
}
