package io.segfx.job;

import io.segfx.sim.ExampleDataGenerator;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Path;
import org.apache.spark.executor.ShuffleWriteMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost model's bounds (docs/performance.md, Cost model), checked in bytes, not time: stage 1
 * shuffles at most one record per (experiment, segment) and map task, a record is at most the
 * serialized size of its exact sums, and the task results that reach the driver are at most the
 * model's bytes per group plus Spark's own share per task. A change that ships more per cell
 * (another serializer, per-row records, wider sums) or more per group to the driver fails here.
 */
class ShuffleCostModelTest extends SharedSparkSession {
  @TempDir Path tmp;

  /**
   * Shuffle writes of stage 1's map side (the stage named after {@code ColumnarScan}, or {@code
   * SufficientStatsStage} on the row path) completed while it listens. Stage 3 shuffles one small
   * record per group, outside this bound.
   */
  private static final class ShuffleTally extends SparkListener {
    long bytes;
    long records;
    int mapTasks;
    long resultBytes;
    int tasks;

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted e) {
      resultBytes += e.stageInfo().taskMetrics().resultSize();
      tasks += e.stageInfo().numTasks();
      ShuffleWriteMetrics w = e.stageInfo().taskMetrics().shuffleWriteMetrics();
      String name = e.stageInfo().name();
      boolean stage1 = name.contains("ColumnarScan") || name.contains("SufficientStatsStage");
      if (stage1 && w.recordsWritten() > 0) {
        bytes += w.bytesWritten();
        records += w.recordsWritten();
        mapTasks += e.stageInfo().numTasks();
      }
    }
  }

  /**
   * The record bound of the model, uncompressed Kryo bytes of one (experiment, segment)'s record
   * with {@code arms} arms over {@code q} columns ({@code AccumulatorSerializer}). Each arm's
   * {@code ExactMoments} holds q sums and q(q+1)/2 products; a sum is a 1-byte marker (the number
   * of limbs written), a zig-zag varint base (at most 5 bytes), the first limb's index (1 byte) and
   * at most 10 limbs, nine signed 32-bit digits (at most 5 bytes each as zig-zag varints) and a
   * signed top limb (at most 10): 62 bytes a sum, plus its count (at most 10 bytes) and overflow
   * count (1 byte). The key and the accumulator each carry the experiment and segment ids (1 byte
   * of length each in Kryo's ASCII strings); the accumulator's column count, q(q+1)/2 + 1 bytes of
   * product flags, arm count and two counters take under 32 bytes more; each arm's name adds its
   * length and 1 byte. Shuffle compression (LZ4, on by default) can only shrink this beyond a block
   * header per map output block, which {@link #blockSlack} covers.
   */
  static long recordBound(int q, int arms, int idChars, int armChars) {
    int sums = q + q * (q + 1) / 2;
    long perArm = sums * 62L + 11 + armChars + 1;
    return 2L * (idChars + 2) + 8 + 2L * (idChars + 2) + q * (q + 1) / 2 + 1 + 32 + arms * perArm;
  }

  /**
   * The model's bound on task-result bytes that reach the driver per group ((experiment, metric,
   * variant) with {@code segments} segments), from the records as {@code RecordSerializer} writes
   * them: every field of a record, doubles and longs in 8 bytes, strings as their characters plus a
   * byte, a nested record or array with a 2-byte tag.
   *
   * <ul>
   *   <li>Stage 1, per segment and metric: a {@code SegmentEstimate}, 11 doubles, 3 longs, 2
   *       optional longs (9 bytes each), 7 strings (its ids plus status, kind and SE type, under 24
   *       characters each here) and a {@code PosteriorSummary} of 6 doubles: at most 290 bytes;
   *       plus its cell's key, row count and list headers, under 48 bytes shared by the metrics.
   *   <li>Stage 3, per group: the draw result's {@code DecisionFigures} (22 numbers, 180 bytes),
   *       eight per-segment arrays' headers (40 bytes), its index (8 bytes); per segment 5 doubles,
   *       7 pooled-summary doubles and a {@code DrawSummary} of 8 doubles (162 bytes).
   * </ul>
   */
  static long resultBoundPerGroup(int segments) {
    return 180 + 40 + 8 + segments * (290L + 48 + 162);
  }

  /**
   * Spark's own share of each task's result: the task's metric and accumulator updates, sent with
   * every result whatever the task computed: 1.0–1.5 KB a task in Spark 3.5's local mode, measured
   * on tasks that return nothing of segfx's (the map tasks' and {@code parallelizePairs}' results).
   */
  static final long TASK_RESULT_OVERHEAD = 1536;

  /** LZ4 block framing: at most 64 bytes per map output block, one block per reduce partition. */
  static long blockSlack(int mapTasks, int reducePartitions) {
    return 64L * mapTasks * reducePartitions;
  }

  @Test
  void stageOneShufflesAtMostTheModelsBytesPerCell() throws Exception {
    int experiments = 30;
    int segments = 8;
    Path data = tmp.resolve("units.parquet");
    ExampleDataGenerator.generate(
            spark(), new ExampleDataGenerator.Settings(experiments, segments, 50, 150, 1, 5))
        .write()
        .parquet(data.toString());
    ShuffleTally tally = new ShuffleTally();
    spark().sparkContext().addSparkListener(tally);
    try {
      JobRunner.run(
          spark(),
          "--input",
          data.toString(),
          "--output",
          tmp.resolve("out").toString(),
          "--metric",
          "revenue,converted:binary",
          "--covariates",
          "x1,x2",
          "--report",
          "none");
      spark().sparkContext().listenerBus().waitUntilEmpty(60_000);
    } finally {
      spark().sparkContext().removeSparkListener(tally);
    }
    long cells = (long) experiments * segments * 2;
    long groups = (long) experiments * 2; // two metrics, one variant
    long resultBound = groups * resultBoundPerGroup(segments) + tally.tasks * TASK_RESULT_OVERHEAD;
    Assertions.assertTrue(
        tally.resultBytes <= resultBound,
        "task results "
            + tally.resultBytes
            + " bytes, "
            + tally.resultBytes / (double) groups
            + " per group, over "
            + tally.tasks
            + " tasks, exceed the model's "
            + resultBound);
    Assertions.assertTrue(
        tally.resultBytes > groups * segments * 100L,
        "task results " + tally.resultBytes + " bytes: the estimates did not reach the driver?");
    System.out.printf(
        "cost model check: %.0f result bytes per group over %d tasks (bound %.0f);"
            + " shuffle %.0f bytes per cell%n",
        tally.resultBytes / (double) groups,
        tally.tasks,
        resultBound / (double) groups,
        tally.bytes / (double) cells);
    int segmentKeys = experiments * segments;
    Assertions.assertTrue(tally.records > 0, "stage 1 shuffled nothing");
    // Records: one per (experiment, segment) a map task saw; the generator writes each segment's
    // rows into one file, so a segment spans map tasks only where a file is split, once per task.
    Assertions.assertTrue(
        tally.records <= segmentKeys + tally.mapTasks,
        "records "
            + tally.records
            + " > segments "
            + segmentKeys
            + " + map tasks "
            + tally.mapTasks);
    // "exp-0001", "seg-01": 14 id characters; arms "0" and "1".
    long bound =
        tally.records * recordBound(4, 2, 14, 1)
            + blockSlack(tally.mapTasks, 8 * spark().sparkContext().defaultParallelism());
    Assertions.assertTrue(
        tally.bytes <= bound,
        "shuffle bytes "
            + tally.bytes
            + " per cell "
            + tally.bytes / (double) cells
            + " exceed the model's "
            + bound / (double) cells);
  }
}
