package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.io.CatalogTables;
import io.segfx.io.OutputTables;
import io.segfx.io.RunOutput;
import io.segfx.io.VerdictSchemas;
import io.segfx.model.InputKind;
import io.segfx.model.RunSummary;
import io.segfx.model.Verdict;
import io.segfx.spark.ColumnQuote;
import io.segfx.spark.Columns;
import io.segfx.spark.EstimatesInput;
import io.segfx.spark.ValidationStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * The output stage of {@code segment-effects}: the learned priors, then every table, the memos and
 * the HTML report, written concurrently on a few driver threads (the pieces are a handful of
 * single-task jobs and driver-side rendering), into the run's staging folder, and the tables also
 * through Spark's catalog when the run has a table prefix ({@link CatalogTables}). A run without an
 * output folder writes no memos and no report.
 */
final class SegmentOutputStage {
  private SegmentOutputStage() {}

  /**
   * What the stage wrote.
   *
   * @param learned the learned priors and restated effects
   * @param tables rows per table written, in the order written
   * @param memos the memo files per group, the combined file, and the report's selection
   * @param report the report's page and chart counts
   * @param writeSeconds seconds per table
   * @param summary the run's verdict counts and expected wrong launches
   */
  record Result(
      LearnedPriorStage.Result learned,
      Map<String, Object> tables,
      MemoStage.Result memos,
      ReportStage.Result report,
      Map<String, Double> writeSeconds,
      RunSummary summary) {}

  /** The task that writes the memos and then the report; its pieces are timed on their own. */
  private static final String MEMOS_AND_REPORT = "memos and report";

  /** What the memos-and-report task wrote. */
  private record Documents(MemoStage.Result memos, ReportStage.Result report) {}

  static Result write(
      RunContext ctx,
      JobSpec spec,
      SegmentScanStage.Result s1,
      PoolingStage.Result s2,
      DecisionAssembly.Tables tables) {
    LearnedPriorStage.Result learned = LearnedPriorStage.run(ctx.spark(), spec, tables.decisions());
    Map<String, Object> counts = new LinkedHashMap<>();
    RunSummary summary = VerdictStage.summary(tables.verdicts(), learned.effects(), spec);
    try (ConcurrentTasks writes = new ConcurrentTasks(writeThreads(ctx))) {
      Writer w = new Writer(writes, ctx, counts);
      Future<Documents> documents = null;
      if (ctx.out() != null) {
        // The memos, then the report that links them, one after the other on one thread and
        // queued ahead of the tables: the report is the longest piece, so the tables are written
        // beside it on the other threads rather than before it, and no thread waits for another.
        ctx.started("memos");
        ctx.started("report");
        documents =
            writes.submit(
                MEMOS_AND_REPORT,
                () -> {
                  MemoStage.Result m =
                      writes.time(
                          "memos",
                          () ->
                              MemoStage.write(
                                  ctx.out(),
                                  spec,
                                  s2.pooling(),
                                  tables,
                                  learned.effects(),
                                  s1.rowsRead(),
                                  s1.stats().rowsRejected()));
                  ReportStage.Result r =
                      writes.time(
                          "report",
                          () ->
                              ReportStage.write(
                                  ctx.out(),
                                  spec,
                                  s2,
                                  tables,
                                  m,
                                  summary,
                                  ctx.runId(),
                                  s1.stats().rowsUsed(),
                                  s1.stats().rowsRejected()));
                  return new Documents(m, r);
                });
      }
      w.segmentTables(spec, tables);
      w.experimentTables(spec, s2, tables, learned);
      rejectedRows(writes, w, spec, s1, counts);
      writes.awaitAll();
      Documents written =
          documents == null
              ? new Documents(
                  new MemoStage.Result(Map.of(), null, null), new ReportStage.Result(0, 0, 0, 0))
              : ConcurrentTasks.result(documents);
      MemoStage.Result memos = written.memos();
      ReportStage.Result report = written.report();
      Map<String, Double> seconds = new LinkedHashMap<>(writes.seconds());
      seconds.remove(MEMOS_AND_REPORT);
      if (ctx.out() != null) {
        ctx.record("memos", seconds.remove("memos"));
        ctx.record("report", seconds.remove("report"));
      }
      if (ctx.catalog() != null) {
        long t0 = ctx.start();
        ctx.catalog().writeRun(runFigures(ctx, spec, s1, tables, summary));
        seconds.put(CatalogTables.RUNS, RunContext.seconds(t0));
      }
      return new Result(learned, counts, memos, report, seconds, summary);
    }
  }

  /**
   * The run's row of {@code PREFIX_runs}: the manifest's row accounting and verdict counts, the
   * primary metric, the output folder and when the run finished.
   */
  private static Map<String, Object> runFigures(
      RunContext ctx,
      JobSpec spec,
      SegmentScanStage.Result s1,
      DecisionAssembly.Tables tables,
      RunSummary summary) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", JobSpec.COMMAND);
    m.put(
        "input",
        spec.input() != null ? spec.input() : String.valueOf(spec.inputSpec().inputTable()));
    m.put("output", ctx.out() != null ? ctx.out().target() : null);
    m.put("rows_read", s1.rowsRead());
    m.put("rows_used", s1.stats().rowsUsed());
    m.put("rows_rejected", s1.stats().rowsRejected());
    m.put("segment_cells", s1.cells());
    m.put("decisions", (long) tables.decisions().size());
    m.put("primary_metric", spec.primaryMetric());
    for (Verdict v : Verdict.values()) {
      m.put("verdicts_" + v.code(), summary.count(v));
    }
    m.put("expected_wrong_launches", summary.expectedWrongLaunches());
    m.put("segfx_version", RunContext.segfxVersion());
    m.put("finished_at", Instant.now());
    return m;
  }

  /** Queues the driver-side tables, and counts their rows for the manifest. */
  private static final class Writer {
    private final ConcurrentTasks writes;
    private final RunContext ctx;
    private final RunOutput out;
    private final CatalogTables catalog;
    private final Map<String, Object> counts;

    Writer(ConcurrentTasks writes, RunContext ctx, Map<String, Object> counts) {
      this.writes = writes;
      this.ctx = ctx;
      this.out = ctx.out();
      this.catalog = ctx.catalog();
      this.counts = counts;
    }

    void segmentTables(JobSpec spec, DecisionAssembly.Tables t) {
      table(
          OutputTables.SEGMENT_ESTIMATES,
          OutputTables.SEGMENT_ESTIMATES_SCHEMA,
          t.estimates().size(),
          () ->
              OutputTables.segmentEstimates(t.estimates(), spec.srmAlpha(), Priors.byMetric(spec)));
      table(
          OutputTables.SEGMENT_POSTERIORS,
          OutputTables.SEGMENT_POSTERIORS_SCHEMA,
          t.posteriors().size(),
          () -> OutputTables.segmentPosteriors(t.posteriors()));
    }

    void experimentTables(
        JobSpec spec,
        PoolingStage.Result s2,
        DecisionAssembly.Tables t,
        LearnedPriorStage.Result learned) {
      table(
          OutputTables.EXPERIMENT_POOLING,
          OutputTables.EXPERIMENT_POOLING_SCHEMA,
          s2.pooling().size(),
          () -> OutputTables.experimentPooling(s2.pooling()));
      table(
          OutputTables.EXPERIMENT_DECISIONS,
          OutputTables.EXPERIMENT_DECISIONS_SCHEMA,
          t.decisions().size(),
          () -> OutputTables.experimentDecisions(t.decisions(), spec.confoundingWarning()));
      table(
          VerdictSchemas.EXPERIMENT_VERDICTS.name(),
          VerdictSchemas.EXPERIMENT_VERDICTS.structType(),
          t.verdicts().size(),
          () -> VerdictSchemas.rows(t.verdicts()));
      optional(
          OutputTables.ARM_POSTERIORS,
          OutputTables.ARM_POSTERIORS_SCHEMA,
          t.arms().size(),
          () -> OutputTables.armPosteriors(t.arms()));
      optional(
          OutputTables.PRIOR_SENSITIVITY,
          OutputTables.PRIOR_SENSITIVITY_SCHEMA,
          t.sensitivity().size(),
          () -> OutputTables.priorSensitivity(t.sensitivity()));
      optional(
          OutputTables.BIAS_SENSITIVITY,
          OutputTables.BIAS_SENSITIVITY_SCHEMA,
          t.bias().size(),
          () -> OutputTables.biasSensitivity(t.bias()));
      optional(
          OutputTables.LEARNED_PRIOR,
          OutputTables.LEARNED_PRIOR_SCHEMA,
          learned.fits().size(),
          () -> OutputTables.learnedPrior(learned.fits()));
      if (!learned.fits().isEmpty()) {
        table(
            OutputTables.LEARNED_PRIOR_EFFECTS,
            OutputTables.LEARNED_PRIOR_EFFECTS_SCHEMA,
            learned.effects().size(),
            () -> OutputTables.learnedPriorEffects(learned.effects()));
      } else {
        emptyTable(OutputTables.LEARNED_PRIOR_EFFECTS, OutputTables.LEARNED_PRIOR_EFFECTS_SCHEMA);
      }
    }

    /**
     * A table the output folder has only when it has rows; a catalog table is written empty, so
     * that a re-run of the date leaves none of a previous run's rows.
     */
    private void optional(String name, StructType schema, int size, Supplier<List<Row>> rows) {
      if (size > 0) {
        table(name, schema, size, rows);
      } else {
        emptyTable(name, schema);
      }
    }

    private void emptyTable(String name, StructType schema) {
      if (catalog != null) {
        writes.run(name, () -> catalog.write(name, List.of(), schema));
      }
    }

    /** Converts and writes one driver-side table on the output stage's threads. */
    private void table(String name, StructType schema, int size, Supplier<List<Row>> rows) {
      counts.put(name, size);
      ctx.table(name, schema, size);
      writes.run(
          name,
          () -> {
            List<Row> converted = rows.get();
            if (out != null) {
              out.writeTable(name, converted, schema);
            }
            if (catalog != null) {
              catalog.write(name, converted, schema);
            }
          });
    }
  }

  /** The quarantined input rows with their reason, when there are any. */
  private static void rejectedRows(
      ConcurrentTasks writes,
      Writer w,
      JobSpec spec,
      SegmentScanStage.Result s1,
      Map<String, Object> counts) {
    long rejected = s1.stats().rowsRejected();
    if (rejected == 0 && w.catalog == null) {
      return;
    }
    if (rejected > 0) {
      counts.put(OutputTables.REJECTED_ROWS, rejected);
    }
    Dataset<Row> input = s1.input();
    writes.run(
        OutputTables.REJECTED_ROWS,
        () -> {
          Dataset<Row> flagged =
              spec.inputKind() == InputKind.ESTIMATES
                  ? EstimatesInput.validated(input, spec).select(withReasonColumns(input))
                  : ValidationStage.withReason(input, spec);
          Dataset<Row> rows = flagged.where(Columns.REJECT_REASON + " IS NOT NULL");
          if (w.out != null && rejected > 0) {
            w.ctx.table(OutputTables.REJECTED_ROWS, flagged.schema(), rejected);
            w.out.write(OutputTables.REJECTED_ROWS, rows);
          }
          if (w.catalog != null) {
            w.catalog.write(OutputTables.REJECTED_ROWS, rows, rejected == 0);
          }
        });
  }

  /** The input's own columns plus the reason column. */
  private static Column[] withReasonColumns(Dataset<Row> input) {
    List<Column> cols = new ArrayList<>();
    for (String name : input.columns()) {
      cols.add(ColumnQuote.col(name));
    }
    cols.add(functions.col(Columns.REJECT_REASON));
    return cols.toArray(new Column[0]);
  }

  /**
   * Driver threads for the output stage: as many as the default parallelism, at least 2 and at most
   * 4.
   */
  private static int writeThreads(RunContext ctx) {
    return Math.max(2, Math.min(4, ctx.spark().sparkContext().defaultParallelism()));
  }
}
