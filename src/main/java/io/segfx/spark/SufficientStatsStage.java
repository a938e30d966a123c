package io.segfx.spark;

import io.segfx.config.JobSpec;
import io.segfx.model.InputKind;
import io.segfx.model.MetricSpec;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.Status;
import io.segfx.stats.ExactMoments;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * Stage 1: one scan of the validated input that accumulates, per partition, exact sufficient
 * statistics per (experiment, segment, arm) in primitive arrays, merges them across partitions with
 * one small shuffle (one record per cell and partition; raw rows never move), and fits every
 * (metric, variant) of every cell by {@link OlsFit} on the executors.
 *
 * <p>The scan reads Spark's internal rows directly, after the codegen projection of {@link
 * ValidationStage}, so no per-row external {@code Row} objects are built. Because the statistics
 * are exact, the estimates do not depend on partitioning, task order or retries.
 */
public final class SufficientStatsStage {
  private SufficientStatsStage() {}

  /**
   * What stage 1 returns to the driver.
   *
   * @param estimates every (experiment, metric, variant, segment) cell seen, with its status; a
   *     control-only segment appears once per metric with a null variant
   * @param rowsUsed rows that entered the statistics
   * @param rejectedByReason rows quarantined, per reason (sorted)
   * @param robust the inputs of robust standard errors (empty unless {@code --se} asks for them)
   * @param scan how the input was read: {@value #COLUMNAR}, {@value #ROWS}, or {@value #ESTIMATES}
   */
  public record Result(
      List<SegmentEstimate> estimates,
      long rowsUsed,
      Map<String, Long> rejectedByReason,
      List<RobustInput> robust,
      String scan,
      String sums) {

    /** The result of reading {@code --input-kind estimates} rows (no scan of unit rows). */
    public Result(
        List<SegmentEstimate> estimates, long rowsUsed, Map<String, Long> rejectedByReason) {
      this(estimates, rowsUsed, rejectedByReason, List.of(), ESTIMATES, NONE);
    }

    /** This result with other estimates (robust standard errors filled in). */
    public Result withEstimates(List<SegmentEstimate> replaced) {
      return new Result(replaced, rowsUsed, rejectedByReason, robust, scan, sums);
    }

    public long rowsRejected() {
      long r = 0;
      for (long v : rejectedByReason.values()) {
        r += v;
      }
      return r;
    }
  }

  /** Runs stage 1 on the projection made by {@link ValidationStage#apply} (the row path). */
  public static Result run(Dataset<Row> validated, JobSpec spec) {
    return run(null, validated, spec);
  }

  /**
   * Runs stage 1: from {@code input}'s Parquet column batches where {@link ColumnarScan} applies,
   * otherwise from {@code validated}, the projection made by {@link ValidationStage#apply}. Both
   * give the same result.
   *
   * @param input the input as read, or null for the row path
   */
  public static Result run(Dataset<Row> input, Dataset<Row> validated, JobSpec spec) {
    return run(input, () -> validated, spec);
  }

  /**
   * {@link #run(Dataset, Dataset, JobSpec)} with the row path's projection made only when that path
   * is taken: the columnar scan never reads it, and analysing it costs a fresh JVM a few hundred
   * milliseconds. The caller has checked the schema ({@link ValidationStage#check}).
   *
   * @param input the input as read (not null)
   * @param validated makes {@link ValidationStage#apply}'s projection of {@code input}
   */
  public static Result run(Dataset<Row> input, Supplier<Dataset<Row>> validated, JobSpec spec) {
    boolean totals = spec.inputKind() == InputKind.COUNTS;
    int q = totals ? 1 : spec.covariates().size() + spec.metricSpecs().size();
    SparkSession session = input != null ? input.sparkSession() : validated.get().sparkSession();
    FaultInjection faults = FaultInjection.of(session.sparkContext().getConf());
    FitSettings settings = FitSettings.of(spec);
    boolean[] products = totals ? null : products(spec);
    ColumnarScan columnar = input == null ? null : ColumnarScan.of(input, spec);
    JavaPairRDD<CellKey, SegmentAccumulator> partials =
        columnar != null
            ? columnar.partials(faults, products)
            : validated
                .get()
                .queryExecution()
                .toRdd()
                .toJavaRDD()
                .mapPartitionsToPair(rows -> accumulate(rows, q, products, totals, faults));
    int partitions =
        (session.sparkContext().isLocal() ? LOCAL_REDUCE_TASKS_PER_CORE : REDUCE_TASKS_PER_CORE)
            * Math.max(1, session.sparkContext().defaultParallelism());
    // A plain shuffle and a merge of our own rather than Spark's combineByKey: a task's partials
    // already hold one record per cell, and Spark's aggregation map re-estimates its size by
    // walking every accumulator as it grows, which costs more than merging on a wide input of few
    // rows per cell. A reduce task holds only its share of the cells (REDUCE_TASKS_PER_CORE).
    // One result per reduce task rather than one per cell: the driver then holds each estimate
    // and nothing around it, where a wide run's million cells would each add a pair, a key, a
    // result and a list that live until the last task ends (and are collected in full GCs).
    List<TaskResult> tasks =
        PooledShuffle.partitionBy(
                partials, new HashPartitioner(partitions), CellKey.class, SegmentAccumulator.class)
            .mapPartitions(
                records -> Collections.singletonList(fitAll(merge(records), settings)).iterator())
            .collect();
    List<SegmentEstimate> estimates = new ArrayList<>();
    List<RobustInput> robust = new ArrayList<>();
    Map<String, Long> rejected = new TreeMap<>();
    long used = 0;
    for (TaskResult t : tasks) {
      estimates.addAll(t.estimates());
      robust.addAll(t.robust());
      used += t.rowsUsed();
      t.rejected().forEach((reason, rows) -> rejected.merge(reason, rows, Long::sum));
    }
    return new Result(
        estimates,
        used,
        Collections.unmodifiableMap(rejected),
        robust,
        columnar != null ? COLUMNAR : ROWS,
        columnar != null && columnar.blocks ? BLOCKS : EXACT);
  }

  /** The records of one reduce task merged by cell (exact, so arrival order does not matter). */
  private static Map<CellKey, SegmentAccumulator> merge(
      Iterator<Tuple2<CellKey, SegmentAccumulator>> in) {
    Map<CellKey, SegmentAccumulator> cells = new HashMap<>();
    while (in.hasNext()) {
      Tuple2<CellKey, SegmentAccumulator> t = in.next();
      cells.merge(t._1(), t._2(), SegmentAccumulator::merge);
    }
    return cells;
  }

  /**
   * The merged cells' row counts, fits and robust inputs, in the map's order; a cell's sums are
   * dropped once fitted.
   */
  private static TaskResult fitAll(Map<CellKey, SegmentAccumulator> cells, FitSettings settings) {
    List<SegmentEstimate> estimates = new ArrayList<>();
    List<RobustInput> robust = new ArrayList<>();
    Map<String, Long> rejected = new TreeMap<>();
    long used = 0;
    Iterator<Map.Entry<CellKey, SegmentAccumulator>> it = cells.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<CellKey, SegmentAccumulator> e = it.next();
      SegmentAccumulator a = e.getValue();
      it.remove();
      long rows = a.rows + a.rejected;
      if (e.getKey().rejected()) {
        rejected.merge(e.getKey().segment(), rows, Long::sum);
      } else {
        estimates.addAll(fit(a, settings));
        robust.addAll(robust(a, settings));
        used += rows;
      }
    }
    return new TaskResult(used, rejected, estimates, robust);
  }

  /**
   * Reduce tasks of the merge-and-fit step per core. A reduce task holds every cell of its share in
   * memory until the last map output arrives (its sums as shipped, a few hundred bytes a cell), and
   * its estimates and their serialized form until it ends, while its fits allocate fast: what a
   * task holds is copied by every young collection it lives through and promoted, to be dropped by
   * a full one. Smaller tasks hold less for less time (docs/performance.md).
   */
  static final int REDUCE_TASKS_PER_CORE = 8;

  /**
   * {@link #REDUCE_TASKS_PER_CORE} in local mode, where the one JVM also holds every estimate the
   * tasks have returned, so that what the tasks hold is promoted into a fuller old generation.
   * Twice as many tasks measured faster there; on a cluster they would double the shuffle's blocks
   * (map tasks × reduce tasks) unmeasured, so a cluster keeps the smaller count.
   */
  static final int LOCAL_REDUCE_TASKS_PER_CORE = 16;

  /**
   * Moments of a task that hold bins at a time ({@link ExactMoments.Bins}): rows of a cell mostly
   * arrive together, so a few suffice; 256 cost about 1.4 MB per task with four value columns.
   */
  static final int BINS = 256;

  /**
   * {@link Result#sums()}, the manifest's {@code stage1_sums}: large arm cells of clean blocks
   * summed per block ({@link ColumnarScan#blocks}).
   */
  public static final String BLOCKS = "blocks";

  /** {@link Result#sums()}: every row's sums exact. */
  public static final String EXACT = "exact";

  /** {@link Result#sums()} for estimates input: nothing summed. */
  public static final String NONE = "none";

  /** {@link Result#scan()}: Parquet column batches, by {@link ColumnarScan}. */
  public static final String COLUMNAR = "columnar";

  /** {@link Result#scan()}: rows of the {@link ValidationStage} projection. */
  public static final String ROWS = "rows";

  /** {@link Result#scan()}: estimates input, no unit rows. */
  public static final String ESTIMATES = "estimates";

  private static final int EXPERIMENT = Columns.EXPERIMENT_ORDINAL;
  private static final int SEGMENT = Columns.SEGMENT_ORDINAL;
  private static final int ARM = Columns.ARM_ORDINAL;
  private static final int REASON = Columns.REASON_ORDINAL;

  /**
   * What one reduce task returns: the rows of its cells, its rejected rows by reason, and its
   * cells' estimates and robust inputs.
   */
  record TaskResult(
      long rowsUsed,
      Map<String, Long> rejected,
      List<SegmentEstimate> estimates,
      List<RobustInput> robust)
      implements Serializable {}

  /** The robust-variance inputs of one cell's continuous fits (none unless --se asks for them). */
  static List<RobustInput> robust(SegmentAccumulator acc, FitSettings settings) {
    List<RobustInput> out = new ArrayList<>();
    if (acc.experiment == null || !settings.robust()) {
      return out;
    }
    ExactMoments c = acc.arm(settings.controlArm());
    List<MetricSpec> metrics = settings.metrics();
    int k = settings.covariates();
    for (String variant : acc.arms) {
      if (variant.equals(settings.controlArm())) {
        continue;
      }
      for (int m = 0; m < metrics.size(); m++) {
        RobustInput r =
            CellFit.robustInput(
                acc.experiment,
                acc.segment,
                variant,
                m,
                metrics.get(m),
                c,
                acc.arm(variant),
                k + m,
                k);
        if (r != null) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /**
   * The cross products the fits read, over the columns covariates then metrics (flags in {@link
   * ExactMoments#crossExact} order): the covariates' products with each other and with every
   * continuous metric, and every metric's square. Products of two metrics, and of a covariate with
   * a binary (Beta–Binomial) metric, are never read, so they are not accumulated.
   */
  static boolean[] products(JobSpec spec) {
    int k = spec.covariates().size();
    List<MetricSpec> metrics = spec.metricSpecs();
    int q = k + metrics.size();
    boolean[] flags = new boolean[q * (q + 1) / 2];
    int s = 0;
    for (int i = 0; i < q; i++) {
      for (int j = i; j < q; j++) {
        boolean bothCovariates = j < k;
        boolean covariateAndContinuous = i < k && j >= k && !metrics.get(j - k).binary();
        flags[s++] = bothCovariates || covariateAndContinuous || (i == j);
      }
    }
    return flags;
  }

  private static Iterator<Tuple2<CellKey, SegmentAccumulator>> accumulate(
      Iterator<InternalRow> rows,
      int q,
      boolean[] products,
      boolean totals,
      FaultInjection faults) {
    Map<String, SegmentAccumulator> cells = new HashMap<>();
    Map<String, SegmentAccumulator> rejected = new HashMap<>();
    double[] v = new double[q];
    // Rows of a cell usually arrive together (inputs are written or sorted by experiment), so the
    // previous row's cell and arm are checked first: a byte comparison instead of a hash lookup.
    UTF8String lastExperiment = null;
    UTF8String lastSegment = null;
    UTF8String lastArm = null;
    SegmentAccumulator acc = null;
    ExactMoments arm = null;
    ExactMoments.Bins bins = new ExactMoments.Bins(BINS);
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      if (!r.isNullAt(REASON)) {
        String reason = r.getUTF8String(REASON).toString();
        rejected.computeIfAbsent(reason, k -> new SegmentAccumulator(null, k, q, products))
            .rejected++;
        continue;
      }
      UTF8String experiment = r.getUTF8String(EXPERIMENT);
      UTF8String segment = r.getUTF8String(SEGMENT);
      if (acc == null || !experiment.equals(lastExperiment) || !segment.equals(lastSegment)) {
        String e = experiment.toString();
        String g = segment.toString();
        acc =
            cells.computeIfAbsent(
                CellKey.text(e, g), k -> new SegmentAccumulator(e, g, q, products));
        lastExperiment = experiment.copy();
        lastSegment = segment.copy();
        arm = null;
      }
      UTF8String armValue = r.getUTF8String(ARM);
      if (arm == null || !armValue.equals(lastArm)) {
        arm = acc.arm(armValue);
        lastArm = armValue.copy();
      }
      acc.rows++;
      if (totals) {
        arm.acceptTotals(
            (long) r.getDouble(Columns.FIRST_VALUE),
            r.getDouble(Columns.FIRST_VALUE + 1),
            r.getDouble(Columns.FIRST_VALUE + 2));
        continue;
      }
      for (int i = 0; i < q; i++) {
        v[i] = r.getDouble(Columns.FIRST_VALUE + i);
      }
      arm.accept(v, bins);
    }
    // Kryo ships the limbs only: the bins go into them first.
    bins.flush();
    faults.maybeFail("stage-1");
    return partials(cells.values(), rejected.values());
  }

  /** A task's output: its cells, and its quarantine tallies keyed by reason. */
  static Iterator<Tuple2<CellKey, SegmentAccumulator>> partials(
      Iterable<SegmentAccumulator> cells, Iterable<SegmentAccumulator> rejected) {
    List<Tuple2<CellKey, SegmentAccumulator>> out = new ArrayList<>();
    for (SegmentAccumulator a : cells) {
      out.add(new Tuple2<>(new CellKey(false, a.experiment, a.segment), a));
    }
    for (SegmentAccumulator a : rejected) {
      out.add(new Tuple2<>(new CellKey(true, null, a.segment), a));
    }
    return out.iterator();
  }

  /**
   * Fits every (metric, variant) of one cell. A rejection tally comes back as one pseudo-estimate
   * whose {@code nControl} carries the count.
   */
  static List<SegmentEstimate> fit(SegmentAccumulator acc, FitSettings settings) {
    List<SegmentEstimate> out = new ArrayList<>();
    if (acc.experiment == null) {
      out.add(SegmentEstimate.empty(null, null, null, acc.segment, acc.rejected, 0, null, null));
      return out;
    }
    String control = settings.controlArm();
    List<MetricSpec> metrics = settings.metrics();
    ExactMoments c = acc.arm(control);
    long nc = c == null ? 0 : c.count();
    List<String> variants = new ArrayList<>(acc.arms);
    variants.remove(control);
    Collections.sort(variants);
    for (int m = 0; m < metrics.size(); m++) {
      MetricSpec metric = metrics.get(m);
      if (variants.isEmpty()) {
        out.add(
            SegmentEstimate.empty(
                acc.experiment,
                metric.column(),
                null,
                acc.segment,
                nc,
                0,
                Status.EMPTY_TREATMENT.code(),
                metric.kind()));
      }
      for (String variant : variants) {
        out.add(
            CellFit.fit(
                new CellFit.Cell(
                    acc.experiment,
                    acc.segment,
                    variant,
                    metric,
                    c,
                    acc.arm(variant),
                    settings.column(m)),
                settings));
      }
    }
    return out;
  }
}
