package io.segfx.report;

import java.util.function.Function;

/**
 * One row of {@code impact_pointwise} as the report draws it: the observed outcome against the
 * counterfactual, the pointwise effect and its running sum, each with its 95% interval. The fields
 * carry that table's column names in camel case (see {@code io.segfx.io.ImpactSchemas}); the
 * running sum is NaN before the intervention.
 */
public record ImpactPoint(
    double time,
    boolean post,
    double observed,
    double counterfactualMean,
    double counterfactualQ025,
    double counterfactualQ975,
    double impactMean,
    double impactQ025,
    double impactQ975,
    double cumulativeImpactMean,
    double cumulativeImpactQ025,
    double cumulativeImpactQ975) {

  /**
   * Adapter for callers holding a row with the {@code impact_pointwise} columns: reads each field
   * by column name.
   */
  public static ImpactPoint of(Function<String, Object> field) {
    return new ImpactPoint(
        (Double) field.apply("time"),
        (Boolean) field.apply("post"),
        (Double) field.apply("observed"),
        (Double) field.apply("counterfactual_mean"),
        (Double) field.apply("counterfactual_q025"),
        (Double) field.apply("counterfactual_q975"),
        (Double) field.apply("impact_mean"),
        (Double) field.apply("impact_q025"),
        (Double) field.apply("impact_q975"),
        (Double) field.apply("cumulative_impact_mean"),
        (Double) field.apply("cumulative_impact_q025"),
        (Double) field.apply("cumulative_impact_q975"));
  }
}
