package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.config.JobSpec;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.model.SegmentEstimate;
import io.segfx.stats.ExactMoments;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The columnar scan of stage 1 against the row path ({@link ValidationStage} projection read row by
 * row), which the rest of the suite checks against independent references: on inputs with every
 * kind of bad row, key columns as text or integers, values as double, float, int, long and boolean,
 * dictionary and plain encodings, interleaved cells, several files, row groups and tiny batches.
 * The two must agree exactly: the same estimates (bit for bit, as the sums are exact), the same
 * rows used and the same quarantine counts per reason.
 */
class ColumnarScanTest extends SharedSparkSession {
  @TempDir Path tmp;

  @AfterEach
  void resetBatchSize() {
    spark().conf().unset("spark.sql.parquet.columnarReaderBatchSize");
    spark().conf().unset(ColumnarScan.PROPERTY);
  }

  private static final String[] SEGMENTS = {"a", "b", "c", "d"};

  /**
   * Rows of two experiments × four segments with arms 0/1/2 (and a stray 7), one in eleven broken
   * in a way chosen by the row number; {@code intKeys} stores segment and arm as integers.
   */
  private static List<Row> rows(int n, boolean intKeys, long seed) {
    Random r = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String e = r.nextInt(5) == 0 ? "exp-2" : "exp-1";
      int g = r.nextInt(SEGMENTS.length);
      int arm = r.nextInt(3);
      double x1 = r.nextGaussian();
      float x2 = (float) (r.nextGaussian() * 3);
      boolean flag = r.nextBoolean();
      double y = 5 + 0.4 * arm + 0.8 * x1 + r.nextGaussian();
      int conv = r.nextDouble() < 0.2 + 0.05 * arm ? 1 : 0;
      long visits = r.nextInt(40);
      Object segment = intKeys ? (Object) g : SEGMENTS[g];
      Object armValue = intKeys ? (Object) arm : "v" + arm;
      Object[] row = {e, segment, armValue, x1, x2, flag, y, conv, visits};
      if (i % 11 == 5) {
        switch ((i / 11) % 15) {
          case 0 -> row[0] = null;
          case 1 -> row[1] = null;
          case 2 -> row[2] = null;
          case 3 -> row[2] = intKeys ? (Object) 7 : "v7";
          case 4 -> row[3] = Double.NaN;
          case 5 -> row[4] = Float.POSITIVE_INFINITY;
          case 6 -> row[6] = -1e200;
          case 7 -> row[7] = 2;
          case 8 -> row[6] = null;
          case 9 -> {
            row[3] = Double.NEGATIVE_INFINITY; // two failures: the first check names the reason
            row[7] = null;
          }
          case 10 -> row[5] = null;
          case 11 -> row[0] = ""; // an empty id is a missing id, as a CSV field reads
          case 12 -> row[1] = intKeys ? null : "";
          case 13 -> {
            row[0] = ""; // the first key's reason, whatever fails later
            row[1] = null;
            row[2] = null;
          }
          default -> row[8] = null;
        }
      }
      out.add(RowFactory.create(row));
    }
    return out;
  }

  private static StructType schema(boolean intKeys) {
    DataType key = intKeys ? DataTypes.IntegerType : DataTypes.StringType;
    return DataTypes.createStructType(
        List.of(
            DataTypes.createStructField("experiment_id", DataTypes.StringType, true),
            DataTypes.createStructField("segment", key, true),
            DataTypes.createStructField("arm", key, true),
            DataTypes.createStructField("x1", DataTypes.DoubleType, true),
            DataTypes.createStructField("x2", DataTypes.FloatType, true),
            DataTypes.createStructField("flag", DataTypes.BooleanType, true),
            DataTypes.createStructField("y", DataTypes.DoubleType, true),
            DataTypes.createStructField("conv", DataTypes.IntegerType, true),
            DataTypes.createStructField("visits", DataTypes.LongType, true)));
  }

  private static JobSpec spec(String... args) {
    return JobSpec.from(
        OptionValues.resolve(JobSpec.COMMAND, JobSpec.OPTIONS, args, SpecReader::read));
  }

  private static JobSpec spec(
      String in, boolean intKeys, boolean declareVariants, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                in,
                "--output",
                "unused",
                "--control-arm",
                intKeys ? "0" : "v0",
                "--metric",
                "y",
                "--metric",
                "conv:binary",
                "--covariates",
                "x1,x2,flag,visits"));
    if (declareVariants) {
      args.addAll(List.of("--variants", intKeys ? "1,2" : "v1,v2"));
    }
    args.addAll(List.of(extra));
    return JobSpec.from(
        OptionValues.resolve(
            JobSpec.COMMAND, JobSpec.OPTIONS, args.toArray(new String[0]), SpecReader::read));
  }

  /** Both scans of one input. */
  private record Scans(SufficientStatsStage.Result columnar, SufficientStatsStage.Result rows) {}

  /**
   * Runs both paths on the Parquet file at {@code in} and checks they use the same rows and
   * quarantine the rest for the same reasons.
   */
  private Scans scans(String in, JobSpec spec) {
    Dataset<Row> input = spark().read().parquet(in);
    ValidationStage.check(input, spec);
    // The columnar scan never needs the row path's projection, so it must not build it.
    SufficientStatsStage.Result columnar =
        SufficientStatsStage.run(
            input, () -> Assertions.<Dataset<Row>>fail("the projection was built"), spec);
    SufficientStatsStage.Result rows =
        SufficientStatsStage.run(ValidationStage.apply(input, spec), spec);
    assertEquals(SufficientStatsStage.COLUMNAR, columnar.scan());
    assertEquals(SufficientStatsStage.ROWS, rows.scan());
    assertEquals(rows.rowsUsed(), columnar.rowsUsed());
    assertEquals(rows.rejectedByReason(), columnar.rejectedByReason());
    assertTrue(columnar.rowsUsed() > 0);
    return new Scans(columnar, rows);
  }

  /** {@link #scans}, and the same estimates bit for bit (exact sums on both paths). */
  private SufficientStatsStage.Result compare(String in, JobSpec spec) {
    Scans s = scans(in, spec);
    assertEquals(sorted(s.rows().estimates()), sorted(s.columnar().estimates()));
    return s.columnar();
  }

  private static List<SegmentEstimate> sorted(List<SegmentEstimate> e) {
    List<SegmentEstimate> s = new ArrayList<>(e);
    s.sort(Comparator.comparing(SegmentEstimate::toString));
    return s;
  }

  @Test
  void textKeysWithDictionariesManyFilesAndTinyBatches() {
    List<Row> data = rows(6000, false, 1);
    String in = tmp.resolve("text.parquet").toString();
    // Several files and row groups; batches of 7 rows split cells and arms everywhere.
    spark()
        .createDataFrame(data, schema(false))
        .repartition(3)
        .write()
        .option("parquet.block.size", 16384)
        .parquet(in);
    spark().conf().set("spark.sql.parquet.columnarReaderBatchSize", "7");
    SufficientStatsStage.Result r = compare(in, spec(in, false, true));
    // Every designed failure happened, with the reason of its first failing check.
    assertEquals(11, r.rejectedByReason().size(), r.rejectedByReason().toString());
    assertTrue(r.rejectedByReason().containsKey("nonfinite:x1"));
    assertTrue(r.rejectedByReason().containsKey("not_binary:conv"));
    long missingExperiment =
        data.stream().filter(x -> x.get(0) == null || "".equals(x.get(0))).count();
    assertTrue(data.stream().anyMatch(x -> "".equals(x.get(0))));
    assertEquals(missingExperiment, r.rejectedByReason().get("null:experiment_id"));
    long rejected = r.rowsRejected();
    assertEquals(data.size(), r.rowsUsed() + rejected);
  }

  /**
   * Clean blocks, summed per block, with a few empty ids: the rows {@code cleanBlock} quarantines
   * are the row path's, reason for reason, and every cell counts the same rows.
   */
  @Test
  void emptyIdsInCleanBlocks() {
    List<Row> data = new ArrayList<>();
    for (Row r : rows(8000, false, 7)) {
      Object[] v = new Object[r.length()];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.get(i);
      }
      if (r.anyNull() || "v7".equals(v[2]) || !(Math.abs((Double) v[6]) <= 1e150)) {
        continue; // only the empty ids below break a row, so most blocks are clean
      }
      Object d3 = v[3];
      Object d4 = v[4];
      if (!(d3 instanceof Double x && Double.isFinite(x))
          || !(d4 instanceof Float f && Float.isFinite(f))
          || (int) v[7] > 1) {
        continue;
      }
      int k = data.size();
      if (k % 997 == 13) {
        v[0] = "";
      } else if (k % 991 == 500) {
        v[1] = "";
      }
      data.add(RowFactory.create(v));
    }
    String in = tmp.resolve("clean.parquet").toString();
    spark().createDataFrame(data, schema(false)).coalesce(1).write().parquet(in);
    Scans scans = scans(in, spec(in, false, true));
    SufficientStatsStage.Result columnar = scans.columnar();
    SufficientStatsStage.Result rows = scans.rows();
    assertEquals(SufficientStatsStage.BLOCKS, columnar.sums());
    long emptyExperiment = data.stream().filter(x -> "".equals(x.get(0))).count();
    long emptySegment = data.stream().filter(x -> "".equals(x.get(1))).count();
    assertTrue(emptyExperiment > 0 && emptySegment > 0);
    assertEquals(
        Map.of("null:experiment_id", emptyExperiment, "null:segment", emptySegment),
        columnar.rejectedByReason());
    // Block sums may differ from exact ones in the last bits (StageOnePartitioningTest bounds
    // that); the rows each cell counts may not.
    assertEquals(counts(rows.estimates()), counts(columnar.estimates()));
  }

  private static List<String> counts(List<SegmentEstimate> e) {
    List<String> out = new ArrayList<>();
    for (SegmentEstimate x : sorted(e)) {
      out.add(
          x.experimentId()
              + "/"
              + x.segment()
              + "/"
              + x.metric()
              + "/"
              + x.variant()
              + ":"
              + x.nControl()
              + ","
              + x.nTreatment());
    }
    return out;
  }

  @Test
  void integerKeysPlainEncodingAndUndeclaredVariants() {
    List<Row> data = rows(5000, true, 2);
    String in = tmp.resolve("int.parquet").toString();
    spark()
        .createDataFrame(data, schema(true))
        .coalesce(1)
        .write()
        .option("parquet.enable.dictionary", "false")
        .parquet(in);
    SufficientStatsStage.Result r = compare(in, spec(in, true, false));
    // Without --variants the stray arm 7 is a variant of its own, not a rejection.
    assertTrue(r.estimates().stream().anyMatch(e -> "7".equals(e.variant())));
    assertEquals(data.size(), r.rowsUsed() + r.rowsRejected());
  }

  /**
   * Rows held for exact addition flushed before every block, on input with every kind of bad row,
   * in no order: text keys with dictionaries in several files, and integer keys plainly encoded.
   * The scan still agrees with the row path bit for bit, reason for reason.
   */
  @Test
  void heldRowsFlushedEveryBlock() {
    ColumnarPartitionScan.deferredRows = ExactMoments.BLOCK_ROWS;
    try {
      for (boolean intKeys : new boolean[] {false, true}) {
        List<Row> data = rows(9000, intKeys, intKeys ? 31 : 37);
        String in = tmp.resolve("held-" + intKeys + ".parquet").toString();
        spark()
            .createDataFrame(data, schema(intKeys))
            .repartition(intKeys ? 1 : 3)
            .write()
            .option("parquet.enable.dictionary", String.valueOf(!intKeys))
            .parquet(in);
        SufficientStatsStage.Result r = compare(in, spec(in, intKeys, !intKeys));
        assertEquals(data.size(), r.rowsUsed() + r.rowsRejected());
        assertTrue(r.rowsRejected() > 0);
      }
    } finally {
      ColumnarPartitionScan.deferredRows = ColumnarPartitionScan.DEFERRED_ROWS;
    }
  }

  @Test
  void sortedCellsAndAbsentExperimentColumn() {
    List<Row> data = new ArrayList<>(rows(4000, false, 3));
    data.sort(
        Comparator.comparing((Row x) -> String.valueOf(x.get(1)))
            .thenComparing(x -> String.valueOf(x.get(2))));
    String in = tmp.resolve("sorted.parquet").toString();
    spark()
        .createDataFrame(data, schema(false))
        .drop("experiment_id")
        .coalesce(2)
        .write()
        .parquet(in);
    SufficientStatsStage.Result r = compare(in, spec(in, false, true));
    assertTrue(
        r.estimates().stream().allMatch(e -> JobSpec.SINGLE_EXPERIMENT.equals(e.experimentId())));
  }

  /**
   * More cells in one task than {@link ColumnarPartitionScan#HELD}, few rows each (no block sums):
   * in key order the task ships cells as its batches pass them, and in no order it ships some, sees
   * them come back and stops. Either way the estimates are the row path's bit for bit, and in key
   * order every cell is one record.
   */
  @Test
  void cellsShippedAsTheBatchesPassThem() throws Exception {
    int experiments = 1500;
    Random r = new Random(11);
    List<Row> data = new ArrayList<>();
    for (int e = 0; e < experiments; e++) {
      for (int g = 0; g < SEGMENTS.length; g++) {
        for (int arm = 0; arm < 3; arm++) {
          int units = 2 + r.nextInt(5);
          for (int u = 0; u < units; u++) {
            double x1 = r.nextGaussian();
            data.add(
                RowFactory.create(
                    "exp-" + e,
                    SEGMENTS[g],
                    "v" + arm,
                    x1,
                    (float) (r.nextGaussian() * 3),
                    r.nextBoolean(),
                    5 + 0.4 * arm + 0.8 * x1 + r.nextGaussian(),
                    r.nextDouble() < 0.2 ? 1 : 0,
                    (long) r.nextInt(40)));
          }
        }
      }
    }
    int cells = experiments * SEGMENTS.length;
    assertTrue(cells > 1.4 * ColumnarPartitionScan.HELD);
    String ordered = tmp.resolve("ordered.parquet").toString();
    spark().createDataFrame(data, schema(false)).coalesce(1).write().parquet(ordered);
    List<Row> shuffled = new ArrayList<>(data);
    java.util.Collections.shuffle(shuffled, new Random(12));
    String unordered = tmp.resolve("unordered.parquet").toString();
    spark().createDataFrame(shuffled, schema(false)).coalesce(1).write().parquet(unordered);
    spark().conf().set("spark.sql.parquet.columnarReaderBatchSize", "1024");
    RecordTally tally = new RecordTally();
    spark().sparkContext().addSparkListener(tally);
    // Rows held for exact addition flush only when cells are shipped and at the task's end with the
    // default room; with the least room, every block or two as well.
    try {
      for (int room : new int[] {ColumnarPartitionScan.DEFERRED_ROWS, ExactMoments.BLOCK_ROWS}) {
        ColumnarPartitionScan.deferredRows = room;
        cellsShippedAsTheBatchesPassThem(cells, ordered, unordered, tally);
      }
    } finally {
      spark().sparkContext().removeSparkListener(tally);
      ColumnarPartitionScan.deferredRows = ColumnarPartitionScan.DEFERRED_ROWS;
    }
  }

  private void cellsShippedAsTheBatchesPassThem(
      int cells, String ordered, String unordered, RecordTally tally) throws Exception {
    JobSpec spec = spec(ordered, false, true);
    tally.records = 0;
    List<SegmentEstimate> inOrder = sorted(compare(ordered, spec).estimates());
    spark().sparkContext().listenerBus().waitUntilEmpty();
    // One record per cell (no quarantine tallies here): each cell shipped whole, once.
    assertEquals(cells, tally.records);
    tally.records = 0;
    List<SegmentEstimate> noOrder =
        sorted(compare(unordered, spec(unordered, false, true)).estimates());
    spark().sparkContext().listenerBus().waitUntilEmpty();
    // Some cells were shipped and came back, but shipping stopped early: far from a record for
    // every row.
    Assertions.assertTrue(tally.records > cells, "records " + tally.records);
    Assertions.assertTrue(tally.records < 2 * cells, "records " + tally.records);
    assertEquals(inOrder, noOrder);
  }

  /** Shuffle records written by stage 1's map tasks (the stage named after the columnar scan). */
  private static final class RecordTally extends org.apache.spark.scheduler.SparkListener {
    volatile long records;

    @Override
    public synchronized void onStageCompleted(
        org.apache.spark.scheduler.SparkListenerStageCompleted e) {
      if (e.stageInfo().name().contains("ColumnarScan")) {
        records += e.stageInfo().taskMetrics().shuffleWriteMetrics().recordsWritten();
      }
    }
  }

  /** Warehouse layout: the experiment id as a partition folder (experiment_id=exp-1/...). */
  @Test
  void partitionedByExperiment() {
    List<Row> data = new ArrayList<>();
    for (Row r : rows(3000, false, 5)) {
      if (r.get(0) != null && !"".equals(r.get(0))) {
        // A null or empty partition value would be read back as __HIVE_DEFAULT_PARTITION__.
        data.add(r);
      }
    }
    String in = tmp.resolve("partitioned").toString();
    spark().createDataFrame(data, schema(false)).write().partitionBy("experiment_id").parquet(in);
    SufficientStatsStage.Result r = compare(in, spec(in, false, true));
    assertEquals(2, r.estimates().stream().map(SegmentEstimate::experimentId).distinct().count());
  }

  @Test
  void otherInputsTakeTheRowPath() {
    String in = tmp.resolve("text-y.parquet").toString();
    spark()
        .createDataFrame(rows(300, false, 4), schema(false))
        .selectExpr(
            "experiment_id",
            "segment",
            "arm",
            "x1",
            "x2",
            "flag",
            "CAST(y AS STRING) AS y",
            "conv",
            "visits",
            "monotonically_increasing_id() AS uid")
        .write()
        .parquet(in);
    Dataset<Row> input = spark().read().parquet(in);
    JobSpec spec = spec(in, false, true);
    // Numeric text: Spark's cast decides what parses, so the row path reads it.
    assertEquals(
        SufficientStatsStage.ROWS,
        SufficientStatsStage.run(input, ValidationStage.apply(input, spec), spec).scan());
    // Duplicate detection joins the input with its duplicated ids: no longer a bare file scan.
    String numericIn = tmp.resolve("numeric.parquet").toString();
    input.withColumn("y", input.col("y").cast("double")).write().parquet(numericIn);
    Dataset<Row> numeric = spark().read().parquet(numericIn);
    assertEquals(
        SufficientStatsStage.COLUMNAR,
        SufficientStatsStage.run(numeric, ValidationStage.apply(numeric, spec), spec).scan());
    JobSpec withUnit = spec(in, false, true, "--unit-col", "uid");
    assertEquals(
        SufficientStatsStage.ROWS,
        SufficientStatsStage.run(numeric, ValidationStage.apply(numeric, withUnit), withUnit)
            .scan());
  }

  /** Weights of the derived metric oec in {@link #derivedValueMetricAgreesBitForBit}. */
  private static final double W_Y = 1.7;

  private static final double W_CONV = -0.3;

  /** A valid row of cell (exp-1, e, v1) with metric values y and conv. */
  private static Row row(double x1, double y, int conv) {
    return RowFactory.create("exp-1", "e", "v1", x1, 0.5f, true, y, conv, 3L);
  }

  /**
   * Runs stage 1 on the Parquet file at {@code in} with {@value ColumnarScan#PROPERTY} on, then
   * off, checks that the first took the columnar path and the second the row path, and that they
   * agree bit for bit (estimates are records of doubles: equal means equal bits, NaN aside).
   */
  private SufficientStatsStage.Result compareByProperty(String in, JobSpec spec) {
    Dataset<Row> input = spark().read().parquet(in);
    Dataset<Row> validated = ValidationStage.apply(input, spec);
    SufficientStatsStage.Result columnar = SufficientStatsStage.run(input, validated, spec);
    spark().conf().set(ColumnarScan.PROPERTY, "false");
    SufficientStatsStage.Result rows = SufficientStatsStage.run(input, validated, spec);
    spark().conf().unset(ColumnarScan.PROPERTY);
    assertEquals(SufficientStatsStage.COLUMNAR, columnar.scan());
    assertEquals(SufficientStatsStage.ROWS, rows.scan());
    assertEquals(rows.rowsUsed(), columnar.rowsUsed());
    assertEquals(rows.rejectedByReason(), columnar.rejectedByReason());
    assertEquals(sorted(rows.estimates()), sorted(columnar.estimates()));
    assertTrue(columnar.rowsUsed() > 0);
    return columnar;
  }

  /** The estimates of one metric by experiment, segment and variant. */
  private static Map<String, SegmentEstimate> byCell(SufficientStatsStage.Result r, String metric) {
    return r.estimates().stream()
        .filter(e -> e.metric().equals(metric))
        .collect(
            Collectors.toMap(
                e -> e.experimentId() + "/" + e.segment() + "/" + e.variant(), e -> e));
  }

  /**
   * The derived value metric oec = 1.7 y - 0.3 conv (decision analysis with values for both
   * metrics, as in jobs/example.yaml) on the columnar path: the same estimates as the row path for
   * every metric including oec, and the same quarantine, where a row whose y is in range but whose
   * oec is not is {@code out_of_range:oec}, unless an earlier check of its own fails first.
   */
  @Test
  void derivedValueMetricAgreesBitForBit() {
    List<Row> data = new ArrayList<>(rows(4000, false, 6));
    // y within 1e150, oec = 1.7 y beyond it.
    data.add(row(0.1, 0.9e150, 0));
    data.add(row(0.1, -0.7e150, 1));
    // The same row fails an earlier check first: y's range, conv's 0/1, x1's finiteness.
    data.add(row(0.1, 1.5e150, 0));
    data.add(row(0.1, 0.9e150, 2));
    data.add(row(Double.NaN, 0.9e150, 0));
    // Around the bound, where the rounding of 1.7 y decides; the reference is the definition.
    int expectedOec = 2;
    int edgeInRange = 0;
    double edge = ValidationStage.MAX_MAGNITUDE / W_Y;
    for (int k = -4; k <= 4; k++) {
      double y = edge + k * Math.ulp(edge);
      data.add(row(0.1, y, 0));
      if (Math.abs(y * W_Y + 0 * W_CONV) > ValidationStage.MAX_MAGNITUDE) {
        expectedOec++;
      } else {
        edgeInRange++;
      }
    }
    String in = tmp.resolve("oec.parquet").toString();
    spark()
        .createDataFrame(data, schema(false))
        .repartition(3)
        .write()
        .option("parquet.block.size", 16384)
        .parquet(in);
    spark().conf().set("spark.sql.parquet.columnarReaderBatchSize", "7");
    JobSpec spec =
        spec(
            in,
            false,
            true,
            "--users",
            "1000",
            "--value-per-unit",
            "y=" + W_Y + ",conv=" + W_CONV,
            "--cost",
            "10");
    assertEquals("oec", ValidationStage.valueColumns(spec).get(6));
    SufficientStatsStage.Result r = compareByProperty(in, spec);
    Map<String, Long> rejected = r.rejectedByReason();
    assertEquals(expectedOec, rejected.get("out_of_range:oec"), rejected.toString());
    // The edge rows straddle the bound.
    assertTrue(expectedOec > 2 && edgeInRange > 0);
    assertTrue(rejected.containsKey("out_of_range:y"));
    assertTrue(rejected.containsKey("not_binary:conv"));
    assertTrue(rejected.containsKey("nonfinite:x1"));
    assertEquals(data.size(), r.rowsUsed() + r.rowsRejected());
    // oec is the weighted sum of the metrics: its arm means are the weighted sums of theirs, up
    // to rounding. Per row the sum rounds at most 3 times, relative to B = max |1.7 y| + 0.3 over
    // usable cells; each mean rounds twice (sum, then / n), and the reference 1.7 my - 0.3 mc
    // three times: at most 10 half-ulps of B in all, within the 8 ulp(B) allowed.
    Map<String, SegmentEstimate> y = byCell(r, "y");
    Map<String, SegmentEstimate> conv = byCell(r, "conv");
    Map<String, SegmentEstimate> oec = byCell(r, "oec");
    assertEquals(y.keySet(), oec.keySet());
    double b = 0;
    for (Row x : data) {
      if (x.get(6) != null && Math.abs(x.getDouble(6)) < 1e3) {
        b = Math.max(b, Math.abs(W_Y * x.getDouble(6)) + Math.abs(W_CONV));
      }
    }
    double tol = 8 * Math.ulp(b);
    int checked = 0;
    for (Map.Entry<String, SegmentEstimate> e : oec.entrySet()) {
      SegmentEstimate o = e.getValue();
      if (e.getKey().contains("/e/")) {
        continue; // the in-range edge row's cell: 1e150-scale values, no control arm
      }
      SegmentEstimate my = y.get(e.getKey());
      SegmentEstimate mc = conv.get(e.getKey());
      assertEquals(W_Y * my.meanControl() + W_CONV * mc.meanControl(), o.meanControl(), tol);
      assertEquals(W_Y * my.meanTreatment() + W_CONV * mc.meanTreatment(), o.meanTreatment(), tol);
      checked++;
    }
    assertEquals(16, checked, "2 experiments x 4 segments x 2 variants");
  }

  /**
   * Three metrics, whose terms are of one size, so that a sum in another order than the weights'
   * rounds differently on many rows; and weights so large that on some rows the terms overflow to
   * +Inf and -Inf: Spark orders their NaN sum above every number, so the row path calls it out of
   * range, and so must the columnar path.
   */
  @Test
  void derivedValueMetricNaNSumIsOutOfRange() {
    Random rng = new Random(7);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      // Values near 1e-155 and visits below 400: each term is about 1e145, within range.
      double y = rng.nextGaussian() * 1e-155;
      double x1 = rng.nextGaussian() * 1e-155;
      if (i % 50 == 7) {
        y = 1e10; // 1e310 overflows to +Inf, the other term to -Inf
        x1 = 1e10;
      }
      data.add(
          RowFactory.create("exp-1", SEGMENTS[i % 2], "v" + (i % 3), x1, 0f, true, y, 0, (long) i));
    }
    String in = tmp.resolve("nan-oec.parquet").toString();
    spark().createDataFrame(data, schema(false)).coalesce(1).write().parquet(in);
    JobSpec spec =
        spec(
            "--input",
            in,
            "--output",
            "unused",
            "--control-arm",
            "v0",
            "--metric",
            "y",
            "--metric",
            "x1",
            "--metric",
            "visits",
            "--users",
            "1000",
            "--value-per-unit",
            "y=1e300,x1=-1e300,visits=3.3e143",
            "--cost",
            "10");
    SufficientStatsStage.Result r = compareByProperty(in, spec);
    assertEquals(Map.of("out_of_range:oec", 8L), r.rejectedByReason());
  }

  @Test
  void propertyMustBeABoolean() {
    spark().conf().set(ColumnarScan.PROPERTY, "yes");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ColumnarScan.enabled(spark()));
    assertEquals("spark.segfx.columnarScan must be true or false, not 'yes'", e.getMessage());
  }
}
