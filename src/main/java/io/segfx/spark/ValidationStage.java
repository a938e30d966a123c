package io.segfx.spark;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.segfx.config.JobSpec;
import io.segfx.config.UsageException;
import io.segfx.model.ArmLabel;
import io.segfx.model.InputKind;
import io.segfx.model.MetricSpec;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * Checks the input schema against the spec (failing with the column and the problem), and projects
 * every row onto the columns stage 1 reads: experiment, segment, arm, a quarantine {@link
 * Columns#REASON} (null for usable rows) and the covariate and metric values as doubles. The
 * projection is plain column expressions, so Spark compiles it into the scan (whole-stage codegen).
 *
 * <p>Reasons, first match wins: {@code malformed_line} (a CSV line whose number of fields differs
 * from the header's), {@code null:<col>} (a missing key or value), {@code duplicate:<unit col>}
 * (with {@code --unit-col}: every row of an id seen more than once), {@code unknown_arm} (an arm
 * neither control nor a declared variant), {@code not_numeric:<col>} (text that does not parse as a
 * number), {@code nonfinite:<col>} (NaN or ±Inf), {@code out_of_range:<col>} (|value| &gt; {@link
 * #MAX_MAGNITUDE}), {@code not_binary:<col>} (a binary metric other than 0 or 1).
 */
public final class ValidationStage {
  /** What a UTF-8 decoder puts for bytes that are not UTF-8. */
  private static final String REPLACEMENT = "\uFFFD";

  /**
   * Largest accepted magnitude of a metric or covariate: beyond it a product of two values could
   * overflow the exact sums of {@link io.segfx.stats.ExactMoments}.
   */
  public static final double MAX_MAGNITUDE = 1e150;

  /** Largest count of an aggregated row: 2^53, below which a double holds every integer. */
  static final double MAX_COUNT = 9007199254740992.0;

  private ValidationStage() {}

  /** The value columns, in stage-1 order: covariates first, then metrics. */
  public static List<String> valueColumns(JobSpec spec) {
    List<String> v = new ArrayList<>(spec.covariates());
    for (MetricSpec m : spec.metricSpecs()) {
      v.add(m.column());
    }
    return v;
  }

  /**
   * Validates the schema and returns the projection described above.
   *
   * @throws UsageException naming the column for a missing column or an unusable type
   */
  public static Dataset<Row> apply(Dataset<Row> input, JobSpec spec) {
    input = markDuplicates(input, spec);
    Projection p = project(input, spec);
    List<Column> out = new ArrayList<>();
    out.add(p.experiment().as(Columns.EXPERIMENT));
    out.add(p.segment().as(Columns.SEGMENT));
    out.add(p.arm().as(Columns.ARM));
    out.add(p.reason().as(Columns.REASON));
    for (int i = 0; i < p.values().size(); i++) {
      out.add(p.values().get(i).as(Columns.VALUE_PREFIX + i));
    }
    if (spec.clusterCol() != null) {
      out.add(key(input.schema(), spec.clusterCol()).as(Columns.CLUSTER));
    }
    return input.select(out.toArray(new Column[0]));
  }

  /**
   * The schema checks of {@link #apply} alone, without the projection: what the columnar scan needs
   * before it reads, so both paths refuse the same inputs with the same message.
   *
   * @throws UsageException naming the column for a missing column or an unusable type
   */
  public static void check(Dataset<Row> input, JobSpec spec) {
    if (spec.unitCol() != null) {
      // What markDuplicates requires first, without analysing its join.
      require(Arrays.asList(input.schema().fieldNames()), spec.unitCol(), UNIT_COLUMN);
    }
    project(input, spec);
    if (spec.clusterCol() != null) {
      key(input.schema(), spec.clusterCol()); // its type, as apply reads it
    }
  }

  /**
   * The input's own columns plus {@link Columns#REJECT_REASON}, for writing {@code rejected_rows}.
   */
  public static Dataset<Row> withReason(Dataset<Row> input, JobSpec spec) {
    Dataset<Row> marked = markDuplicates(input, spec);
    Dataset<Row> out = marked.withColumn(Columns.REJECT_REASON, project(marked, spec).reason());
    return spec.unitCol() == null ? out : out.drop(DUPLICATE);
  }

  private static final String UNIT_COLUMN = "unit id column (--unit-col)";

  /** 2^63: integral doubles in [-2^63, 2^63) cast to long exactly. */
  private static final double TWO_63 = 0x1p63;

  /** Column set to true on rows whose unit id occurs more than once (only with --unit-col). */
  private static final String DUPLICATE = "__segfx_duplicate";

  /**
   * With {@code --unit-col}, flags every row whose unit id occurs more than once within its
   * experiment (one user in several experiments is ordinary): the (experiment, id) pairs are
   * counted in one partial aggregation and the duplicated ones joined back. Every row of a
   * duplicated pair is flagged, never "all but the first", which would depend on row order.
   */
  private static Dataset<Row> markDuplicates(Dataset<Row> input, JobSpec spec) {
    if (spec.unitCol() == null) {
      return input;
    }
    List<String> names = Arrays.asList(input.schema().fieldNames());
    require(names, spec.unitCol(), UNIT_COLUMN);
    Column unit = ColumnQuote.col(spec.unitCol());
    boolean perExperiment = names.contains(spec.experimentCol());
    Column experiment = perExperiment ? ColumnQuote.col(spec.experimentCol()) : lit("");
    Dataset<Row> duplicated =
        input
            .where(unit.isNotNull())
            .groupBy(experiment.as(DUPLICATE + "_e"), unit.as(DUPLICATE + "_id"))
            .count()
            .where(col("count").gt(1))
            .select(col(DUPLICATE + "_e"), col(DUPLICATE + "_id"), lit(true).as(DUPLICATE));
    Column same =
        unit.equalTo(duplicated.col(DUPLICATE + "_id"))
            .and(experiment.eqNullSafe(duplicated.col(DUPLICATE + "_e")));
    return input.join(duplicated, same, "left").drop(DUPLICATE + "_id").drop(DUPLICATE + "_e");
  }

  private record Projection(
      Column experiment, Column segment, Column arm, Column reason, List<Column> values) {}

  private static Projection project(Dataset<Row> input, JobSpec spec) {
    StructType schema = input.schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    require(names, spec.armCol(), "arm column (--arm-col)");
    boolean counts = spec.inputKind() == InputKind.COUNTS;
    List<String> valueCols = requiredValueColumns(names, spec, counts);
    Column experiment =
        names.contains(spec.experimentCol())
            ? key(schema, spec.experimentCol())
            : lit(JobSpec.SINGLE_EXPERIMENT);
    Column segment =
        names.contains(spec.segmentCol())
            ? key(schema, spec.segmentCol())
            : lit(JobSpec.SINGLE_SEGMENT);
    Column arm = canonicalArm(key(schema, spec.armCol()));
    // Built from the last check to the first, so the first failing check names the reason.
    List<Column[]> checks = new ArrayList<>();
    keyChecks(names, spec, experiment, segment, arm, checks);
    List<Column> values = valueChecks(schema, valueCols, counts, spec, checks);
    if (counts) {
      values = countChecks(spec, values, checks);
    }
    Column reason = lit(null).cast("string");
    for (int i = checks.size() - 1; i >= 0; i--) {
      reason = when(checks.get(i)[0], checks.get(i)[1]).otherwise(reason);
    }
    return new Projection(experiment, segment, arm, reason, values);
  }

  /** The value columns stage 1 reads, each checked to exist (in the order of the option table). */
  private static List<String> requiredValueColumns(
      List<String> names, JobSpec spec, boolean counts) {
    if (counts) {
      List<String> valueCols = countColumns(spec);
      for (String c : valueCols) {
        require(names, c, "count column of --input-kind counts");
      }
      return valueCols;
    }
    for (MetricSpec m : spec.metricSpecs()) {
      if (!m.isDerived()) {
        require(names, m.column(), "metric (--metric)");
      }
    }
    for (String c : spec.covariates()) {
      require(names, c, "covariate (--covariates)");
    }
    return valueColumns(spec);
  }

  /**
   * The checks of a row's keys: malformed line, missing ids, ids that are not UTF-8, a missing
   * cluster or unit, a duplicate unit, an unknown arm.
   */
  private static void keyChecks(
      List<String> names,
      JobSpec spec,
      Column experiment,
      Column segment,
      Column arm,
      List<Column[]> checks) {
    if (names.contains(Columns.CORRUPT_RECORD)) {
      checks.add(
          new Column[] {col(Columns.CORRUPT_RECORD).isNotNull(), lit(Columns.MALFORMED_LINE)});
    }
    checks.add(new Column[] {experiment.isNull(), lit("null:" + spec.experimentCol())});
    checks.add(new Column[] {segment.isNull(), lit("null:" + spec.segmentCol())});
    checks.add(new Column[] {arm.isNull(), lit("null:" + spec.armCol())});
    if (names.contains(Columns.CORRUPT_RECORD)
        && Charset.forName(spec.csvEncoding()).equals(StandardCharsets.UTF_8)) {
      // Bytes that are not UTF-8 decode to U+FFFD, which would merge 'café' and 'cafè' of a
      // Latin-1 file into one id; such rows are quarantined and the README names the option.
      String bad = REPLACEMENT;
      checks.add(new Column[] {experiment.contains(bad), lit("not_utf8:" + spec.experimentCol())});
      checks.add(new Column[] {segment.contains(bad), lit("not_utf8:" + spec.segmentCol())});
      checks.add(new Column[] {arm.contains(bad), lit("not_utf8:" + spec.armCol())});
    }
    if (spec.clusterCol() != null) {
      require(names, spec.clusterCol(), "cluster column (--cluster-col)");
      checks.add(
          new Column[] {
            InputText.id(ColumnQuote.col(spec.clusterCol()).cast("string")).isNull(),
            lit("null:" + spec.clusterCol())
          });
    }
    if (spec.unitCol() != null) {
      checks.add(
          new Column[] {
            InputText.id(ColumnQuote.col(spec.unitCol()).cast("string")).isNull(),
            lit("null:" + spec.unitCol())
          });
      checks.add(new Column[] {col(DUPLICATE).isNotNull(), lit("duplicate:" + spec.unitCol())});
    }
    if (!spec.variants().isEmpty()) {
      List<Object> known = new ArrayList<>(spec.variants());
      known.add(spec.controlArm());
      checks.add(new Column[] {arm.isin(known.toArray()).unary_$bang(), lit("unknown_arm")});
    }
  }

  /**
   * The value columns as doubles, with their checks: missing, not numeric, not finite, out of
   * range, and (a binary metric of unit rows) neither 0 nor 1.
   */
  private static List<Column> valueChecks(
      StructType schema,
      List<String> valueCols,
      boolean counts,
      JobSpec spec,
      List<Column[]> checks) {
    List<Column> values = new ArrayList<>();
    Map<String, MetricSpec> derived = derivedMetrics(spec);
    for (String c : valueCols) {
      if (derived.containsKey(c)) {
        // The weighted sum of already-checked metric values: its inputs' checks come first, so
        // only its own magnitude can fail here.
        Column v = weightedSum(derived.get(c), valueCols, values);
        values.add(v);
        checks.add(new Column[] {abs(v).gt(lit(MAX_MAGNITUDE)), lit("out_of_range:" + c)});
        continue;
      }
      DataType t = schema.apply(c).dataType();
      Column raw = InputText.cell(ColumnQuote.col(c), t);
      Column v = numeric(raw, t, c);
      values.add(v);
      checks.add(new Column[] {raw.isNull(), lit("null:" + c)});
      checks.add(new Column[] {v.isNull(), lit("not_numeric:" + c)});
      checks.add(
          new Column[] {
            isnan(v).or(abs(v).equalTo(lit(Double.POSITIVE_INFINITY))), lit("nonfinite:" + c)
          });
      checks.add(new Column[] {abs(v).gt(lit(MAX_MAGNITUDE)), lit("out_of_range:" + c)});
      if (!counts && binaryColumns(spec).contains(c)) {
        checks.add(
            new Column[] {v.notEqual(lit(0.0)).and(v.notEqual(lit(1.0))), lit("not_binary:" + c)});
      }
    }
    return values;
  }

  /** The derived metrics by name. */
  private static Map<String, MetricSpec> derivedMetrics(JobSpec spec) {
    Map<String, MetricSpec> out = new LinkedHashMap<>();
    for (MetricSpec m : spec.metricSpecs()) {
      if (m.isDerived()) {
        out.put(m.column(), m);
      }
    }
    return out;
  }

  /**
   * Sum over the derived metric's columns of weight × value, in the weights' order: a function of
   * the row alone, so it is the same under any partitioning.
   */
  private static Column weightedSum(MetricSpec d, List<String> valueCols, List<Column> values) {
    Column sum = null;
    for (Map.Entry<String, Double> w : d.weights().entrySet()) {
      Column term = values.get(valueCols.indexOf(w.getKey())).multiply(lit(w.getValue()));
      sum = sum == null ? term : sum.plus(term);
    }
    return sum;
  }

  /** The columns of an aggregated input: n and conversions (binary) or n, sum, sum_sq. */
  static List<String> countColumns(JobSpec spec) {
    if (spec.metricSpecs().get(0).binary()) {
      return List.of(spec.countCols().get(0), spec.countCols().get(1));
    }
    return List.of(spec.countCols().get(0), spec.countCols().get(2), spec.countCols().get(3));
  }

  /**
   * Checks of aggregated rows (negative or fractional counts, conversions above n, a sum of squares
   * below sum^2/n) and the values stage 1 reads: n, sum, sum of squares (for conversions both sums
   * are the count, since y^2 = y for 0/1 outcomes).
   */
  private static List<Column> countChecks(JobSpec spec, List<Column> v, List<Column[]> checks) {
    List<String> c = countColumns(spec);
    Column n = v.get(0);
    // Counts are summed as longs; above 2^53 a double no longer holds every integer, and above
    // 2^63 the count would be clamped.
    int countColumns = c.size() == 2 ? 2 : 1; // n and conversions; sums of values may be larger
    for (int i = 0; i < countColumns; i++) {
      checks.add(new Column[] {abs(v.get(i)).gt(lit(MAX_COUNT)), lit("out_of_range:" + c.get(i))});
    }
    checks.add(new Column[] {n.lt(0), lit("negative:" + c.get(0))});
    checks.add(new Column[] {n.notEqual(floor(n)), lit("not_integer:" + c.get(0))});
    if (c.size() == 2) {
      Column y = v.get(1);
      checks.add(new Column[] {y.lt(0), lit("negative:" + c.get(1))});
      checks.add(new Column[] {y.notEqual(floor(y)), lit("not_integer:" + c.get(1))});
      checks.add(new Column[] {y.gt(n), lit("exceeds_n:" + c.get(1))});
      return List.of(n, y, y);
    }
    Column sum = v.get(1);
    Column sumSq = v.get(2);
    checks.add(new Column[] {sumSq.lt(0), lit("negative:" + c.get(2))});
    checks.add(
        new Column[] {
          n.equalTo(0)
              .and(sum.notEqual(0).or(sumSq.notEqual(0)))
              .or(sumSq.multiply(n).lt(sum.multiply(sum).multiply(1 - 1e-9))),
          lit("inconsistent:" + c.get(2))
        });
    return List.of(n, sum, sumSq);
  }

  /** The columns of the binary metrics. */
  static List<String> binaryColumns(JobSpec spec) {
    List<String> b = new ArrayList<>();
    for (MetricSpec m : spec.metricSpecs()) {
      if (m.binary()) {
        b.add(m.column());
      }
    }
    return b;
  }

  private static void require(List<String> names, String column, String role) {
    if (!names.contains(column)) {
      throw new UsageException(
          "input has no column '"
              + column
              + "' (the "
              + role
              + "); its columns are: "
              + String.join(", ", userColumns(names)));
    }
  }

  /** The input's own column names, without the reader's raw-line column. */
  public static List<String> userColumns(List<String> names) {
    List<String> out = new ArrayList<>(names);
    out.remove(Columns.CORRUPT_RECORD);
    return out;
  }

  /** A key column as text; integral floating values print without a fraction (0.0 reads as "0"). */
  static Column key(StructType schema, String name) {
    DataType t = schema.apply(name).dataType();
    Column c = ColumnQuote.col(name);
    if (t instanceof StringType) {
      return InputText.id(c);
    }
    if (t instanceof DoubleType || t instanceof FloatType) {
      // NaN and infinities are missing ids: Spark's NaN = NaN would otherwise make NaN read as 0.
      // Integral values print as integers only below 2^63, where the cast to long is exact.
      return when(
              isnan(c).or(abs(c).equalTo(lit(Double.POSITIVE_INFINITY))), lit(null).cast("string"))
          .when(
              c.equalTo(floor(c)).and(c.geq(lit(-TWO_63))).and(c.lt(lit(TWO_63))),
              c.cast("long").cast("string"))
          .otherwise(c.cast("string"));
    }
    if (t instanceof DecimalType) {
      // An integral decimal prints as the integer it is, at any size (a cast to long would wrap
      // above 2^63 and merge ids); a fraction without its padding zeros, as a CSV file writes it,
      // unless Spark prints it in scientific notation (1E-10), whose digits stay as printed.
      Column text = c.cast("string");
      return when(c.equalTo(floor(c)), c.cast(DataTypes.createDecimalType(38, 0)).cast("string"))
          .when(text.contains("E"), text)
          .otherwise(regexp_replace(text, "0+$", ""));
    }
    if (t instanceof NumericType || t instanceof BooleanType) {
      return c.cast("string");
    }
    throw new UsageException(
        "column '"
            + name
            + "' has type "
            + t.simpleString()
            + "; an id column must be text or a number: write it as text (for example"
            + " CAST(col AS STRING) in the query that makes the input)");
  }

  /** {@link ArmLabel#canonical} as a Spark expression (the same regular expressions). */
  static Column canonicalArm(Column text) {
    Column t = trim(text);
    Column low = lower(t);
    Column x = t.cast("double");
    Column integral = x.equalTo(floor(x)).and(abs(x).lt(lit(ArmLabel.MAX_INTEGER)));
    return when(text.isNull(), lit(null).cast("string"))
        .when(low.isin(ArmLabel.NULL_WORDS.toArray()), lit(null).cast("string"))
        .when(low.equalTo("true"), lit("1"))
        .when(low.equalTo("false"), lit("0"))
        .when(t.rlike(ArmLabel.NUMBER).and(integral), x.cast("long").cast("string"))
        .otherwise(t);
  }

  private static Column numeric(Column raw, DataType t, String name) {
    if (t instanceof NumericType || t instanceof StringType || t instanceof BooleanType) {
      return InputText.number(raw, t);
    }
    throw new UsageException(
        "column '"
            + name
            + "' has type "
            + t.simpleString()
            + "; a metric or covariate must be numeric (or numeric text): write it as a number"
            + " (for a time, for example seconds since an origin) in the query that makes the"
            + " input");
  }
}
