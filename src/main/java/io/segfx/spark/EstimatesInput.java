package io.segfx.spark;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.segfx.config.JobSpec;
import io.segfx.config.UsageException;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;

/**
 * {@code --input-kind estimates}: rows of (experiment, segment, [variant], estimate, std_error,
 * [n]) that go straight to pooling and draws, so the pooling can be run on published hierarchical
 * examples. Such inputs are small (one row per segment), so the validated rows are collected.
 *
 * <p>Quarantine reasons: {@code null:<col>}, {@code not_numeric:<col>}, {@code nonfinite:<col>},
 * {@code not_positive:<std_error col>}, {@code negative:<n col>}, {@code not_integer:<n col>}, and
 * {@code duplicate:<segment col>} for every row of an (experiment, variant, segment) given more
 * than once. Without a variant column the variant is {@code 1}; without an n column every segment
 * weighs the same in the experiment-level effect.
 */
public final class EstimatesInput {
  /** Variant name when the input has no variant column. */
  public static final String DEFAULT_VARIANT = "1";

  /** The validated value columns: estimate, standard error, n. */
  private static final String ESTIMATE = Columns.VALUE_PREFIX + 0;

  private static final String STD_ERROR = Columns.VALUE_PREFIX + 1;
  private static final String COUNT = Columns.VALUE_PREFIX + 2;

  private EstimatesInput() {}

  /** What the rows give: usable estimates and quarantine counts. */
  public record Result(
      List<SegmentEstimate> estimates, long rowsUsed, Map<String, Long> rejectedByReason) {}

  /** The input with the columns below and a reason column (null for usable rows). */
  public static Dataset<Row> validated(Dataset<Row> input, JobSpec spec) {
    List<String> names = Arrays.asList(input.schema().fieldNames());
    List<String> c = spec.estimateCols();
    String variantCol = c.get(0);
    String estimateCol = c.get(1);
    String seCol = c.get(2);
    String nCol = c.get(3);
    require(names, estimateCol, seCol);
    StructType schema = input.schema();
    // Ids as unit rows read them (ValidationStage.key: 1.0 and 1 are one id), and the variant as
    // unit rows read an arm (ArmLabel: 1, 1.0, 01 and " 1" are one variant), so an (experiment,
    // variant, segment) given twice in two spellings is a duplicate, not two variants.
    Column experiment =
        names.contains(spec.experimentCol())
            ? ValidationStage.key(schema, spec.experimentCol())
            : lit(JobSpec.SINGLE_EXPERIMENT);
    Column segment =
        names.contains(spec.segmentCol())
            ? ValidationStage.key(schema, spec.segmentCol())
            : lit(JobSpec.SINGLE_SEGMENT);
    Column variant =
        names.contains(variantCol)
            ? ValidationStage.canonicalArm(ValidationStage.key(schema, variantCol))
            : lit(DEFAULT_VARIANT);
    Column est =
        InputText.number(ColumnQuote.col(estimateCol), schema.apply(estimateCol).dataType());
    Column se = InputText.number(ColumnQuote.col(seCol), schema.apply(seCol).dataType());
    Column n =
        names.contains(nCol)
            ? InputText.number(ColumnQuote.col(nCol), schema.apply(nCol).dataType())
            : lit(1.0);
    List<Column[]> checks = new ArrayList<>();
    if (names.contains(Columns.CORRUPT_RECORD)) {
      checks.add(
          new Column[] {col(Columns.CORRUPT_RECORD).isNotNull(), lit(Columns.MALFORMED_LINE)});
    }
    checks.add(new Column[] {experiment.isNull(), lit("null:" + spec.experimentCol())});
    checks.add(new Column[] {segment.isNull(), lit("null:" + spec.segmentCol())});
    checks.add(new Column[] {variant.isNull(), lit("null:" + variantCol)});
    valueChecks(schema, names, estimateCol, seCol, nCol, est, se, n, checks);
    Column copies = count(lit(1)).over(Window.partitionBy(experiment, variant, segment));
    checks.add(new Column[] {copies.gt(1), lit("duplicate:" + spec.segmentCol())});
    Column reason = lit(null).cast("string");
    for (int i = checks.size() - 1; i >= 0; i--) {
      reason = when(checks.get(i)[0], checks.get(i)[1]).otherwise(reason);
    }
    return input
        .withColumn(Columns.EXPERIMENT, experiment)
        .withColumn(Columns.SEGMENT, segment)
        .withColumn(Columns.ARM, variant)
        .withColumn(ESTIMATE, est)
        .withColumn(STD_ERROR, se)
        .withColumn(COUNT, n)
        .withColumn(Columns.REJECT_REASON, reason);
  }

  /** Fails unless the input has the estimate and standard-error columns. */
  private static void require(List<String> names, String estimateCol, String seCol) {
    for (String required : List.of(estimateCol, seCol)) {
      if (!names.contains(required)) {
        throw new UsageException(
            "input has no column '"
                + required
                + "' (--input-kind estimates needs "
                + estimateCol
                + " and "
                + seCol
                + "); its columns are: "
                + String.join(", ", ValidationStage.userColumns(names)));
      }
    }
  }

  /** The checks of the estimate, the standard error and the optional n, in reason order. */
  private static void valueChecks(
      StructType schema,
      List<String> names,
      String estimateCol,
      String seCol,
      String nCol,
      Column est,
      Column se,
      Column n,
      List<Column[]> checks) {
    String[] cols = {estimateCol, seCol};
    Column[] parsed = {est, se};
    for (int i = 0; i < 2; i++) {
      Column v = parsed[i];
      checks.add(new Column[] {missing(schema, cols[i]), lit("null:" + cols[i])});
      checks.add(new Column[] {v.isNull(), lit("not_numeric:" + cols[i])});
      checks.add(
          new Column[] {
            isnan(v).or(abs(v).equalTo(Double.POSITIVE_INFINITY)), lit("nonfinite:" + cols[i])
          });
      // Beyond this a precision weight or a square underflows or overflows in the pooling.
      checks.add(
          new Column[] {abs(v).gt(ValidationStage.MAX_MAGNITUDE), lit("out_of_range:" + cols[i])});
    }
    checks.add(new Column[] {se.leq(0), lit("not_positive:" + seCol)});
    checks.add(
        new Column[] {se.lt(1 / ValidationStage.MAX_MAGNITUDE), lit("out_of_range:" + seCol)});
    if (names.contains(nCol)) {
      checks.add(new Column[] {missing(schema, nCol), lit("null:" + nCol)});
      checks.add(new Column[] {n.isNull(), lit("not_numeric:" + nCol)});
      checks.add(
          new Column[] {
            isnan(n).or(abs(n).equalTo(Double.POSITIVE_INFINITY)), lit("nonfinite:" + nCol)
          });
      // n is summed as a long (weights, units): above 2^53 a double no longer holds every
      // integer, and above 2^63 it would be clamped.
      checks.add(new Column[] {n.gt(ValidationStage.MAX_COUNT), lit("out_of_range:" + nCol)});
      checks.add(new Column[] {n.lt(0), lit("negative:" + nCol)});
      // n weighs the segment in the experiment-level effect: a segment of no units has no weight
      // to give, and a group of such segments would have none at all.
      checks.add(new Column[] {n.equalTo(0), lit("not_positive:" + nCol)});
      checks.add(new Column[] {n.notEqual(floor(n)), lit("not_integer:" + nCol)});
    }
  }

  /** Whether a value cell is missing: null, or empty text ({@link InputText#cell}). */
  private static Column missing(StructType schema, String name) {
    return InputText.cell(ColumnQuote.col(name), schema.apply(name).dataType()).isNull();
  }

  /** Reads the validated rows into segment estimates. */
  public static Result read(Dataset<Row> input, JobSpec spec) {
    String metric = spec.metricSpecs().get(0).column();
    List<SegmentEstimate> out = new ArrayList<>();
    Map<String, Long> rejected = new TreeMap<>();
    long used = 0;
    for (Row r :
        validated(input, spec)
            .select(
                Columns.EXPERIMENT,
                Columns.SEGMENT,
                Columns.ARM,
                ESTIMATE,
                STD_ERROR,
                COUNT,
                Columns.REJECT_REASON)
            .collectAsList()) {
      String reason = r.getAs(Columns.REJECT_REASON);
      if (reason != null) {
        rejected.merge(reason, 1L, Long::sum);
        continue;
      }
      used++;
      double nan = Double.NaN;
      double se = r.<Double>getAs(STD_ERROR);
      out.add(
          new SegmentEstimate(
              r.getAs(Columns.EXPERIMENT),
              metric,
              r.getAs(Columns.ARM),
              r.getAs(Columns.SEGMENT),
              0,
              (long) r.<Double>getAs(COUNT).doubleValue(),
              r.<Double>getAs(ESTIMATE),
              se,
              0,
              Status.OK.code(),
              SegmentEstimate.ESTIMATE_KIND,
              null,
              null,
              nan,
              nan,
              nan,
              nan,
              nan,
              nan,
              nan,
              null,
              nan,
              se,
              "given"));
    }
    return new Result(out, used, rejected);
  }
}
