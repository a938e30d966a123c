package io.segfx.config;

import static io.segfx.config.OptionDef.Kind.DOUBLE;
import static io.segfx.config.OptionDef.Kind.STRING;

import io.segfx.config.JobSpec.BiasScenario;
import io.segfx.model.Design;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * How {@code segment-effects} decides: practical thresholds, launch economics, the recommendation
 * rule, the design and its bias scenarios, and the sample-ratio check. Validates what these
 * settings alone decide.
 *
 * @param thresholds practical threshold per metric ({@link JobSpec#ALL_METRICS} for every metric)
 * @param relativeThreshold threshold r for P(relative effect > r)
 * @param users users exposed after launch, or null without decision analysis
 * @param valuePerUnit value of one unit of each metric per user, or null
 * @param cost cost of launching, or null
 * @param launchProbability launch when P(profit > 0) is at least this
 * @param design randomized or observational
 * @param biasPrior bias scenarios of unmeasured confounding
 * @param expectedSplit the designed split, or null for equal
 * @param srmAlpha the level of the sample-ratio mismatch flag
 */
public record DecisionSpec(
    Map<String, Double> thresholds,
    double relativeThreshold,
    Double users,
    Map<String, Double> valuePerUnit,
    Double cost,
    double launchProbability,
    Design design,
    List<BiasScenario> biasPrior,
    String expectedSplit,
    double srmAlpha)
    implements Serializable {

  /** Launch when P(profit > 0) is at least this, by default (the seed notebook's rule). */
  public static final double LAUNCH_PROBABILITY_DEFAULT = 0.95;

  /** The warning carried by decisions of an observational run without a bias prior (section 7). */
  public static final String CONFOUNDING_WARNING =
      "observational design: the posterior assumes no unmeasured confounding (give --bias-prior)";

  private static final String DECISIONS = "Decisions";

  /** The options of this concern, in help order. */
  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.of(
                  "threshold",
                  STRING,
                  "0",
                  "practical threshold for P(effect > threshold), in the metric's units; one"
                      + " number, or metric=value,... per metric")
              .inGroup(DECISIONS)
              .withLabel("X|METRIC=X,..."),
          OptionDef.of("relative-threshold", DOUBLE, "0", "threshold r for P(relative effect > r)")
              .inGroup(DECISIONS),
          OptionDef.of("users", DOUBLE, null, "decision analysis: users exposed after launch")
              .inGroup(DECISIONS)
              .withLabel("N"),
          OptionDef.of(
                  "value-per-unit",
                  STRING,
                  null,
                  "decision analysis: value of one unit of the metric per user; one number, or"
                      + " metric=value,... per metric")
              .inGroup(DECISIONS)
              .withLabel("V|METRIC=V,..."),
          OptionDef.of("cost", DOUBLE, null, "decision analysis: cost of launching")
              .inGroup(DECISIONS),
          OptionDef.of(
                  "launch-probability",
                  DOUBLE,
                  String.valueOf(LAUNCH_PROBABILITY_DEFAULT),
                  "launch when P(profit > 0) >= this; do not launch when <= 1 - this")
              .inGroup(DECISIONS),
          OptionDef.choice(
                  "design",
                  "randomized",
                  List.of("randomized", "observational"),
                  "how treatment was assigned; observational runs without --bias-prior carry a"
                      + " confounding warning")
              .inGroup(DECISIONS),
          OptionDef.of(
                  "bias-prior",
                  STRING,
                  null,
                  "bias scenarios 'name=mean,sd;...': Normal priors on an upward bias of the"
                      + " effect (table bias_sensitivity)")
              .inGroup(DECISIONS)
              .withLabel("NAME=MEAN,SD;...")
              .withMapEntries(";"),
          OptionDef.of(
                  "expected-split",
                  STRING,
                  null,
                  "designed split of control and variants, e.g. 50/50 or 0=50,1=25,2=25 (default:"
                      + " equal)")
              .inGroup(DECISIONS)
              .withLabel("SPLIT"),
          OptionDef.of(
                  "srm-alpha",
                  DOUBLE,
                  "0.001",
                  "flag sample-ratio mismatch when the chi-square p-value is below this")
              .inGroup(DECISIONS));

  /** Validates what the decision settings alone decide. */
  public DecisionSpec {
    biasPrior = List.copyOf(biasPrior);
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
    if (!(launchProbability > 0.5 && launchProbability < 1)) {
      throw new UsageException(
          "--launch-probability must be in (0.5, 1), got " + launchProbability);
    }
    int econ = (users == null ? 0 : 1) + (valuePerUnit == null ? 0 : 1) + (cost == null ? 0 : 1);
    if (econ != 0 && econ != 3) {
      throw new UsageException(
          "decision analysis needs all of --users, --value-per-unit and --cost (or none of them)");
    }
    if (!(srmAlpha > 0 && srmAlpha < 1)) {
      throw new UsageException("--srm-alpha must be in (0, 1), got " + srmAlpha);
    }
  }

  /** Builds the decision settings from resolved option values. */
  static DecisionSpec from(OptionValues v) {
    return new DecisionSpec(
        OptionParsers.values(v.string("threshold"), "--threshold"),
        v.number("relative-threshold"),
        v.has("users") ? v.number("users") : null,
        v.has("value-per-unit")
            ? OptionParsers.values(v.string("value-per-unit"), "--value-per-unit")
            : null,
        v.has("cost") ? v.number("cost") : null,
        v.number("launch-probability"),
        Design.of(v.string("design")),
        OptionParsers.parseBias(v.string("bias-prior")),
        v.string("expected-split"),
        v.number("srm-alpha"));
  }

  /** The practical threshold of {@code metric} (0 unless given). */
  public double threshold(String metric) {
    return thresholds.getOrDefault(metric, thresholds.getOrDefault(JobSpec.ALL_METRICS, 0.0));
  }

  /** The value per unit of {@code metric}, or null without decision analysis. */
  public Double valueOf(String metric) {
    return valuePerUnit == null
        ? null
        : valuePerUnit.getOrDefault(metric, valuePerUnit.get(JobSpec.ALL_METRICS));
  }

  /** The warning of this run's decisions, or null. */
  public String confoundingWarning() {
    return design == Design.OBSERVATIONAL && biasPrior.isEmpty() ? CONFOUNDING_WARNING : null;
  }

  /** Refuses a per-metric value whose key names no {@code --metric}: a typo would be ignored. */
  void refuseUnknownMetrics(List<String> metrics) {
    refuseUnknownMetrics(thresholds, "--threshold", metrics);
    if (valuePerUnit != null) {
      refuseUnknownMetrics(valuePerUnit, "--value-per-unit", metrics);
    }
  }

  /** On unit rows every metric needs a value per unit when decision analysis is on. */
  void refuseMissingValues(List<String> metrics) {
    if (valuePerUnit == null) {
      return;
    }
    for (String m : metrics) {
      if (!valuePerUnit.containsKey(m) && !valuePerUnit.containsKey(JobSpec.ALL_METRICS)) {
        throw new UsageException("--value-per-unit gives no value for metric '" + m + "'");
      }
    }
  }

  private static void refuseUnknownMetrics(
      Map<String, Double> values, String option, List<String> metrics) {
    for (String key : values.keySet()) {
      if (!key.equals(JobSpec.ALL_METRICS) && !metrics.contains(key)) {
        throw new UsageException(
            option
                + " names metric '"
                + key
                + "', which is not a --metric (metrics: "
                + String.join(", ", metrics)
                + ")");
      }
    }
  }
}
