package io.segfx.job;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start and end lines of every stage of both jobs, on the logger {@code io.segfx.stage} (stderr
 * through conf/log4j2.properties). Each line carries its own ISO-8601 UTC instant and the run id,
 * so an operator can follow, grep and correlate a run whatever the log layout:
 *
 * <pre>
 * TIME run=RUN_ID stage=pooling start
 * TIME run=RUN_ID stage=pooling end SECONDS s
 * </pre>
 *
 * The stage names are the keys of the manifest's {@code stage_seconds} and the descriptions of the
 * Spark job groups (see {@link RunContext#begin}).
 */
public final class StageLog {
  private static final Logger LOG = LoggerFactory.getLogger("io.segfx.stage");

  private StageLog() {}

  /** The start line of {@code stage}, at {@code at}. */
  public static String startLine(Instant at, String runId, String stage) {
    return at + " run=" + runId + " stage=" + stage + " start";
  }

  /** The end line of {@code stage}, at {@code at}, after {@code seconds}. */
  public static String endLine(Instant at, String runId, String stage, double seconds) {
    return at
        + " run="
        + runId
        + " stage="
        + stage
        + " end "
        + String.format(Locale.ROOT, "%.3f", seconds)
        + " s";
  }

  static void started(String runId, String stage) {
    LOG.info(startLine(now(), runId, stage));
  }

  static void finished(String runId, String stage, double seconds) {
    LOG.info(endLine(now(), runId, stage, seconds));
  }

  /** Now, to the millisecond: finer digits are noise in a log an operator reads. */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
