package io.segfx.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import io.segfx.config.JobSpec;
import io.segfx.config.OptionValues;
import io.segfx.job.SegmentEffectsJob;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple4;

/**
 * The benchmark behind {@code scripts/bench} (benchmark code, not part of the product): generates
 * (once, cached) a workload with {@code segfx generate}, then times three contenders: (1) the segfx
 * job; (2) a peer implementation of what many teams write, grouping each (experiment, segment)'s
 * rows and fitting Commons Math OLS per group; (3) a bare Spark SQL sum aggregation of the needed
 * products with a driver solve, the ceiling reference. Each runs twice: as a whole command, a JVM
 * of its own from start to exit ({@link WholeCommand}: what a user pays, JVM and session start, JIT
 * and writes included), and inside this JVM in one local session, where segfx is also timed stage
 * by stage. It checks that segfx and the peer agree to 1e-9 relative, and ends with one summary
 * line.
 */
public final class Bench {
  private Bench() {}

  private static String[] jobArgs(String input, String output, List<String> extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--input",
                input,
                "--output",
                output,
                "--mode",
                "overwrite",
                "--metric",
                "revenue,converted:binary",
                "--covariates",
                "x1,x2"));
    a.addAll(extra);
    return a.toArray(new String[0]);
  }

  /** CPU time of this process so far (all threads), in seconds. */
  private static double processCpu() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /**
   * CPU seconds of this process's live threads by kind (JIT compiler, garbage collector, Spark task
   * threads, other), from {@code /proc/self/task/<tid>/stat} on Linux; empty elsewhere. Threads
   * that have ended are not counted, so the kinds need not add up to {@link #processCpu()}.
   */
  static Map<String, Double> threadCpu() {
    Map<String, Double> byKind = new TreeMap<>();
    File[] tasks = new File("/proc/self/task").listFiles();
    if (tasks == null) {
      return byKind;
    }
    for (File t : tasks) {
      String stat;
      try {
        stat = Files.readString(t.toPath().resolve("stat"));
      } catch (IOException | RuntimeException e) {
        continue; // the thread ended between the listing and the read
      }
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      String name = stat.substring(open + 1, close);
      String[] f = stat.substring(close + 2).split(" ");
      // Fields 14 and 15 of proc(5), utime and stime, in clock ticks (USER_HZ, 100 on Linux).
      double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
      String kind =
          name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")
              ? "jit"
              : name.startsWith("GC Thread")
                      || name.startsWith("VM Thread")
                      || name.startsWith("G1 ")
                  ? "gc"
                  : name.startsWith("Executor task")
                      ? "tasks"
                      : name.equals("main") ? "main" : "other";
      byKind.merge(kind, seconds, Double::sum);
    }
    return byKind;
  }

  /** {@code after - before}, kind by kind, rounded to 0.1 s. */
  static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
    Map<String, Double> d = new TreeMap<>();
    after.forEach((k, v) -> d.put(k, Math.round((v - before.getOrDefault(k, 0.0)) * 10) / 10.0));
    return d;
  }

  /** Executor CPU seconds per completed Spark stage, by the stage's call site. */
  private static final class StageCpu extends SparkListener {
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted e) {
      String site = e.stageInfo().name().replaceAll(" at ", "@").replaceAll("\\.java:\\d+", "");
      seconds.merge(
          site,
          Math.round(e.stageInfo().taskMetrics().executorCpuTime() / 1e8) / 10.0,
          Double::sum);
      TaskMetrics m = e.stageInfo().taskMetrics();
      boolean stage1 = site.contains("ColumnarScan") || site.contains("SufficientStatsStage");
      totals.merge("result_bytes", (double) m.resultSize(), Double::sum);
      if (stage1) {
        // Stage 1's shuffle only: stage 3 shuffles one small record per group besides.
        totals.merge(
            "shuffle_write_bytes", (double) m.shuffleWriteMetrics().bytesWritten(), Double::sum);
        totals.merge(
            "shuffle_write_records",
            (double) m.shuffleWriteMetrics().recordsWritten(),
            Double::sum);
        totals.merge("stage1_result_bytes", (double) m.resultSize(), Double::sum);
        totals.merge("stage1_cpu_ns", (double) m.executorCpuTime(), Double::sum);
      }
      long wall =
          e.stageInfo().completionTime().isDefined() && e.stageInfo().submissionTime().isDefined()
              ? (Long) e.stageInfo().completionTime().get()
                  - (Long) e.stageInfo().submissionTime().get()
              : -1;
      details.put(
          site,
          String.format(
              Locale.ROOT,
              "%d tasks, wall %.1f s, task run %.1f s, task GC %.1f s, shuffle write %.0f MB,"
                  + " shuffle read %.0f MB",
              e.stageInfo().numTasks(),
              wall / 1e3,
              m.executorRunTime() / 1e3,
              m.jvmGCTime() / 1e3,
              m.shuffleWriteMetrics().bytesWritten() / 1e6,
              m.shuffleReadMetrics().totalBytesRead() / 1e6));
    }

    private final Map<String, String> details = new LinkedHashMap<>();

    /** Totals over the stages since {@link #reset}: shuffle writes, task results, stage 1's CPU. */
    private final Map<String, Double> totals = new TreeMap<>();

    synchronized void reset() {
      seconds.clear();
      details.clear();
      totals.clear();
    }

    synchronized double total(String key) {
      return totals.getOrDefault(key, 0.0);
    }

    synchronized Map<String, String> details() {
      return new LinkedHashMap<>(details);
    }

    synchronized Map<String, Double> seconds() {
      return new LinkedHashMap<>(seconds);
    }
  }

  /**
   * A generated workload: {@code scripts/segfx generate} with these options.
   *
   * @param name W10, W50 or WIDE
   * @param experiments experiments
   * @param segments segments per experiment
   * @param minUnits fewest units per segment
   * @param maxUnits most units per segment
   * @param seed generator seed
   */
  record Workload(
      String name, int experiments, int segments, int minUnits, int maxUnits, long seed) {
    static Workload of(String name, long rows) {
      Workload w =
          switch (name) {
            case "W10" -> new Workload(name, 1000, 20, 100, 900, 11);
            case "W50" -> new Workload(name, 5000, 20, 100, 900, 11);
            // The wide input of docs/performance.md, as `scripts/segfx generate` writes it with its
            // default seed.
            case "WIDE" -> new Workload(name, 100_000, 10, 10, 30, 7);
            default ->
                throw new IllegalArgumentException(
                    "workload must be W10, W50 or WIDE, got " + name);
          };
      if (rows <= 0) {
        return w;
      }
      // A reduced workload of about `rows` rows: fewer experiments of the same shape.
      long perExperiment = (long) w.segments * (w.minUnits + w.maxUnits) / 2;
      int e = (int) Math.max(1, rows / perExperiment);
      return new Workload(name, e, w.segments, w.minUnits, w.maxUnits, w.seed);
    }

    /** The cached data folder, {@code NAME-EXPERIMENTSxSEGMENTS.parquet} under {@code dir}. */
    Path data(Path dir) {
      return dir.resolve(name + "-" + experiments + "x" + segments + ".parquet");
    }

    List<String> generateArgs(Path data, String master) {
      return List.of(
          "generate",
          "--output",
          data.toString(),
          "--experiments",
          String.valueOf(experiments),
          "--segments",
          String.valueOf(segments),
          "--min-units",
          String.valueOf(minUnits),
          "--max-units",
          String.valueOf(maxUnits),
          "--variants",
          "1",
          "--seed",
          String.valueOf(seed),
          "--mode",
          "overwrite",
          "--master",
          master);
    }
  }

  /** The session of the in-JVM contenders and of {@link PeerJob} and {@link BareAggregationJob}. */
  static SparkSession session(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("segfx-bench")
        .config("spark.ui.enabled", "false")
        .config(
            "spark.sql.shuffle.partitions",
            String.valueOf(2 * Runtime.getRuntime().availableProcessors()))
        // As scripts/segfx runs the job (SegfxMain.session).
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.referenceTracking", "false")
        .config("spark.kryo.registrator", "io.segfx.spark.SegfxKryoRegistrator")
        .getOrCreate();
  }

  /** Cores of a local master: N of local[N], all of local[*] or local. */
  static int cores(String master) {
    Matcher m = Pattern.compile("local\\[(\\d+)]").matcher(master);
    return m.matches() ? Integer.parseInt(m.group(1)) : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Wall seconds after stage 1 (pooling, draws with the decision tables, the writes with memos and
   * report), from the manifest's {@code stage_seconds}: every stage but {@code read_aggregate} and
   * the pieces nested in another ({@code decision_tables} in {@code draws}, {@code memos} and
   * {@code report} in {@code write}).
   */
  static double afterStage1(Map<String, Double> stages) {
    double s = 0;
    for (Map.Entry<String, Double> e : stages.entrySet()) {
      if (!List.of("read_aggregate", "decision_tables", "memos", "report").contains(e.getKey())) {
        s += e.getValue();
      }
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readManifest(Path out) throws IOException {
    return new ObjectMapper().readValue(out.resolve("manifest.json").toFile(), Map.class);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Double> stageSeconds(Map<String, Object> manifest) {
    Map<String, Double> m = new LinkedHashMap<>();
    ((Map<String, Object>) manifest.get("stage_seconds"))
        .forEach((k, v) -> m.put(k, ((Number) v).doubleValue()));
    return m;
  }

  public static void main(String[] args) throws Exception {
    String workloadName = "W10";
    long rows = -1;
    Path dataDir = Path.of("target/bench-data");
    String master = "local[2]";
    boolean peer = true;
    boolean inJvm = true;
    boolean launcher = false;
    List<String> jobOptions = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--workload" -> workloadName = args[++i];
        case "--quick" -> workloadName = "W10";
        case "--rows" -> rows = Long.parseLong(args[++i]);
        case "--data-dir" -> dataDir = Path.of(args[++i]);
        case "--master" -> master = args[++i];
        case "--no-peer" -> peer = false;
        case "--no-jvm" -> inJvm = false;
        case "--launcher" -> launcher = true;
        // Passed on to segment-effects, e.g. --pooling reml or --report none to compare settings.
        case "--pooling", "--report" -> {
          jobOptions.add(args[i]);
          jobOptions.add(args[++i]);
        }
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; usage: bench [--workload W10|W50|WIDE] [--quick] [--rows N]"
                    + " [--data-dir DIR] [--master M] [--no-peer] [--no-jvm] [--launcher]"
                    + " [--pooling M]"
                    + " [--report R]");
      }
    }
    Workload workload = Workload.of(workloadName, rows);
    Path data = workload.data(dataDir);
    Path logs = dataDir.resolve("logs-" + workload.name());
    if (!Files.exists(data.resolve("_SUCCESS"))) {
      WholeCommand.Result g =
          WholeCommand.run(
              "generate", SegfxCommand.class, workload.generateArgs(data, master), logs);
      say("bench: generated %s in %.1f s (not part of any figure)", data, g.seconds());
    } else {
      say("bench: data %s (cached)", data);
    }

    // Whole commands, what a user pays: each contender in a JVM of its own, with this JVM's
    // options, before this JVM starts a Spark session of its own, so none shares the machine with
    // an idle one. The peer and the bare aggregation go first, as in the in-JVM part below.
    WholeCommand.Result peerCmd = null;
    if (peer) {
      peerCmd = WholeCommand.run("peer", PeerJob.class, List.of(data.toString(), master), logs);
      say("bench: peer as a whole command %.2f s", peerCmd.seconds());
    }
    WholeCommand.Result bareCmd =
        WholeCommand.run(
            "bare-aggregation", BareAggregationJob.class, List.of(data.toString(), master), logs);
    say("bench: bare aggregation as a whole command %.2f s", bareCmd.seconds());
    Path cmdOut = dataDir.resolve("out-" + workload.name() + "-cmd");
    List<String> segfxArgs = new ArrayList<>(List.of("segment-effects"));
    segfxArgs.addAll(List.of(jobArgs(data.toString(), cmdOut.toString(), jobOptions)));
    segfxArgs.addAll(List.of("--master", master));
    WholeCommand.Result segfxCmd;
    if (launcher) {
      // scripts/segfx as a user runs it: its class-data archive, written by a first run of a build
      // (untimed, like the data), then mapped by every later run.
      List<String> script = new ArrayList<>();
      script.add(Path.of(System.getProperty("segfx.home", "."), "scripts", "segfx").toString());
      script.addAll(segfxArgs);
      WholeCommand.Result first = WholeCommand.run("segfx-launcher-first", script, logs);
      say("bench: segfx launcher, first run (writes the archive if none) %.2f s", first.seconds());
      segfxCmd = WholeCommand.run("segfx", script, logs);
      say("bench: segfx through scripts/segfx (%s)", System.getenv("SEGFX_JAVA_OPTS"));
    } else {
      segfxCmd = WholeCommand.run("segfx", SegfxCommand.class, segfxArgs, logs);
    }
    Map<String, Object> cmdManifest = readManifest(cmdOut);
    Map<String, Double> cmdStages = stageSeconds(cmdManifest);
    long n = ((Number) cmdManifest.get("rows_read")).longValue();
    double cmdStage1 = cmdStages.get("read_aggregate");
    int cores = cores(master);
    double msPerExperimentCore = afterStage1(cmdStages) * cores * 1e3 / workload.experiments();
    say(
        "bench: segfx as a whole command %.2f s (%,d rows, %d experiments); stages %s",
        segfxCmd.seconds(), n, workload.experiments(), cmdStages);
    say(
        "bench: segfx command: stage 1 %.2f s = %,.0f rows/s; after stage 1 %.2f s = %.3f ms per"
            + " experiment per core (%d cores)",
        cmdStage1, n / cmdStage1, afterStage1(cmdStages), msPerExperimentCore, cores);
    say(
        "bench: whole commands, peak heap (sum of pool peaks) / peak resident / process CPU:"
            + " segfx %d MiB / %d MiB / %.1f s, peer %s, bare aggregation %d MiB / %d MiB / %.1f s",
        (long) segfxCmd.peakHeapBytes() >> 20,
        (long) segfxCmd.peakRssBytes() >> 20,
        segfxCmd.cpuSeconds(),
        peerCmd == null
            ? "-"
            : String.format(
                Locale.ROOT,
                "%d MiB / %d MiB / %.1f s",
                (long) peerCmd.peakHeapBytes() >> 20,
                (long) peerCmd.peakRssBytes() >> 20,
                peerCmd.cpuSeconds()),
        (long) bareCmd.peakHeapBytes() >> 20,
        (long) bareCmd.peakRssBytes() >> 20,
        bareCmd.cpuSeconds());

    double peerSeconds = Double.NaN;
    double bareSeconds = Double.NaN;
    double segfxSeconds = Double.NaN;
    double stage1 = Double.NaN;
    if (inJvm) {
      double[] jvm = inJvm(workload, data, dataDir, cmdOut, master, peer, jobOptions);
      peerSeconds = jvm[0];
      bareSeconds = jvm[1];
      segfxSeconds = jvm[2];
      stage1 = jvm[3];
    }
    double peerCmdSeconds = peerCmd == null ? Double.NaN : peerCmd.seconds();
    say(
        "bench: workload=%s rows=%d segfx_cmd_s=%.2f peer_cmd_s=%.2f bare_agg_cmd_s=%.2f"
            + " speedup_vs_peer=%.2f segfx_vs_bare_agg=%.2f stage1_rows_per_s=%.0f"
            + " after_stage1_ms_per_experiment_core=%.3f segfx_cmd_peak_heap_mib=%.0f"
            + " segfx_jvm_s=%.2f peer_jvm_s=%.2f bare_agg_jvm_s=%.2f speedup_vs_peer_jvm=%.2f"
            + " segfx_vs_bare_agg_jvm=%.2f stage1_jvm_rows_per_s=%.0f segfx_cmd_cpu_s=%.1f"
            + " peer_cmd_cpu_s=%.1f bare_agg_cmd_cpu_s=%.1f segfx_launcher=%b",
        workload.name(),
        n,
        segfxCmd.seconds(),
        peerCmdSeconds,
        bareCmd.seconds(),
        peerCmdSeconds / segfxCmd.seconds(),
        segfxCmd.seconds() / bareCmd.seconds(),
        n / cmdStage1,
        msPerExperimentCore,
        // NaN when unmeasured (the launcher's JVM prints no peaks).
        Math.floor(segfxCmd.peakHeapBytes() / (1 << 20)),
        segfxSeconds,
        peerSeconds,
        bareSeconds,
        peerSeconds / segfxSeconds,
        segfxSeconds / bareSeconds,
        n / stage1,
        segfxCmd.cpuSeconds(),
        peerCmd == null ? Double.NaN : peerCmd.cpuSeconds(),
        bareCmd.cpuSeconds(),
        launcher);
  }

  /**
   * The three contenders in this JVM and one session, segfx stage by stage; checks segfx, in this
   * JVM and as the command wrote it to {@code cmdOut}, against the peer. Returns {peer, bare
   * aggregation, segfx, segfx stage 1} wall seconds.
   */
  private static double[] inJvm(
      Workload workload,
      Path data,
      Path dataDir,
      Path cmdOut,
      String master,
      boolean peer,
      List<String> jobOptions)
      throws IOException {
    SparkSession spark = session(master);
    long n = spark.read().parquet(data.toString()).count();

    // The peer and the bare aggregation run first, so segfx does not profit from a warmer JVM.
    // (2) the per-group peer.
    double peerSeconds = Double.NaN;
    Map<String, double[]> peerEstimates = Map.of();
    StageCpu stageCpu = new StageCpu();
    spark.sparkContext().addSparkListener(stageCpu);
    double peerCpu = Double.NaN;
    if (peer) {
      long t2 = System.nanoTime();
      double c2 = processCpu();
      peerEstimates = peer(spark, data.toString());
      peerSeconds = seconds(t2);
      peerCpu = processCpu() - c2;
      say(
          "bench: in-JVM peer groupByKey + per-group OLS %.2f s (%d cells)",
          peerSeconds, peerEstimates.size());
    }
    // (3) the bare Spark sum aggregation plus a driver solve.
    long t1 = System.nanoTime();
    double c1 = processCpu();
    Map<String, double[]> bare = bareAggregation(spark, data.toString());
    double bareSeconds = seconds(t1);
    double bareCpu = processCpu() - c1;
    say(
        "bench: in-JVM bare Spark SQL sum aggregation + driver solve %.2f s (%d cells)",
        bareSeconds, bare.size());

    // (1) segfx, in this JVM: per-stage times come from its manifest.
    Path out = dataDir.resolve("out-" + workload.name());
    resetPeaks();
    stageCpu.reset();
    long t0 = System.nanoTime();
    double c0 = processCpu();
    Map<String, Double> threads0 = threadCpu();
    SegmentEffectsJob.Outcome o =
        SegmentEffectsJob.run(
            spark,
            JobSpec.from(
                OptionValues.resolve(
                    JobSpec.COMMAND,
                    JobSpec.OPTIONS,
                    jobArgs(data.toString(), out.toString(), jobOptions),
                    null)));
    double segfxSeconds = seconds(t0);
    double segfxCpu = processCpu() - c0;
    Map<String, Double> segfxThreads = minus(threadCpu(), threads0);
    long heap = peakHeap();
    Map<String, Double> stages = stageSeconds(o.manifest());
    say(
        "bench: in-JVM segfx end to end %.2f s; stages %s; peak driver heap %d MiB",
        segfxSeconds, stages, heap >> 20);
    say(
        "bench: segfx output pieces (seconds, written side by side) %s",
        o.manifest().get("write_seconds"));
    double stage1 = stages.get("read_aggregate");
    say("bench: in-JVM segfx stage 1 %.2f s = %,.0f rows/s", stage1, n / stage1);
    // CPU seconds of the whole process (driver and local executors): on a VM with noisy
    // neighbours they vary less than wall time, so they compare builds better.
    say(
        "bench: in-JVM process CPU seconds: segfx %.1f, peer %.1f, bare aggregation %.1f; segfx"
            + " executor CPU per Spark stage %s",
        segfxCpu, peerCpu, bareCpu, stageCpu.seconds());
    say("bench: segfx CPU seconds by thread kind (live threads) %s", segfxThreads);
    say("bench: segfx Spark stages %s", stageCpu.details());

    costModel(workload, n, stageCpu, out, stages);

    Map<String, double[]> segfx = segfxEstimates(spark, out.toString());
    if (peer) {
      double worst = compare(segfx, peerEstimates);
      say(
          "bench: segfx vs peer estimates and SEs: max relative difference %.2e over %d cells",
          worst, segfx.size());
      if (!(worst <= 1e-9)) {
        throw new IllegalStateException("segfx and the peer disagree beyond 1e-9: " + worst);
      }
      double worstCmd = compare(segfxEstimates(spark, cmdOut.toString()), peerEstimates);
      say("bench: segfx command vs peer estimates and SEs: max relative difference %.2e", worstCmd);
      if (!(worstCmd <= 1e-9)) {
        throw new IllegalStateException(
            "the segfx command and the peer disagree beyond 1e-9: " + worstCmd);
      }
    }
    double worstBare = compare(segfx, bare);
    say(
        "bench: segfx vs bare aggregation estimates: max relative difference %.2e (raw sums lose"
            + " digits; information only)",
        worstBare);
    spark.stop();
    return new double[] {peerSeconds, bareSeconds, segfxSeconds, stage1};
  }

  /**
   * The figures of the cost model in docs/performance.md, from the Spark task metrics of the in-JVM
   * segfx run: executor CPU per row of stage 1, shuffle bytes per cell (an (experiment, segment,
   * arm) of one input, all metrics together) and per shuffled record, bytes of task results sent to
   * the driver per group (an (experiment, metric) pooled together), driver seconds per group after
   * stage 1, and output bytes per group.
   */
  private static void costModel(
      Workload workload, long rows, StageCpu m, Path out, Map<String, Double> stages)
      throws IOException {
    long cells = (long) workload.experiments() * workload.segments() * 2;
    long groups = (long) workload.experiments() * 2; // revenue and converted
    long outputBytes;
    try (var files = Files.walk(out)) {
      outputBytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    say(
        "bench: cost model (in-JVM segfx, %,d cells, %,d groups): stage-1 executor CPU %.0f ns per"
            + " row; shuffle %.0f bytes per cell (%.2f records per cell, %.0f bytes per record);"
            + " driver results %.0f bytes per group (stage 1 %.0f); wall time after stage 1"
            + " %.3f ms per group; output %.0f bytes per group",
        cells,
        groups,
        m.total("stage1_cpu_ns") / rows,
        m.total("shuffle_write_bytes") / cells,
        m.total("shuffle_write_records") / cells,
        m.total("shuffle_write_bytes") / Math.max(1, m.total("shuffle_write_records")),
        m.total("result_bytes") / groups,
        m.total("stage1_result_bytes") / groups,
        afterStage1(stages) * 1e3 / groups,
        (double) outputBytes / groups);
  }

  /** segfx's revenue estimates per (experiment, segment): {estimate, std_error}. */
  static Map<String, double[]> segfxEstimates(SparkSession spark, String out) {
    Map<String, double[]> m = new HashMap<>();
    for (Row r :
        spark
            .read()
            .parquet(out + "/segment_estimates")
            .where("metric = 'revenue' AND status = 'ok'")
            .collectAsList()) {
      m.put(
          r.getAs("experiment_id") + "|" + r.getAs("segment"),
          new double[] {r.getAs("estimate"), r.getAs("std_error")});
    }
    return m;
  }

  /** What many teams write: group the rows of each (experiment, segment), fit OLS per group. */
  static Map<String, double[]> peer(SparkSession spark, String data) {
    Dataset<Row> in =
        spark.read().parquet(data).select("experiment_id", "segment", "arm", "x1", "x2", "revenue");
    List<Tuple4<String, String, Double, Double>> fits =
        in.groupByKey(
                (MapFunction<Row, String>) r -> r.getString(0) + "|" + r.getString(1),
                Encoders.STRING())
            .mapGroups(
                (MapGroupsFunction<String, Row, Tuple4<String, String, Double, Double>>)
                    (key, it) -> {
                      List<double[]> rows = new ArrayList<>();
                      while (it.hasNext()) {
                        Row r = it.next();
                        rows.add(
                            new double[] {
                              r.getInt(2) == 0 ? 0 : 1,
                              r.getDouble(3),
                              r.getDouble(4),
                              r.getDouble(5)
                            });
                      }
                      double[][] x = new double[rows.size()][3];
                      double[] y = new double[rows.size()];
                      for (int i = 0; i < rows.size(); i++) {
                        System.arraycopy(rows.get(i), 0, x[i], 0, 3);
                        y[i] = rows.get(i)[3];
                      }
                      OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
                      ols.newSampleData(y, x);
                      String[] k = key.split("\\|");
                      return new Tuple4<>(
                          k[0],
                          k[1],
                          ols.estimateRegressionParameters()[1],
                          ols.estimateRegressionParametersStandardErrors()[1]);
                    },
                Encoders.tuple(
                    Encoders.STRING(), Encoders.STRING(), Encoders.DOUBLE(), Encoders.DOUBLE()))
            .collectAsList();
    Map<String, double[]> m = new HashMap<>();
    for (Tuple4<String, String, Double, Double> f : fits) {
      m.put(f._1() + "|" + f._2(), new double[] {f._3(), f._4()});
    }
    return m;
  }

  /**
   * Raw sums per (experiment, segment, arm) by Spark SQL, then the normal equations on the driver.
   */
  static Map<String, double[]> bareAggregation(SparkSession spark, String data) {
    Dataset<Row> in = spark.read().parquet(data);
    String[] v = {"x1", "x2", "revenue"};
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("n"));
    for (String a : v) {
      aggs.add(sum(col(a)).as("s_" + a));
    }
    for (int i = 0; i < v.length; i++) {
      for (int j = i; j < v.length; j++) {
        aggs.add(sum(col(v[i]).multiply(col(v[j]))).as("q_" + v[i] + "_" + v[j]));
      }
    }
    List<Row> sums =
        in.groupBy("experiment_id", "segment", "arm")
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
            .collectAsList();
    Map<String, List<Row>> cells = new HashMap<>();
    for (Row r : sums) {
      cells.computeIfAbsent(r.getString(0) + "|" + r.getString(1), k -> new ArrayList<>()).add(r);
    }
    Map<String, double[]> out = new HashMap<>();
    for (Map.Entry<String, List<Row>> c : cells.entrySet()) {
      // Design [1, t, x1, x2]; X'X and X'y from the arms' raw sums.
      double[][] xtx = new double[4][4];
      double[] xty = new double[4];
      double yty = 0;
      long n = 0;
      for (Row r : c.getValue()) {
        double t = r.getInt(2) == 0 ? 0 : 1;
        long na = r.getLong(3);
        double s1 = r.getDouble(4);
        double s2 = r.getDouble(5);
        double sy = r.getDouble(6);
        double q11 = r.getDouble(7);
        double q12 = r.getDouble(8);
        double q1y = r.getDouble(9);
        double q22 = r.getDouble(10);
        double q2y = r.getDouble(11);
        double qyy = r.getDouble(12);
        double[][] q = {
          {na, t * na, s1, s2},
          {t * na, t * na, t * s1, t * s2},
          {s1, t * s1, q11, q12},
          {s2, t * s2, q12, q22}
        };
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 4; j++) {
            xtx[i][j] += q[i][j];
          }
        }
        xty[0] += sy;
        xty[1] += t * sy;
        xty[2] += q1y;
        xty[3] += q2y;
        yty += qyy;
        n += na;
      }
      RealMatrix a = new Array2DRowRealMatrix(xtx);
      LUDecomposition lu = new LUDecomposition(a);
      if (!lu.getSolver().isNonSingular()) {
        continue;
      }
      RealMatrix inv = lu.getSolver().getInverse();
      double[] beta = inv.operate(new ArrayRealVector(xty)).toArray();
      double rss = yty;
      for (int i = 0; i < 4; i++) {
        rss -= beta[i] * xty[i];
      }
      out.put(c.getKey(), new double[] {beta[1], Math.sqrt(rss / (n - 4) * inv.getEntry(1, 1))});
    }
    return out;
  }

  /** The largest relative difference of estimates and SEs over the cells both have. */
  static double compare(Map<String, double[]> a, Map<String, double[]> b) {
    double worst = 0;
    int common = 0;
    for (Map.Entry<String, double[]> e : a.entrySet()) {
      double[] o = b.get(e.getKey());
      if (o == null) {
        continue;
      }
      common++;
      for (int i = 0; i < 2; i++) {
        worst =
            Math.max(
                worst,
                Math.abs(e.getValue()[i] - o[i]) / Math.max(Math.abs(e.getValue()[i]), 1e-300));
      }
    }
    return common == 0 ? Double.NaN : worst;
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long total = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        total += p.getPeakUsage().getUsed();
      }
    }
    return total;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
