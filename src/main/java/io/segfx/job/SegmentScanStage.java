package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.config.UsageException;
import io.segfx.io.CatalogTables;
import io.segfx.model.InputKind;
import io.segfx.model.MetricSpec;
import io.segfx.spark.ColumnNames;
import io.segfx.spark.DataErrors;
import io.segfx.spark.EstimatesInput;
import io.segfx.spark.InputReader;
import io.segfx.spark.RobustStage;
import io.segfx.spark.SufficientStatsStage;
import io.segfx.spark.ValidationStage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 1 of {@code segment-effects}: read the input, match its columns to the spec, validate, and
 * reduce it in one pass to exact sufficient statistics and segment OLS (on the executors), plus the
 * robust standard errors' extra scan when asked for.
 */
final class SegmentScanStage {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentScanStage.class);

  /** The stage's timer key in the manifest's {@code stage_seconds}. */
  static final String SECONDS_KEY = "read_aggregate";

  private SegmentScanStage() {}

  /**
   * What stage 1 produced.
   *
   * @param input the input with its columns renamed to the spec's names
   * @param inputInfo the manifest's record of the input
   * @param stats the segment cells and the row accounting
   * @param cells the number of segment cells stage 1 produced (kept when the cells are released)
   */
  record Result(
      Dataset<Row> input,
      Map<String, Object> inputInfo,
      SufficientStatsStage.Result stats,
      long cells) {

    Result(Dataset<Row> input, Map<String, Object> inputInfo, SufficientStatsStage.Result stats) {
      this(input, inputInfo, stats, stats.estimates().size());
    }

    long rowsRead() {
      return stats.rowsUsed() + stats.rowsRejected();
    }

    /**
     * This result without its segment cells (and the robust standard errors' per-cell inputs, read
     * only inside stage 1), once stage 2 holds its own grid of them: a wide run has millions, and
     * the tables that follow are built from stage 2's.
     */
    Result withoutCells() {
      SufficientStatsStage.Result counts =
          new SufficientStatsStage.Result(
              List.of(),
              stats.rowsUsed(),
              stats.rejectedByReason(),
              List.of(),
              stats.scan(),
              stats.sums());
      return new Result(input, inputInfo, counts, cells);
    }
  }

  static Result run(RunContext ctx, JobSpec spec) {
    long t0 = ctx.begin(SECONDS_KEY);
    boolean fromTable = spec.inputSpec().inputTable() != null;
    InputReader.Input read =
        fromTable
            ? readTable(ctx, spec)
            : ctx.read(
                spec.input(),
                spec.inputFormat(),
                new InputReader.CsvDialect(spec.csvDelimiter(), spec.csvEncoding()));
    ColumnNames.Matched matched = ColumnNames.match(read.data(), wantedColumns(spec));
    Dataset<Row> input = matched.data();
    Map<String, Object> inputInfo = fromTable ? tableInfo(spec) : ctx.describe(read);
    inputInfo.put("columns_matched", matched.renamed());
    inputInfo.put("columns_absent", absentColumns(input, spec));
    SufficientStatsStage.Result s1;
    try {
      s1 = aggregate(ctx, spec, input);
    } catch (UsageException e) {
      throw e;
    } catch (Exception e) { // Spark throws its checked SparkException undeclared.
      throw DataErrors.translate(e, source(spec));
    }
    double seconds = ctx.record(SECONDS_KEY, t0);
    if (s1.rowsUsed() + s1.rowsRejected() == 0) {
      throw new UsageException("input " + source(spec) + " has no rows");
    }
    if (s1.rowsUsed() == 0) {
      throw allQuarantined(spec, s1);
    }
    s1 = s1.withEstimates(ArmCoverage.complete(s1.estimates(), spec));
    LOG.info(
        "stage 1: {} rows read, {} used, {} rejected, {} segment cells in {} s",
        s1.rowsUsed() + s1.rowsRejected(),
        s1.rowsUsed(),
        s1.rowsRejected(),
        s1.estimates().size(),
        seconds);
    return new Result(input, inputInfo, s1);
  }

  /** The input as messages name it: its path, or its table. */
  private static String source(JobSpec spec) {
    return spec.input() != null ? spec.input() : spec.inputSpec().inputTable().toString();
  }

  /**
   * Reads {@code --input-table} through Spark's catalog; the embedded catalog is registered first
   * when no catalog {@code local} is configured.
   */
  private static InputReader.Input readTable(RunContext ctx, JobSpec spec) {
    CatalogTables.configureLocal(ctx.spark(), spec.reportSpec().warehouse());
    CatalogTables.requireCatalog(ctx.spark(), spec.inputSpec().inputTable(), "--input-table");
    return InputReader.table(
        ctx.spark(), spec.inputSpec().inputTable().toString(), spec.inputSpec().where());
  }

  /** The manifest's record of an input table: its name and filter. */
  private static Map<String, Object> tableInfo(JobSpec spec) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("table", spec.inputSpec().inputTable().toString());
    m.put("where", spec.inputSpec().where());
    return m;
  }

  private static SufficientStatsStage.Result aggregate(
      RunContext ctx, JobSpec spec, Dataset<Row> input) {
    if (spec.inputKind() == InputKind.ESTIMATES) {
      EstimatesInput.Result r = EstimatesInput.read(input, spec);
      return new SufficientStatsStage.Result(r.estimates(), r.rowsUsed(), r.rejectedByReason());
    }
    ValidationStage.check(input, spec);
    // The row path's projection, made once and only if a path reads it.
    Supplier<Dataset<Row>> projection =
        new Supplier<>() {
          private Dataset<Row> made;

          @Override
          public Dataset<Row> get() {
            if (made == null) {
              made = ValidationStage.apply(input, spec);
            }
            return made;
          }
        };
    SufficientStatsStage.Result s1 = SufficientStatsStage.run(input, projection, spec);
    if (!spec.se().robust()) {
      return s1;
    }
    long t0 = ctx.begin("robust_se");
    s1 = s1.withEstimates(RobustStage.run(projection.get(), spec, s1.estimates(), s1.robust()));
    ctx.record("robust_se", t0);
    return s1;
  }

  /**
   * The refusal of an input none of whose rows can be used: an empty result would look complete. It
   * names the most frequent reason (the first in name order among equals) and, for text in a number
   * column, the usual cause.
   */
  static UsageException allQuarantined(JobSpec spec, SufficientStatsStage.Result s1) {
    Map.Entry<String, Long> top = null;
    for (Map.Entry<String, Long> e : new TreeMap<>(s1.rejectedByReason()).entrySet()) {
      if (top == null || e.getValue() > top.getValue()) {
        top = e;
      }
    }
    String reason = top == null ? "unknown" : top.getKey();
    String hint =
        reason.startsWith("not_numeric:")
            ? "; if the file writes decimals with a comma (10,52), export it with a decimal point"
            : reason.startsWith("not_utf8:") ? "; pass --csv-encoding (e.g. ISO-8859-1)" : "";
    return new UsageException(
        "input "
            + source(spec)
            + ": none of its "
            + s1.rowsRejected()
            + " rows can be used; "
            + (top == null ? 0 : top.getValue())
            + " are quarantined as "
            + reason
            + hint);
  }

  /** Every input column the spec names. */
  static List<String> wantedColumns(JobSpec spec) {
    List<String> w =
        new ArrayList<>(List.of(spec.experimentCol(), spec.segmentCol(), spec.armCol()));
    switch (spec.inputKind()) {
      case COUNTS -> w.addAll(spec.countCols());
      case ESTIMATES -> w.addAll(spec.estimateCols());
      case UNITS -> {
        for (MetricSpec m : spec.metricSpecs()) {
          if (!m.isDerived()) {
            w.add(m.column());
          }
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
    List<String> names = Arrays.asList(input.columns());
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
}
