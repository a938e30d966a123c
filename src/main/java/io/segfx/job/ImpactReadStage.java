package io.segfx.job;

import io.segfx.config.ImpactSpec;
import io.segfx.config.ImpactSpec.Intervention;
import io.segfx.config.UsageException;
import io.segfx.io.SafeText;
import io.segfx.spark.ColumnQuote;
import io.segfx.spark.ImpactInputStage;
import io.segfx.spark.InputReader;
import io.segfx.spark.TimeValues;
import io.segfx.spark.ValidationStage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The read stage of {@code causal-impact}: reads the long rows, projects them onto the columns the
 * analysis reads (quarantining bad rows with a reason), counts them, settles whether times are
 * numbers or dates, and reads the intervention windows when a table gives them. A time given in
 * another kind than the time column's is refused: a number against dates would compare two scales.
 */
final class ImpactReadStage {
  private ImpactReadStage() {}

  /**
   * What was read.
   *
   * @param input the input as read
   * @param spec the projection's settings
   * @param projected the projection, with a reason on quarantined rows
   * @param counts its row accounting
   * @param timeKind whether times are numbers or dates (null when no row has a time)
   * @param windows intervention windows per series, sorted by start, or null without a table
   * @param inputInfo the manifest's record of the input (path, files, size, newest time)
   */
  record Result(
      Dataset<Row> input,
      ImpactInputStage.Spec spec,
      Dataset<Row> projected,
      ImpactInputStage.Counts counts,
      TimeValues.Kind timeKind,
      Map<String, List<double[]>> windows,
      Map<String, Object> inputInfo) {}

  /**
   * The common intervention time of {@code --intervention-time}, or null for the other sources.
   *
   * @throws UsageException when it is neither a number nor a date or timestamp
   */
  static TimeValues.Time interventionTime(ImpactSpec spec) {
    if (!(spec.intervention() instanceof Intervention.AtTime at)) {
      return null;
    }
    TimeValues.Time t = TimeValues.parse(at.text());
    if (t == null) {
      throw new UsageException(
          "--intervention-time '"
              + SafeText.clean(at.text())
              + "' is neither a number nor a date (2026-01-05) or timestamp"
              + " (2026-01-05T10:00:00); give the time of the first post-intervention row in the"
              + " form of the time column");
    }
    return t;
  }

  /**
   * The series id column: a named one must exist; without the default {@value
   * ImpactSpec#DEFAULT_SERIES_COL} the input is one series, {@code all}, and a line on stderr says
   * so, since a renamed id column would otherwise merge every series silently.
   */
  static String seriesColumn(Dataset<Row> in, ImpactSpec spec) {
    List<String> names = ValidationStage.userColumns(Arrays.asList(in.columns()));
    if (names.contains(spec.seriesCol())) {
      return spec.seriesCol();
    }
    if (!ImpactSpec.DEFAULT_SERIES_COL.equals(spec.seriesCol())) {
      throw new UsageException(
          "--series-col "
              + spec.seriesCol()
              + ": input has no such column (columns: "
              + String.join(", ", names)
              + ")");
    }
    System.err.println(
        "segfx: no column "
            + ImpactSpec.DEFAULT_SERIES_COL
            + ": the input is read as one series, 'all' (name the id column with --series-col)");
    return null;
  }

  static Result run(RunContext ctx, ImpactSpec spec, TimeValues.Time at) {
    InputReader.Input read =
        ctx.read(spec.input(), spec.inputFormat(), InputReader.CsvDialect.DEFAULT);
    Dataset<Row> in = read.data();
    String interventionCol =
        spec.intervention() instanceof Intervention.FromColumn c ? c.column() : null;
    ImpactInputStage.Spec inputSpec =
        new ImpactInputStage.Spec(
            seriesColumn(in, spec),
            spec.timeCol(),
            spec.outcomeCol(),
            spec.controls(),
            interventionCol,
            at != null ? at.value() : Double.NaN);
    Dataset<Row> projected = ImpactInputStage.apply(in, inputSpec);
    ImpactInputStage.Counts counts = ImpactInputStage.count(projected);
    if (counts.rowsRead() == 0) {
      throw new UsageException(
          "input " + spec.input() + " has no rows (a header only?): there is nothing to analyse");
    }
    String timeCol = spec.timeCol();
    TimeValues.Kind timeKind =
        ImpactInputStage.kind(
            "time column '" + timeCol + "'",
            counts.timeNumbers(),
            counts.timeCalendar(),
            counts.badTime());
    if (at != null) {
      String text = ((Intervention.AtTime) spec.intervention()).text();
      sameKind("--intervention-time " + SafeText.clean(text), at.kind(), timeCol, timeKind);
    }
    if (interventionCol != null) {
      String what = "intervention column '" + interventionCol + "'";
      TimeValues.Kind kind =
          ImpactInputStage.kind(
              what,
              counts.interventionNumbers(),
              counts.interventionCalendar(),
              counts.badIntervention());
      sameKind(what, kind, timeCol, timeKind);
    }
    Map<String, List<double[]>> windows =
        spec.intervention() instanceof Intervention.FromTable t
            ? windows(ctx, t.path(), spec.seriesCol(), timeCol, timeKind)
            : null;
    return new Result(in, inputSpec, projected, counts, timeKind, windows, ctx.describe(read));
  }

  /**
   * Intervention windows per series from a table (series, start, end; end null = open), sorted by
   * start.
   */
  private static Map<String, List<double[]>> windows(
      RunContext ctx, String path, String seriesCol, String timeCol, TimeValues.Kind timeKind) {
    Dataset<Row> t = ctx.read(path, null, InputReader.CsvDialect.DEFAULT).data();
    List<String> names = Arrays.asList(t.columns());
    String s = names.contains(seriesCol) ? seriesCol : "series_id";
    for (String c : List.of(s, "start")) {
      if (!names.contains(c)) {
        throw new UsageException(
            "--interventions "
                + path
                + " has no column '"
                + c
                + "' (needs "
                + seriesCol
                + ", start, end)");
      }
    }
    Column end = names.contains("end") ? functions.col("end") : functions.lit(null);
    Column series = ColumnQuote.col(s).cast("string");
    Map<String, List<double[]>> out = new HashMap<>();
    List<Row> rows =
        t.select(series.as("series"), functions.col("start").as("start"), end.as("end"))
            .collectAsList();
    for (Row r : rows) {
      String id = r.getAs("series");
      if (id != null) {
        double[] w = {
          bound(r.getAs("start"), "start", path, id, timeCol, timeKind, Double.NaN),
          bound(r.getAs("end"), "end", path, id, timeCol, timeKind, Double.POSITIVE_INFINITY)
        };
        out.computeIfAbsent(id, x -> new ArrayList<>()).add(w);
      }
    }
    for (List<double[]> w : out.values()) {
      w.sort(Comparator.comparingDouble(x -> x[0]));
    }
    return out;
  }

  /** A window's start or end as a time on the time column's scale; {@code empty} when blank. */
  private static double bound(
      Object value,
      String which,
      String path,
      String series,
      String timeCol,
      TimeValues.Kind timeKind,
      double empty) {
    if (value == null || (value instanceof String x && x.isBlank())) {
      return empty;
    }
    TimeValues.Time time = TimeValues.of(value);
    String what =
        "--interventions "
            + path
            + ": "
            + which
            + " '"
            + SafeText.clean(String.valueOf(value))
            + "' of series '"
            + SafeText.clean(series)
            + "'";
    if (time == null) {
      throw new UsageException(
          what
              + " is neither a number nor a date (2026-01-05) or timestamp"
              + " (2026-01-05T10:00:00)");
    }
    sameKind(what, time.kind(), timeCol, timeKind);
    return time.value();
  }

  /**
   * Refuses an intervention time whose kind differs from the time column's: a number against a date
   * column (or the reverse) would compare two different scales.
   */
  private static void sameKind(
      String what, TimeValues.Kind kind, String timeCol, TimeValues.Kind timeKind) {
    if (kind != null && timeKind != null && kind != timeKind) {
      throw new UsageException(
          what
              + " is "
              + (kind == TimeValues.Kind.NUMBER ? "a number" : "a date or timestamp")
              + " but time column '"
              + timeCol
              + "' holds "
              + timeKind.label()
              + "; give it as "
              + (timeKind == TimeValues.Kind.NUMBER
                  ? "a number on the time column's scale"
                  : "a date or timestamp such as 2026-01-05 or 2026-01-05T10:00:00"));
    }
  }
}
