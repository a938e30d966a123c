package io.segfx.config;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A table or table prefix named through Spark's catalog: {@code CATALOG.DB.NAME}, three plain
 * identifiers (letters, digits and underscores), so that the name needs no quoting in Spark SQL and
 * the tables derived from a prefix ({@code NAME_segment_estimates}, …) are valid names too.
 *
 * @param catalog the catalog, e.g. {@code local} or {@code spark_catalog}
 * @param namespace the database (namespace) in that catalog
 * @param name the table name or prefix
 */
public record TableName(String catalog, String namespace, String name) implements Serializable {
  private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public TableName {
    for (String part : List.of(catalog, namespace, name)) {
      if (!PART.matcher(part).matches()) {
        throw new IllegalArgumentException("not an identifier: " + part);
      }
    }
  }

  /**
   * Parses {@code CATALOG.DB.NAME}.
   *
   * @throws UsageException naming {@code option} when the text is not three identifiers
   */
  public static TableName parse(String text, String option) {
    String[] parts = text.split("\\.", -1);
    if (parts.length == 3) {
      try {
        return new TableName(parts[0], parts[1], parts[2]);
      } catch (IllegalArgumentException e) {
        // refused below, with the shape expected
      }
    }
    throw new UsageException(
        option
            + " '"
            + text
            + "' is not CATALOG.DB.NAME (three names of letters, digits and '_', e.g."
            + " local.db.experiments)");
  }

  /** The table {@code CATALOG.DB.NAME_suffix}. */
  public String withSuffix(String suffix) {
    return this + "_" + suffix;
  }

  @Override
  public String toString() {
    return catalog + "." + namespace + "." + name;
  }
}
