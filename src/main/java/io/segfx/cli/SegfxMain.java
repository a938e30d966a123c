package io.segfx.cli;

import io.segfx.config.CommandLineFlags;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.config.UsageException;
import io.segfx.io.CatalogTables;
import io.segfx.io.SafeText;
import io.segfx.job.RunContext;
import io.segfx.job.SegmentEffectsJob;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentVerdict;
import io.segfx.spark.SegfxKryoRegistrator;
import io.segfx.spark.SegfxProperties;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import scala.util.Properties;

/**
 * Command-line entry point: {@code segfx <command> [options]}, parsed by picocli from the commands'
 * option tables ({@link Commands}). Exit status: 0 when the run finished; 2 for a problem the user
 * can fix, printed as one {@code segfx:} line without a stack trace; 1 for anything else, a failure
 * of the run, printed with its stack trace.
 */
public final class SegfxMain {
  static final String HELP = "help";

  private SegfxMain() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code == CommandLineFlags.EXIT_USAGE) {
      quiet();
    }
    if (code != CommandLineFlags.EXIT_OK) {
      System.exit(code);
    }
    ClassDataArchive.writeIfAsked();
  }

  /**
   * After a refusal the one line is all the user should see: tasks still running when the JVM exits
   * make Spark's scheduler log rejected status updates, so the jobs are cancelled and the logs
   * silenced before exit.
   */
  private static void quiet() {
    Configurator.setAllLevels(LogManager.getRootLogger().getName(), Level.OFF);
    scala.Option<SparkSession> active = SparkSession.getDefaultSession();
    if (active.isDefined()) {
      active.get().sparkContext().cancelAllJobs();
    }
  }

  /** Runs a command; returns the process exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      return dispatch(args, out);
    } catch (UsageException e) {
      err.println("segfx: " + SafeText.clean(e.getMessage()));
      return CommandLineFlags.EXIT_USAGE;
    } catch (RuntimeException e) {
      err.println("segfx: internal error: " + SafeText.clean(String.valueOf(e)));
      e.printStackTrace(err);
      return CommandLineFlags.EXIT_FAILURE;
    }
  }

  private static int dispatch(String[] args, PrintStream out) {
    if (args.length == 0) {
      out.print(usage());
      return CommandLineFlags.EXIT_USAGE;
    }
    CommandLine root = root();
    Optional<Command> named = Commands.named(args[0]);
    String[] given = args.clone();
    named.ifPresent(
        c -> {
          String[] rest = Arrays.copyOfRange(args, 1, args.length);
          System.arraycopy(
              CommandLineFlags.normalised(c.options(), rest), 0, given, 1, rest.length);
        });
    ParseResult parsed;
    try {
      parsed = root.parseArgs(given);
    } catch (ParameterException e) {
      CommandLine where = e.getCommandLine();
      if (where != root && asksForHelp(args)) {
        out.print(where.getUsageMessage());
        return CommandLineFlags.EXIT_OK;
      }
      throw refusal(e, root);
    }
    if (parsed.isVersionHelpRequested()) {
      out.print(version());
      return CommandLineFlags.EXIT_OK;
    }
    ParseResult sub = parsed.subcommand();
    if (sub == null || parsed.isUsageHelpRequested()) {
      out.print(usage());
      return CommandLineFlags.EXIT_OK;
    }
    if (sub.commandSpec().name().equals(HELP)) {
      return help(sub, out);
    }
    if (sub.isUsageHelpRequested()) {
      out.print(sub.commandSpec().commandLine().getUsageMessage());
      return CommandLineFlags.EXIT_OK;
    }
    Command c = named.orElseThrow();
    OptionValues v =
        OptionValues.resolve(
            c.name(),
            c.options(),
            CommandLineFlags.flags(sub, c.options()),
            c.readsSpec() ? SpecReader::read : null);
    c.action().run(v, out);
    return CommandLineFlags.EXIT_OK;
  }

  /** {@code --help} anywhere after the command shows its help, even among bad options. */
  private static boolean asksForHelp(String[] args) {
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    return rest.contains("--help") || rest.contains("-h");
  }

  /** The command tree: {@code segfx} with -h/--help and -V/--version, then every subcommand. */
  static CommandLine root() {
    CommandSpec spec = CommandSpec.create().name("segfx").mixinStandardHelpOptions(true);
    CommandLineFlags.configure(spec);
    CommandLine root = new CommandLine(spec);
    for (Command c : Commands.all()) {
      root.addSubcommand(c.name(), new CommandLine(c.spec()));
    }
    CommandSpec help = CommandSpec.create().name(HELP);
    help.addPositional(
        PositionalParamSpec.builder()
            .arity("0..1")
            .paramLabel("COMMAND")
            .type(String.class)
            .build());
    root.addSubcommand(HELP, new CommandLine(help));
    return root;
  }

  /** {@code segfx help} is the command list; {@code segfx help COMMAND} is that command's help. */
  private static int help(ParseResult sub, PrintStream out) {
    List<String> topic =
        sub.matchedPositionals().isEmpty() ? List.of() : sub.matchedPositional(0).stringValues();
    if (topic.isEmpty()) {
      out.print(usage());
      return CommandLineFlags.EXIT_OK;
    }
    Command c =
        Commands.named(topic.get(0)).orElseThrow(() -> unknownCommand(topic.get(0), List.of()));
    out.print(new CommandLine(c.spec()).getUsageMessage());
    return CommandLineFlags.EXIT_OK;
  }

  private static UsageException refusal(ParameterException e, CommandLine root) {
    CommandLine where = e.getCommandLine();
    if (where == root) {
      String arg =
          e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
              ? u.getUnmatched().get(0)
              : String.valueOf(e.getValue());
      List<String> hints =
          e instanceof CommandLine.UnmatchedArgumentException u ? u.getSuggestions() : List.of();
      return unknownCommand(arg, hints);
    }
    String name = where.getCommandName();
    if (name.equals(HELP)) {
      return new UsageException(HELP + ": " + e.getMessage());
    }
    return CommandLineFlags.refusal(name, Commands.named(name).orElseThrow().options(), e);
  }

  private static UsageException unknownCommand(String name, List<String> hints) {
    List<String> names = new ArrayList<>();
    for (Command c : Commands.all()) {
      names.add(c.name());
    }
    names.add(HELP);
    return new UsageException(
        "unknown command '"
            + name
            + "'; commands: "
            + String.join(", ", names)
            + (hints.isEmpty() ? "" : "; did you mean " + hints.get(0) + "?"));
  }

  /** The command list of {@code segfx}, {@code segfx help} and {@code segfx --help}. */
  static String usage() {
    StringBuilder b = new StringBuilder("usage: segfx <command> [options]\n\ncommands:\n");
    for (Command c : Commands.all()) {
      b.append(String.format(Locale.ROOT, "  %-17s %s%n", c.name(), c.title()));
    }
    b.append(
            String.format(
                Locale.ROOT, "  %-17s %s%n", HELP, "this text; help COMMAND: its options"))
        .append("\nsegfx <command> --help lists a command's options; segfx --version prints the")
        .append(
            " versions.\nExit status: 0 finished, 2 usage or input error, 1 unexpected failure.\n");
    return b.toString();
  }

  /** segfx's version and the Spark version it is built for. */
  static String version() {
    return "segfx "
        + RunContext.segfxVersion()
        + "\nSpark "
        + org.apache.spark.package$.MODULE$.SPARK_VERSION()
        + ", Scala "
        + Properties.versionNumberString()
        + ", Java "
        + System.getProperty("java.version")
        + "\n";
  }

  /**
   * The Spark session: the given master, else the one spark-submit set, else local[*]. In local
   * mode the shuffle uses 2 partitions per core instead of Spark's 200.
   */
  /** Spark's type inference of partition folder values, which segfx turns off. */
  static final String PARTITION_TYPES = "spark.sql.sources.partitionColumnTypeInference.enabled";

  static SparkSession session(String command, String master) {
    if (master != null && !MASTER.matcher(master).matches()) {
      throw new UsageException(
          "--master '"
              + SafeText.clean(master)
              + "' is not a Spark master URL; use local, local[N],"
              + " local[*], spark://HOST:PORT, yarn or k8s://HOST:PORT");
    }
    SparkConf conf = new SparkConf();
    SegfxProperties.check(conf);
    SparkSession.Builder b = SparkSession.builder().appName("segfx " + command);
    if (master != null) {
      b.master(master);
    } else if (!conf.contains("spark.master")) {
      b.master("local[*]");
    }
    // Kryo unless the user chose a serializer: stage 1 shuffles one exact-sums record per cell and
    // partition and returns every segment estimate to the driver, which Java serialization makes
    // a large share of stage 1 (docs/performance.md). Cluster runs get it here too: scripts/segfx
    // passes no properties file, so a serializer set in the cluster's spark-defaults.conf or with
    // --conf reaches this SparkConf and wins.
    serializerDefaults(conf).forEach(b::config);
    // Partition folders (experiment_id=07/) keep their values as written, as a CSV cell keeps its
    // text: Spark's type inference would read 7, 07 and 0007 as one integer id 7, and a date-like
    // value as a date no id column may be. A value set by the user wins.
    if (!conf.contains(PARTITION_TYPES)) {
      b.config(PARTITION_TYPES, "false");
    }
    String registrators = conf.get("spark.kryo.registrator", "");
    if (!registrators.contains(SegfxKryoRegistrator.class.getName())) {
      b.config(
          "spark.kryo.registrator",
          (registrators.isEmpty() ? "" : registrators + ",")
              + SegfxKryoRegistrator.class.getName());
    }
    // Iceberg's SQL extensions (its procedures and DDL) for the embedded catalog 'local', which
    // CatalogTables registers at run time; added only where no catalog of that name is configured,
    // so a cluster's catalog configuration wins.
    String extensions = conf.get("spark.sql.extensions", "");
    if (!conf.contains("spark.sql.catalog." + CatalogTables.LOCAL_CATALOG)
        && !extensions.contains(ICEBERG_EXTENSIONS)) {
      b.config(
          "spark.sql.extensions",
          (extensions.isEmpty() ? "" : extensions + ",") + ICEBERG_EXTENSIONS);
    }
    String effective = master != null ? master : conf.get("spark.master", "local[*]");
    if (effective.startsWith("local") && !conf.contains("spark.sql.shuffle.partitions")) {
      b.config(
          "spark.sql.shuffle.partitions",
          String.valueOf(2 * Runtime.getRuntime().availableProcessors()));
    }
    return b.getOrCreate();
  }

  /** Kryo's setting for references to an object already written in the same graph. */
  static final String KRYO_REFERENCES = "spark.kryo.referenceTracking";

  /**
   * The serializer settings segfx adds to {@code conf}: Kryo unless the user chose a serializer,
   * and then, unless the user set it, no reference tracking. segfx's shuffled and collected records
   * have no cycles and share their strings through their own serializers ({@code
   * RecordSerializer}), so Kryo's per-object reference map only costs: it is looked up for every
   * object written and cleared for every record (a few percent of stage 1's executor CPU on W50,
   * docs/performance.md). Spark's documentation names exactly this case for turning it off.
   */
  static Map<String, String> serializerDefaults(SparkConf conf) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!conf.contains("spark.serializer")) {
      out.put("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
      if (!conf.contains(KRYO_REFERENCES)) {
        out.put(KRYO_REFERENCES, "false");
      }
    }
    return out;
  }

  private static final String ICEBERG_EXTENSIONS =
      "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";

  /** The master URLs Spark accepts (SparkContext.createTaskScheduler and the cluster managers). */
  private static final Pattern MASTER =
      Pattern.compile(
          "local|local\\[(\\*|[1-9][0-9]*)(,[0-9]+)?]|local-cluster\\[[0-9]+, *[0-9]+, *[0-9]+]"
              + "|spark://[^\\s]+|yarn|k8s://[^\\s]+|mesos://[^\\s]+");

  /**
   * What {@code segment-effects} prints after a run: the verdict table, one row per experiment and
   * variant, and where the per-metric rows are.
   */
  public static String console(SegmentEffectsJob.Outcome o) {
    // A catalog-only run's tables are PREFIX_name (o.output() ends in "_*"), a folder's are
    // DIR/name.
    boolean tables = o.output().endsWith("_*");
    String at = tables ? o.output().substring(0, o.output().length() - 1) : o.output() + "/";
    return verdictTable(o.verdicts())
        + "per-metric rows: "
        + at
        + "experiment_decisions ("
        + o.decisions().size()
        + (o.decisions().size() == 1 ? " row" : " rows")
        + "); reasons and guardrails: "
        + at
        + "experiment_verdicts\n";
  }

  /** A fixed-width text rendering of the verdict table. */
  public static String verdictTable(List<ExperimentVerdict> verdicts) {
    StringBuilder b = new StringBuilder();
    String head = "%-14s %-7s %-17s %-10s %9s %21s %8s %14s %9s %-10s %s%n";
    b.append(
        String.format(
            Locale.ROOT,
            head,
            "experiment_id",
            "variant",
            "verdict",
            "primary",
            "effect",
            "95% interval",
            "relative",
            "E[profit]",
            "P(prof>0)",
            "guardrails",
            "units_to_decide"));
    for (ExperimentVerdict v : verdicts) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-14s %-7s %-17s %-10s %9.4f [%9.4f, %9.4f] %8s %14s %9s %-10s %s%n",
              SafeText.clean(v.experimentId()),
              SafeText.clean(v.variant()),
              v.verdict().code(),
              SafeText.clean(v.primaryMetric()),
              v.effectMean(),
              v.effectQ025(),
              v.effectQ975(),
              orDash(100 * v.relativeEffectMean(), "%.1f%%"),
              orDash(v.expectedProfit(), "%.2f"),
              orDash(v.probProfitPositive(), "%.3f"),
              v.guardrailStatus().code(),
              Double.isFinite(v.unitsToDecide()) ? String.valueOf((long) v.unitsToDecide()) : "-"));
    }
    return b.toString();
  }

  /** {@code x} in {@code format}, or {@code -} for a figure the run cannot give (NaN). */
  private static String orDash(double x, String format) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, format, x);
  }

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
}
