package io.segfx.spark;

import io.segfx.config.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Matches the column names a job asks for with the input's, the way Spark resolves names by
 * default: ignoring case, and here also a byte-order mark and surrounding spaces (which exports
 * leave in headers). A header {@code Experiment_ID } therefore serves {@code experiment_id} instead
 * of reading as absent, which would silently pool every row into one experiment.
 */
public final class ColumnNames {
  private ColumnNames() {}

  /**
   * The input with every near match renamed to the name asked for.
   *
   * @param data the input, its columns renamed where needed
   * @param renamed asked-for name to the input's own spelling, for the manifest
   */
  public record Matched(Dataset<Row> data, Map<String, String> renamed) {}

  /**
   * Renames input columns that match an asked-for name but for case, a byte-order mark or
   * surrounding spaces.
   *
   * @param wanted the names the job reads (nulls skipped)
   * @throws UsageException when a name matches several input columns, which Spark cannot tell apart
   */
  public static Matched match(Dataset<Row> input, List<String> wanted) {
    String[] names = input.columns();
    String[] renamed = names.clone();
    Map<String, String> out = new LinkedHashMap<>();
    for (String w : wanted) {
      if (w == null || out.containsKey(w)) {
        continue;
      }
      List<Integer> near = new ArrayList<>();
      for (int i = 0; i < names.length; i++) {
        if (normal(names[i]).equals(normal(w))) {
          near.add(i);
        }
      }
      if (near.size() > 1) {
        List<String> which = new ArrayList<>();
        for (int i : near) {
          which.add("'" + names[i] + "'");
        }
        throw new UsageException(
            "column '"
                + w
                + "' matches several input columns ("
                + String.join(", ", which)
                + "), which differ only in case or spaces; rename all but one");
      }
      if (near.size() == 1 && !names[near.get(0)].equals(w)) {
        renamed[near.get(0)] = w;
        out.put(w, names[near.get(0)]);
      }
    }
    if (out.isEmpty()) {
      return new Matched(input, out);
    }
    return new Matched(input.toDF(renamed), out);
  }

  /** The input's column that {@code name} reads after {@link #match}, or null if absent. */
  public static boolean present(Dataset<Row> input, String name) {
    return Arrays.asList(input.columns()).contains(name);
  }

  static String normal(String name) {
    return InputReader.cleanName(name).toLowerCase(Locale.ROOT);
  }
}
