package io.segfx.spark;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.segfx.config.UsageException;
import io.segfx.io.SafeText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Projects causal-impact input rows onto the columns the job reads — series, quarantine reason
 * (null for usable rows), time, outcome, controls, intervention time — and says how each time value
 * read, so the job can refuse a column that mixes numbers with dates.
 *
 * <p>Times are numbers, or dates and timestamps read as {@link TimeValues#CALENDAR_UNIT} (text in
 * CSV, or Spark date and timestamp types). Reasons, first match wins: {@code null:<series col>},
 * {@code null:<time col>}, {@code not_time:<time col>} (neither a number nor an ISO date or
 * timestamp), {@code nonfinite:<time col>}, then for the outcome and each control in order {@code
 * null:<col>}, {@code not_numeric:<col>}, {@code nonfinite:<col>}, and {@code
 * not_time:<intervention col>}. A null intervention time is not a row problem: its series gets the
 * status {@code missing_intervention_time}.
 */
public final class ImpactInputStage {
  /**
   * What to read.
   *
   * @param seriesCol series id column, or null for one series named {@code all}
   * @param interventionCol column of each row's intervention time, or null
   * @param interventionTime the intervention time of every row when {@code interventionCol} is null
   *     (NaN when windows come from a table)
   */
  public record Spec(
      String seriesCol,
      String timeCol,
      String outcomeCol,
      List<String> controls,
      String interventionCol,
      double interventionTime) {}

  /** Output columns. */
  public static final String SERIES = "s";

  public static final String TIME = "t";
  public static final String OUTCOME = "y";
  public static final String CONTROL_PREFIX = "c";
  public static final String INTERVENTION = "iv";

  /** 1 when the row's time read as a number / as a date or timestamp, else 0. */
  public static final String TIME_NUMBER = "t_number";

  public static final String TIME_CALENDAR = "t_calendar";

  /** The same for the intervention column. */
  public static final String INTERVENTION_NUMBER = "iv_number";

  public static final String INTERVENTION_CALENDAR = "iv_calendar";

  /** The text of a time that read as neither (null otherwise), for error messages. */
  public static final String BAD_TIME = "t_bad";

  public static final String BAD_INTERVENTION = "iv_bad";

  /** The row count of a (series, reason) group in {@link #count}. */
  private static final String ROWS = "rows";

  private ImpactInputStage() {}

  /**
   * The projection described above.
   *
   * @throws UsageException naming the column for a missing column or an unusable type
   */
  public static Dataset<Row> apply(Dataset<Row> input, Spec spec) {
    Projection p = project(input, spec);
    List<Column> out = new ArrayList<>();
    out.add(p.series().as(SERIES));
    out.add(p.reason().as(Columns.REASON));
    out.add(p.time().value().as(TIME));
    out.add(p.outcome().as(OUTCOME));
    for (int i = 0; i < p.controls().size(); i++) {
      out.add(p.controls().get(i).as(CONTROL_PREFIX + i));
    }
    out.add(p.intervention().value().as(INTERVENTION));
    out.add(flag(p.time().number()).as(TIME_NUMBER));
    out.add(flag(p.time().calendar()).as(TIME_CALENDAR));
    out.add(flag(p.intervention().number()).as(INTERVENTION_NUMBER));
    out.add(flag(p.intervention().calendar()).as(INTERVENTION_CALENDAR));
    out.add(p.time().bad().as(BAD_TIME));
    out.add(p.intervention().bad().as(BAD_INTERVENTION));
    return input.select(out.toArray(new Column[0]));
  }

  /**
   * The input's own columns plus {@link Columns#REJECT_REASON}, for writing {@code rejected_rows}.
   */
  public static Dataset<Row> withReason(Dataset<Row> input, Spec spec) {
    return input.withColumn(Columns.REJECT_REASON, project(input, spec).reason());
  }

  /**
   * Row accounting of a projected input, from one aggregation per (series, reason).
   *
   * @param rowsRead every input row
   * @param rejectedByReason quarantined rows per reason (sorted)
   * @param rejectedBySeries quarantined rows per non-null series id
   * @param usedSeries series with at least one usable row
   * @param timeNumbers rows whose time read as a number
   * @param timeCalendar rows whose time read as a date or timestamp
   * @param interventionNumbers the same for the intervention column
   * @param interventionCalendar the same for the intervention column
   * @param badTime a time text that read as neither (the smallest), or null
   * @param badIntervention the same for the intervention column
   */
  public record Counts(
      long rowsRead,
      SortedMap<String, Long> rejectedByReason,
      Map<String, Long> rejectedBySeries,
      Set<String> usedSeries,
      long timeNumbers,
      long timeCalendar,
      long interventionNumbers,
      long interventionCalendar,
      String badTime,
      String badIntervention) {

    /** Rows quarantined under any reason. */
    public long rowsRejected() {
      long n = 0;
      for (long c : rejectedByReason.values()) {
        n += c;
      }
      return n;
    }

    /** Rows that reached their series' analysis: rows read less rows rejected. */
    public long rowsUsed() {
      return rowsRead - rowsRejected();
    }
  }

  /** Counts the rows of {@link #apply}'s projection (one small aggregation, collected). */
  public static Counts count(Dataset<Row> projected) {
    List<Row> groups =
        projected
            .groupBy(col(SERIES), col(Columns.REASON))
            .agg(
                functions.count(lit(1)).as(ROWS),
                functions.sum(TIME_NUMBER).as(TIME_NUMBER),
                functions.sum(TIME_CALENDAR).as(TIME_CALENDAR),
                functions.sum(INTERVENTION_NUMBER).as(INTERVENTION_NUMBER),
                functions.sum(INTERVENTION_CALENDAR).as(INTERVENTION_CALENDAR),
                functions.min(BAD_TIME).as(BAD_TIME),
                functions.min(BAD_INTERVENTION).as(BAD_INTERVENTION))
            .collectAsList();
    long read = 0;
    long[] kinds = new long[4];
    String badTime = null;
    String badIntervention = null;
    SortedMap<String, Long> byReason = new TreeMap<>();
    Map<String, Long> bySeries = new HashMap<>();
    Set<String> used = new HashSet<>();
    List<String> kindColumns =
        List.of(TIME_NUMBER, TIME_CALENDAR, INTERVENTION_NUMBER, INTERVENTION_CALENDAR);
    for (Row g : groups) {
      long n = g.getAs(ROWS);
      read += n;
      for (int k = 0; k < kinds.length; k++) {
        kinds[k] += g.<Long>getAs(kindColumns.get(k));
      }
      badTime = smaller(badTime, g.getAs(BAD_TIME));
      badIntervention = smaller(badIntervention, g.getAs(BAD_INTERVENTION));
      String series = g.getAs(SERIES);
      String reason = g.getAs(Columns.REASON);
      if (reason == null) {
        used.add(series);
      } else {
        byReason.merge(reason, n, Long::sum);
        if (series != null) {
          bySeries.merge(series, n, Long::sum);
        }
      }
    }
    return new Counts(
        read,
        byReason,
        bySeries,
        used,
        kinds[0],
        kinds[1],
        kinds[2],
        kinds[3],
        badTime,
        badIntervention);
  }

  /**
   * The kind of a time column from its counts.
   *
   * @param what the column in a message, e.g. "time column 'time'"
   * @return the kind, or null when no row has a time
   * @throws UsageException when the column mixes numbers with dates, or when no value reads as
   *     either although some are present
   */
  public static TimeValues.Kind kind(String what, long numbers, long calendar, String bad) {
    if (numbers > 0 && calendar > 0) {
      throw new UsageException(
          what
              + " mixes numbers ("
              + numbers
              + " rows) and dates or timestamps ("
              + calendar
              + " rows); give every row the same kind (dates are read as "
              + TimeValues.CALENDAR_UNIT
              + ")");
    }
    if (numbers == 0 && calendar == 0 && bad != null) {
      throw new UsageException(
          what
              + " has no value that reads as a number, a date (2026-01-05) or a timestamp"
              + " (2026-01-05T10:00:00), e.g. '"
              + SafeText.clean(bad)
              + "'");
    }
    return numbers > 0 ? TimeValues.Kind.NUMBER : calendar > 0 ? TimeValues.Kind.CALENDAR : null;
  }

  private static String smaller(String a, String b) {
    return a == null ? b : b == null || a.compareTo(b) <= 0 ? a : b;
  }

  private record Projection(
      Column series,
      Column reason,
      TimeColumn time,
      Column outcome,
      List<Column> controls,
      TimeColumn intervention) {}

  /**
   * A time column read: its value, whether it read as a number or as a date/timestamp, and its text
   * when it read as neither.
   */
  private record TimeColumn(Column raw, Column value, Column number, Column calendar, Column bad) {}

  private static Projection project(Dataset<Row> input, Spec spec) {
    StructType schema = input.schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    List<String> required = new ArrayList<>(List.of(spec.timeCol(), spec.outcomeCol()));
    required.addAll(spec.controls());
    if (spec.interventionCol() != null) {
      required.add(spec.interventionCol());
    }
    for (String c : required) {
      if (!names.contains(c)) {
        throw new UsageException(
            "input has no column '"
                + c
                + "' (columns: "
                + String.join(", ", ValidationStage.userColumns(names))
                + ")");
      }
    }
    List<Column[]> checks = new ArrayList<>();
    Column series = lit("all");
    if (spec.seriesCol() != null) {
      series = InputText.id(ColumnQuote.col(spec.seriesCol()).cast("string"));
      checks.add(new Column[] {series.isNull(), lit("null:" + spec.seriesCol())});
    }
    TimeColumn time = time(schema, spec.timeCol());
    checks.add(new Column[] {time.raw().isNull(), lit("null:" + spec.timeCol())});
    checks.add(new Column[] {time.value().isNull(), lit("not_time:" + spec.timeCol())});
    checks.add(new Column[] {nonfinite(time.value()), lit("nonfinite:" + spec.timeCol())});
    Column outcome = numeric(schema, spec.outcomeCol(), checks);
    List<Column> controls = new ArrayList<>();
    for (String c : spec.controls()) {
      controls.add(numeric(schema, c, checks));
    }
    TimeColumn intervention;
    if (spec.interventionCol() != null) {
      intervention = time(schema, spec.interventionCol());
      checks.add(
          new Column[] {
            intervention.raw().isNotNull().and(intervention.value().isNull()),
            lit("not_time:" + spec.interventionCol())
          });
    } else {
      Column v = lit(spec.interventionTime());
      intervention = new TimeColumn(v, v, lit(false), lit(false), lit(null).cast("string"));
    }
    Column reason = lit(null).cast("string");
    // Built from the last check to the first, so the first failing check names the reason.
    for (int i = checks.size() - 1; i >= 0; i--) {
      reason = when(checks.get(i)[0], checks.get(i)[1]).otherwise(reason);
    }
    return new Projection(series, reason, time, outcome, controls, intervention);
  }

  /**
   * Days since 1970-01-01 UTC of date and timestamp text (null for other text), on the executors.
   */
  private static final UserDefinedFunction CALENDAR_DAYS =
      functions.udf((UDF1<String, Double>) TimeValues::days, DataTypes.DoubleType);

  private static TimeColumn time(StructType schema, String name) {
    DataType t = schema.apply(name).dataType();
    Column raw = InputText.cell(ColumnQuote.col(name), t);
    Column none = lit(null).cast("string");
    if (t instanceof NumericType) {
      Column v = raw.cast("double");
      return new TimeColumn(raw, v, raw.isNotNull(), lit(false), none);
    }
    if (t instanceof DateType) {
      Column v = expr("unix_date(" + ColumnQuote.quote(name) + ")").cast("double");
      return new TimeColumn(raw, v, lit(false), raw.isNotNull(), none);
    }
    if (t instanceof TimestampType) {
      Column v =
          expr("unix_micros(" + ColumnQuote.quote(name) + ")")
              .cast("double")
              .divide(TimeValues.MICROS_PER_DAY);
      return new TimeColumn(raw, v, lit(false), raw.isNotNull(), none);
    }
    if (t instanceof StringType || t instanceof TimestampNTZType) {
      // A timestamp without a zone prints as its wall-clock text, which TimeValues reads as UTC.
      Column text = raw.cast("string");
      Column number =
          t instanceof StringType ? InputText.number(text, t) : lit(null).cast("double");
      Column calendar = when(number.isNull().and(text.isNotNull()), CALENDAR_DAYS.apply(text));
      Column v = coalesce(number, calendar);
      return new TimeColumn(
          raw,
          v,
          number.isNotNull(),
          calendar.isNotNull(),
          when(raw.isNotNull().and(v.isNull()), text));
    }
    throw new UsageException(
        "column '"
            + name
            + "' has type "
            + t.simpleString()
            + "; a time must be a number, a date or a timestamp (or text such as 82, 2026-01-05 or"
            + " 2026-01-05T10:00:00)");
  }

  private static Column numeric(StructType schema, String name, List<Column[]> checks) {
    DataType t = schema.apply(name).dataType();
    if (!(t instanceof NumericType || t instanceof StringType || t instanceof BooleanType)) {
      throw new UsageException(
          "column '"
              + name
              + "' has type "
              + t.simpleString()
              + "; an outcome or control must be numeric (or numeric text)");
    }
    Column raw = InputText.cell(ColumnQuote.col(name), t);
    Column v = InputText.number(raw, t);
    checks.add(new Column[] {raw.isNull(), lit("null:" + name)});
    checks.add(new Column[] {v.isNull(), lit("not_numeric:" + name)});
    checks.add(new Column[] {nonfinite(v), lit("nonfinite:" + name)});
    return v;
  }

  private static Column nonfinite(Column v) {
    return isnan(v).or(abs(v).equalTo(lit(Double.POSITIVE_INFINITY)));
  }

  private static Column flag(Column c) {
    return when(c, lit(1)).otherwise(lit(0));
  }
}
