package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.config.JobSpec;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.model.SegmentEstimate;
import io.segfx.sim.ExampleDataGenerator;
import io.segfx.testing.SharedSparkSession;
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
 * Stage 1 gives bit-identical estimates however the input is split, laid out or read: the bench's
 * W10 workload in miniature (generated example data, {@code revenue ~ arm + x1 + x2} and a binary
 * metric), written as one file of several row groups, as five files with rows dealt round robin,
 * and as one file in random row order (cells interleaved on every row, so that a task's bins change
 * hands until the pool stops lending), each read under a sweep of split sizes, file open costs,
 * column batch sizes and shuffle partitions, on the columnar path and on the row path. The sums are
 * exact, so the reference is any one run; that the sweep really changes the number of input
 * partitions is asserted, so that the test cannot pass vacuously.
 */
class StageOnePartitioningTest extends SharedSparkSession {
  @TempDir Path tmp;

  private static final String[] SETTINGS = {
    "spark.sql.files.maxPartitionBytes",
    "spark.sql.files.openCostInBytes",
    "spark.sql.parquet.columnarReaderBatchSize",
    "spark.sql.shuffle.partitions",
    ColumnarScan.PROPERTY
  };

  /** Each row: split size, open cost, batch size, shuffle partitions, columnar path on. */
  private static final String[][] SWEEP = {
    {"134217728", "4194304", "4096", "4", "true"},
    {"65536", "4194304", "4096", "1", "true"},
    {"65536", "1", "37", "13", "true"},
    {"1048576", "1", "1000", "7", "true"},
    {"134217728", "4194304", "4096", "3", "false"},
    {"65536", "1", "4096", "13", "false"}
  };

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
  void bitIdenticalUnderAnySplitLayoutBatchAndPath() {
    Dataset<Row> data =
        ExampleDataGenerator.generate(
            spark(), new ExampleDataGenerator.Settings(30, 20, 100, 300, 1, 11));
    String one = tmp.resolve("one.parquet").toString();
    String five = tmp.resolve("five.parquet").toString();
    String shuffled = tmp.resolve("shuffled.parquet").toString();
    data.coalesce(1).write().option("parquet.block.size", 262144).parquet(one);
    data.repartition(5).write().parquet(five);
    data.orderBy(functions.rand(7)).coalesce(1).write().parquet(shuffled);
    List<SegmentEstimate> reference = null;
    Set<Integer> partitionCounts = new HashSet<>();
    Set<String> scans = new HashSet<>();
    long rows = -1;
    for (String in : List.of(one, five, shuffled)) {
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
        assertEquals(Map.of(), r.rejectedByReason());
        List<SegmentEstimate> e = sorted(r.estimates());
        String where = in + " " + String.join(",", setting);
        if (reference == null) {
          reference = e;
          rows = r.rowsUsed();
        } else {
          assertEquals(rows, r.rowsUsed(), where);
          // Records compare doubles as Double.equals does: bit for bit.
          assertEquals(reference, e, where);
        }
      }
    }
    assertEquals(30 * 20 * 2, reference.size(), "cells x metrics");
    Assertions.assertTrue(partitionCounts.size() >= 3, "partition counts seen: " + partitionCounts);
    assertEquals(Set.of(SufficientStatsStage.COLUMNAR, SufficientStatsStage.ROWS), scans);
  }

  private static List<SegmentEstimate> sorted(List<SegmentEstimate> e) {
    List<SegmentEstimate> s = new ArrayList<>(e);
    s.sort(Comparator.comparing(SegmentEstimate::toString));
    return s;
  }
}
