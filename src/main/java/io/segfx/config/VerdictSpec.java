package io.segfx.config;

import static io.segfx.config.OptionDef.Kind.DOUBLE;
import static io.segfx.config.OptionDef.Kind.LIST;
import static io.segfx.config.OptionDef.Kind.STRING;

import io.segfx.model.Guardrail;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code segment-effects} reaches one verdict per (experiment, variant): the primary metric,
 * the guardrails and their probability, the traffic that turns units into days, and the labels of
 * money and metric units in the report and memos.
 *
 * @param primaryMetric the metric whose effect is reported and, with a single value per unit, whose
 *     money decides; null for the first {@code --metric}
 * @param guardrails bounds on metrics' effects a launch must not break, in the order given
 * @param guardrailProb a guardrail is violated when P(bound broken) is at least this, ok when
 *     P(bound holds) is at least this
 * @param unitsPerDay units entering the experiment per day over all its arms, or null
 * @param currency the label of money in the report and memos, or null
 * @param metricUnits the label of each metric's unit in the report and memos
 */
public record VerdictSpec(
    String primaryMetric,
    List<Guardrail> guardrails,
    double guardrailProb,
    Double unitsPerDay,
    String currency,
    Map<String, String> metricUnits)
    implements Serializable {

  /** P(bound broken) at which a guardrail is violated, by default. */
  public static final double GUARDRAIL_PROB_DEFAULT = 0.95;

  private static final String VERDICTS = "Verdicts";

  /** The options of this concern, in help order. */
  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.of(
                  "primary-metric",
                  STRING,
                  null,
                  "the metric whose effect each verdict reports (default: the first --metric)")
              .inGroup(VERDICTS)
              .withLabel("METRIC"),
          OptionDef.of(
                  "guardrail",
                  LIST,
                  null,
                  "a bound a launch must not break, METRIC>=LIMIT or METRIC<=LIMIT on the effect"
                      + " in the metric's units, or relative with a % suffix (converted>=-1%);"
                      + " repeatable")
              .inGroup(VERDICTS)
              .withLabel("METRIC>=LIMIT"),
          OptionDef.of(
                  "guardrail-prob",
                  DOUBLE,
                  String.valueOf(GUARDRAIL_PROB_DEFAULT),
                  "a guardrail is violated when P(bound broken) >= this, ok when P(bound holds)"
                      + " >= this, else uncertain")
              .inGroup(VERDICTS)
              .withLabel("P"),
          OptionDef.of(
                  "units-per-day",
                  DOUBLE,
                  null,
                  "units entering an experiment per day over all its arms; turns units_to_decide"
                      + " into days_to_decide")
              .inGroup(VERDICTS)
              .withLabel("N"),
          OptionDef.of("currency", STRING, null, "label of money in the report and memos, e.g. USD")
              .inGroup(VERDICTS)
              .withLabel("CODE"),
          OptionDef.of(
                  "metric-unit",
                  STRING,
                  null,
                  "label of each metric's unit in the report and memos, e.g."
                      + " revenue=USD,converted=users")
              .inGroup(VERDICTS)
              .withLabel("METRIC=UNIT,..."));

  /** Validates what the verdict settings alone decide. */
  public VerdictSpec {
    guardrails = List.copyOf(guardrails);
    metricUnits = Collections.unmodifiableMap(new LinkedHashMap<>(metricUnits));
    if (!(guardrailProb > 0.5 && guardrailProb < 1)) {
      throw new UsageException("--guardrail-prob must be in (0.5, 1), got " + guardrailProb);
    }
    if (unitsPerDay != null && !(unitsPerDay > 0 && Double.isFinite(unitsPerDay))) {
      throw new UsageException("--units-per-day must be a finite number > 0, got " + unitsPerDay);
    }
  }

  /** Builds the verdict settings from resolved option values. */
  static VerdictSpec from(OptionValues v) {
    List<Guardrail> guardrails = new ArrayList<>();
    for (String g : v.list("guardrail")) {
      try {
        guardrails.add(Guardrail.parse(g));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--guardrail: " + e.getMessage());
      }
    }
    return new VerdictSpec(
        v.string("primary-metric"),
        guardrails,
        v.number("guardrail-prob"),
        v.has("units-per-day") ? v.number("units-per-day") : null,
        v.string("currency"),
        v.has("metric-unit") ? labels(v.string("metric-unit")) : Map.of());
  }

  /** The primary metric: the one given, else the first of {@code metrics}. */
  public String primaryMetric(List<String> metrics) {
    return primaryMetric == null ? metrics.get(0) : primaryMetric;
  }

  /** The unit label of {@code metric}, or null. */
  public String metricUnit(String metric) {
    return metricUnits.get(metric);
  }

  /** Refuses a primary metric, guardrail or unit label that names no {@code --metric}. */
  void refuseUnknownMetrics(List<String> metrics) {
    if (primaryMetric != null) {
      refuse("--primary-metric", primaryMetric, metrics);
    }
    for (Guardrail g : guardrails) {
      refuse("--guardrail " + g.label(), g.metric(), metrics);
    }
    for (String m : metricUnits.keySet()) {
      refuse("--metric-unit", m, metrics);
    }
  }

  private static void refuse(String option, String metric, List<String> metrics) {
    if (!metrics.contains(metric)) {
      throw new UsageException(
          option
              + " names metric '"
              + metric
              + "', which is not a --metric (metrics: "
              + String.join(", ", metrics)
              + ")");
    }
  }

  /** Parses {@code metric=label,...}. */
  private static Map<String, String> labels(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String[] kv = part.split("=", -1);
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
        throw new UsageException(
            "--metric-unit '" + text + "' must be metric=unit,metric=unit, e.g. revenue=USD");
      }
      if (out.put(kv[0].trim(), kv[1].trim()) != null) {
        throw new UsageException(
            "--metric-unit '" + text + "' gives metric '" + kv[0].trim() + "' twice");
      }
    }
    return out;
  }
}
