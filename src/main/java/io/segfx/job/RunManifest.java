package io.segfx.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The run manifest of either job, built in one place so both share one schema and one key style.
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>the manifest starts with {@code run_id} and {@code command};
 *   <li>every top-level key, and every key of {@code settings}, is snake_case;
 *   <li>the row accounting holds: {@code rows_read = rows_used + rows_rejected}, and {@code
 *       rows_rejected} is the sum of {@code rejected_by_reason}.
 * </ol>
 *
 * {@link RunContext} closes every manifest with the same fields for both jobs: {@code status}
 * ({@code succeeded}, or {@code failed} with {@code error} in a failed run's manifest), {@code
 * output_tables} (rows and columns per table), {@code spark_application_id}, {@code spark_master},
 * {@code versions} (with {@code git_commit}), {@code stage_seconds}, {@code failed_task_attempts},
 * the start and finish time and the Spark settings' keys.
 *
 * <p>Keys keep the order they are put in, so two runs with the same settings give manifests that
 * differ only in run id, paths and timings.
 */
public final class RunManifest {
  private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

  private final Map<String, Object> fields = new LinkedHashMap<>();

  RunManifest(String runId, String command) {
    put("run_id", runId);
    put("command", command);
  }

  /**
   * Adds one field.
   *
   * @throws IllegalArgumentException when {@code key} is not snake_case
   */
  public RunManifest put(String key, Object value) {
    fields.put(snake(key), value);
    return this;
  }

  /**
   * The row accounting every run records: rows read, used and rejected, and the rejected rows per
   * reason.
   *
   * @throws IllegalStateException when the counts do not add up
   */
  public RunManifest rows(long read, long used, Map<String, Long> rejectedByReason) {
    long rejected = 0;
    for (long n : rejectedByReason.values()) {
      rejected += n;
    }
    if (read != used + rejected || used < 0) {
      throw new IllegalStateException(
          String.format(
              "rows_read %d must be rows_used %d + rows_rejected %d (%s)",
              read, used, rejected, rejectedByReason));
    }
    put("rows_read", read);
    put("rows_used", used);
    put("rows_rejected", rejected);
    return put("rejected_by_reason", rejectedByReason);
  }

  /**
   * The job's settings, as typed values under snake_case keys.
   *
   * @throws IllegalArgumentException when a key is not snake_case
   */
  public RunManifest settings(Map<String, Object> settings) {
    for (String key : settings.keySet()) {
      snake(key);
    }
    return put("settings", settings);
  }

  /** The fields put so far, in order. */
  public Map<String, Object> toMap() {
    return Collections.unmodifiableMap(fields);
  }

  private static String snake(String key) {
    if (!SNAKE.matcher(key).matches()) {
      throw new IllegalArgumentException("manifest key must be snake_case, got '" + key + "'");
    }
    return key;
  }
}
