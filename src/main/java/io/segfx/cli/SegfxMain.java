package io.segfx.cli;

import io.segfx.config.JobSpec;
import io.segfx.config.OptionDef;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.config.UsageException;
import io.segfx.io.SafeText;
import io.segfx.job.SegmentEffectsJob;
import io.segfx.model.DecisionMetrics;
import io.segfx.sim.ExampleDataGenerator;
import io.segfx.spark.SegfxKryoRegistrator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Command-line entry point: {@code segfx <command> [options]}. A problem the user can fix is
 * printed as one message (exit 2); anything else is a failure of the run (exit 1).
 */
public final class SegfxMain {
  static final String EXAMPLE = "example";
  static final String EXAMPLE_SPEC = "jobs/example.yaml";
  static final String EXAMPLE_DATA = "target/segfx-example/units.parquet";
  static final String EXAMPLE_OUTPUT = "target/segfx-example/out";

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

  static final List<OptionDef> EXAMPLE_OPTIONS =
      List.of(
          OptionDef.of("spec", OptionDef.Kind.STRING, EXAMPLE_SPEC, "job spec of the example run"),
          OptionDef.of(
              "data",
              OptionDef.Kind.STRING,
              EXAMPLE_DATA,
              "where the example data are generated (once)"),
          OptionDef.of("master", OptionDef.Kind.STRING, null, "Spark master (default local[*])"));

  private SegfxMain() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code == 2) {
      quiet();
    }
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * After a refusal the one line is all the user should see: tasks still running when the JVM exits
   * make Spark's scheduler log rejected status updates, so the jobs are cancelled and the logs
   * silenced before exit.
   */
  private static void quiet() {
    org.apache.logging.log4j.core.config.Configurator.setAllLevels(
        org.apache.logging.log4j.LogManager.getRootLogger().getName(),
        org.apache.logging.log4j.Level.OFF);
    scala.Option<SparkSession> active = SparkSession.getDefaultSession();
    if (active.isDefined()) {
      active.get().sparkContext().cancelAllJobs();
    }
  }

  /** Runs a command; returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0
        || args[0].equals("help")
        || args[0].equals("--help")
        || args[0].equals("-h")) {
      out.print(usage());
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      if (Arrays.asList(rest).contains("--help")) {
        out.print(commandUsage(command));
        return 0;
      }
      switch (command) {
        case JobSpec.COMMAND -> segmentEffects(rest, out);
        case ExampleDataGenerator.COMMAND -> generate(rest, out);
        case EXAMPLE -> example(rest, out);
        case io.segfx.job.CausalImpactJob.COMMAND -> causalImpact(rest, out);
        case io.segfx.sim.SeriesGenerator.COMMAND -> {
          io.segfx.sim.SeriesGenerator.write(
              OptionValues.resolve(
                  io.segfx.sim.SeriesGenerator.COMMAND,
                  io.segfx.sim.SeriesGenerator.OPTIONS,
                  rest,
                  null));
          out.println("segfx: wrote example series");
        }
        default ->
            throw new UsageException(
                "unknown command '"
                    + command
                    + "'; commands: "
                    + JobSpec.COMMAND
                    + ", "
                    + ExampleDataGenerator.COMMAND
                    + ", "
                    + EXAMPLE
                    + ", "
                    + io.segfx.job.CausalImpactJob.COMMAND
                    + ", "
                    + io.segfx.sim.SeriesGenerator.COMMAND
                    + ", help");
      }
      return 0;
    } catch (UsageException e) {
      err.println("segfx: " + SafeText.clean(e.getMessage()));
      return 2;
    }
  }

  private static void segmentEffects(String[] args, PrintStream out) {
    JobSpec spec =
        JobSpec.from(
            OptionValues.resolve(JobSpec.COMMAND, JobSpec.OPTIONS, args, SpecReader::read));
    SparkSession spark = session(JobSpec.COMMAND, spec.master());
    SegmentEffectsJob.Outcome o = SegmentEffectsJob.run(spark, spec);
    out.println("segfx: wrote " + o.output());
    out.print(decisionTable(o.decisions()));
  }

  private static void generate(String[] args, PrintStream out) {
    OptionValues v =
        OptionValues.resolve(
            ExampleDataGenerator.COMMAND, ExampleDataGenerator.OPTIONS, args, null);
    SparkSession spark = session(ExampleDataGenerator.COMMAND, v.string("master"));
    ExampleDataGenerator.write(spark, v);
    out.println("segfx: wrote example data to " + v.string("output"));
  }

  private static void causalImpact(String[] args, PrintStream out) {
    OptionValues v =
        OptionValues.resolve(
            io.segfx.job.CausalImpactJob.COMMAND,
            io.segfx.job.CausalImpactJob.OPTIONS,
            args,
            SpecReader::read);
    SparkSession spark =
        session(io.segfx.job.CausalImpactJob.COMMAND, v.has("master") ? v.string("master") : null);
    List<org.apache.spark.sql.Row> rows = io.segfx.job.CausalImpactJob.run(spark, v);
    out.println("segfx: wrote " + v.string("output"));
    out.print(io.segfx.job.CausalImpactJob.consoleTable(rows));
  }

  private static void example(String[] args, PrintStream out) {
    OptionValues v = OptionValues.resolve(EXAMPLE, EXAMPLE_OPTIONS, args, null);
    SparkSession spark = session(EXAMPLE, v.string("master"));
    String data = fromHome(v, "data", EXAMPLE_DATA);
    String specPath = fromHome(v, "spec", EXAMPLE_SPEC);
    if (!Files.exists(Path.of(data))) {
      List<String> gen =
          new ArrayList<>(List.of("--output", data, "--experiments", "12", "--segments", "8"));
      ExampleDataGenerator.write(
          spark,
          OptionValues.resolve(
              ExampleDataGenerator.COMMAND,
              ExampleDataGenerator.OPTIONS,
              gen.toArray(new String[0]),
              null));
      out.println("segfx: generated example data in " + data);
    }
    JobSpec spec =
        JobSpec.from(
            OptionValues.resolve(
                JobSpec.COMMAND,
                JobSpec.OPTIONS,
                new String[] {
                  "--spec", specPath, "--input", data, "--output", fromHome(EXAMPLE_OUTPUT)
                },
                SpecReader::read));
    SegmentEffectsJob.Outcome o = SegmentEffectsJob.run(spark, spec);
    out.println("segfx: wrote " + o.output());
    out.print(decisionTable(o.decisions()));
  }

  /**
   * The Spark session: the given master, else the one spark-submit set, else local[*]. In local
   * mode the shuffle uses 2 partitions per core instead of Spark's 200.
   */
  static SparkSession session(String command, String master) {
    if (master != null && !MASTER.matcher(master).matches()) {
      throw new UsageException(
          "--master '"
              + SafeText.clean(master)
              + "' is not a Spark master URL; use local, local[N],"
              + " local[*], spark://HOST:PORT, yarn or k8s://HOST:PORT");
    }
    SparkConf conf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName("segfx " + command);
    if (master != null) {
      b.master(master);
    } else if (!conf.contains("spark.master")) {
      b.master("local[*]");
    }
    // Kryo unless the user chose a serializer: stage 1 shuffles one exact-sums record per cell and
    // partition and returns every segment estimate to the driver, which Java serialization makes
    // a large share of stage 1 (docs/performance.md).
    if (!conf.contains("spark.serializer")) {
      b.config("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    }
    String registrators = conf.get("spark.kryo.registrator", "");
    if (!registrators.contains(SegfxKryoRegistrator.class.getName())) {
      b.config(
          "spark.kryo.registrator",
          (registrators.isEmpty() ? "" : registrators + ",")
              + SegfxKryoRegistrator.class.getName());
    }
    String effective = master != null ? master : conf.get("spark.master", "local[*]");
    if (effective.startsWith("local") && !conf.contains("spark.sql.shuffle.partitions")) {
      b.config(
          "spark.sql.shuffle.partitions",
          String.valueOf(2 * Runtime.getRuntime().availableProcessors()));
    }
    return b.getOrCreate();
  }

  /** The master URLs Spark accepts (SparkContext.createTaskScheduler and the cluster managers). */
  private static final java.util.regex.Pattern MASTER =
      java.util.regex.Pattern.compile(
          "local|local\\[(\\*|[1-9][0-9]*)(,[0-9]+)?]|local-cluster\\[[0-9]+, *[0-9]+, *[0-9]+]"
              + "|spark://[^\\s]+|yarn|k8s://[^\\s]+|mesos://[^\\s]+");

  /** A fixed-width text rendering of the decision table. */
  public static String decisionTable(List<DecisionMetrics> decisions) {
    StringBuilder b = new StringBuilder();
    String head = "%-14s %-10s %-7s %9s %21s %7s %7s %14s %8s  %s%n";
    b.append(
        String.format(
            Locale.ROOT,
            head,
            "experiment_id",
            "metric",
            "variant",
            "effect",
            "95% interval",
            "P(>0)",
            "P(>thr)",
            "E[profit]",
            "P(prof>0)",
            "recommendation"));
    for (DecisionMetrics d : decisions) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-14s %-10s %-7s %9.4f [%9.4f, %9.4f] %7.3f %7.3f %14.2f %8.3f  %s%n",
              SafeText.clean(d.experimentId()),
              SafeText.clean(d.metric()),
              SafeText.clean(d.variant()),
              d.effectMean(),
              d.effectQ025(),
              d.effectQ975(),
              d.probPositive(),
              d.probAboveThreshold(),
              d.expectedProfit(),
              d.probProfitPositive(),
              d.recommendation()));
    }
    return b.toString();
  }

  static String usage() {
    return "usage: segfx <command> [options]\n\n"
        + "commands:\n"
        + "  segment-effects   Bayesian segment-level effects and launch decisions (see"
        + " --help)\n"
        + "  generate          write deterministic example data with known true effects\n"
        + "  example           generate example data, run jobs/example.yaml, print the"
        + " decisions\n"
        + "  causal-impact     Bayesian counterfactual forecasting for many market-level"
        + " interventions (see --help)\n"
        + "  generate-series   write example market series for causal-impact\n"
        + "  help              this text\n";
  }

  static String commandUsage(String command) {
    return switch (command) {
      case JobSpec.COMMAND ->
          OptionValues.usage(
              command,
              "Segment OLS in one pass, empirical-Bayes pooling, posterior draws, decisions.",
              JobSpec.OPTIONS);
      case ExampleDataGenerator.COMMAND ->
          OptionValues.usage(
              command, "Deterministic unit-level example data.", ExampleDataGenerator.OPTIONS);
      case EXAMPLE -> OptionValues.usage(command, "The README's example run.", EXAMPLE_OPTIONS);
      case io.segfx.job.CausalImpactJob.COMMAND ->
          OptionValues.usage(
              command,
              "Causal impact of interventions on many series (seed section 10).",
              io.segfx.job.CausalImpactJob.OPTIONS);
      case io.segfx.sim.SeriesGenerator.COMMAND ->
          OptionValues.usage(
              command, "Example market series.", io.segfx.sim.SeriesGenerator.OPTIONS);
      default -> throw new UsageException("unknown command '" + command + "'");
    };
  }
}
