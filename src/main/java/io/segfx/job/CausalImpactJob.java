package io.segfx.job;

import static io.segfx.job.ImpactTables.AVERAGE_MEAN;
import static io.segfx.job.ImpactTables.AVERAGE_PROB_POSITIVE;
import static io.segfx.job.ImpactTables.AVERAGE_Q025;
import static io.segfx.job.ImpactTables.AVERAGE_Q975;
import static io.segfx.job.ImpactTables.PLACEBOS;
import static io.segfx.job.ImpactTables.PLACEBO_P;
import static io.segfx.job.ImpactTables.SERIES_ID;
import static io.segfx.job.ImpactTables.STATUS;
import static io.segfx.job.ImpactTables.TAIL_AREA_P;
import static io.segfx.job.ImpactTables.WINDOW;

import io.segfx.config.ImpactSpec;
import io.segfx.config.OptionDef;
import io.segfx.config.OptionValues;
import io.segfx.config.UsageException;
import io.segfx.io.OutputTables;
import io.segfx.io.SafeText;
import io.segfx.report.HtmlReport;
import io.segfx.spark.Columns;
import io.segfx.spark.DataErrors;
import io.segfx.spark.ImpactInputStage;
import io.segfx.spark.TimeValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code causal-impact} job (seed notebook section 10 at scale): long rows (series, time,
 * outcome, controls) are read and checked ({@link ImpactReadStage}), each series is analysed on the
 * executors ({@link ImpactSeriesStage}), and the summaries, pointwise rows, memos, report and
 * manifest are written through the run's {@link RunContext}.
 */
public final class CausalImpactJob {
  private static final Logger LOG = LoggerFactory.getLogger(CausalImpactJob.class);

  public static final String COMMAND = "causal-impact";
  public static final String IMPACT_SUMMARY = ImpactTables.IMPACT_SUMMARY;
  public static final String IMPACT_POINTWISE = ImpactTables.IMPACT_POINTWISE;
  public static final String IMPACT_CONTROLS = ImpactTables.IMPACT_CONTROLS;

  /** The command's options, declared in {@link ImpactSpec#OPTIONS}. */
  public static final List<OptionDef> OPTIONS = ImpactSpec.OPTIONS;

  private CausalImpactJob() {}

  /** Runs the job with resolved options; returns the summary rows. */
  public static List<Row> run(SparkSession spark, OptionValues v) {
    return run(spark, ImpactSpec.of(v));
  }

  /** Runs the job; returns the summary rows (with their schema), sorted by series and window. */
  public static List<Row> run(SparkSession spark, ImpactSpec spec) {
    TimeValues.Time at = ImpactReadStage.interventionTime(spec);
    String table =
        spec.intervention() instanceof ImpactSpec.Intervention.FromTable t ? t.path() : null;
    RunContext.Target target =
        new RunContext.Target(
            spec.output(),
            spec.mode(),
            spec.outputFormat(),
            Arrays.asList(spec.input(), spec.spec(), table));
    try (RunContext ctx = RunContext.open(spark, COMMAND, target)) {
      try {
        return run(ctx, spec, at);
      } catch (UsageException e) {
        throw ctx.failed(e);
      } catch (Exception e) { // also Spark's checked exceptions, which Scala throws undeclared
        throw ctx.failed(DataErrors.translate(e, spec.input()));
      }
    }
  }

  private static List<Row> run(RunContext ctx, ImpactSpec spec, TimeValues.Time at) {
    ImpactReadStage.Result read = ctx.timed("read", () -> ImpactReadStage.run(ctx, spec, at));
    LOG.info(
        "read: {} rows read, {} used, {} rejected",
        read.counts().rowsRead(),
        read.counts().rowsUsed(),
        read.counts().rowsRejected());
    ImpactSeriesStage.Result analysed =
        ctx.timed("analysis", () -> ImpactSeriesStage.run(ctx, spec, read));
    LOG.info("analysis: {} series windows", analysed.summaries().size());
    long tw = ctx.begin("write");
    writeTables(ctx, read, analysed);
    ctx.record("write", tw);
    int charted =
        ctx.timed(
            "report",
            () ->
                ImpactReport.write(
                    ctx.out(),
                    ctx.runId(),
                    analysed.summaries(),
                    analysed.analysed(),
                    spec.report(),
                    read.timeKind()));
    analysed.unpersist();
    ctx.publish(manifest(ctx, spec, read, analysed.summaries(), charted));
    return analysed.summaries();
  }

  private static void writeTables(
      RunContext ctx, ImpactReadStage.Result read, ImpactSeriesStage.Result analysed) {
    ctx.out().writeTable(IMPACT_SUMMARY, analysed.summaries(), ImpactTables.SUMMARY_SCHEMA);
    ctx.table(IMPACT_SUMMARY, ImpactTables.SUMMARY_SCHEMA, analysed.summaries().size());
    // The pointwise rows are cached with the summaries: counting them reads no input again.
    long points = analysed.analysed().map(t -> (long) t._2().size()).fold(0L, Long::sum);
    ctx.table(IMPACT_POINTWISE, ImpactTables.POINTWISE_SCHEMA, points);
    Dataset<Row> pointwise =
        ctx.spark()
            .createDataFrame(
                analysed.analysed().flatMap(t -> t._2().iterator()), ImpactTables.POINTWISE_SCHEMA)
            .orderBy(SERIES_ID, ImpactTables.TIME);
    ctx.out().write(IMPACT_POINTWISE, pointwise);
    ImpactSeriesStage.writeControls(ctx, analysed);
    if (read.counts().rowsRejected() > 0) {
      Dataset<Row> rejected =
          ImpactInputStage.withReason(read.input(), read.spec())
              .where(functions.col(Columns.REJECT_REASON).isNotNull());
      ctx.table(OutputTables.REJECTED_ROWS, rejected.schema(), read.counts().rowsRejected());
      ctx.out().write(OutputTables.REJECTED_ROWS, rejected);
    }
  }

  private static RunManifest manifest(
      RunContext ctx,
      ImpactSpec spec,
      ImpactReadStage.Result read,
      List<Row> summaries,
      int charted) {
    ImpactInputStage.Counts counts = read.counts();
    Map<String, Long> statuses = new LinkedHashMap<>();
    for (Row r : summaries) {
      statuses.merge(r.getAs(STATUS), 1L, Long::sum);
    }
    RunManifest m =
        ctx.manifest()
            .put("input", spec.input())
            .put("inputs", List.of(read.inputInfo()))
            .rows(counts.rowsRead(), counts.rowsUsed(), counts.rejectedByReason())
            .put(
                "time_unit",
                read.timeKind() == TimeValues.Kind.CALENDAR ? TimeValues.CALENDAR_UNIT : "as given")
            .put("series", summaries.size())
            .put("series_by_status", statuses);
    if (read.windows() != null) {
      m.put("interventions_unmatched", unmatched(read.windows(), summaries));
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("index", HtmlReport.FOLDER + "/index.html");
    report.put("charted_series", charted);
    return m.put("memos", summaries.size())
        .put("report", report)
        .settings(spec.toManifest())
        .put("versions", ctx.versions())
        .put("stage_seconds", ctx.stageSeconds())
        .put("failed_task_attempts", ctx.failedTaskAttempts());
  }

  /**
   * The series of the interventions table that are not in the data: a typo or a trailing space
   * would otherwise make a window vanish without a trace.
   */
  private static List<String> unmatched(Map<String, List<double[]>> windows, List<Row> summaries) {
    Set<String> seen = new HashSet<>();
    for (Row r : summaries) {
      seen.add(r.getAs(SERIES_ID));
    }
    List<String> unmatched = new ArrayList<>(new TreeSet<>(windows.keySet()));
    unmatched.removeAll(seen);
    if (!unmatched.isEmpty()) {
      LOG.warn(
          "--interventions names {} series not in the input (manifest interventions_unmatched): {}",
          unmatched.size(),
          SafeText.clean(String.join(", ", unmatched.subList(0, Math.min(5, unmatched.size())))));
    }
    return unmatched;
  }

  /**
   * The summary as the console prints it: one line per series (and window) with the average impact,
   * its interval, P(> 0), the tail-area p and the placebo p, then a note on the placebo floor.
   * Series ids pass through {@link SafeText#clean}, so an id cannot send control sequences to the
   * terminal.
   *
   * <p>placebo p = (1 + #{placebo effects at least as large}) / (1 + placebos) is at least 1/(1 +
   * placebos), 1/11 ≈ 0.091 with the default 10; a value at that floor is printed as {@code <=} it,
   * since more placebos could show a smaller one.
   *
   * @param rows summary rows with their schema, as {@link #run} returns them
   */
  public static String consoleTable(List<Row> rows) {
    List<String> ids = new ArrayList<>();
    // The id and status columns are as wide as their longest entry (at least the header's
    // 14 and 18), so an id with spaces, such as "market-000 (window 2)", or a long id cannot push
    // the numbers out of their columns.
    int idWidth = 14;
    int statusWidth = 18;
    Map<String, Integer> windows = new HashMap<>();
    for (Row r : rows) {
      windows.merge(r.getAs(SERIES_ID), 1, Integer::sum);
    }
    for (Row r : rows) {
      // Labelled as the memos and the report label a window: with its number when the series has
      // several.
      int window = r.getAs(WINDOW);
      String series = r.getAs(SERIES_ID);
      String id =
          SafeText.clean(series)
              + (window > 1 || windows.get(series) > 1 ? " (window " + window + ")" : "");
      ids.add(id);
      idWidth = Math.max(idWidth, width(id));
      statusWidth = Math.max(statusWidth, width(r.getAs(STATUS)));
    }
    StringBuilder b = new StringBuilder();
    b.append(pad("series_id", idWidth))
        .append(pad("status", statusWidth))
        .append(
            String.format(
                Locale.ROOT,
                "%10s %22s %9s %9s %9s",
                "avg impact",
                "95% interval",
                "P(>0)",
                "tail p",
                "placebo p"))
        .append('\n');
    int most = 0;
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      double placeboP = r.getAs(PLACEBO_P);
      int placebos = r.getAs(PLACEBOS);
      most = Math.max(most, placebos);
      String placebo = String.format(Locale.ROOT, "%.3f", placeboP);
      if (placebos > 0 && placeboP <= placeboFloor(placebos) * (1 + 1e-12)) {
        placebo = "<=" + placebo;
      }
      b.append(pad(ids.get(i), idWidth))
          .append(pad(r.getAs(STATUS), statusWidth))
          .append(
              String.format(
                  Locale.ROOT,
                  "%10.4f [%9.4f, %9.4f] %9.3f %9.4f %9s",
                  r.<Double>getAs(AVERAGE_MEAN),
                  r.<Double>getAs(AVERAGE_Q025),
                  r.<Double>getAs(AVERAGE_Q975),
                  r.<Double>getAs(AVERAGE_PROB_POSITIVE),
                  r.<Double>getAs(TAIL_AREA_P),
                  placebo))
          .append('\n');
    }
    if (most > 0) {
      b.append(
              String.format(
                  Locale.ROOT,
                  "placebo p cannot go below 1/(1 + placebos) = %.3f with %d placebos ('<=' marks"
                      + " series at that floor: no placebo effect was as large); raise --placebos"
                      + " to resolve smaller values",
                  placeboFloor(most),
                  most))
          .append('\n');
    }
    return b.toString();
  }

  /** A cell's width in characters (code points, so an accented id counts each letter once). */
  private static int width(String s) {
    return s.codePointCount(0, s.length());
  }

  /** {@code s} padded with spaces to {@code width} characters, then the column's separator. */
  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - width(s)) + 1);
  }

  /** The smallest placebo p that {@code placebos} placebos can give: 1/(1 + placebos). */
  public static double placeboFloor(int placebos) {
    return 1.0 / (1 + placebos);
  }
}
