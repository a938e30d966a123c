package io.segfx.config;

import static io.segfx.config.OptionDef.Kind.DOUBLE;
import static io.segfx.config.OptionDef.Kind.INT;
import static io.segfx.config.OptionDef.Kind.LIST;
import static io.segfx.config.OptionDef.Kind.LONG;
import static io.segfx.config.OptionDef.Kind.STRING;

import io.segfx.stats.DecisionRule;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.pooling.MomentsPooling;
import java.io.Serializable;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings of one {@code segment-effects} run. Filled by {@link OptionValues}: defaults (declared
 * once in {@link #OPTIONS}), then the YAML spec, then flags.
 */
public record JobSpec(
    String input,
    String output,
    String spec,
    String inputFormat,
    String outputFormat,
    String experimentCol,
    String segmentCol,
    String armCol,
    String controlArm,
    List<String> variants,
    List<String> metrics,
    List<String> covariates,
    io.segfx.model.PoolingMethod pooling,
    int minSegments,
    double momentsFloor,
    int draws,
    long seed,
    Map<String, Double> thresholds,
    Double users,
    Map<String, Double> valuePerUnit,
    Double cost,
    double launchProbability,
    String master,
    String mode,
    String unitCol,
    io.segfx.model.InputKind inputKind,
    double[] priorControl,
    double[] priorTreatment,
    List<PriorGridEntry> priorGrid,
    double relativeThreshold,
    String expectedSplit,
    double srmAlpha,
    double[] nigPrior,
    double[] regressionPrior,
    List<String> countCols,
    List<String> estimateCols,
    String design,
    List<BiasScenario> biasPrior,
    ReportScope report,
    io.segfx.stats.pooling.TauPrior tauPrior,
    double[] muPrior,
    String learnedPrior,
    String priorHistory,
    String se,
    String clusterCol,
    char csvDelimiter,
    Map<String, String> settingSources,
    boolean khTruncate,
    String csvEncoding)
    implements Serializable {

  /**
   * A prior on an additive upward bias of the effect from unmeasured confounding (seed notebook
   * section 8): bias ~ Normal(mean, sd); the bias-adjusted effect is effect - bias.
   */
  public record BiasScenario(String name, double mean, double sd) implements Serializable {}

  /** The warning carried by decisions of an observational run without a bias prior (section 7). */
  public static final String CONFOUNDING_WARNING =
      "observational design: the posterior assumes no unmeasured confounding (give --bias-prior)";

  /**
   * One named prior of the sensitivity grid: Beta shapes for control and treatment.
   *
   * @param name the grid name, as written to {@code prior_sensitivity.prior}
   * @param control {alpha, beta} of the control arm
   * @param treatment {alpha, beta} of the treatment arm
   */
  public record PriorGridEntry(String name, double[] control, double[] treatment)
      implements Serializable {}

  public static final String COMMAND = "segment-effects";
  public static final String POOLING_DEFAULT = "full";
  public static final int DRAWS_DEFAULT = 20_000;
  public static final long SEED_DEFAULT = 1;
  public static final int MIN_SEGMENTS_DEFAULT = 3;

  /** Experiment id used when the input has no experiment column. */
  public static final String SINGLE_EXPERIMENT = "all";

  /** Segment name used when the input has no segment column. */
  public static final String SINGLE_SEGMENT = "all";

  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.required(
                  "input", STRING, "unit-level input: a file or folder (file:, hdfs://, s3a://)")
              .inGroup("Input")
              .withLabel("PATH"),
          OptionDef.required(
                  "output", STRING, "output folder; one sub-folder per table plus manifest.json")
              .inGroup("Output and run")
              .withLabel("DIR"),
          OptionDef.of(
                  "spec",
                  STRING,
                  null,
                  "YAML job spec with the same keys as these options; flags override it")
              .inGroup("Input")
              .withLabel("FILE"),
          OptionDef.choice(
                  "input-format",
                  null,
                  List.of("parquet", "csv"),
                  "input format (default: from the path's extension, else parquet)")
              .inGroup("Input"),
          OptionDef.choice(
                  "output-format",
                  "parquet",
                  List.of("parquet", "csv"),
                  "format of the output tables")
              .inGroup("Output and run"),
          OptionDef.of(
                  "experiment-col",
                  STRING,
                  "experiment_id",
                  "experiment id column; absent from the input = one experiment named 'all'")
              .inGroup("Columns and metrics")
              .withLabel("COL"),
          OptionDef.of(
                  "segment-col",
                  STRING,
                  "segment",
                  "segment column; absent from the input = one segment named 'all'")
              .inGroup("Columns and metrics")
              .withLabel("COL"),
          OptionDef.of("arm-col", STRING, "arm", "arm (assignment) column")
              .inGroup("Columns and metrics")
              .withLabel("COL"),
          OptionDef.of(
                  "control-arm",
                  STRING,
                  "0",
                  "the arm value of the control group; every other value is a variant")
              .inGroup("Columns and metrics")
              .withLabel("ARM"),
          OptionDef.of(
                  "variants",
                  LIST,
                  null,
                  "declared variant arm values; rows in any other non-control arm are rejected as"
                      + " unknown_arm")
              .inGroup("Columns and metrics")
              .withLabel("ARM,..."),
          OptionDef.required(
                  "metric",
                  LIST,
                  "outcome column (continuous); repeat or comma-separate for several")
              .withAliases("metrics")
              .inGroup("Columns and metrics")
              .withLabel("COL[:binary],..."),
          OptionDef.of("covariates", LIST, null, "pre-period covariates for regression adjustment")
              .inGroup("Columns and metrics")
              .withLabel("COL,..."),
          OptionDef.choice(
                  "pooling",
                  POOLING_DEFAULT,
                  List.of("reml", "dl", "moments", "full"),
                  "reml, dl, moments: empirical-Bayes estimators of the between-segment variance;"
                      + " full: fully Bayesian grid marginalisation over tau (BDA 5.4)")
              .inGroup("Estimation and pooling"),
          OptionDef.of(
                  "tau-prior",
                  STRING,
                  "uniform",
                  "--pooling full: prior of tau: uniform, half-normal:S or half-cauchy:S")
              .inGroup("Estimation and pooling")
              .withLabel("uniform|half-normal:S|half-cauchy:S"),
          OptionDef.of(
                  "mu-prior", STRING, "flat", "--pooling full: prior of mu: flat or normal:MEAN,SD")
              .inGroup("Estimation and pooling")
              .withLabel("flat|normal:MEAN,SD"),
          OptionDef.choice(
                  "se",
                  "classical",
                  List.of("classical", "hc1", "cluster"),
                  "standard errors of segment OLS estimates: classical, heteroskedasticity-robust"
                      + " HC1, or cluster-robust CR1 (needs --cluster-col; one more scan of the"
                      + " input)")
              .inGroup("Estimation and pooling"),
          OptionDef.of(
                  "cluster-col",
                  STRING,
                  null,
                  "cluster id column for cluster-robust standard errors (implies --se cluster)")
              .inGroup("Estimation and pooling")
              .withLabel("COL"),
          OptionDef.choice(
                  "learned-prior",
                  "none",
                  List.of("none", "normal", "mixture"),
                  "learn a prior of experiment effects across experiments (empirical Bayes) and"
                      + " restate each effect under it (table learned_prior_effects)")
              .inGroup("Estimation and pooling"),
          OptionDef.of(
                  "prior-history",
                  STRING,
                  null,
                  "--learned-prior: learn from this table (columns metric, effect_mean, effect_sd;"
                      + " e.g. an earlier run's experiment_decisions) instead of this run")
              .inGroup("Estimation and pooling")
              .withLabel("PATH"),
          OptionDef.of(
                  "min-segments",
                  INT,
                  String.valueOf(MIN_SEGMENTS_DEFAULT),
                  "fewest usable segments that are pooled; fewer keep their own posteriors")
              .inGroup("Estimation and pooling"),
          OptionDef.of(
                  "moments-floor",
                  DOUBLE,
                  String.valueOf(MomentsPooling.FLOOR_DEFAULT),
                  "floor on tau^2 of --pooling moments (the notebook's 0.05)")
              .inGroup("Estimation and pooling"),
          OptionDef.of(
                  "draws",
                  INT,
                  String.valueOf(DRAWS_DEFAULT),
                  "posterior draws per experiment, metric and variant")
              .inGroup("Estimation and pooling"),
          OptionDef.of(
                  "seed",
                  LONG,
                  String.valueOf(SEED_DEFAULT),
                  "run seed; with the same input and settings outputs are bit-identical")
              .inGroup("Estimation and pooling"),
          OptionDef.of(
                  "threshold",
                  STRING,
                  "0",
                  "practical threshold for P(effect > threshold), in the metric's units; one"
                      + " number, or metric=value,... per metric")
              .inGroup("Decisions")
              .withLabel("X|METRIC=X,..."),
          OptionDef.of("users", DOUBLE, null, "decision analysis: users exposed after launch")
              .inGroup("Decisions")
              .withLabel("N"),
          OptionDef.of(
                  "value-per-unit",
                  STRING,
                  null,
                  "decision analysis: value of one unit of the metric per user; one number, or"
                      + " metric=value,... per metric")
              .inGroup("Decisions")
              .withLabel("V|METRIC=V,..."),
          OptionDef.of("cost", DOUBLE, null, "decision analysis: cost of launching")
              .inGroup("Decisions"),
          OptionDef.of(
                  "launch-probability",
                  DOUBLE,
                  String.valueOf(DecisionRule.LAUNCH_PROBABILITY_DEFAULT),
                  "launch when P(profit > 0) >= this; do not launch when <= 1 - this")
              .inGroup("Decisions"),
          OptionDef.of(
                  "master",
                  STRING,
                  null,
                  "Spark master, e.g. local[2] (default: spark-submit's, else local[*])")
              .inGroup("Output and run")
              .withLabel("URL"),
          OptionDef.choice(
                  "mode",
                  "error",
                  List.of("error", "overwrite"),
                  "when the output folder exists: fail, or replace it")
              .inGroup("Output and run"),
          OptionDef.of(
                  "unit-col",
                  STRING,
                  null,
                  "unit id column; when given, every row of a duplicated or null id is quarantined"
                      + " (one extra aggregation over the ids)")
              .inGroup("Input")
              .withLabel("COL"),
          OptionDef.choice(
                  "input-kind",
                  "units",
                  List.of("units", "counts", "estimates"),
                  "unit rows; per-arm aggregates (n, conversions | n, sum, sum_sq); or segment"
                      + " estimates (estimate, std_error)")
              .inGroup("Input"),
          OptionDef.of("prior-alpha", DOUBLE, "1", "binary metrics: Beta prior alpha of both arms")
              .inGroup("Priors of binary and continuous metrics"),
          OptionDef.of("prior-beta", DOUBLE, "1", "binary metrics: Beta prior beta of both arms")
              .inGroup("Priors of binary and continuous metrics"),
          OptionDef.of(
                  "prior-control",
                  LIST,
                  null,
                  "binary metrics: 'alpha,beta' of the control arm (overrides"
                      + " --prior-alpha/--prior-beta)")
              .inGroup("Priors of binary and continuous metrics")
              .withLabel("A,B"),
          OptionDef.of(
                  "prior-treatment",
                  LIST,
                  null,
                  "binary metrics: 'alpha,beta' of the variant arms (overrides"
                      + " --prior-alpha/--prior-beta)")
              .inGroup("Priors of binary and continuous metrics")
              .withLabel("A,B"),
          OptionDef.of(
                  "prior-grid",
                  STRING,
                  null,
                  "binary metrics: sensitivity grid 'name=a,b;name2=a,b|a,b' (control|treatment"
                      + " shapes)")
              .inGroup("Priors of binary and continuous metrics")
              .withLabel("NAME=A,B[|A,B];..."),
          OptionDef.of("relative-threshold", DOUBLE, "0", "threshold r for P(relative effect > r)")
              .inGroup("Decisions"),
          OptionDef.of(
                  "expected-split",
                  STRING,
                  null,
                  "designed split of control and variants, e.g. 50/50 or 0=50,1=25,2=25 (default:"
                      + " equal)")
              .inGroup("Decisions")
              .withLabel("SPLIT"),
          OptionDef.of(
                  "srm-alpha",
                  DOUBLE,
                  "0.001",
                  "flag sample-ratio mismatch when the chi-square p-value is below this")
              .inGroup("Decisions"),
          OptionDef.of(
                  "nig-prior",
                  LIST,
                  "0,1e-4,1e-3,1e-3",
                  "continuous metrics without covariates: NIG prior mu0,kappa0,alpha0,beta0 of each"
                      + " arm's mean")
              .inGroup("Priors of binary and continuous metrics")
              .withLabel("MU0,KAPPA0,ALPHA0,BETA0"),
          OptionDef.of(
                  "count-columns",
                  LIST,
                  "n,conversions,sum,sum_sq",
                  "--input-kind counts: the columns n, conversions (binary) and sum, sum_sq"
                      + " (continuous)")
              .inGroup("Input")
              .withLabel("N,CONV,SUM,SUM_SQ"),
          OptionDef.of(
                  "estimate-columns",
                  LIST,
                  "variant,estimate,std_error,n",
                  "--input-kind estimates: the columns variant (optional), estimate, std_error and"
                      + " n (optional unit count, the weight in the experiment-level effect)")
              .inGroup("Input")
              .withLabel("VARIANT,EST,SE,N"),
          OptionDef.choice(
                  "design",
                  "randomized",
                  List.of("randomized", "observational"),
                  "how treatment was assigned; observational runs without --bias-prior carry a"
                      + " confounding warning")
              .inGroup("Decisions"),
          OptionDef.of(
                  "bias-prior",
                  STRING,
                  null,
                  "bias scenarios 'name=mean,sd;...': Normal priors on an upward bias of the effect"
                      + " (table bias_sensitivity)")
              .inGroup("Decisions")
              .withLabel("NAME=MEAN,SD;..."),
          OptionDef.of(
                  "report",
                  STRING,
                  ReportScope.DEFAULT,
                  "HTML report charts: top:N (the N experiments of highest expected profit plus"
                      + " every flagged one), all, or none (index and pages without charts)")
              .inGroup("Output and run")
              .withLabel("top:N|all|none"),
          OptionDef.of(
                  "csv-delimiter",
                  STRING,
                  ",",
                  "CSV input: the field separator, one character (e.g. ';' for European Excel"
                      + " exports, '\\t' for tab)")
              .inGroup("Input")
              .withLabel("C"),
          OptionDef.of(
                  "csv-encoding",
                  STRING,
                  "UTF-8",
                  "CSV input: the character set, e.g. ISO-8859-1 (Latin-1) or windows-1252 for old"
                      + " Excel exports, UTF-16 for Excel's 'Unicode text'")
              .inGroup("Input")
              .withLabel("CHARSET"),
          OptionDef.of(
                  "regression-prior",
                  LIST,
                  "1e6,1e-3,1e-3",
                  "continuous metrics with covariates: conjugate regression prior v0,a0,b0 (beta ~"
                      + " N(0, sigma^2 v0 I), sigma^2 ~ IG(a0, b0))")
              .inGroup("Priors of binary and continuous metrics")
              .withLabel("V0,A0,B0"),
          OptionDef.of(
                  "kh-truncate",
                  OptionDef.Kind.FLAG,
                  null,
                  "--pooling reml/dl: truncate the Knapp-Hartung SE of mu at the classical one"
                      + " (metafor's test=\"adhoc\"), so its interval is never narrower than mu +-"
                      + " 1.96 SE")
              .inGroup("Estimation and pooling"));

  /** Builds and validates a spec from resolved option values. */
  public static JobSpec from(OptionValues v) {
    JobSpec s =
        new JobSpec(
            v.string("input"),
            v.string("output"),
            v.string("spec"),
            v.has("input-format") ? v.string("input-format") : formatFromPath(v.string("input")),
            v.string("output-format"),
            v.string("experiment-col"),
            v.string("segment-col"),
            v.string("arm-col"),
            OptionParsers.arm(v.string("control-arm"), "--control-arm"),
            OptionParsers.arms(v.list("variants")),
            v.list("metric"),
            v.list("covariates"),
            io.segfx.model.PoolingMethod.of(v.string("pooling")),
            v.integer("min-segments"),
            v.number("moments-floor"),
            v.integer("draws"),
            v.longValue("seed"),
            OptionParsers.values(v.string("threshold"), "--threshold"),
            v.has("users") ? v.number("users") : null,
            v.has("value-per-unit")
                ? OptionParsers.values(v.string("value-per-unit"), "--value-per-unit")
                : null,
            v.has("cost") ? v.number("cost") : null,
            v.number("launch-probability"),
            v.string("master"),
            v.string("mode"),
            v.string("unit-col"),
            io.segfx.model.InputKind.of(v.string("input-kind")),
            OptionParsers.shapes(v, "prior-control"),
            OptionParsers.shapes(v, "prior-treatment"),
            OptionParsers.parseGrid(v.string("prior-grid")),
            v.number("relative-threshold"),
            v.string("expected-split"),
            v.number("srm-alpha"),
            OptionParsers.numbers(v.list("nig-prior"), 4, "--nig-prior"),
            OptionParsers.numbers(v.list("regression-prior"), 3, "--regression-prior"),
            OptionParsers.exactly(v.list("count-columns"), 4, "--count-columns"),
            OptionParsers.exactly(v.list("estimate-columns"), 4, "--estimate-columns"),
            v.string("design"),
            OptionParsers.parseBias(v.string("bias-prior")),
            ReportScope.parse(v.string("report")),
            OptionParsers.parseTauPrior(v.string("tau-prior")),
            OptionParsers.parseMuPrior(v.string("mu-prior")),
            v.string("learned-prior"),
            v.string("prior-history"),
            v.has("cluster-col") && "classical".equals(v.string("se")) ? "cluster" : v.string("se"),
            v.string("cluster-col"),
            OptionParsers.delimiter(v.string("csv-delimiter")),
            new java.util.TreeMap<>(v.sources()),
            v.flag("kh-truncate"),
            OptionParsers.encoding(v.string("csv-encoding")));
    s.validate();
    return s;
  }

  /** The key of a value that applies to every metric. */
  public static final String ALL_METRICS = OptionParsers.ALL_METRICS;

  /** The warning of this run's decisions, or null. */
  public String confoundingWarning() {
    return "observational".equals(design) && biasPrior.isEmpty() ? CONFOUNDING_WARNING : null;
  }

  /** The metrics with their kinds. */
  public List<io.segfx.model.MetricSpec> metricSpecs() {
    List<io.segfx.model.MetricSpec> out = new java.util.ArrayList<>();
    for (String m : metrics) {
      out.add(io.segfx.model.MetricSpec.parse(m));
    }
    return out;
  }

  /** True when any metric is binary. */
  public boolean anyBinary() {
    for (io.segfx.model.MetricSpec m : metricSpecs()) {
      if (m.binary()) {
        return true;
      }
    }
    return false;
  }

  /** csv when the path ends in .csv (or .csv.gz), parquet otherwise. */
  public static String formatFromPath(String path) {
    String p = path.toLowerCase(java.util.Locale.ROOT);
    return p.endsWith(".csv") || p.endsWith(".csv.gz") ? "csv" : "parquet";
  }

  /** Bytes one posterior draw takes per group and array (a double). */
  static final long DRAW_BYTES = Double.BYTES;

  private void validate() {
    if (draws < 100) {
      throw new UsageException("--draws must be >= 100, got " + draws);
    }
    // A group holds at least four arrays of draws (effect, profit, relative, one segment); a
    // larger request than half the heap can only end in an out-of-memory error mid-run.
    long least = 4L * DRAW_BYTES * draws;
    long heap = Runtime.getRuntime().maxMemory();
    if (least > heap / 2) {
      throw new UsageException(
          String.format(
              java.util.Locale.ROOT,
              "--draws %d needs at least %.1f GiB per experiment group, more than half this JVM's"
                  + " %.1f GiB heap; lower --draws (the default is %d) or raise the memory",
              draws,
              least / 1073741824.0,
              heap / 1073741824.0,
              DRAWS_DEFAULT));
    }
    if (users != null && !(users >= 0)) {
      throw new UsageException("--users must be >= 0, got " + users);
    }
    if (cost != null && !Double.isFinite(cost)) {
      throw new UsageException("--cost must be a finite number, got " + cost);
    }
    if (!(relativeThreshold > -1) || !Double.isFinite(relativeThreshold)) {
      throw new UsageException(
          "--relative-threshold must be a finite number > -1, got " + relativeThreshold);
    }
    if (!priorGrid.isEmpty() && !anyBinary()) {
      throw new UsageException(
          "--prior-grid reruns binary metrics under other Beta priors, and no --metric is binary;"
              + " mark a 0/1 metric NAME:binary or drop --prior-grid");
    }
    if (minSegments < 2) {
      throw new UsageException("--min-segments must be >= 2, got " + minSegments);
    }
    if (pooling == io.segfx.model.PoolingMethod.FULL && tauPrior.improper() && minSegments < 3) {
      throw new UsageException(
          "--pooling full with --tau-prior uniform needs --min-segments >= 3 (the posterior of tau"
              + " is improper with 2 segments); got "
              + minSegments);
    }
    if ("cluster".equals(se) && clusterCol == null) {
      throw new UsageException("--se cluster needs --cluster-col");
    }
    if (clusterCol != null && !"cluster".equals(se)) {
      throw new UsageException(
          "--cluster-col gives cluster-robust standard errors; it cannot be combined with --se "
              + se);
    }
    if (!"classical".equals(se) && inputKind != io.segfx.model.InputKind.UNITS) {
      throw new UsageException(
          "--se "
              + se
              + " needs unit rows (--input-kind units); aggregated inputs carry no residuals");
    }
    if (priorHistory != null && "none".equals(learnedPrior)) {
      throw new UsageException("--prior-history needs --learned-prior normal or mixture");
    }
    if (!(momentsFloor >= 0)) {
      throw new UsageException("--moments-floor must be >= 0, got " + momentsFloor);
    }
    if (!(launchProbability > 0.5 && launchProbability < 1)) {
      throw new UsageException(
          "--launch-probability must be in (0.5, 1), got " + launchProbability);
    }
    int econ = (users == null ? 0 : 1) + (valuePerUnit == null ? 0 : 1) + (cost == null ? 0 : 1);
    if (econ != 0 && econ != 3) {
      throw new UsageException(
          "decision analysis needs all of --users, --value-per-unit and --cost (or none of them)");
    }
    for (String m : metrics) {
      try {
        io.segfx.model.MetricSpec.parse(m);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    refuseUnknownMetrics(thresholds, "--threshold");
    if (valuePerUnit != null) {
      refuseUnknownMetrics(valuePerUnit, "--value-per-unit");
    }
    for (double[] prior : List.of(priorControl, priorTreatment)) {
      if (!(prior[0] > 0 && prior[1] > 0)) {
        throw new UsageException(
            "Beta prior shapes must be > 0, got " + prior[0] + ", " + prior[1]);
      }
    }
    for (PriorGridEntry g : priorGrid) {
      if (!(g.control()[0] > 0
          && g.control()[1] > 0
          && g.treatment()[0] > 0
          && g.treatment()[1] > 0)) {
        throw new UsageException("--prior-grid '" + g.name() + "': Beta shapes must be > 0");
      }
    }
    if (!(srmAlpha > 0 && srmAlpha < 1)) {
      throw new UsageException("--srm-alpha must be in (0, 1), got " + srmAlpha);
    }
    if (!(nigPrior[1] > 0 && nigPrior[2] > 0 && nigPrior[3] > 0)) {
      throw new UsageException("--nig-prior kappa0, alpha0 and beta0 must be > 0");
    }
    if (!(regressionPrior[0] > 0 && regressionPrior[1] > 0 && regressionPrior[2] > 0)) {
      throw new UsageException("--regression-prior v0, a0 and b0 must be > 0");
    }
    if (inputKind != io.segfx.model.InputKind.UNITS) {
      if (metrics.size() != 1) {
        throw new UsageException(
            "--input-kind "
                + inputKind
                + " takes exactly one --metric (the name the output tables use), got "
                + metrics);
      }
      if (!covariates.isEmpty()) {
        throw new UsageException(
            "--input-kind " + inputKind + " has no unit rows, so no --covariates");
      }
      if (unitCol != null) {
        throw new UsageException(
            "--input-kind " + inputKind + " has no unit rows, so no --unit-col");
      }
      return;
    }
    if (valuePerUnit != null) {
      for (io.segfx.model.MetricSpec m : metricSpecs()) {
        if (!valuePerUnit.containsKey(m.column()) && !valuePerUnit.containsKey(ALL_METRICS)) {
          throw new UsageException(
              "--value-per-unit gives no value for metric '" + m.column() + "'");
        }
      }
    }
    Set<String> seen = new HashSet<>();
    for (String c : columns()) {
      if (!seen.add(c)) {
        throw new UsageException(
            "column '"
                + c
                + "' is named twice among the experiment, segment, arm, metric and covariate"
                + " columns");
      }
    }
    if (variants.contains(controlArm)) {
      throw new UsageException("--variants must not contain the control arm '" + controlArm + "'");
    }
  }

  /** Refuses a per-metric value whose key names no {@code --metric}: a typo would be ignored. */
  private void refuseUnknownMetrics(Map<String, Double> values, String option) {
    List<String> names = new java.util.ArrayList<>();
    for (io.segfx.model.MetricSpec m : metricSpecs()) {
      names.add(m.column());
    }
    for (String key : values.keySet()) {
      if (!key.equals(ALL_METRICS) && !names.contains(key)) {
        throw new UsageException(
            option
                + " names metric '"
                + key
                + "', which is not a --metric (metrics: "
                + String.join(", ", names)
                + ")");
      }
    }
  }

  private List<String> columns() {
    java.util.ArrayList<String> c =
        new java.util.ArrayList<>(List.of(experimentCol, segmentCol, armCol));
    for (String m : metrics) {
      c.add(io.segfx.model.MetricSpec.parse(m).column());
    }
    c.addAll(covariates);
    if (unitCol != null) {
      c.add(unitCol);
    }
    return c;
  }

  /** The launch economics of {@code metric}, or effect-only economics when none were given. */
  public ExperimentDraws.Economics economics(String metric) {
    if (users == null) {
      return ExperimentDraws.Economics.EFFECT_ONLY;
    }
    Double value = valuePerUnit.getOrDefault(metric, valuePerUnit.get(ALL_METRICS));
    return new ExperimentDraws.Economics(users, value, cost);
  }

  /** The practical threshold of {@code metric} (0 unless given). */
  public double threshold(String metric) {
    return thresholds.getOrDefault(metric, thresholds.getOrDefault(ALL_METRICS, 0.0));
  }

  /** The thresholds of every metric: effect and relative. */
  public Map<String, ExperimentDraws.Thresholds> thresholdsByMetric() {
    Map<String, ExperimentDraws.Thresholds> m = new LinkedHashMap<>();
    for (io.segfx.model.MetricSpec metric : metricSpecs()) {
      m.put(
          metric.column(),
          new ExperimentDraws.Thresholds(threshold(metric.column()), relativeThreshold));
    }
    return m;
  }

  /** The launch economics of every metric. */
  public Map<String, ExperimentDraws.Economics> economicsByMetric() {
    Map<String, ExperimentDraws.Economics> m = new LinkedHashMap<>();
    for (io.segfx.model.MetricSpec metric : metricSpecs()) {
      m.put(metric.column(), economics(metric.column()));
    }
    return m;
  }

  /** The settings as a map for the run manifest. */
  public Map<String, Object> toManifest() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", input);
    m.put("output", output);
    m.put("spec", spec);
    m.put("input_format", inputFormat);
    m.put("output_format", outputFormat);
    m.put("experiment_col", experimentCol);
    m.put("segment_col", segmentCol);
    m.put("arm_col", armCol);
    m.put("control_arm", controlArm);
    m.put("variants", variants);
    m.put("metrics", metrics);
    m.put("covariates", covariates);
    m.put("pooling", pooling.code());
    m.put("min_segments", minSegments);
    m.put("moments_floor", momentsFloor);
    m.put("draws", draws);
    m.put("seed", seed);
    m.put("threshold", thresholds);
    m.put("users", users);
    m.put("value_per_unit", valuePerUnit);
    m.put("cost", cost);
    m.put("launch_probability", launchProbability);
    m.put("master", master);
    m.put("mode", mode);
    m.put("unit_col", unitCol);
    m.put("input_kind", inputKind.code());
    m.put("prior_control", priorControl);
    m.put("prior_treatment", priorTreatment);
    // Insertion-ordered maps throughout (Map.of's order changes from one JVM to the next), so
    // the manifests of two runs with the same settings differ only in run id, paths and timings.
    List<Map<String, Object>> grid = new java.util.ArrayList<>();
    for (PriorGridEntry g : priorGrid) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", g.name());
      entry.put("control", g.control());
      entry.put("treatment", g.treatment());
      grid.add(entry);
    }
    m.put("prior_grid", grid);
    m.put("relative_threshold", relativeThreshold);
    m.put("expected_split", expectedSplit);
    m.put("srm_alpha", srmAlpha);
    m.put("nig_prior", nigPrior);
    m.put("regression_prior", regressionPrior);
    m.put("count_columns", countCols);
    m.put("design", design);
    List<Map<String, Object>> bias = new java.util.ArrayList<>();
    for (BiasScenario b : biasPrior) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", b.name());
      entry.put("mean", b.mean());
      entry.put("sd", b.sd());
      bias.add(entry);
    }
    m.put("bias_prior", bias);
    m.put("report", report.toString());
    m.put("tau_prior", tauPrior.toString());
    m.put("learned_prior", learnedPrior);
    m.put("se", se);
    m.put("cluster_col", clusterCol);
    m.put("prior_history", priorHistory);
    m.put("mu_prior", muPrior == null ? "flat" : "normal:" + muPrior[0] + "," + muPrior[1]);
    m.put("setting_sources", settingSources);
    m.put("estimate_columns", estimateCols);
    m.put("csv_delimiter", String.valueOf(csvDelimiter));
    m.put("kh_truncate", khTruncate);
    m.put("csv_encoding", csvEncoding);
    return m;
  }
}
