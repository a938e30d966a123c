package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.config.UsageException;
import io.segfx.io.OutputTables;
import io.segfx.io.RunOutput;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.VariantKey;
import io.segfx.spark.Columns;
import io.segfx.spark.DataErrors;
import io.segfx.spark.DrawStage;
import io.segfx.spark.EstimatesInput;
import io.segfx.spark.InputReader;
import io.segfx.spark.SufficientStatsStage;
import io.segfx.spark.TaskFailureCounter;
import io.segfx.spark.ValidationStage;
import io.segfx.stats.DecisionRule;
import io.segfx.stats.ExperimentDraws;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code segment-effects} job: stage 1 (one pass of exact sufficient statistics and segment
 * OLS, on the executors), stage 2 (empirical-Bayes pooling, on the driver), stage 3 (partitioned
 * posterior draws, on the executors), then the output tables and the run manifest. Each stage runs
 * under its own Spark job group and is timed.
 */
public final class SegmentEffectsJob {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentEffectsJob.class);

  private SegmentEffectsJob() {}

  /**
   * What a run produced.
   *
   * @param output the published output folder
   * @param decisions the experiment-level decisions
   * @param manifest the manifest written
   */
  public record Outcome(
      String output, List<DecisionMetrics> decisions, Map<String, Object> manifest) {}

  /** Runs the job and publishes its output. */
  public static Outcome run(SparkSession spark, JobSpec spec) {
    String runId = UUID.randomUUID().toString();
    Instant started = Instant.now();
    Map<String, Double> seconds = new LinkedHashMap<>();
    Map<String, Double> writeSeconds = new LinkedHashMap<>();
    RunOutput out =
        RunOutput.open(
            spark,
            spec.output(),
            spec.mode(),
            spec.outputFormat(),
            runId,
            java.util.Arrays.asList(spec.input(), spec.spec(), spec.priorHistory()));
    TaskFailureCounter failures = new TaskFailureCounter();
    spark.sparkContext().addSparkListener(failures);
    try {
      long t0 = System.nanoTime();
      group(
          spark,
          "segfx-stage1",
          "stage 1: read, validate, one-pass sufficient statistics and segment OLS");
      InputReader.Input read =
          InputReader.open(
              spark,
              spec.input(),
              spec.inputFormat(),
              new InputReader.CsvDialect(spec.csvDelimiter(), spec.csvEncoding()));
      io.segfx.spark.ColumnNames.Matched matched =
          io.segfx.spark.ColumnNames.match(read.data(), wantedColumns(spec));
      Dataset<Row> input = matched.data();
      Map<String, Object> inputInfo =
          describeInput(spark, read, matched.renamed(), absentColumns(input, spec));
      SufficientStatsStage.Result s1;
      try {
        if (spec.inputKind() == io.segfx.model.InputKind.ESTIMATES) {
          EstimatesInput.Result r = EstimatesInput.read(input, spec);
          s1 = new SufficientStatsStage.Result(r.estimates(), r.rowsUsed(), r.rejectedByReason());
        } else {
          Dataset<Row> validated = ValidationStage.apply(input, spec);
          s1 = SufficientStatsStage.run(input, validated, spec);
          if (!"classical".equals(spec.se())) {
            group(
                spark,
                "segfx-robust",
                "stage 1b: robust standard errors (" + spec.se() + "), one more scan");
            long tr0 = System.nanoTime();
            s1 =
                s1.withEstimates(
                    io.segfx.spark.RobustStage.run(validated, spec, s1.estimates(), s1.robust()));
            seconds.put("robust_se", elapsed(tr0));
          }
        }
      } catch (UsageException e) {
        throw e;
      } catch (Exception e) { // Spark throws its checked SparkException undeclared.
        throw DataErrors.translate(e, spec.input());
      }
      seconds.put("read_aggregate", elapsed(t0));
      long rowsRead = s1.rowsUsed() + s1.rowsRejected();
      if (rowsRead == 0) {
        throw new UsageException("input " + spec.input() + " has no rows");
      }
      s1 = s1.withEstimates(ArmCoverage.complete(s1.estimates(), spec));
      LOG.info(
          "stage 1: {} rows read, {} used, {} rejected, {} segment cells in {} s",
          rowsRead,
          s1.rowsUsed(),
          s1.rowsRejected(),
          s1.estimates().size(),
          seconds.get("read_aggregate"));

      long t1 = System.nanoTime();
      PoolingStage.Result s2 = PoolingStage.run(s1.estimates(), spec);
      seconds.put("pooling", elapsed(t1));
      LOG.info(
          "stage 2: pooled {} groups ({} method) in {} s",
          s2.pooling().size(),
          spec.pooling(),
          seconds.get("pooling"));

      long t2 = System.nanoTime();
      group(spark, "segfx-stage3", "stage 3: posterior draws and decision metrics");
      List<ExperimentDraws.Result> drawn =
          DrawStage.run(
              spark,
              s2.draws(),
              spec.draws(),
              spec.seed(),
              spec.thresholdsByMetric(),
              spec.economicsByMetric(),
              new DecisionRule(spec.launchProbability()));
      long t2b = System.nanoTime();
      DecisionAssembly.Tables tables = DecisionAssembly.assemble(spec, s2, drawn);
      seconds.put("decision_tables", elapsed(t2b));
      List<DecisionMetrics> decisions = tables.decisions();
      seconds.put("draws", elapsed(t2));
      LOG.info(
          "stage 3: {} groups (closed form where it exists, else {} draws) in {} s",
          decisions.size(),
          spec.draws(),
          seconds.get("draws"));

      long t3 = System.nanoTime();
      group(spark, "segfx-write", "write output tables");
      LearnedPriorStage.Result learned = LearnedPriorStage.run(spark, spec, decisions);
      long rowsUsed = s1.rowsUsed();
      long rowsRejected = s1.rowsRejected();
      Map<VariantKey, String> memos;
      ReportStage.Result report;
      try (ConcurrentTasks writes = new ConcurrentTasks(writeThreads(spark))) {
        table(
            writes,
            out,
            OutputTables.SEGMENT_ESTIMATES,
            OutputTables.SEGMENT_ESTIMATES_SCHEMA,
            () ->
                OutputTables.segmentEstimates(
                    tables.estimates(), spec.srmAlpha(), Priors.byMetric(spec)));
        table(
            writes,
            out,
            OutputTables.SEGMENT_POSTERIORS,
            OutputTables.SEGMENT_POSTERIORS_SCHEMA,
            () -> OutputTables.segmentPosteriors(tables.posteriors()));
        // Memos, then the report that links them: driver work, one thread.
        java.util.concurrent.Future<Map<VariantKey, String>> memoPaths =
            writes.submit(
                "memos",
                () ->
                    MemoStage.write(
                        out,
                        spec,
                        s2.pooling(),
                        tables,
                        learned.effects(),
                        rowsRead,
                        rowsRejected));
        java.util.concurrent.Future<ReportStage.Result> reportDone =
            writes.submit(
                "report",
                () ->
                    ReportStage.write(
                        out,
                        spec,
                        s2,
                        tables,
                        ConcurrentTasks.result(memoPaths),
                        runId,
                        rowsUsed,
                        rowsRejected));
        table(
            writes,
            out,
            OutputTables.EXPERIMENT_POOLING,
            OutputTables.EXPERIMENT_POOLING_SCHEMA,
            () -> OutputTables.experimentPooling(s2.pooling()));
        table(
            writes,
            out,
            OutputTables.EXPERIMENT_DECISIONS,
            OutputTables.EXPERIMENT_DECISIONS_SCHEMA,
            () -> OutputTables.experimentDecisions(decisions, spec.confoundingWarning()));
        if (!tables.arms().isEmpty()) {
          table(
              writes,
              out,
              OutputTables.ARM_POSTERIORS,
              OutputTables.ARM_POSTERIORS_SCHEMA,
              () -> OutputTables.armPosteriors(tables.arms()));
        }
        if (!tables.sensitivity().isEmpty()) {
          table(
              writes,
              out,
              OutputTables.PRIOR_SENSITIVITY,
              OutputTables.PRIOR_SENSITIVITY_SCHEMA,
              () -> OutputTables.priorSensitivity(tables.sensitivity()));
        }
        if (!tables.bias().isEmpty()) {
          table(
              writes,
              out,
              OutputTables.BIAS_SENSITIVITY,
              OutputTables.BIAS_SENSITIVITY_SCHEMA,
              () -> OutputTables.biasSensitivity(tables.bias()));
        }
        if (!learned.fits().isEmpty()) {
          table(
              writes,
              out,
              OutputTables.LEARNED_PRIOR,
              OutputTables.LEARNED_PRIOR_SCHEMA,
              () -> OutputTables.learnedPrior(learned.fits()));
          table(
              writes,
              out,
              OutputTables.LEARNED_PRIOR_EFFECTS,
              OutputTables.LEARNED_PRIOR_EFFECTS_SCHEMA,
              () -> OutputTables.learnedPriorEffects(learned.effects()));
        }
        if (rowsRejected > 0) {
          writes.run(
              OutputTables.REJECTED_ROWS,
              () -> {
                Dataset<Row> flagged =
                    spec.inputKind() == io.segfx.model.InputKind.ESTIMATES
                        ? EstimatesInput.validated(input, spec).select(withReasonColumns(input))
                        : ValidationStage.withReason(input, spec);
                out.write(
                    OutputTables.REJECTED_ROWS,
                    flagged.where(Columns.REJECT_REASON + " IS NOT NULL"));
              });
        }
        writes.awaitAll();
        memos = ConcurrentTasks.result(memoPaths);
        report = ConcurrentTasks.result(reportDone);
        Map<String, Double> pieces = writes.seconds();
        seconds.put("memos", pieces.get("memos"));
        seconds.put("report", pieces.get("report"));
        Map<String, Double> tableSeconds = new LinkedHashMap<>(pieces);
        tableSeconds.remove("memos");
        tableSeconds.remove("report");
        writeSeconds.putAll(tableSeconds);
      }
      LOG.info(
          "report: {} experiment pages, {} charted, {} charts in {} s",
          report.pages(),
          report.charted(),
          report.charts(),
          seconds.get("report"));
      seconds.put("write", elapsed(t3));

      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("run_id", runId);
      manifest.put("command", JobSpec.COMMAND);
      manifest.put("rows_read", rowsRead);
      manifest.put("rows_used", s1.rowsUsed());
      manifest.put("rows_rejected", s1.rowsRejected());
      manifest.put("rejected_by_reason", s1.rejectedByReason());
      manifest.put("stage1_scan", s1.scan());
      manifest.put("inputs", List.of(inputInfo));
      manifest.put("settings", spec.toManifest());
      manifest.put("seed", spec.seed());
      manifest.put("versions", versions(spark));
      manifest.put("spark_master", spark.sparkContext().master());
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put(OutputTables.SEGMENT_ESTIMATES, tables.estimates().size());
      counts.put(OutputTables.SEGMENT_POSTERIORS, tables.posteriors().size());
      counts.put(OutputTables.EXPERIMENT_POOLING, s2.pooling().size());
      counts.put(OutputTables.EXPERIMENT_DECISIONS, decisions.size());
      if (!tables.arms().isEmpty()) {
        counts.put(OutputTables.ARM_POSTERIORS, tables.arms().size());
      }
      if (!tables.sensitivity().isEmpty()) {
        counts.put(OutputTables.PRIOR_SENSITIVITY, tables.sensitivity().size());
      }
      if (!tables.bias().isEmpty()) {
        counts.put(OutputTables.BIAS_SENSITIVITY, tables.bias().size());
      }
      if (!learned.fits().isEmpty()) {
        counts.put(OutputTables.LEARNED_PRIOR, learned.fits().size());
        counts.put(OutputTables.LEARNED_PRIOR_EFFECTS, learned.effects().size());
      }
      if (s1.rowsRejected() > 0) {
        counts.put(OutputTables.REJECTED_ROWS, s1.rowsRejected());
      }
      manifest.put("tables", counts);
      if (learned.history() != null) {
        manifest.put("prior_history", learned.history());
      }
      manifest.put("memos", memos.size());
      Map<String, Object> reportInfo = new LinkedHashMap<>();
      reportInfo.put("index", io.segfx.report.HtmlReport.FOLDER + "/index.html");
      reportInfo.put("pages", report.pages());
      reportInfo.put("charted_experiments", report.charted());
      reportInfo.put("charts", report.charts());
      manifest.put("report", reportInfo);
      manifest.put("stage_seconds", seconds);
      manifest.put("write_seconds", writeSeconds);
      // Counted from listener events, which arrive asynchronously: a failure reported after this
      // point (none is expected once the stages have finished) would be missed.
      manifest.put("failed_task_attempts", failures.failed());
      manifest.put("started_at", started.toString());
      manifest.put("finished_at", Instant.now().toString());
      out.publish(manifest);
      LOG.info("published {} in {} s", out.target(), elapsed(t0));
      return new Outcome(out.target(), decisions, manifest);
    } catch (Throwable e) { // also Spark's checked exceptions, which Scala throws undeclared
      out.abandon();
      throw e;
    } finally {
      spark.sparkContext().removeSparkListener(failures);
      spark.sparkContext().clearJobGroup();
    }
  }

  /** The input's own columns plus the reason column. */
  private static org.apache.spark.sql.Column[] withReasonColumns(Dataset<Row> input) {
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    for (String name : input.columns()) {
      cols.add(org.apache.spark.sql.functions.col("`" + name.replace("`", "``") + "`"));
    }
    cols.add(org.apache.spark.sql.functions.col(Columns.REJECT_REASON));
    return cols.toArray(new org.apache.spark.sql.Column[0]);
  }

  private static void group(SparkSession spark, String id, String description) {
    spark.sparkContext().setJobGroup(id, description, false);
  }

  /** Converts and writes one driver-side table on the output stage's threads. */
  private static void table(
      ConcurrentTasks writes,
      RunOutput out,
      String name,
      org.apache.spark.sql.types.StructType schema,
      java.util.function.Supplier<List<Row>> rows) {
    writes.run(name, () -> out.writeTable(name, rows.get(), schema));
  }

  /**
   * Driver threads for the output stage: as many as the default parallelism, at least 2 and at most
   * 4 (the pieces are a handful of single-task jobs and driver-side rendering).
   */
  private static int writeThreads(SparkSession spark) {
    return Math.max(2, Math.min(4, spark.sparkContext().defaultParallelism()));
  }

  private static double elapsed(long since) {
    return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
  }

  /**
   * The manifest's record of the input: its path, the files read and skipped, their size, the
   * columns matched by a near name and the key columns that are absent.
   */
  private static Map<String, Object> describeInput(
      SparkSession spark,
      InputReader.Input read,
      Map<String, String> renamed,
      Map<String, String> absent) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", read.path());
    long bytes = 0;
    long newest = 0;
    try {
      for (String f : read.filesRead()) {
        Path p = new Path(f);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        org.apache.hadoop.fs.FileStatus st = fs.getFileStatus(p);
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
    m.put("columns_matched", renamed);
    m.put("columns_absent", absent);
    return m;
  }

  /** Every input column the spec names. */
  static List<String> wantedColumns(JobSpec spec) {
    List<String> w =
        new ArrayList<>(List.of(spec.experimentCol(), spec.segmentCol(), spec.armCol()));
    switch (spec.inputKind()) {
      case COUNTS -> w.addAll(spec.countCols());
      case ESTIMATES -> w.addAll(spec.estimateCols());
      case UNITS -> {
        for (io.segfx.model.MetricSpec m : spec.metricSpecs()) {
          w.add(m.column());
        }
        w.addAll(spec.covariates());
        w.add(spec.unitCol());
        w.add(spec.clusterCol());
      }
    }
    return w;
  }

  /**
   * The key columns the input lacks, with what their absence means; logged, and recorded in the
   * manifest, so a misspelt experiment column is visible rather than a silent single experiment.
   */
  private static Map<String, String> absentColumns(Dataset<Row> input, JobSpec spec) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> names = java.util.Arrays.asList(input.columns());
    if (!names.contains(spec.experimentCol())) {
      out.put(
          spec.experimentCol(),
          "--experiment-col absent: every row is one experiment '"
              + JobSpec.SINGLE_EXPERIMENT
              + "'");
    }
    if (!names.contains(spec.segmentCol())) {
      out.put(
          spec.segmentCol(),
          "--segment-col absent: every row is one segment '" + JobSpec.SINGLE_SEGMENT + "'");
    }
    for (Map.Entry<String, String> e : out.entrySet()) {
      LOG.warn("input has no column '{}': {}", e.getKey(), e.getValue());
    }
    return out;
  }

  /** segfx, Spark, Scala and Java versions. */
  public static Map<String, String> versions(SparkSession spark) {
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
    try (InputStream in =
        SegmentEffectsJob.class.getResourceAsStream("/io/segfx/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }
}
