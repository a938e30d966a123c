package io.segfx.config;

import io.segfx.model.Design;
import io.segfx.model.Guardrail;
import io.segfx.model.InputKind;
import io.segfx.model.LearnedPriorKind;
import io.segfx.model.MetricSpec;
import io.segfx.model.PoolingMethod;
import io.segfx.model.StandardErrors;
import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of one {@code segment-effects} run: one spec per concern ({@link InputSpec}, {@link
 * PoolingSpec}, {@link DecisionSpec}, {@link ReportSpec}), each validating itself, and the checks
 * that span two of them. {@link SpecLoader} fills it: defaults, then the YAML spec, then flags. The
 * accessors of every setting stay here as one-line delegates, so a stage reads {@code
 * spec.experimentCol()} without knowing which concern holds it.
 *
 * @param inputSpec what is read
 * @param poolingSpec how it is estimated and pooled
 * @param decisionSpec how decisions are made
 * @param reportSpec where and how the run writes, and where it runs
 * @param verdictSpec how one verdict per experiment and variant is reached and labelled
 * @param spec the YAML job spec read, or null
 * @param settingSources where each option's value came from: default, spec or flag
 */
public record JobSpec(
    InputSpec inputSpec,
    PoolingSpec poolingSpec,
    DecisionSpec decisionSpec,
    ReportSpec reportSpec,
    VerdictSpec verdictSpec,
    String spec,
    Map<String, String> settingSources)
    implements Serializable {

  /**
   * A prior on an additive upward bias of the effect from unmeasured confounding (seed notebook
   * section 8): bias ~ Normal(mean, sd); the bias-adjusted effect is effect - bias.
   */
  public record BiasScenario(String name, double mean, double sd) implements Serializable {}

  /**
   * One named prior of the sensitivity grid: Beta shapes for control and treatment.
   *
   * @param name the grid name, as written to {@code prior_sensitivity.prior}
   * @param control {alpha, beta} of the control arm
   * @param treatment {alpha, beta} of the treatment arm
   */
  public record PriorGridEntry(String name, double[] control, double[] treatment)
      implements Serializable {}

  /** The warning carried by decisions of an observational run without a bias prior (section 7). */
  public static final String CONFOUNDING_WARNING = DecisionSpec.CONFOUNDING_WARNING;

  public static final String COMMAND = "segment-effects";
  public static final String POOLING_DEFAULT = PoolingSpec.POOLING_DEFAULT;
  public static final int DRAWS_DEFAULT = PoolingSpec.DRAWS_DEFAULT;
  public static final long SEED_DEFAULT = PoolingSpec.SEED_DEFAULT;
  public static final int MIN_SEGMENTS_DEFAULT = PoolingSpec.MIN_SEGMENTS_DEFAULT;

  /** Experiment id used when the input has no experiment column. */
  public static final String SINGLE_EXPERIMENT = "all";

  /** Segment name used when the input has no segment column. */
  public static final String SINGLE_SEGMENT = "all";

  /** The key of a value that applies to every metric. */
  public static final String ALL_METRICS = OptionParsers.ALL_METRICS;

  /** Every option of the command, declared once in the spec of its concern. */
  public static final List<OptionDef> OPTIONS =
      concat(
          InputSpec.OPTIONS,
          ReportSpec.OPTIONS,
          PoolingSpec.OPTIONS,
          DecisionSpec.OPTIONS,
          VerdictSpec.OPTIONS);

  /**
   * The name of the derived metric whose profit decides when values are given for several metrics:
   * the overall evaluation criterion, sum over metrics of value × metric, per unit.
   */
  public static final String OEC = "oec";

  /** Validates the settings that span two concerns. */
  public JobSpec {
    settingSources = Collections.unmodifiableSortedMap(new TreeMap<>(settingSources));
    if (!poolingSpec.priorGrid().isEmpty() && !inputSpec.anyBinary()) {
      throw new UsageException(
          "--prior-grid reruns binary metrics under other Beta priors, and no --metric is binary;"
              + " mark a 0/1 metric NAME:binary or drop --prior-grid");
    }
    if (poolingSpec.se().robust() && inputSpec.inputKind() != InputKind.UNITS) {
      throw new UsageException(
          "--se "
              + poolingSpec.se().code()
              + " needs unit rows (--input-kind units); aggregated inputs carry no residuals");
    }
    decisionSpec.refuseUnknownMetrics(inputSpec.metricColumns());
    if (inputSpec.inputKind() == InputKind.UNITS) {
      decisionSpec.refuseMissingValues(inputSpec.metricColumns());
    }
    verdictSpec.refuseUnknownMetrics(inputSpec.metricColumns());
    if (oecWeights(inputSpec, decisionSpec) != null
        && (inputSpec.metricColumns().contains(OEC) || inputSpec.covariates().contains(OEC))) {
      throw new UsageException(
          "column '"
              + OEC
              + "' is also the name of the value-weighted sum of the metrics that --value-per-unit"
              + " derives; rename the column");
    }
  }

  /**
   * The weights of the derived value metric: each valued metric's value per unit, when unit rows
   * give values to two or more metrics and decision analysis is on; else null.
   */
  private static Map<String, Double> oecWeights(InputSpec in, DecisionSpec d) {
    if (in.inputKind() != InputKind.UNITS || d.users() == null || d.valuePerUnit() == null) {
      return null;
    }
    if (d.valuePerUnit().containsKey(ALL_METRICS)) {
      return null;
    }
    Map<String, Double> w = new LinkedHashMap<>();
    for (String m : in.metricColumns()) {
      Double v = d.valuePerUnit().get(m);
      if (v != null && v != 0) {
        w.put(m, v);
      }
    }
    return w.size() >= 2 ? w : null;
  }

  /**
   * The metric whose profit decides a verdict: {@link #OEC} when values are given for several
   * metrics of unit rows, else the one valued metric, else the primary metric.
   */
  public String valueMetric() {
    Map<String, Double> w = oecWeights(inputSpec, decisionSpec);
    if (w != null) {
      return OEC;
    }
    if (decisionSpec.valuePerUnit() != null
        && !decisionSpec.valuePerUnit().containsKey(ALL_METRICS)) {
      for (String m : inputSpec.metricColumns()) {
        Double v = decisionSpec.valuePerUnit().get(m);
        if (v != null && v != 0) {
          return m;
        }
      }
    }
    return primaryMetric();
  }

  /** The metric whose effect each verdict reports. */
  public String primaryMetric() {
    return verdictSpec.primaryMetric(inputSpec.metricColumns());
  }

  public List<Guardrail> guardrails() {
    return verdictSpec.guardrails();
  }

  public double guardrailProb() {
    return verdictSpec.guardrailProb();
  }

  public Double unitsPerDay() {
    return verdictSpec.unitsPerDay();
  }

  public String currency() {
    return verdictSpec.currency();
  }

  /** The unit label of {@code metric}, or null. */
  public String metricUnit(String metric) {
    return verdictSpec.metricUnit(metric);
  }

  /** Builds and validates a spec from resolved option values ({@link SpecLoader#from}). */
  public static JobSpec from(OptionValues v) {
    return SpecLoader.from(v);
  }

  @SafeVarargs
  private static List<OptionDef> concat(List<OptionDef>... parts) {
    List<OptionDef> all = new ArrayList<>();
    for (List<OptionDef> p : parts) {
      all.addAll(p);
    }
    return List.copyOf(all);
  }

  // Each setting, read from the spec of its concern.
  public String input() {
    return inputSpec.input();
  }

  public String output() {
    return reportSpec.output();
  }

  public TableFormat inputFormat() {
    return inputSpec.inputFormat();
  }

  public TableFormat outputFormat() {
    return reportSpec.outputFormat();
  }

  public String experimentCol() {
    return inputSpec.experimentCol();
  }

  public String segmentCol() {
    return inputSpec.segmentCol();
  }

  public String armCol() {
    return inputSpec.armCol();
  }

  public String controlArm() {
    return inputSpec.controlArm();
  }

  public List<String> variants() {
    return inputSpec.variants();
  }

  public List<String> metrics() {
    return inputSpec.metrics();
  }

  public List<String> covariates() {
    return inputSpec.covariates();
  }

  public PoolingMethod pooling() {
    return poolingSpec.pooling();
  }

  public int minSegments() {
    return poolingSpec.minSegments();
  }

  public double momentsFloor() {
    return poolingSpec.momentsFloor();
  }

  public int draws() {
    return poolingSpec.draws();
  }

  public long seed() {
    return poolingSpec.seed();
  }

  public Map<String, Double> thresholds() {
    return decisionSpec.thresholds();
  }

  public Double users() {
    return decisionSpec.users();
  }

  public Map<String, Double> valuePerUnit() {
    return decisionSpec.valuePerUnit();
  }

  public Double cost() {
    return decisionSpec.cost();
  }

  public double launchProbability() {
    return decisionSpec.launchProbability();
  }

  public String master() {
    return reportSpec.master();
  }

  public WriteMode mode() {
    return reportSpec.mode();
  }

  public String unitCol() {
    return inputSpec.unitCol();
  }

  public InputKind inputKind() {
    return inputSpec.inputKind();
  }

  public double[] priorControl() {
    return poolingSpec.priorControl();
  }

  public double[] priorTreatment() {
    return poolingSpec.priorTreatment();
  }

  public List<PriorGridEntry> priorGrid() {
    return poolingSpec.priorGrid();
  }

  public double relativeThreshold() {
    return decisionSpec.relativeThreshold();
  }

  public String expectedSplit() {
    return decisionSpec.expectedSplit();
  }

  public double srmAlpha() {
    return decisionSpec.srmAlpha();
  }

  public double[] nigPrior() {
    return poolingSpec.nigPrior();
  }

  public double[] regressionPrior() {
    return poolingSpec.regressionPrior();
  }

  public List<String> countCols() {
    return inputSpec.countCols();
  }

  public List<String> estimateCols() {
    return inputSpec.estimateCols();
  }

  public Design design() {
    return decisionSpec.design();
  }

  public List<BiasScenario> biasPrior() {
    return decisionSpec.biasPrior();
  }

  public ReportScope report() {
    return reportSpec.report();
  }

  public TauPriorSetting tauPrior() {
    return poolingSpec.tauPrior();
  }

  public double[] muPrior() {
    return poolingSpec.muPrior();
  }

  public LearnedPriorKind learnedPrior() {
    return poolingSpec.learnedPrior();
  }

  public String priorHistory() {
    return poolingSpec.priorHistory();
  }

  public StandardErrors se() {
    return poolingSpec.se();
  }

  public String clusterCol() {
    return poolingSpec.clusterCol();
  }

  public char csvDelimiter() {
    return inputSpec.csvDelimiter();
  }

  public boolean khTruncate() {
    return poolingSpec.khTruncate();
  }

  public String csvEncoding() {
    return inputSpec.csvEncoding();
  }

  public double threshold(String metric) {
    return decisionSpec.threshold(metric);
  }

  /**
   * The metrics with their kinds, then the derived value metric {@link #OEC} where there is one.
   */
  public List<MetricSpec> metricSpecs() {
    Map<String, Double> w = oecWeights(inputSpec, decisionSpec);
    if (w == null) {
      return inputSpec.metricSpecs();
    }
    List<MetricSpec> all = new ArrayList<>(inputSpec.metricSpecs());
    all.add(MetricSpec.derived(OEC, w));
    return all;
  }

  public boolean anyBinary() {
    return inputSpec.anyBinary();
  }

  public String confoundingWarning() {
    return decisionSpec.confoundingWarning();
  }

  /** The value of one unit of {@code metric} per user, or null without decision analysis. */
  public Double valueOf(String metric) {
    if (metric.equals(OEC) && oecWeights(inputSpec, decisionSpec) != null) {
      return 1.0; // the derived metric is already in money per unit
    }
    return decisionSpec.valueOf(metric);
  }

  /** The settings as a map for the run manifest ({@link SpecManifest}). */
  public Map<String, Object> toManifest() {
    return SpecManifest.of(this);
  }
}
