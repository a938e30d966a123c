package io.segfx.cli;

import io.segfx.config.ImpactSpec;
import io.segfx.config.JobSpec;
import io.segfx.config.OptionDef;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.job.CausalImpactJob;
import io.segfx.job.SegmentEffectsJob;
import io.segfx.sim.ExampleDataGenerator;
import io.segfx.sim.SeriesGenerator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The table of {@code segfx} subcommands, in the order the command list shows them. */
final class Commands {
  static final String EXAMPLE = "example";
  static final String EXAMPLE_SPEC = "jobs/example.yaml";
  static final String EXAMPLE_DATA = "target/segfx-example/units.parquet";
  static final String EXAMPLE_OUTPUT = "target/segfx-example/out";

  static final List<OptionDef> EXAMPLE_OPTIONS =
      List.of(
          OptionDef.of("spec", OptionDef.Kind.STRING, EXAMPLE_SPEC, "job spec of the example run"),
          OptionDef.of(
              "data",
              OptionDef.Kind.STRING,
              EXAMPLE_DATA,
              "where the example data are generated (once)"),
          OptionDef.of("master", OptionDef.Kind.STRING, null, "Spark master (default local[*])"));

  private static final List<Command> ALL =
      List.of(
          new Command(
              JobSpec.COMMAND,
              "Bayesian segment-level effects and launch decisions",
              "Segment OLS in one pass, empirical-Bayes pooling, posterior draws, decisions.",
              JobSpec.OPTIONS,
              true,
              Commands::segmentEffects),
          new Command(
              ExampleDataGenerator.COMMAND,
              "write deterministic example data with known true effects",
              "Deterministic unit-level example data.",
              ExampleDataGenerator.OPTIONS,
              false,
              Commands::generate),
          new Command(
              EXAMPLE,
              "generate example data, run jobs/example.yaml, print the decisions",
              "The README's example run.",
              EXAMPLE_OPTIONS,
              false,
              Commands::example),
          new Command(
              CausalImpactJob.COMMAND,
              "Bayesian counterfactual forecasting for many market-level interventions",
              "Causal impact of interventions on many series (seed section 10).",
              ImpactSpec.OPTIONS,
              true,
              Commands::causalImpact),
          new Command(
              SeriesGenerator.COMMAND,
              "write example market series for causal-impact",
              "Example market series.",
              SeriesGenerator.OPTIONS,
              false,
              Commands::series));

  private Commands() {}

  static List<Command> all() {
    return ALL;
  }

  static Optional<Command> named(String name) {
    return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /**
   * The example's own files live in the segfx folder ({@code -Dsegfx.home}, set by scripts/segfx),
   * so {@code segfx example} runs the same from any working directory.
   */
  static String fromHome(String relative) {
    String home = System.getProperty("segfx.home");
    return home == null ? relative : Path.of(home).resolve(relative).toString();
  }

  private static String fromHome(OptionValues v, String option, String fallback) {
    String given = v.string(option);
    return given.equals(fallback) ? fromHome(fallback) : given;
  }

  private static void segmentEffects(OptionValues v, PrintStream out) {
    JobSpec spec = JobSpec.from(v);
    SparkSession spark = SegfxMain.session(JobSpec.COMMAND, spec.master());
    SegmentEffectsJob.Outcome o = SegmentEffectsJob.run(spark, spec);
    out.println("segfx: wrote " + o.output());
    out.print(SegfxMain.console(o));
  }

  private static void generate(OptionValues v, PrintStream out) {
    SparkSession spark = SegfxMain.session(ExampleDataGenerator.COMMAND, v.string("master"));
    ExampleDataGenerator.write(spark, v);
    out.println("segfx: wrote example data to " + v.string("output"));
  }

  private static void causalImpact(OptionValues v, PrintStream out) {
    SparkSession spark =
        SegfxMain.session(CausalImpactJob.COMMAND, v.has("master") ? v.string("master") : null);
    List<Row> rows = CausalImpactJob.run(spark, v);
    out.println("segfx: wrote " + v.string("output"));
    out.print(CausalImpactJob.consoleTable(rows));
  }

  private static void series(OptionValues v, PrintStream out) {
    SeriesGenerator.write(v);
    out.println("segfx: wrote example series");
  }

  private static void example(OptionValues v, PrintStream out) {
    SparkSession spark = SegfxMain.session(EXAMPLE, v.string("master"));
    String data = fromHome(v, "data", EXAMPLE_DATA);
    String specPath = fromHome(v, "spec", EXAMPLE_SPEC);
    if (!Files.exists(Path.of(data))) {
      String[] gen = {"--output", data, "--experiments", "12", "--segments", "8"};
      ExampleDataGenerator.write(
          spark,
          OptionValues.resolve(
              ExampleDataGenerator.COMMAND, ExampleDataGenerator.OPTIONS, gen, null));
      out.println("segfx: generated example data in " + data);
    }
    String[] run = {"--spec", specPath, "--input", data, "--output", fromHome(EXAMPLE_OUTPUT)};
    JobSpec spec =
        JobSpec.from(OptionValues.resolve(JobSpec.COMMAND, JobSpec.OPTIONS, run, SpecReader::read));
    SegmentEffectsJob.Outcome o = SegmentEffectsJob.run(spark, spec);
    out.println("segfx: wrote " + o.output());
    out.print(SegfxMain.console(o));
  }
}
