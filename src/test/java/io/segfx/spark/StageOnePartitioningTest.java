package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.config.JobSpec;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.model.PosteriorSummary;
import io.segfx.model.SegmentEstimate;
import io.segfx.sim.ExampleDataGenerator;
import io.segfx.stats.ExactMoments;
import io.segfx.testing.SharedSparkSession;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage 1 gives bit-identical estimates however the input is split or read: the bench's W10
 * workload in miniature (generated example data, {@code revenue ~ arm + x1 + x2} and a binary
 * metric), written as one file of several row groups, as five files with rows dealt round robin,
 * and as one file in random row order (cells interleaved on every row, so that a task's bins change
 * hands until the pool stops lending), each read under a sweep of split sizes, file open costs,
 * column batch sizes and shuffle partitions.
 *
 * <ul>
 *   <li>With block sums ({@link ExactMoments#acceptBlock}: the columnar path, batch sizes that are
 *       multiples of 1024) the blocks are cut by each file's row groups, so each layout gives one
 *       result bit for bit under every split, partitioning and such batch size.
 *   <li>With exact sums (the row path, other batch sizes, {@code spark.segfx.blockSums=false})
 *       every layout gives one and the same result bit for bit.
 *   <li>Block sums agree with exact sums within 1e-11 of each figure plus its cell's standard
 *       error: a block's rounding is below 2 (m + 2) 2^-53 of its centred sums, m &lt;= 300 rows of
 *       an arm here, about 7e-14 (bound tested in {@code ExactMomentsTest}), and the fits of
 *       well-conditioned covariates pass that on within a small factor; 1e-11 leaves a margin of
 *       100.
 * </ul>
 *
 * <p>That the sweep really changes the number of input partitions, and that block sums really ran
 * (some figure differs from the exact one in its last bits), is asserted, so that the test cannot
 * pass vacuously.
 */
class StageOnePartitioningTest extends SharedSparkSession {
  @TempDir Path tmp;

  private static final String[] SETTINGS = {
    "spark.sql.files.maxPartitionBytes",
    "spark.sql.files.openCostInBytes",
    "spark.sql.parquet.columnarReaderBatchSize",
    "spark.sql.shuffle.partitions",
    ColumnarScan.PROPERTY,
    ColumnarScan.BLOCK_PROPERTY
  };

  /**
   * Each row: split size, open cost, batch size, shuffle partitions, columnar path on, block sums
   * on.
   */
  private static final String[][] SWEEP = {
    {"134217728", "4194304", "4096", "4", "true", "true"},
    {"65536", "4194304", "4096", "1", "true", "true"},
    {"65536", "1", "1024", "13", "true", "true"},
    {"1048576", "1", "8192", "7", "true", "true"},
    {"65536", "1", "37", "13", "true", "true"},
    {"1048576", "1", "1000", "7", "true", "true"},
    {"65536", "1", "4096", "3", "true", "false"},
    {"134217728", "4194304", "4096", "3", "false", "true"},
    {"65536", "1", "4096", "13", "false", "true"}
  };

  /** Relative tolerance of block sums against exact sums (see the class comment). */
  private static final double TOLERANCE = 1e-11;

  @AfterEach
  void reset() {
    for (String k : SETTINGS) {
      spark().conf().unset(k);
    }
  }

  private static JobSpec spec(String in) {
    String[] args = {
      "--input",
      in,
      "--output",
      "unused",
      "--control-arm",
      "0",
      "--metric",
      "revenue,converted:binary",
      "--covariates",
      "x1,x2"
    };
    return JobSpec.from(
        OptionValues.resolve(JobSpec.COMMAND, JobSpec.OPTIONS, args, SpecReader::read));
  }

  @Test
  void bitIdenticalUnderAnySplitBatchAndPath() throws Exception {
    Dataset<Row> data =
        ExampleDataGenerator.generate(
            spark(), new ExampleDataGenerator.Settings(30, 20, 100, 300, 1, 11));
    String one = tmp.resolve("one.parquet").toString();
    String five = tmp.resolve("five.parquet").toString();
    String shuffled = tmp.resolve("shuffled.parquet").toString();
    data.coalesce(1).write().option("parquet.block.size", 262144).parquet(one);
    data.repartition(5).write().parquet(five);
    data.orderBy(functions.rand(7)).coalesce(1).write().parquet(shuffled);
    List<SegmentEstimate> exact = null;
    Set<Integer> partitionCounts = new HashSet<>();
    Set<String> scans = new HashSet<>();
    Set<String> sums = new HashSet<>();
    long rows = -1;
    boolean blocksDiffer = false;
    for (String in : List.of(one, five, shuffled)) {
      List<SegmentEstimate> blocks = null;
      List<String> blockRuns = new ArrayList<>();
      for (String[] setting : SWEEP) {
        for (int k = 0; k < SETTINGS.length; k++) {
          spark().conf().set(SETTINGS[k], setting[k]);
        }
        Dataset<Row> input = spark().read().parquet(in);
        partitionCounts.add(input.rdd().getNumPartitions());
        JobSpec spec = spec(in);
        SufficientStatsStage.Result r =
            SufficientStatsStage.run(input, ValidationStage.apply(input, spec), spec);
        scans.add(r.scan());
        String kind = r.sums();
        sums.add(kind);
        assertEquals(Map.of(), r.rejectedByReason());
        List<SegmentEstimate> e = sorted(r.estimates());
        String where = in + " " + String.join(",", setting);
        if (rows < 0) {
          rows = r.rowsUsed();
        }
        assertEquals(rows, r.rowsUsed(), where);
        if (kind.equals(SufficientStatsStage.BLOCKS)) {
          blockRuns.add(where);
          if (blocks == null) {
            blocks = e;
          } else {
            // Records compare doubles as Double.equals does: bit for bit.
            assertEquals(blocks, e, where);
          }
        } else if (exact == null) {
          exact = e;
        } else {
          assertEquals(exact, e, where);
        }
      }
      assertEquals(4, blockRuns.size(), blockRuns.toString());
      assertEquals(exact.size(), blocks.size());
      for (int i = 0; i < exact.size(); i++) {
        blocksDiffer |= !exact.get(i).equals(blocks.get(i));
        assertClose(exact.get(i), blocks.get(i), in);
      }
    }
    assertEquals(30 * 20 * 2, exact.size(), "cells x metrics");
    Assertions.assertTrue(partitionCounts.size() >= 3, "partition counts seen: " + partitionCounts);
    assertEquals(Set.of(SufficientStatsStage.COLUMNAR, SufficientStatsStage.ROWS), scans);
    assertEquals(Set.of(SufficientStatsStage.BLOCKS, SufficientStatsStage.EXACT), sums);
    Assertions.assertTrue(blocksDiffer, "block sums never ran: every figure equals the exact one");
  }

  /**
   * Every double of {@code b} (and of its posterior summary) within {@link #TOLERANCE} of the
   * figure's magnitude plus the cell's standard error of {@code a}; every other component equal.
   */
  private static void assertClose(SegmentEstimate a, SegmentEstimate b, String where)
      throws Exception {
    double scale = Double.isNaN(a.stdError()) ? 0 : a.stdError();
    for (RecordComponent c : SegmentEstimate.class.getRecordComponents()) {
      Object x = c.getAccessor().invoke(a);
      Object y = c.getAccessor().invoke(b);
      String what = where + " " + a.experimentId() + "/" + a.segment() + "/" + a.metric() + " ";
      if (x instanceof Double dx && y instanceof Double dy) {
        assertClose(dx, dy, scale, what + c.getName());
      } else if (x instanceof PosteriorSummary px && y instanceof PosteriorSummary py) {
        for (RecordComponent d : PosteriorSummary.class.getRecordComponents()) {
          assertClose(
              (Double) d.getAccessor().invoke(px),
              (Double) d.getAccessor().invoke(py),
              scale,
              what + c.getName() + "." + d.getName());
        }
      } else {
        assertEquals(x, y, what + c.getName());
      }
    }
  }

  private static void assertClose(double x, double y, double scale, String what) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      assertEquals(x, y, what);
      return;
    }
    double tolerance = TOLERANCE * (Math.abs(x) + scale);
    Assertions.assertTrue(
        Math.abs(x - y) <= tolerance,
        what + ": " + x + " against " + y + ", tolerance " + tolerance);
  }

  /**
   * A bad row sends only its own block through the checked row path: with a null and a non-binary
   * value in one row group, batch sizes 1024, 4096 and 8192 give the same estimates bit for bit
   * (and the same quarantine counts), block sums still run in the other blocks, and they agree with
   * exact sums within {@link #TOLERANCE}.
   */
  @Test
  void aBadRowLeavesTheOtherBlocksAlone() throws Exception {
    Dataset<Row> data =
        ExampleDataGenerator.generate(
            spark(), new ExampleDataGenerator.Settings(10, 20, 100, 300, 1, 12));
    Dataset<Row> dirty =
        data.withColumn("i", functions.col("unit_id"))
            .withColumn(
                "revenue",
                functions
                    .when(functions.col("i").equalTo(60_000_010L), functions.lit(null))
                    .otherwise(functions.col("revenue")))
            .withColumn(
                "converted",
                functions
                    .when(functions.col("i").equalTo(20_000_005L), functions.lit(2))
                    .otherwise(functions.col("converted")))
            .drop("i");
    String in = tmp.resolve("dirty.parquet").toString();
    dirty.coalesce(1).write().parquet(in);
    List<SegmentEstimate> blocks = null;
    Map<String, Long> rejected = null;
    for (String batch : new String[] {"1024", "4096", "8192"}) {
      spark().conf().set("spark.sql.parquet.columnarReaderBatchSize", batch);
      SufficientStatsStage.Result r = run(in);
      assertEquals(SufficientStatsStage.BLOCKS, r.sums());
      if (blocks == null) {
        blocks = sorted(r.estimates());
        rejected = r.rejectedByReason();
        assertEquals(Map.of("null:revenue", 1L, "not_binary:converted", 1L), rejected);
      } else {
        assertEquals(rejected, r.rejectedByReason(), "batch " + batch);
        assertEquals(blocks, sorted(r.estimates()), "batch " + batch);
      }
    }
    spark().conf().set(ColumnarScan.BLOCK_PROPERTY, "false");
    SufficientStatsStage.Result exact = run(in);
    assertEquals(SufficientStatsStage.EXACT, exact.sums());
    assertEquals(rejected, exact.rejectedByReason());
    List<SegmentEstimate> e = sorted(exact.estimates());
    boolean differ = false;
    for (int i = 0; i < e.size(); i++) {
      differ |= !e.get(i).equals(blocks.get(i));
      assertClose(e.get(i), blocks.get(i), in);
    }
    Assertions.assertTrue(differ, "block sums never ran: every figure equals the exact one");
  }

  /**
   * ORC input is read from column batches too, but its batch size is not checked against the block
   * size, so it keeps exact sums: the same estimates bit for bit as the row path.
   */
  @Test
  void orcInputKeepsExactSums() {
    Dataset<Row> data =
        ExampleDataGenerator.generate(
            spark(), new ExampleDataGenerator.Settings(10, 20, 100, 300, 1, 13));
    String in = tmp.resolve("data.orc").toString();
    data.coalesce(1).write().orc(in);
    spark().conf().set("spark.sql.orc.columnarReaderBatchSize", "1000");
    Dataset<Row> input = spark().read().orc(in);
    JobSpec spec = spec(in);
    SufficientStatsStage.Result columnar =
        SufficientStatsStage.run(input, ValidationStage.apply(input, spec), spec);
    SufficientStatsStage.Result rows =
        SufficientStatsStage.run(ValidationStage.apply(input, spec), spec);
    assertEquals(SufficientStatsStage.COLUMNAR, columnar.scan());
    assertEquals(SufficientStatsStage.EXACT, columnar.sums());
    assertEquals(sorted(rows.estimates()), sorted(columnar.estimates()));
    spark().conf().unset("spark.sql.orc.columnarReaderBatchSize");
  }

  private SufficientStatsStage.Result run(String in) {
    Dataset<Row> input = spark().read().parquet(in);
    JobSpec spec = spec(in);
    return SufficientStatsStage.run(input, ValidationStage.apply(input, spec), spec);
  }

  private static List<SegmentEstimate> sorted(List<SegmentEstimate> e) {
    List<SegmentEstimate> s = new ArrayList<>(e);
    s.sort(Comparator.comparing(SegmentEstimate::toString));
    return s;
  }
}
