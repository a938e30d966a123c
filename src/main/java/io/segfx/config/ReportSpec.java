package io.segfx.config;

import static io.segfx.config.OptionDef.Kind.STRING;

import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * Where and how {@code segment-effects} writes, and where it runs: the output folder and format,
 * what to do when the folder exists, the HTML report's scope, the catalog tables and the Spark
 * master. A run writes an output folder, catalog tables, or both.
 *
 * @param output the output folder, or null when the run writes only catalog tables
 * @param outputFormat parquet or csv
 * @param mode error or overwrite, when the output folder exists
 * @param report which experiments the HTML report charts (and so which have a page)
 * @param master the Spark master, or null for spark-submit's or local[*]
 * @param outputTablePrefix the catalog tables' prefix, or null for no catalog output
 * @param runDate the {@code run_date} partition the catalog tables' rows go in
 * @param warehouse the folder of the embedded catalog {@code local}
 * @param memos which decision memos the run writes
 */
public record ReportSpec(
    String output,
    TableFormat outputFormat,
    WriteMode mode,
    ReportScope report,
    String master,
    TableName outputTablePrefix,
    LocalDate runDate,
    String warehouse,
    MemoScope memos)
    implements Serializable {

  /** The default of {@code --warehouse}, relative to the working directory. */
  public static final String WAREHOUSE_DEFAULT = "target/warehouse";

  private static final String OUTPUT = "Output and run";

  /** The options of this concern, in help order. */
  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.of(
                  "output",
                  STRING,
                  null,
                  "output folder; one sub-folder per table plus manifest.json (this,"
                      + " --output-table-prefix, or both)")
              .inGroup(OUTPUT)
              .withLabel("DIR"),
          OptionDef.of(
                  "output-table-prefix",
                  STRING,
                  null,
                  "also (or instead) write every table through Spark's catalog as"
                      + " PREFIX_segment_estimates, ..., PREFIX_runs, partitioned by run_date")
              .inGroup(OUTPUT)
              .withLabel("CATALOG.DB.PREFIX"),
          OptionDef.of(
                  "run-date",
                  STRING,
                  null,
                  "the run_date partition the catalog tables' rows replace (default: today, UTC)")
              .inGroup(OUTPUT)
              .withLabel("YYYY-MM-DD"),
          OptionDef.of(
                  "warehouse",
                  STRING,
                  WAREHOUSE_DEFAULT,
                  "folder of the embedded Iceberg catalog 'local', used when the Spark settings"
                      + " configure no catalog of that name")
              .inGroup(OUTPUT)
              .withLabel("DIR"),
          OptionDef.choice(
                  "output-format",
                  "parquet",
                  List.of("parquet", "csv"),
                  "format of the output tables")
              .inGroup(OUTPUT),
          OptionDef.choice(
                  "mode",
                  "error",
                  List.of("error", "overwrite"),
                  "when the output folder exists: fail, or replace it")
              .inGroup(OUTPUT),
          OptionDef.of(
                  "report",
                  STRING,
                  ReportScope.DEFAULT,
                  "HTML report charts: top:N (the N experiments of highest expected profit plus"
                      + " every flagged one), all, or none; the index lists every experiment, and"
                      + " charted and flagged ones also get a page")
              .inGroup(OUTPUT)
              .withLabel("top:N|all|none"),
          OptionDef.choice(
                  "memos",
                  MemoScope.DEFAULT,
                  List.of("top", "all", "none"),
                  "decision memos: top (a file for each experiment with a report page), all (a"
                      + " file for every experiment), or none; top and all also write"
                      + " memos/all.md, a digest of every experiment in order")
              .inGroup(OUTPUT),
          OptionDef.of(
                  "master",
                  STRING,
                  null,
                  "Spark master, e.g. local[2] (default: spark-submit's, else local[*])")
              .inGroup(OUTPUT)
              .withLabel("URL"));

  /**
   * Requires the settings every run has (the option table makes each of them present) and at least
   * one place to write.
   */
  public ReportSpec {
    Objects.requireNonNull(outputFormat, "outputFormat");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(warehouse, "warehouse");
    Objects.requireNonNull(memos, "memos");
    if (output == null && outputTablePrefix == null) {
      throw new UsageException(
          "give --output DIR, --output-table-prefix CATALOG.DB.PREFIX, or both");
    }
  }

  /** The default memos ({@code --memos top}). */
  public ReportSpec(
      String output,
      TableFormat outputFormat,
      WriteMode mode,
      ReportScope report,
      String master,
      TableName outputTablePrefix,
      LocalDate runDate,
      String warehouse) {
    this(
        output,
        outputFormat,
        mode,
        report,
        master,
        outputTablePrefix,
        runDate,
        warehouse,
        MemoScope.of(MemoScope.DEFAULT));
  }

  /** File output only, as before catalog tables existed: run date today, default warehouse. */
  public ReportSpec(
      String output, TableFormat outputFormat, WriteMode mode, ReportScope report, String master) {
    this(output, outputFormat, mode, report, master, null, today(), WAREHOUSE_DEFAULT);
  }

  /** Builds the output settings from resolved option values. */
  static ReportSpec from(OptionValues v) {
    return new ReportSpec(
        v.string("output"),
        TableFormat.of(v.string("output-format")),
        WriteMode.of(v.string("mode")),
        ReportScope.parse(v.string("report")),
        v.string("master"),
        v.has("output-table-prefix")
            ? TableName.parse(v.string("output-table-prefix"), "--output-table-prefix")
            : null,
        v.has("run-date") ? runDate(v.string("run-date")) : today(),
        v.string("warehouse"),
        MemoScope.of(v.string("memos")));
  }

  /** Today's date in UTC, the default run date of a scheduled run. */
  public static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  /** Parses {@code --run-date}, an ISO date. */
  static LocalDate runDate(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new UsageException(
          "--run-date '" + text + "' is not a date YYYY-MM-DD (e.g. 2026-12-01)");
    }
  }
}
