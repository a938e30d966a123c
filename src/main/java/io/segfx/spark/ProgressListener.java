package io.segfx.spark;

import io.segfx.util.DecimalText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.spark.SparkConf;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of long Spark stages for an operator: at most once per interval (default 30 s, {@value
 * #INTERVAL_PROPERTY}), the tasks done out of the total, the rows scanned so far (input records
 * read by finished tasks) and an ETA from the rate so far. A stage that ends within the interval
 * prints nothing; one that printed progress prints a last line at its end, with every task done.
 *
 * <p>On an interactive terminal ({@link #interactive}) the progress is one bar redrawn in place
 * with {@code \r}; otherwise (a log file, a scheduler's capture) plain lines on the logger {@code
 * io.segfx.stage}, each with its ISO-8601 instant and the run id, as the stage lines.
 *
 * <p>The segfx stage name is the Spark job group description that the job sets for its stages.
 */
public final class ProgressListener extends SparkListener {
  /** Seconds between two progress reports of a stage; 0 reports every finished task. */
  public static final String INTERVAL_PROPERTY = "spark.segfx.progressIntervalSeconds";

  /** {@code auto} (default: a bar when stderr is a terminal), {@code bar} or {@code lines}. */
  public static final String STYLE_PROPERTY = "spark.segfx.progressStyle";

  public static final double DEFAULT_INTERVAL_SECONDS = 30;

  private static final Logger LOG = LoggerFactory.getLogger("io.segfx.stage");
  private static final int BAR_WIDTH = 30;

  private final String runId;
  private final long intervalNanos;
  private final boolean bar;
  private final Consumer<String> lines;
  private final PrintStream terminal;
  private final LongSupplier clock;
  private final Map<Integer, StageProgress> stages = new HashMap<>();

  /** Executor CPU nanoseconds of finished tasks, by segfx stage name. */
  private final Map<String, Long> cpuNanos = new TreeMap<>();

  /** One stage's counts. */
  private static final class StageProgress {
    final String name;
    final int total;
    final long started;
    long lastReport;
    int done;
    long rows;
    boolean reported;

    StageProgress(String name, int total, long started) {
      this.name = name;
      this.total = total;
      this.started = started;
      this.lastReport = started;
    }
  }

  /**
   * A listener for a run.
   *
   * @param runId the run id each line carries
   * @param intervalSeconds the least time between two reports of a stage, and the least time a
   *     stage runs before it is reported
   * @param bar a bar redrawn on {@code terminal} rather than lines on {@code lines}
   * @param lines where plain lines go
   * @param terminal where the bar goes
   * @param clock nanoseconds, as {@link System#nanoTime}
   */
  public ProgressListener(
      String runId,
      double intervalSeconds,
      boolean bar,
      Consumer<String> lines,
      PrintStream terminal,
      LongSupplier clock) {
    if (!(intervalSeconds >= 0)) {
      throw new IllegalArgumentException(
          INTERVAL_PROPERTY + " must be a number of seconds >= 0, got " + intervalSeconds);
    }
    this.runId = runId;
    this.intervalNanos = Math.round(intervalSeconds * 1e9);
    this.bar = bar;
    this.lines = lines;
    this.terminal = terminal;
    this.clock = clock;
  }

  /** The listener a run's Spark settings ask for, writing to stderr or the log. */
  public static ProgressListener of(String runId, SparkConf conf) {
    String style = conf.get(STYLE_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    boolean bar =
        switch (style) {
          case "bar" -> true;
          case "lines" -> false;
          case "auto" -> interactive();
          default ->
              throw new IllegalArgumentException(
                  STYLE_PROPERTY + " must be auto, bar or lines, got '" + style + "'");
        };
    return new ProgressListener(
        runId, intervalSeconds(conf), bar, LOG::info, System.err, System::nanoTime);
  }

  /** {@value #INTERVAL_PROPERTY}, default 30. */
  public static double intervalSeconds(SparkConf conf) {
    String v = conf.get(INTERVAL_PROPERTY, String.valueOf(DEFAULT_INTERVAL_SECONDS)).trim();
    try {
      return DecimalText.parse(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          INTERVAL_PROPERTY + " must be a number of seconds, got '" + v + "'", e);
    }
  }

  /**
   * Whether stderr is an interactive terminal: the JVM has a console (stdin and stdout are a
   * terminal), {@code TERM} is set and not {@code dumb}, and on Linux file descriptor 2 is a
   * terminal device. Java has no test for stderr itself, and {@code 2>log} with a console is the
   * common case where a bar would fill a file with {@code \r}s, so the device is read from {@code
   * /proc/self/fd/2} where it exists; elsewhere the console decides.
   */
  public static boolean interactive() {
    String term = System.getenv("TERM");
    if (System.console() == null || term == null || term.isEmpty() || term.equals("dumb")) {
      return false;
    }
    Path fd2 = Paths.get("/proc/self/fd/2");
    if (!Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try {
      String dev = Files.readSymbolicLink(fd2).toString();
      return dev.startsWith("/dev/pts/") || dev.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Executor CPU seconds of the tasks that succeeded so far, by segfx stage name (Spark's task
   * metric {@code executorCpuTime}: the CPU of running the task, without deserializing it or
   * sending its result). Task ends reach a listener asynchronously, so a stage's figure is complete
   * once the listener bus has caught up with it.
   */
  public synchronized Map<String, Double> executorCpuSeconds() {
    Map<String, Double> out = new TreeMap<>();
    cpuNanos.forEach((k, v) -> out.put(k, Math.round(v / 1e6) / 1e3));
    return out;
  }

  @Override
  public synchronized void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    StageInfo info = submitted.stageInfo();
    String name = null;
    if (submitted.properties() != null) {
      name = submitted.properties().getProperty("spark.job.description");
    }
    if (name == null || name.isEmpty()) {
      name = "spark";
    }
    stages.put(info.stageId(), new StageProgress(name, info.numTasks(), clock.getAsLong()));
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    StageProgress s = stages.get(end.stageId());
    if (s == null || end.reason() != Success$.MODULE$) {
      return;
    }
    s.done = Math.min(s.total, s.done + 1);
    if (end.taskMetrics() != null) {
      s.rows += end.taskMetrics().inputMetrics().recordsRead();
      cpuNanos.merge(s.name, end.taskMetrics().executorCpuTime(), Long::sum);
    }
    long now = clock.getAsLong();
    if (now - s.lastReport >= intervalNanos && s.done < s.total) {
      s.lastReport = now;
      report(s, now, false);
    }
  }

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted completed) {
    StageProgress s = stages.remove(completed.stageInfo().stageId());
    if (s == null || !s.reported) {
      return;
    }
    if (completed.stageInfo().failureReason().isEmpty()) {
      s.done = s.total;
    }
    report(s, clock.getAsLong(), true);
  }

  private void report(StageProgress s, long now, boolean last) {
    s.reported = true;
    double elapsed = (now - s.started) / 1e9;
    String eta =
        s.done >= s.total
            ? "done"
            : s.done == 0 ? "eta ?" : "eta " + duration(elapsed / s.done * (s.total - s.done));
    String figures =
        String.format(
            Locale.ROOT,
            "%d/%d tasks, %,d rows scanned, %s elapsed, %s",
            s.done,
            s.total,
            s.rows,
            duration(elapsed),
            eta);
    if (bar) {
      int filled = s.total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * s.done / s.total);
      terminal.print(
          "\r"
              + s.name
              + " ["
              + "#".repeat(filled)
              + "-".repeat(BAR_WIDTH - filled)
              + "] "
              + figures
              + "\u001b[K"
              + (last ? "\n" : ""));
      terminal.flush();
    } else {
      lines.accept(
          Instant.now().truncatedTo(ChronoUnit.MILLIS)
              + " run="
              + runId
              + " stage="
              + s.name
              + " progress "
              + figures);
    }
  }

  /** {@code 45 s}, {@code 3 min 05 s}, {@code 2 h 01 min}. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
