package io.segfx.config;

import static io.segfx.config.OptionDef.Kind.LIST;
import static io.segfx.config.OptionDef.Kind.STRING;

import io.segfx.model.InputKind;
import io.segfx.model.MetricSpec;
import io.segfx.model.TableFormat;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code segment-effects} reads: the input, its format and kind, and the columns that name
 * experiments, segments, arms, metrics and covariates. Validates what these settings alone decide.
 *
 * @param input the input file or folder, or null when the input is a catalog table
 * @param inputFormat parquet or csv
 * @param inputKind unit rows, per-arm counts or segment estimates
 * @param csvDelimiter the CSV field separator
 * @param csvEncoding the CSV character set, by its canonical name
 * @param experimentCol the experiment id column
 * @param segmentCol the segment column
 * @param armCol the arm column
 * @param controlArm the control arm's canonical label
 * @param variants declared variant labels; empty: every other arm is a variant
 * @param metrics metric columns, each {@code NAME} or {@code NAME:binary}
 * @param covariates pre-period covariate columns
 * @param unitCol the unit id column, or null
 * @param countCols the columns of {@code --input-kind counts}
 * @param estimateCols the columns of {@code --input-kind estimates}
 * @param inputTable the input table in Spark's catalog, or null when the input is a path
 * @param where a Spark SQL filter on the input table, or null for every row
 */
public record InputSpec(
    String input,
    TableFormat inputFormat,
    InputKind inputKind,
    char csvDelimiter,
    String csvEncoding,
    String experimentCol,
    String segmentCol,
    String armCol,
    String controlArm,
    List<String> variants,
    List<String> metrics,
    List<String> covariates,
    String unitCol,
    List<String> countCols,
    List<String> estimateCols,
    TableName inputTable,
    String where)
    implements Serializable {

  private static final String INPUT = "Input";
  private static final String COLUMNS = "Columns and metrics";

  /** The options of this concern, in help order. */
  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.of(
                  "input",
                  STRING,
                  null,
                  "unit-level input: a file or folder (file:, hdfs://, s3a://); this or"
                      + " --input-table")
              .inGroup(INPUT)
              .withLabel("PATH"),
          OptionDef.of(
                  "input-table",
                  STRING,
                  null,
                  "the input as a table in Spark's catalog, instead of --input")
              .inGroup(INPUT)
              .withLabel("CATALOG.DB.TABLE"),
          OptionDef.of(
                  "where",
                  STRING,
                  null,
                  "--input-table: a Spark SQL filter on its rows, e.g. \"ds = '2026-12-01'\"")
              .inGroup(INPUT)
              .withLabel("CONDITION"),
          OptionDef.of(
                  "spec",
                  STRING,
                  null,
                  "YAML job spec with the same keys as these options; flags override it")
              .inGroup(INPUT)
              .withLabel("FILE"),
          OptionDef.choice(
                  "input-format",
                  null,
                  List.of("parquet", "csv"),
                  "input format (default: from the path's extension, else parquet)")
              .inGroup(INPUT),
          OptionDef.choice(
                  "input-kind",
                  "units",
                  List.of("units", "counts", "estimates"),
                  "unit rows; per-arm aggregates (n, conversions | n, sum, sum_sq); or segment"
                      + " estimates (estimate, std_error)")
              .inGroup(INPUT),
          OptionDef.of(
                  "count-columns",
                  LIST,
                  "n,conversions,sum,sum_sq",
                  "--input-kind counts: the columns n, conversions (binary) and sum, sum_sq"
                      + " (continuous)")
              .inGroup(INPUT)
              .withLabel("N,CONV,SUM,SUM_SQ"),
          OptionDef.of(
                  "estimate-columns",
                  LIST,
                  "variant,estimate,std_error,n",
                  "--input-kind estimates: the columns variant (optional), estimate, std_error and"
                      + " n (optional unit count, the weight in the experiment-level effect)")
              .inGroup(INPUT)
              .withLabel("VARIANT,EST,SE,N"),
          OptionDef.of(
                  "csv-delimiter",
                  STRING,
                  ",",
                  "CSV input: the field separator, one character (e.g. ';' for European Excel"
                      + " exports, '\\t' for tab)")
              .inGroup(INPUT)
              .withLabel("C"),
          OptionDef.of(
                  "csv-encoding",
                  STRING,
                  "UTF-8",
                  "CSV input: the character set, e.g. ISO-8859-1 (Latin-1) or windows-1252 for old"
                      + " Excel exports, UTF-16 for Excel's 'Unicode text'")
              .inGroup(INPUT)
              .withLabel("CHARSET"),
          OptionDef.of(
                  "experiment-col",
                  STRING,
                  "experiment_id",
                  "experiment id column; absent from the input = one experiment named 'all'")
              .inGroup(COLUMNS)
              .withLabel("COL"),
          OptionDef.of(
                  "segment-col",
                  STRING,
                  "segment",
                  "segment column; absent from the input = one segment named 'all'")
              .inGroup(COLUMNS)
              .withLabel("COL"),
          OptionDef.of("arm-col", STRING, "arm", "arm (assignment) column")
              .inGroup(COLUMNS)
              .withLabel("COL"),
          OptionDef.of(
                  "control-arm",
                  STRING,
                  "0",
                  "the arm value of the control group; every other value is a variant")
              .inGroup(COLUMNS)
              .withLabel("ARM"),
          OptionDef.of(
                  "variants",
                  LIST,
                  null,
                  "declared variant arm values; rows in any other non-control arm are rejected as"
                      + " unknown_arm")
              .inGroup(COLUMNS)
              .withLabel("ARM,..."),
          OptionDef.required(
                  "metric",
                  LIST,
                  "outcome column (continuous); repeat or comma-separate for several")
              .withAliases("metrics")
              .inGroup(COLUMNS)
              .withLabel("COL[:binary],..."),
          OptionDef.of("covariates", LIST, null, "pre-period covariates for regression adjustment")
              .inGroup(COLUMNS)
              .withLabel("COL,..."),
          OptionDef.of(
                  "unit-col",
                  STRING,
                  null,
                  "unit id column; when given, every row of a duplicated or null id is quarantined"
                      + " (one extra aggregation over the ids)")
              .inGroup(COLUMNS)
              .withLabel("COL"));

  /** Validates what the input settings alone decide. */
  public InputSpec {
    if ((input == null) == (inputTable == null)) {
      throw new UsageException(
          input == null
              ? "give --input PATH or --input-table CATALOG.DB.TABLE"
              : "give --input or --input-table, not both");
    }
    if (where != null && inputTable == null) {
      throw new UsageException("--where filters an --input-table; it is not used with --input");
    }
    if (where != null && where.isBlank()) {
      throw new UsageException("--where is empty; leave it out to read every row");
    }
    variants = List.copyOf(variants);
    metrics = List.copyOf(metrics);
    covariates = List.copyOf(covariates);
    for (String m : metrics) {
      try {
        MetricSpec.parse(m);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    if (inputKind != InputKind.UNITS) {
      refuseUnitSettings(inputKind, metrics, covariates, unitCol);
    } else {
      refuseDuplicateColumns(experimentCol, segmentCol, armCol, metrics, covariates, unitCol);
      if (variants.contains(controlArm)) {
        throw new UsageException(
            "--variants must not contain the control arm '" + controlArm + "'");
      }
    }
  }

  /** An input read from a path, as before catalog tables existed. */
  public InputSpec(
      String input,
      TableFormat inputFormat,
      InputKind inputKind,
      char csvDelimiter,
      String csvEncoding,
      String experimentCol,
      String segmentCol,
      String armCol,
      String controlArm,
      List<String> variants,
      List<String> metrics,
      List<String> covariates,
      String unitCol,
      List<String> countCols,
      List<String> estimateCols) {
    this(
        input,
        inputFormat,
        inputKind,
        csvDelimiter,
        csvEncoding,
        experimentCol,
        segmentCol,
        armCol,
        controlArm,
        variants,
        metrics,
        covariates,
        unitCol,
        countCols,
        estimateCols,
        null,
        null);
  }

  /** Builds the input settings from resolved option values. */
  static InputSpec from(OptionValues v) {
    String input = v.string("input");
    return new InputSpec(
        input,
        v.has("input-format")
            ? TableFormat.of(v.string("input-format"))
            : input == null ? TableFormat.PARQUET : TableFormat.fromPath(input),
        InputKind.of(v.string("input-kind")),
        OptionParsers.delimiter(v.string("csv-delimiter")),
        OptionParsers.encoding(v.string("csv-encoding")),
        v.string("experiment-col"),
        v.string("segment-col"),
        v.string("arm-col"),
        OptionParsers.arm(v.string("control-arm"), "--control-arm"),
        OptionParsers.arms(v.list("variants")),
        v.list("metric"),
        v.list("covariates"),
        v.string("unit-col"),
        OptionParsers.exactly(v.list("count-columns"), 4, "--count-columns"),
        OptionParsers.exactly(v.list("estimate-columns"), 4, "--estimate-columns"),
        v.has("input-table") ? TableName.parse(v.string("input-table"), "--input-table") : null,
        v.string("where"));
  }

  /** The metrics with their kinds. */
  public List<MetricSpec> metricSpecs() {
    List<MetricSpec> out = new ArrayList<>();
    for (String m : metrics) {
      out.add(MetricSpec.parse(m));
    }
    return out;
  }

  /** The metric columns, without their kinds. */
  public List<String> metricColumns() {
    List<String> out = new ArrayList<>();
    for (MetricSpec m : metricSpecs()) {
      out.add(m.column());
    }
    return out;
  }

  /** True when any metric is binary. */
  public boolean anyBinary() {
    return metricSpecs().stream().anyMatch(MetricSpec::binary);
  }

  /** Aggregated inputs have no unit rows: one metric, no covariates, no unit ids. */
  private static void refuseUnitSettings(
      InputKind kind, List<String> metrics, List<String> covariates, String unitCol) {
    if (metrics.size() != 1) {
      throw new UsageException(
          "--input-kind "
              + kind
              + " takes exactly one --metric (the name the output tables use), got "
              + metrics);
    }
    if (!covariates.isEmpty()) {
      throw new UsageException("--input-kind " + kind + " has no unit rows, so no --covariates");
    }
    if (unitCol != null) {
      throw new UsageException("--input-kind " + kind + " has no unit rows, so no --unit-col");
    }
  }

  private static void refuseDuplicateColumns(
      String experimentCol,
      String segmentCol,
      String armCol,
      List<String> metrics,
      List<String> covariates,
      String unitCol) {
    List<String> columns = new ArrayList<>(List.of(experimentCol, segmentCol, armCol));
    for (String m : metrics) {
      columns.add(MetricSpec.parse(m).column());
    }
    columns.addAll(covariates);
    if (unitCol != null) {
      columns.add(unitCol);
    }
    // Input columns match names ignoring case and surrounding blanks (ColumnNames), so two names
    // that differ only so would read one column in two roles.
    Map<String, String> seen = new HashMap<>();
    for (String c : columns) {
      String key = c.strip().toLowerCase(Locale.ROOT);
      String first = seen.putIfAbsent(key, c);
      if (first != null) {
        throw new UsageException(
            "column '"
                + c
                + "' is named twice among the experiment, segment, arm, metric and covariate"
                + " columns"
                + (first.equals(c) ? "" : " (as '" + first + "' and '" + c + "')"));
      }
    }
  }
}
