package io.segfx.model;

import java.io.Serializable;

/**
 * A metric as given to {@code --metric}: a column name with an optional kind, {@code name} or
 * {@code name:continuous} for a continuous outcome, {@code name:binary} for a 0/1 conversion.
 *
 * @param column the input column
 * @param binary true for a 0/1 conversion metric (Beta–Binomial), false for a continuous one
 */
public record MetricSpec(String column, boolean binary) implements Serializable {

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
