package io.segfx.job;

import io.segfx.config.TableName;
import io.segfx.io.CatalogTables;
import io.segfx.io.RunOutput;
import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import io.segfx.spark.InputReader;
import io.segfx.spark.TaskFailureCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * What one run of either job shares: its id and start time, input resolution and format detection,
 * the staged output and its publication, the manifest, Spark job groups, stage timing and the
 * versions. A job opens one, runs its stages against it and publishes; closing a context that was
 * not published removes its staging folder, so a failed run leaves nothing under the output path.
 */
public final class RunContext implements AutoCloseable {
  private final SparkSession spark;
  private final String command;
  private final String runId;
  private final Instant started;
  private final RunOutput out;
  private final CatalogTables catalog;
  private final TaskFailureCounter failures = new TaskFailureCounter();
  private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
  private boolean published;

  private RunContext(
      SparkSession spark,
      String command,
      String runId,
      Instant started,
      RunOutput out,
      CatalogTables catalog) {
    this.spark = spark;
    this.command = command;
    this.runId = runId;
    this.started = started;
    this.out = out;
    this.catalog = catalog;
    spark.sparkContext().addSparkListener(failures);
  }

  /**
   * Where and how a run writes.
   *
   * @param path the output folder, or null when the run writes only catalog tables
   * @param mode {@code error} or {@code overwrite} when the folder exists
   * @param format {@code parquet} or {@code csv}
   * @param inputs every path the run reads (null entries are skipped), which the output must not
   *     overlap
   * @param tablePrefix the catalog tables' prefix, or null for none
   * @param runDate the catalog tables' {@code run_date} partition
   * @param warehouse the folder of the embedded catalog
   */
  public record Target(
      String path,
      WriteMode mode,
      TableFormat format,
      List<String> inputs,
      TableName tablePrefix,
      LocalDate runDate,
      String warehouse) {

    /** An output folder only. */
    public Target(String path, WriteMode mode, TableFormat format, List<String> inputs) {
      this(path, mode, format, inputs, null, null, null);
    }
  }

  /**
   * Opens a run: a new run id, and the output's staging folder and catalog namespace, prepared
   * before any computation so that an output that cannot be written fails in seconds (see {@link
   * RunOutput#open}).
   */
  public static RunContext open(SparkSession spark, String command, Target target) {
    String runId = UUID.randomUUID().toString();
    Instant started = Instant.now();
    CatalogTables catalog =
        target.tablePrefix() == null
            ? null
            : CatalogTables.open(
                spark, target.tablePrefix(), runId, target.runDate(), target.warehouse());
    RunOutput out =
        target.path() == null
            ? null
            : RunOutput.open(
                spark, target.path(), target.mode(), target.format(), runId, target.inputs());
    return new RunContext(spark, command, runId, started, out, catalog);
  }

  public SparkSession spark() {
    return spark;
  }

  public String runId() {
    return runId;
  }

  /** The staged output folder, or null when the run writes only catalog tables. */
  public RunOutput out() {
    return out;
  }

  /** The catalog tables' writer, or null when the run writes none. */
  public CatalogTables catalog() {
    return catalog;
  }

  /** Where the run's tables are: the output folder, else the catalog tables' prefix. */
  public String where() {
    return out != null ? out.target() : catalog.tableName("*");
  }

  /**
   * The format of an input: {@code given} when set, else from the path's extension ({@code csv} for
   * {@code .csv} and {@code .csv.gz}, parquet otherwise), the same rule for every input of both
   * jobs.
   */
  public static TableFormat formatOf(String path, TableFormat given) {
    return given != null ? given : TableFormat.fromPath(path);
  }

  /** Reads an input (see {@link InputReader#open}); {@code format} null detects it. */
  public InputReader.Input read(String path, TableFormat format, InputReader.CsvDialect dialect) {
    return InputReader.open(spark, path, formatOf(path, format), dialect);
  }

  /** Names the Spark jobs that follow, as the Spark UI shows them. */
  public void group(String id, String description) {
    spark.sparkContext().setJobGroup(id, description, false);
  }

  /** Starts a timer for {@link #record}. */
  public long start() {
    return System.nanoTime();
  }

  /** Seconds since {@code since} (a {@link #start}), to the millisecond. */
  public static double seconds(long since) {
    return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
  }

  /** Records a stage's seconds since {@code since} under {@code stage}; returns them. */
  public double record(String stage, long since) {
    double s = seconds(since);
    stageSeconds.put(stage, s);
    return s;
  }

  /** Records seconds measured elsewhere (e.g. by {@link ConcurrentTasks}). */
  public void record(String stage, double seconds) {
    stageSeconds.put(stage, seconds);
  }

  /** Runs one stage, timed under {@code stage}. */
  public <T> T timed(String stage, Supplier<T> body) {
    long t0 = start();
    T result = body.get();
    record(stage, t0);
    return result;
  }

  /** The seconds recorded per stage, in the order recorded. */
  public Map<String, Double> stageSeconds() {
    return Collections.unmodifiableMap(stageSeconds);
  }

  /** Task attempts that failed (and were retried) so far in this run. */
  public long failedTaskAttempts() {
    return failures.failed();
  }

  /** A new manifest, starting with the run id and the command. */
  public RunManifest manifest() {
    return new RunManifest(runId, command);
  }

  /**
   * Adds the fields that close every manifest (start and finish time, the Spark settings in force)
   * and publishes the output with it.
   */
  public Map<String, Object> publish(RunManifest manifest) {
    manifest.put("started_at", started.toString());
    manifest.put("finished_at", Instant.now().toString());
    manifest.put("spark_serializer", spark.sparkContext().env().serializer().getClass().getName());
    manifest.put("spark_conf_keys", sparkConfKeys());
    Map<String, Object> fields = manifest.toMap();
    if (out != null) {
      out.publish(fields);
    }
    published = true;
    return fields;
  }

  /**
   * The keys of the driver's Spark settings, sorted: which of the cluster's defaults, submit
   * options and segfx's own settings the run had. Values are left out, as they may hold
   * credentials.
   */
  private List<String> sparkConfKeys() {
    return Arrays.stream(spark.sparkContext().getConf().getAll()).map(Tuple2::_1).sorted().toList();
  }

  /** Removes the staging folder unless the run was published, and clears the job group. */
  @Override
  public void close() {
    try {
      if (!published && out != null) {
        out.abandon();
      }
    } finally {
      spark.sparkContext().removeSparkListener(failures);
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * The manifest's record of an input: its path, the files read and skipped, their size and newest
   * modification time.
   */
  public Map<String, Object> describe(InputReader.Input read) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", read.path());
    long bytes = 0;
    long newest = 0;
    try {
      for (String f : read.filesRead()) {
        Path p = new Path(f);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        FileStatus st = fs.getFileStatus(p);
        bytes += st.getLen();
        newest = Math.max(newest, st.getModificationTime());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the file system of " + read.path(), e);
    }
    m.put("bytes", bytes);
    m.put("files", read.filesRead().size());
    m.put("modified_at", Instant.ofEpochMilli(newest).toString());
    m.put("files_read", read.filesRead());
    m.put("files_skipped", read.filesSkipped());
    return m;
  }

  /** segfx, Spark, Scala and Java versions. */
  public Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("segfx", segfxVersion());
    v.put("spark", spark.version());
    v.put("scala", scala.util.Properties.versionNumberString());
    v.put("java", System.getProperty("java.version"));
    return v;
  }

  /** The version baked into the jar at build time. */
  public static String segfxVersion() {
    Properties p = new Properties();
    try (InputStream in = RunContext.class.getResourceAsStream("/io/segfx/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }
}
