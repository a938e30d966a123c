package io.segfx.config;

import static io.segfx.config.OptionDef.Kind.DOUBLE;
import static io.segfx.config.OptionDef.Kind.INT;
import static io.segfx.config.OptionDef.Kind.LIST;
import static io.segfx.config.OptionDef.Kind.LONG;
import static io.segfx.config.OptionDef.Kind.STRING;

import io.segfx.config.JobSpec.PriorGridEntry;
import io.segfx.model.LearnedPriorKind;
import io.segfx.model.PoolingMethod;
import io.segfx.model.StandardErrors;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * How {@code segment-effects} estimates: segment standard errors, the pooling of segments, the
 * posterior draws, and the priors of binary and continuous metrics. Validates what these settings
 * alone decide.
 *
 * @param pooling the pooling method
 * @param minSegments fewest usable segments that are pooled
 * @param momentsFloor floor on tau^2 of the moments estimator
 * @param tauPrior the prior of tau of full Bayes
 * @param muPrior {mean, sd} of a normal prior of mu, or null for flat
 * @param se classical, hc1 or cluster
 * @param clusterCol the cluster id column, or null
 * @param khTruncate truncate the Knapp-Hartung SE of mu at the classical one
 * @param learnedPrior none, normal or mixture
 * @param priorHistory the table a learned prior is learned from, or null for this run
 * @param draws posterior draws per experiment, metric and variant
 * @param seed the run seed
 * @param priorControl {alpha, beta} of the control arm
 * @param priorTreatment {alpha, beta} of the variant arms
 * @param priorGrid the prior-sensitivity grid
 * @param nigPrior {mu0, kappa0, alpha0, beta0} of each arm's mean
 * @param regressionPrior {v0, a0, b0} of the conjugate regression
 */
public record PoolingSpec(
    PoolingMethod pooling,
    int minSegments,
    double momentsFloor,
    TauPriorSetting tauPrior,
    double[] muPrior,
    StandardErrors se,
    String clusterCol,
    boolean khTruncate,
    LearnedPriorKind learnedPrior,
    String priorHistory,
    int draws,
    long seed,
    double[] priorControl,
    double[] priorTreatment,
    List<PriorGridEntry> priorGrid,
    double[] nigPrior,
    double[] regressionPrior)
    implements Serializable {

  public static final String POOLING_DEFAULT = "full";
  public static final int DRAWS_DEFAULT = 20_000;
  public static final long SEED_DEFAULT = 1;
  public static final int MIN_SEGMENTS_DEFAULT = 3;

  /** The notebook's floor on tau^2 of the moments estimator. */
  public static final double MOMENTS_FLOOR_DEFAULT = 0.05;

  /** Bytes one posterior draw takes per group and array (a double). */
  static final long DRAW_BYTES = Double.BYTES;

  private static final String POOLING = "Estimation and pooling";
  private static final String PRIORS = "Priors of binary and continuous metrics";

  /** The options of this concern, in help order. */
  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.choice(
                  "se",
                  "classical",
                  List.of("classical", "hc1", "cluster"),
                  "standard errors of segment OLS estimates: classical, heteroskedasticity-robust"
                      + " HC1, or cluster-robust CR1 (needs --cluster-col; one more scan of the"
                      + " input)")
              .inGroup(POOLING),
          OptionDef.of(
                  "cluster-col",
                  STRING,
                  null,
                  "cluster id column for cluster-robust standard errors (implies --se cluster)")
              .inGroup(POOLING)
              .withLabel("COL"),
          OptionDef.choice(
                  "pooling",
                  POOLING_DEFAULT,
                  List.of("reml", "dl", "moments", "full"),
                  "reml, dl, moments: empirical-Bayes estimators of the between-segment variance;"
                      + " full: fully Bayesian grid marginalisation over tau (BDA 5.4)")
              .inGroup(POOLING),
          OptionDef.of(
                  "tau-prior",
                  STRING,
                  "uniform",
                  "--pooling full: prior of tau: uniform, half-normal:S or half-cauchy:S")
              .inGroup(POOLING)
              .withLabel("uniform|half-normal:S|half-cauchy:S"),
          OptionDef.of(
                  "mu-prior", STRING, "flat", "--pooling full: prior of mu: flat or normal:MEAN,SD")
              .inGroup(POOLING)
              .withLabel("flat|normal:MEAN,SD"),
          OptionDef.of(
                  "min-segments",
                  INT,
                  String.valueOf(MIN_SEGMENTS_DEFAULT),
                  "fewest usable segments that are pooled; fewer keep their own posteriors")
              .inGroup(POOLING),
          OptionDef.of(
                  "moments-floor",
                  DOUBLE,
                  String.valueOf(MOMENTS_FLOOR_DEFAULT),
                  "floor on tau^2 of --pooling moments (the notebook's 0.05)")
              .inGroup(POOLING),
          OptionDef.flag(
                  "kh-truncate",
                  "--pooling reml/dl: truncate the Knapp-Hartung SE of mu at the classical one"
                      + " (metafor's test=\"adhoc\"), so its interval is never narrower than mu +-"
                      + " 1.96 SE")
              .inGroup(POOLING),
          OptionDef.choice(
                  "learned-prior",
                  "none",
                  List.of("none", "normal", "mixture"),
                  "learn a prior of experiment effects across experiments (empirical Bayes) and"
                      + " restate each effect under it (table learned_prior_effects)")
              .inGroup(POOLING),
          OptionDef.of(
                  "prior-history",
                  STRING,
                  null,
                  "--learned-prior: learn from this table (columns metric, effect_mean, effect_sd;"
                      + " e.g. an earlier run's experiment_decisions; Parquet, or CSV: a .csv"
                      + " file or a folder of CSV files) instead of this run")
              .inGroup(POOLING)
              .withLabel("PATH"),
          OptionDef.of(
                  "draws",
                  INT,
                  String.valueOf(DRAWS_DEFAULT),
                  "posterior draws per experiment, metric and variant")
              .inGroup(POOLING),
          OptionDef.of(
                  "seed",
                  LONG,
                  String.valueOf(SEED_DEFAULT),
                  "run seed; with the same input and settings outputs are bit-identical")
              .inGroup(POOLING),
          OptionDef.of("prior-alpha", DOUBLE, "1", "binary metrics: Beta prior alpha of both arms")
              .inGroup(PRIORS),
          OptionDef.of("prior-beta", DOUBLE, "1", "binary metrics: Beta prior beta of both arms")
              .inGroup(PRIORS),
          OptionDef.of(
                  "prior-control",
                  LIST,
                  null,
                  "binary metrics: 'alpha,beta' of the control arm (overrides"
                      + " --prior-alpha/--prior-beta)")
              .inGroup(PRIORS)
              .withLabel("A,B"),
          OptionDef.of(
                  "prior-treatment",
                  LIST,
                  null,
                  "binary metrics: 'alpha,beta' of the variant arms (overrides"
                      + " --prior-alpha/--prior-beta)")
              .inGroup(PRIORS)
              .withLabel("A,B"),
          OptionDef.of(
                  "prior-grid",
                  STRING,
                  null,
                  "binary metrics: sensitivity grid 'name=a,b;name2=a,b|a,b' (control|treatment"
                      + " shapes)")
              .inGroup(PRIORS)
              .withLabel("NAME=A,B[|A,B];...")
              .withMapEntries(";"),
          OptionDef.of(
                  "nig-prior",
                  LIST,
                  "0,1e-4,1e-3,1e-3",
                  "continuous metrics without covariates: NIG prior mu0,kappa0,alpha0,beta0 of"
                      + " each arm's mean")
              .inGroup(PRIORS)
              .withLabel("MU0,KAPPA0,ALPHA0,BETA0"),
          OptionDef.of(
                  "regression-prior",
                  LIST,
                  "1e6,1e-3,1e-3",
                  "continuous metrics with covariates: conjugate regression prior v0,a0,b0 (beta ~"
                      + " N(0, sigma^2 v0 I), sigma^2 ~ IG(a0, b0))")
              .inGroup(PRIORS)
              .withLabel("V0,A0,B0"));

  /** Validates what the estimation settings alone decide. */
  public PoolingSpec {
    priorGrid = List.copyOf(priorGrid);
    refuseDraws(draws);
    if (minSegments < 2) {
      throw new UsageException("--min-segments must be >= 2, got " + minSegments);
    }
    if (pooling == PoolingMethod.FULL && tauPrior.improper() && minSegments < 3) {
      throw new UsageException(
          "--pooling full with --tau-prior uniform needs --min-segments >= 3 (the posterior of"
              + " tau is improper with 2 segments); got "
              + minSegments);
    }
    if (se == StandardErrors.CLUSTER && clusterCol == null) {
      throw new UsageException("--se cluster needs --cluster-col");
    }
    if (clusterCol != null && se != StandardErrors.CLUSTER) {
      throw new UsageException(
          "--cluster-col gives cluster-robust standard errors; it cannot be combined with --se "
              + se.code());
    }
    if (priorHistory != null && learnedPrior == LearnedPriorKind.NONE) {
      throw new UsageException("--prior-history needs --learned-prior normal or mixture");
    }
    if (!(momentsFloor >= 0)) {
      throw new UsageException("--moments-floor must be >= 0, got " + momentsFloor);
    }
    refusePriors(priorControl, priorTreatment, priorGrid, nigPrior, regressionPrior);
  }

  /** Builds the estimation settings from resolved option values. */
  static PoolingSpec from(OptionValues v) {
    return new PoolingSpec(
        PoolingMethod.of(v.string("pooling")),
        v.integer("min-segments"),
        v.number("moments-floor"),
        OptionParsers.parseTauPrior(v.string("tau-prior")),
        OptionParsers.parseMuPrior(v.string("mu-prior")),
        standardErrors(v),
        v.string("cluster-col"),
        v.flag("kh-truncate"),
        LearnedPriorKind.of(v.string("learned-prior")),
        v.string("prior-history"),
        v.integer("draws"),
        v.longValue("seed"),
        OptionParsers.shapes(v, "prior-control"),
        OptionParsers.shapes(v, "prior-treatment"),
        OptionParsers.parseGrid(v.string("prior-grid")),
        OptionParsers.numbers(v.list("nig-prior"), 4, "--nig-prior"),
        OptionParsers.numbers(v.list("regression-prior"), 3, "--regression-prior"));
  }

  /** A cluster column with the default {@code --se classical} implies cluster-robust errors. */
  private static StandardErrors standardErrors(OptionValues v) {
    StandardErrors se = StandardErrors.of(v.string("se"));
    return v.has("cluster-col") && se == StandardErrors.CLASSICAL ? StandardErrors.CLUSTER : se;
  }

  /**
   * A group holds at least four arrays of draws (effect, profit, relative, one segment); a larger
   * request than half the heap can only end in an out-of-memory error mid-run.
   */
  private static void refuseDraws(int draws) {
    if (draws < 100) {
      throw new UsageException("--draws must be >= 100, got " + draws);
    }
    long least = 4L * DRAW_BYTES * draws;
    long heap = Runtime.getRuntime().maxMemory();
    if (least > heap / 2) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "--draws %d needs at least %.1f GiB per experiment group, more than half this JVM's"
                  + " %.1f GiB heap; lower --draws (the default is %d) or raise the memory",
              draws,
              least / 1073741824.0,
              heap / 1073741824.0,
              DRAWS_DEFAULT));
    }
  }

  private static void refusePriors(
      double[] priorControl,
      double[] priorTreatment,
      List<PriorGridEntry> priorGrid,
      double[] nigPrior,
      double[] regressionPrior) {
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
    if (!(nigPrior[1] > 0 && nigPrior[2] > 0 && nigPrior[3] > 0)) {
      throw new UsageException("--nig-prior kappa0, alpha0 and beta0 must be > 0");
    }
    if (!(regressionPrior[0] > 0 && regressionPrior[1] > 0 && regressionPrior[2] > 0)) {
      throw new UsageException("--regression-prior v0, a0 and b0 must be > 0");
    }
  }
}
