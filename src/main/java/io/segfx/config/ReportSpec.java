package io.segfx.config;

import static io.segfx.config.OptionDef.Kind.STRING;

import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Where and how {@code segment-effects} writes, and where it runs: the output folder and format,
 * what to do when the folder exists, the HTML report's scope and the Spark master.
 *
 * @param output the output folder
 * @param outputFormat parquet or csv
 * @param mode error or overwrite, when the output folder exists
 * @param report which experiments the HTML report charts
 * @param master the Spark master, or null for spark-submit's or local[*]
 */
public record ReportSpec(
    String output, TableFormat outputFormat, WriteMode mode, ReportScope report, String master)
    implements Serializable {

  private static final String OUTPUT = "Output and run";

  /** The options of this concern, in help order. */
  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.required(
                  "output", STRING, "output folder; one sub-folder per table plus manifest.json")
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
                      + " every flagged one), all, or none (index and pages without charts)")
              .inGroup(OUTPUT)
              .withLabel("top:N|all|none"),
          OptionDef.of(
                  "master",
                  STRING,
                  null,
                  "Spark master, e.g. local[2] (default: spark-submit's, else local[*])")
              .inGroup(OUTPUT)
              .withLabel("URL"));

  /** Requires the settings every run has; the option table makes each of them present. */
  public ReportSpec {
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(outputFormat, "outputFormat");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(report, "report");
  }

  /** Builds the output settings from resolved option values. */
  static ReportSpec from(OptionValues v) {
    return new ReportSpec(
        v.string("output"),
        TableFormat.of(v.string("output-format")),
        WriteMode.of(v.string("mode")),
        ReportScope.parse(v.string("report")),
        v.string("master"));
  }
}
