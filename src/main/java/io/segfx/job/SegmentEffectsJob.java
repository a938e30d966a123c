package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.RunSummary;
import io.segfx.report.HtmlReport;
import io.segfx.spark.DrawStage;
import io.segfx.stats.DecisionRule;
import io.segfx.stats.ExperimentDraws;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code segment-effects} job: stage 1 (one pass of exact sufficient statistics and segment
 * OLS, on the executors), stage 2 (empirical-Bayes pooling, on the driver), stage 3 (partitioned
 * posterior draws, on the executors), then the output tables and the run manifest. Each stage runs
 * under its own Spark job group and is timed, through the run's {@link RunContext}.
 */
public final class SegmentEffectsJob {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentEffectsJob.class);

  private SegmentEffectsJob() {}

  /**
   * What a run produced.
   *
   * @param output the published output folder
   * @param decisions the experiment-level decisions
   * @param verdicts one verdict per experiment and variant
   * @param manifest the manifest written
   */
  public record Outcome(
      String output,
      List<DecisionMetrics> decisions,
      List<ExperimentVerdict> verdicts,
      Map<String, Object> manifest) {}

  /** Runs the job and publishes its output. */
  public static Outcome run(SparkSession spark, JobSpec spec) {
    RunContext.Target target =
        new RunContext.Target(
            spec.output(),
            spec.mode(),
            spec.outputFormat(),
            Arrays.asList(spec.input(), spec.spec(), spec.priorHistory()),
            spec.reportSpec().outputTablePrefix(),
            spec.reportSpec().runDate(),
            spec.reportSpec().warehouse());
    try (RunContext ctx = RunContext.open(spark, JobSpec.COMMAND, target)) {
      try {
        return run(ctx, spec);
      } catch (RuntimeException e) {
        throw ctx.failed(e);
      }
    }
  }

  private static Outcome run(RunContext ctx, JobSpec spec) {
    long t0 = ctx.start();
    SegmentScanStage.Result s1 = SegmentScanStage.run(ctx, spec);
    PoolingStage.Result s2 = pool(ctx, spec, s1);
    // Stage 2's grid holds every cell from here on (with its sample-ratio p-value), so stage 1's
    // copies are let go rather than kept beside it to the end. The same variable is overwritten:
    // a method that runs once is interpreted, and an interpreted frame keeps every reference its
    // locals hold, dead or not.
    s1 = s1.withoutCells();
    DecisionAssembly.Tables tables = decide(ctx, spec, s2);
    long tw = ctx.begin("write");
    SegmentOutputStage.Result written = SegmentOutputStage.write(ctx, spec, s1, s2, tables);
    if (ctx.out() != null) {
      LOG.info(
          "report: {} experiment pages, {} charted, {} charts in {} s",
          written.report().pages(),
          written.report().charted(),
          written.report().charts(),
          ctx.stageSeconds().get("report"));
    }
    ctx.record("write", tw);
    Map<String, Object> manifest = ctx.publish(manifest(ctx, spec, s1, s2, written));
    LOG.info("published {} in {} s", ctx.where(), RunContext.seconds(t0));
    return new Outcome(ctx.where(), tables.decisions(), tables.verdicts(), manifest);
  }

  /** Stage 2: empirical-Bayes pooling of the segment cells, on the driver. */
  private static PoolingStage.Result pool(
      RunContext ctx, JobSpec spec, SegmentScanStage.Result s1) {
    PoolingStage.Result s2 =
        ctx.timed("pooling", () -> PoolingStage.run(s1.stats().estimates(), spec));
    LOG.info(
        "stage 2: pooled {} groups ({} method) in {} s",
        s2.pooling().size(),
        spec.pooling(),
        ctx.stageSeconds().get("pooling"));
    return s2;
  }

  /** Stage 3: posterior draws on the executors, then the decision tables on the driver. */
  private static DecisionAssembly.Tables decide(
      RunContext ctx, JobSpec spec, PoolingStage.Result s2) {
    long t0 = ctx.begin("draws");
    List<ExperimentDraws.Result> drawn =
        DrawStage.run(
            ctx.spark(),
            s2.draws(),
            spec.draws(),
            spec.seed(),
            StatsSettings.thresholdsByMetric(spec),
            StatsSettings.economicsByMetric(spec),
            new DecisionRule(spec.launchProbability()));
    DecisionAssembly.Tables tables =
        ctx.timed("decision_tables", () -> DecisionAssembly.assemble(spec, s2, drawn));
    ctx.record("draws", t0);
    LOG.info(
        "stage 3: {} groups (closed form where it exists, else {} draws) in {} s",
        tables.decisions().size(),
        spec.draws(),
        ctx.stageSeconds().get("draws"));
    return tables;
  }

  /** The manifest's {@code run_summary}: verdict counts and the expected wrong launches. */
  private static Map<String, Object> runSummary(JobSpec spec, RunSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("primary_metric", spec.primaryMetric());
    m.put("value_metric", spec.valueMetric());
    Map<String, Object> counts = new LinkedHashMap<>();
    s.verdictCounts().forEach((v, n) -> counts.put(v.code(), n));
    m.put("verdicts", counts);
    m.put("expected_wrong_launches", s.expectedWrongLaunches());
    m.put("wrong_launches_sd", s.wrongLaunchesSd());
    m.put(
        "expected_wrong_launches_learned_prior",
        Double.isNaN(s.expectedWrongLaunchesLearned()) ? null : s.expectedWrongLaunchesLearned());
    return m;
  }

  /** The manifest: row accounting, the input, settings, table sizes, report and timings. */
  private static RunManifest manifest(
      RunContext ctx,
      JobSpec spec,
      SegmentScanStage.Result s1,
      PoolingStage.Result s2,
      SegmentOutputStage.Result written) {
    RunManifest m =
        ctx.manifest()
            .rows(s1.rowsRead(), s1.stats().rowsUsed(), s1.stats().rejectedByReason())
            .put("stage1_scan", s1.stats().scan())
            .put("stage1_sums", s1.stats().sums())
            .put("inputs", List.of(s1.inputInfo()))
            .settings(spec.toManifest())
            .put("seed", spec.seed())
            .put("versions", ctx.versions())
            .put("spark_master", ctx.spark().sparkContext().master())
            .put("tables", written.tables())
            .put("run_summary", runSummary(spec, written.summary()));
    if (written.learned().history() != null) {
      m.put("prior_history", written.learned().history());
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("index", HtmlReport.FOLDER + "/index.html");
    report.put("pages", written.report().pages());
    report.put("charted_experiments", written.report().charted());
    report.put("charts", written.report().charts());
    report.put("index_pages", written.report().indexPages());
    // Counted from listener events, which arrive asynchronously: a failure reported after this
    // point (none is expected once the stages have finished) would be missed.
    return m.put("memos", written.memos().size())
        .put("memos_combined", written.memos().combined())
        .put("report", report)
        .put("stage_seconds", ctx.stageSeconds())
        .put("write_seconds", written.writeSeconds())
        .put("failed_task_attempts", ctx.failedTaskAttempts());
  }
}
