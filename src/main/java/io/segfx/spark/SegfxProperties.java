package io.segfx.spark;

import io.segfx.config.CommandLineFlags;
import io.segfx.config.UsageException;
import io.segfx.util.DecimalText;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.RuntimeConfig;
import scala.Tuple2;
import scala.collection.JavaConverters;

/**
 * The Spark properties segfx reads ({@code spark.segfx.*}), checked once when a run opens, so that
 * a misspelt name or a bad value is a usage error naming the property rather than an ignored
 * setting or a failure midway through the run.
 */
public final class SegfxProperties {
  private SegfxProperties() {}

  private static final String PREFIX = "spark.segfx.";

  /** The values a property takes. */
  private enum Kind {
    BOOLEAN("true or false"),
    SECONDS("a number of seconds >= 0"),
    STYLE("auto, bar or lines");

    final String expected;

    Kind(String expected) {
      this.expected = expected;
    }

    boolean accepts(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      return switch (this) {
        case BOOLEAN -> v.equals("true") || v.equals("false");
        case SECONDS -> seconds(v) >= 0;
        case STYLE -> v.equals("auto") || v.equals("bar") || v.equals("lines");
      };
    }

    private static double seconds(String v) {
      try {
        double s = DecimalText.parse(v);
        return Double.isFinite(s) ? s : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }

  /** Every property segfx reads, by name. */
  private static final Map<String, Kind> KNOWN =
      new TreeMap<>(
          Map.of(
              ColumnarScan.PROPERTY, Kind.BOOLEAN,
              ColumnarScan.BLOCK_PROPERTY, Kind.BOOLEAN,
              ProgressListener.INTERVAL_PROPERTY, Kind.SECONDS,
              ProgressListener.STYLE_PROPERTY, Kind.STYLE,
              FaultInjection.PROPERTY, Kind.BOOLEAN));

  /**
   * Checks every {@code spark.segfx.*} property of {@code conf}.
   *
   * @throws UsageException naming the first unknown property (with the nearest known name) or the
   *     first bad value, and what it takes
   */
  public static void check(RuntimeConfig conf) {
    check(JavaConverters.mapAsJavaMap(conf.getAll()));
  }

  /** {@link #check(RuntimeConfig)} on a Spark configuration, before a session is built. */
  public static void check(SparkConf conf) {
    Map<String, String> all = new TreeMap<>();
    for (Tuple2<String, String> kv : conf.getAll()) {
      all.put(kv._1(), kv._2());
    }
    check(all);
  }

  private static void check(Map<String, String> properties) {
    Map<String, String> all = new TreeMap<>(properties);
    for (Map.Entry<String, String> e : all.entrySet()) {
      String name = e.getKey();
      // Spark's names are case-sensitive: spark.Segfx.blockSums would be silently ignored.
      if (!name.toLowerCase(Locale.ROOT).startsWith(PREFIX.substring(0, PREFIX.length() - 1))) {
        continue;
      }
      Kind kind = KNOWN.get(name);
      if (kind == null) {
        String near = nearest(name);
        throw new UsageException(
            "unknown Spark property "
                + name
                + (near == null ? "" : "; did you mean " + near + "?")
                + " (names are case-sensitive; segfx reads "
                + String.join(", ", KNOWN.keySet())
                + ")");
      }
      if (!kind.accepts(e.getValue())) {
        throw new UsageException(
            "Spark property "
                + name
                + " must be "
                + kind.expected
                + ", not '"
                + e.getValue()
                + "'");
      }
    }
  }

  /** The known name within a typo's reach of {@code name} (at most 3 edits), or null. */
  private static String nearest(String name) {
    String best = null;
    int bestDistance = 4;
    for (String known : KNOWN.keySet()) {
      int d =
          CommandLineFlags.editDistance(
              name.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = known;
        bestDistance = d;
      }
    }
    return best;
  }
}
