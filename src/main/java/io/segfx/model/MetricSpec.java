package io.segfx.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A metric as given to {@code --metric}: a column name with an optional kind, {@code name} or
 * {@code name:continuous} for a continuous outcome, {@code name:binary} for a 0/1 conversion. A
 * derived metric is no input column but a weighted sum of metric columns, computed per row in the
 * scan: the overall evaluation criterion of several metrics' values.
 *
 * @param column the input column, or the derived metric's name
 * @param binary true for a 0/1 conversion metric (Beta–Binomial), false for a continuous one
 * @param weights for a derived metric, the weight of each metric column, in order; null otherwise
 */
public record MetricSpec(String column, boolean binary, Map<String, Double> weights)
    implements Serializable {

  /** Copies the weights; a derived metric is continuous. */
  public MetricSpec {
    if (weights != null) {
      if (binary || weights.isEmpty()) {
        throw new IllegalArgumentException(
            "derived metric " + column + " needs weights, continuous");
      }
      weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }
  }

  /** A metric read from input column {@code column}. */
  public MetricSpec(String column, boolean binary) {
    this(column, binary, null);
  }

  /** The derived metric {@code name}: the sum of each column times its weight. */
  public static MetricSpec derived(String name, Map<String, Double> weights) {
    return new MetricSpec(name, false, weights);
  }

  /** True for a weighted sum of metric columns rather than an input column. */
  public boolean isDerived() {
    return weights != null;
  }

  /**
   * Parses {@code name[:kind]}.
   *
   * @throws IllegalArgumentException for an unknown kind or an empty name
   */
  public static MetricSpec parse(String text) {
    int colon = text.lastIndexOf(':');
    String name = colon < 0 ? text : text.substring(0, colon);
    String kind = colon < 0 ? "continuous" : text.substring(colon + 1);
    if (name.isBlank()) {
      throw new IllegalArgumentException("metric '" + text + "' has no column name");
    }
    return switch (kind) {
      case "continuous" -> new MetricSpec(name, false);
      case "binary" -> new MetricSpec(name, true);
      default ->
          throw new IllegalArgumentException(
              "metric '"
                  + text
                  + "': unknown kind '"
                  + kind
                  + "'; use NAME, NAME:continuous or NAME:binary");
    };
  }

  /** The kind as written in output tables. */
  public String kind() {
    return binary ? "binary" : "continuous";
  }
}
