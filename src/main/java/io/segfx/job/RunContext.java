package io.segfx.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.segfx.config.TableName;
import io.segfx.config.UsageException;
import io.segfx.io.CatalogTables;
import io.segfx.io.RunOutput;
import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import io.segfx.spark.InputReader;
import io.segfx.spark.ProgressListener;
import io.segfx.spark.SegfxProperties;
import io.segfx.spark.TaskFailureCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * What one run of either job shares: its id and start time, input resolution and format detection,
 * the staged output and its publication, the manifest, Spark job groups, stage timing and the
 * versions. A job opens one, runs its stages against it and publishes; closing a context that was
 * not published removes its staging folder, so a failed run leaves nothing under the output path.
 */
public final class RunContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunContext.class);
  private final SparkSession spark;
  private final String command;
  private final String runId;
  private final Instant started;
  private final RunOutput out;
  private final CatalogTables catalog;
  private final TaskFailureCounter failures = new TaskFailureCounter();
  private final ProgressListener progress;
  private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> outputTables = new TreeMap<>();
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
    try {
      this.progress = ProgressListener.of(runId, spark.sparkContext().getConf());
    } catch (IllegalArgumentException e) { // a bad spark.segfx.progress* setting
      if (out != null) {
        out.abandon();
      }
      throw e;
    }
    spark.sparkContext().addSparkListener(failures);
    spark.sparkContext().addSparkListener(progress);
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
   * Opens a run: checks segfx's Spark properties ({@link SegfxProperties}), then a new run id, and
   * the output's staging folder and catalog namespace, prepared before any computation so that an
   * output that cannot be written fails in seconds (see {@link RunOutput#open}).
   */
  public static RunContext open(SparkSession spark, String command, Target target) {
    SegfxProperties.check(spark.conf());
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

  /**
   * Starts a stage: logs its start line ({@link StageLog}), names the Spark jobs that follow after
   * it (job group {@code segfx-STAGE}, description {@code STAGE}, as the Spark UI shows them) and
   * returns a timer for {@link #record}, which logs its end line under the same name.
   */
  public long begin(String stage) {
    StageLog.started(runId, stage);
    group("segfx-" + stage, stage);
    return System.nanoTime();
  }

  /**
   * Logs the start line of a stage that is timed elsewhere (e.g. by {@link ConcurrentTasks}) and
   * recorded with {@link #record(String, double)}.
   */
  public void started(String stage) {
    StageLog.started(runId, stage);
  }

  /**
   * Starts a timer for {@link #record} without naming a stage, for a stage that runs inside another
   * one's Spark job group (its start is logged with the enclosing stage's).
   */
  public long start() {
    return System.nanoTime();
  }

  /** Seconds since {@code since} (a {@link #start}), to the millisecond. */
  public static double seconds(long since) {
    return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
  }

  /**
   * Records a stage's seconds since {@code since} under {@code stage} and logs its end line;
   * returns them.
   */
  public double record(String stage, long since) {
    double s = seconds(since);
    record(stage, s);
    return s;
  }

  /**
   * Records seconds measured elsewhere (e.g. by {@link ConcurrentTasks}) and logs the stage's end
   * line.
   */
  public void record(String stage, double seconds) {
    stageSeconds.put(stage, seconds);
    StageLog.finished(runId, stage, seconds);
  }

  /** Runs one stage, logged, grouped and timed under {@code stage} (see {@link #begin}). */
  public <T> T timed(String stage, Supplier<T> body) {
    long t0 = begin(stage);
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

  /**
   * Records an output table for the manifest's {@code output_tables}: its row count and its columns
   * (name, Spark SQL type, nullable). Safe to call from the output stage's threads.
   */
  public void table(String name, StructType schema, long rows) {
    List<Map<String, Object>> columns = new ArrayList<>();
    for (StructField f : schema.fields()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", f.name());
      c.put("type", f.dataType().simpleString());
      c.put("nullable", f.nullable());
      columns.add(c);
    }
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("rows", rows);
    t.put("columns", columns);
    synchronized (outputTables) {
      outputTables.put(name, t);
    }
  }

  /** A new manifest, starting with the run id and the command. */
  public RunManifest manifest() {
    return new RunManifest(runId, command);
  }

  /**
   * Adds the fields that close every manifest and publishes the output with it: {@code
   * output_tables} (rows and columns of each table recorded by {@link #table}), {@code status}
   * {@code succeeded}, the Spark application id and master, the versions (with the build's git
   * commit), stage timings and failed task attempts when the job has not put them, start and finish
   * time, and the Spark settings in force. Removes an earlier failed run's {@link
   * #failureManifest}.
   */
  public Map<String, Object> publish(RunManifest manifest) {
    synchronized (outputTables) {
      manifest.put("output_tables", new LinkedHashMap<>(outputTables));
    }
    closing(manifest, SUCCEEDED);
    Map<String, Object> fields = manifest.toMap();
    if (out != null) {
      out.publish(fields);
      removeFailure();
    }
    published = true;
    return fields;
  }

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  /**
   * Executor CPU by stage, once the listener has seen every task that ended: task ends reach it
   * asynchronously, and without the wait the last stage could be missing or short.
   */
  private Map<String, Double> executorCpuSeconds() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(LISTENER_WAIT_MILLIS);
    } catch (Exception e) { // a timeout: report what has arrived
      LOG.debug("listener bus not drained: {}", e.toString());
    }
    return progress.executorCpuSeconds();
  }

  private static final long LISTENER_WAIT_MILLIS = 10_000;

  /** The fields that close every manifest, of a run that succeeded or failed. */
  private void closing(RunManifest manifest, String status) {
    Map<String, Object> given = manifest.toMap();
    manifest.put("status", status);
    manifest.put("spark_application_id", spark.sparkContext().applicationId());
    if (!given.containsKey("spark_master")) {
      manifest.put("spark_master", spark.sparkContext().master());
    }
    if (!given.containsKey("versions")) {
      manifest.put("versions", versions());
    }
    if (!given.containsKey("stage_seconds")) {
      manifest.put("stage_seconds", stageSeconds());
    }
    if (!given.containsKey("failed_task_attempts")) {
      manifest.put("failed_task_attempts", failedTaskAttempts());
    }
    manifest.put("executor_cpu_seconds", executorCpuSeconds());
    manifest.put("started_at", started.toString());
    manifest.put("finished_at", Instant.now().toString());
    manifest.put("spark_serializer", spark.sparkContext().env().serializer().getClass().getName());
    manifest.put("spark_conf_keys", sparkConfKeys());
    manifest.put("spark_jars", sparkJars());
  }

  /**
   * Where a failed run's manifest goes: {@code .NAME.failed.json} beside the output folder {@code
   * NAME}. Not inside it, since a folder would make the rerun's {@code --mode error} refuse it;
   * hidden, so readers of the parent folder (Spark among them) skip it; one per output, replaced by
   * each failed run and removed by the next run that succeeds, so its presence means the last run
   * failed.
   */
  public static Path failureManifest(String target) {
    Path t = new Path(target);
    return new Path(t.getParent(), "." + t.getName() + ".failed.json");
  }

  /**
   * Records that the run failed with {@code error}: builds the failure manifest (status {@code
   * failed}, the error, the stages finished, versions and Spark application). A refusal (a {@link
   * UsageException}: the input or the options are at fault, and the run exits 2 with one message)
   * logs it as one JSON line at DEBUG level, as a refusal leaves the folders as they were; any
   * other failure writes it to {@link #failureManifest} and logs where. Returns {@code error}, for
   * {@code throw ctx.failed(e)}. A failure to write it is logged, never thrown over {@code error}.
   */
  public <E extends RuntimeException> E failed(E error) {
    if (published) {
      return error;
    }
    RunManifest m = manifest();
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", error.getClass().getName());
    e.put("message", String.valueOf(error.getMessage()));
    m.put("error", e);
    closing(m, FAILED);
    if (error instanceof UsageException) {
      try {
        // A refusal's message is its one stderr line; the manifest is for whoever debugs it.
        LOG.debug(
            "run {} refused; its manifest: {}",
            runId,
            new ObjectMapper().writeValueAsString(m.toMap()));
      } catch (IOException x) {
        LOG.debug("run {} refused; its manifest cannot be shown: {}", runId, x.toString());
      }
      return error;
    }
    if (out == null) {
      LOG.error("run {} failed; its manifest: {}", runId, m.toMap());
      return error;
    }
    Path path = failureManifest(out.target());
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream o = fs.create(path, true)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o, m.toMap());
      }
      LOG.error("run {} failed; its manifest is {}", runId, path);
    } catch (IOException | RuntimeException x) {
      LOG.error("run {} failed, and its manifest cannot be written to {}: {}", runId, path, x);
    }
    return error;
  }

  private void removeFailure() {
    Path path = failureManifest(out.target());
    try {
      path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, false);
    } catch (IOException e) {
      LOG.warn("cannot remove {} of an earlier failed run: {}", path, e.getMessage());
    }
  }

  /**
   * The keys of the driver's Spark settings, sorted: which of the cluster's defaults, submit
   * options and segfx's own settings the run had. Values are left out, as they may hold
   * credentials.
   */
  /** The file names of the jars shipped with the application ({@code spark.jars}). */
  private List<String> sparkJars() {
    return Arrays.stream(spark.sparkContext().getConf().get("spark.jars", "").split(","))
        .map(String::strip)
        .filter(j -> !j.isEmpty())
        .map(j -> j.substring(j.lastIndexOf('/') + 1))
        .toList();
  }

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
      spark.sparkContext().removeSparkListener(progress);
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
    v.put("git_commit", gitCommit());
    return v;
  }

  /**
   * The git commit the jar was built from, written at build time (pom.xml, {@code build-info}), or
   * {@code unknown} when built outside a git work tree.
   */
  public static String gitCommit() {
    Properties p = new Properties();
    try (InputStream in = RunContext.class.getResourceAsStream("/io/segfx/build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    String c = p.getProperty("commit", "").trim();
    return c.isEmpty() ? "unknown" : c;
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
