package io.segfx.spark;

import io.segfx.config.JobSpec;
import io.segfx.model.InputKind;
import io.segfx.model.MetricSpec;
import io.segfx.stats.ExactMoments;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;

/**
 * Stage 1's scan read straight from Spark's vectorized Parquet batches: the same validation as
 * {@link ValidationStage} and the same accumulation as {@link SufficientStatsStage}, but per column
 * vector instead of per projected row. Rows of a cell are recognised by their Parquet dictionary
 * ids (or raw values), so no key string is built per row and no row is copied into an {@code
 * UnsafeRow}.
 *
 * <p>It applies only where it reproduces the row path exactly: a Parquet (or ORC) input read by
 * Spark's vectorized reader, key columns that are text or integers, value columns of a native
 * numeric or boolean type, unit rows without {@code --unit-col} or {@code --cluster-col}. A derived
 * metric (the weighted sum {@code oec}) is computed per row from the value slots already read, with
 * the row path's expression: {@code ((v1 * w1) + (v2 * w2)) + ...} in the weights' order, so both
 * paths see the same doubles. Anything else (CSV, numeric text, decimals, floating keys, aggregated
 * rows) takes the row path. Both paths give the same quarantine reasons (first failing check, in
 * the order of {@link ValidationStage}) and, with exact sums, bit-identical statistics; {@code
 * ColumnarScanTest} checks it on every kind of bad row. With block sums ({@link #blockSums}) the
 * statistics agree within the accuracy of {@link ExactMoments#acceptBlock}, and are bit-identical
 * under any partitioning of the same files ({@code StageOnePartitioningTest}).
 *
 * <p>Reads Spark's physical plan ({@link FileSourceScanExec#executeColumnar}), a developer API that
 * is stable across Spark 3.x; the Spark property {@value #PROPERTY}{@code =false} turns the path
 * off, given with {@code --conf} or set on the session.
 */
final class ColumnarScan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Spark property that enables this path (default true). */
  static final String PROPERTY = "spark.segfx.columnarScan";

  /**
   * Spark property that lets this path sum large arm cells per block (default true; see {@link
   * ExactMoments#acceptBlock}); false keeps every row's sums exact.
   */
  static final String BLOCK_PROPERTY = "spark.segfx.blockSums";

  /** The reader's batch size property; its batches must hold whole blocks. */
  private static final String BATCH_SIZE = "spark.sql.parquet.columnarReaderBatchSize";

  static final int STRING = 0;
  static final int LONG = 1;
  static final int INT = 2;
  static final int SHORT = 3;
  static final int BYTE = 4;
  static final int DOUBLE = 5;
  static final int FLOAT = 6;
  static final int BOOLEAN = 7;
  static final int ABSENT = -1;

  private final transient FileSourceScanExec scan;

  /** Batch ordinals of experiment, segment, arm ({@link #ABSENT}: a constant key). */
  final int[] keyOrdinal;

  final int[] keyType;
  final String[] keyConstant;

  /** Per value slot: its batch ordinal and type code ({@link #ABSENT} for a derived slot). */
  final int[] valueOrdinal;

  final int[] valueType;
  final boolean[] binary;

  /**
   * Per value slot: null for a column read from the batch; for a derived metric, the slots of its
   * terms in the weights' order (each slot before it, so already read when it is computed).
   */
  final int[][] termSlots;

  /** Per value slot: null, or a derived metric's weights, parallel to {@link #termSlots}. */
  final double[][] termWeights;

  /** Reasons, precomputed so a rejected row costs no concatenation. */
  final String[] keyNullReason;

  final String[][] valueReasons;

  /** Known arms (control and variants) when variants are declared; null otherwise. */
  final Set<String> knownArms;

  /**
   * Whether clean blocks are summed per block: a Parquet input (whose batches, unlike ORC's, are
   * checked to hold whole blocks) with no derived metric (whose rows all take the checked path),
   * and {@link #blockSums}.
   */
  final boolean blocks;

  private ColumnarScan(
      FileSourceScanExec scan,
      int[] keyOrdinal,
      int[] keyType,
      String[] keyConstant,
      int[] valueOrdinal,
      int[] valueType,
      boolean[] binary,
      int[][] termSlots,
      double[][] termWeights,
      String[] keyNullReason,
      String[][] valueReasons,
      Set<String> knownArms,
      boolean blocks) {
    this.scan = scan;
    this.keyOrdinal = keyOrdinal;
    this.keyType = keyType;
    this.keyConstant = keyConstant;
    this.valueOrdinal = valueOrdinal;
    this.valueType = valueType;
    this.binary = binary;
    this.termSlots = termSlots;
    this.termWeights = termWeights;
    this.keyNullReason = keyNullReason;
    this.valueReasons = valueReasons;
    this.knownArms = knownArms;
    this.blocks = blocks;
  }

  /**
   * The columnar scan of {@code input} for {@code spec}, or null when this path does not apply (the
   * caller then takes the row path). The schema has already been checked by {@link
   * ValidationStage#check}.
   */
  static ColumnarScan of(Dataset<Row> input, JobSpec spec) {
    if (!enabled(input.sparkSession())
        || spec.inputKind() != InputKind.UNITS
        || spec.unitCol() != null
        || spec.clusterCol() != null) {
      return null;
    }
    List<String> names = Arrays.asList(input.schema().fieldNames());
    String[] keyCols = {spec.experimentCol(), spec.segmentCol(), spec.armCol()};
    String[] constants = {JobSpec.SINGLE_EXPERIMENT, JobSpec.SINGLE_SEGMENT, null};
    List<String> valueCols = ValidationStage.valueColumns(spec);
    Map<String, Map<String, Double>> derived = derivedWeights(spec);
    List<String> readCols = new ArrayList<>(valueCols);
    readCols.removeAll(derived.keySet());
    FileSourceScanExec scan = fileScan(input, names, keyCols, readCols);
    if (scan == null || !scan.supportsColumnar()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    for (int i = 0; i < scan.output().size(); i++) {
      Attribute a = scan.output().apply(i);
      out.add(a.name());
      types.add(a.dataType());
    }
    int[] keyOrdinal = new int[3];
    int[] keyType = new int[3];
    String[] keyNull = new String[3];
    if (!keyLayout(keyCols, names, out, types, keyOrdinal, keyType, keyNull)) {
      return null;
    }
    List<String> binaryCols = ValidationStage.binaryColumns(spec);
    int q = valueCols.size();
    int[] valueOrdinal = new int[q];
    int[] valueType = new int[q];
    boolean[] binary = new boolean[q];
    int[][] termSlots = new int[q][];
    double[][] termWeights = new double[q][];
    String[][] reasons = new String[q][];
    for (int i = 0; i < q; i++) {
      String c = valueCols.get(i);
      if (derived.containsKey(c)) {
        if (!derivedLayout(derived.get(c), valueCols, i, termSlots, termWeights)) {
          return null;
        }
        valueOrdinal[i] = ABSENT;
        valueType[i] = ABSENT;
        // Its terms passed their own checks; only the sum's magnitude can fail.
        reasons[i] = new String[] {null, null, "out_of_range:" + c, null};
        continue;
      }
      valueOrdinal[i] = out.indexOf(c);
      if (valueOrdinal[i] < 0) {
        return null;
      }
      valueType[i] = typeCode(types.get(valueOrdinal[i]));
      if (valueType[i] < LONG) {
        return null; // text or decimals: Spark's cast decides what parses
      }
      binary[i] = binaryCols.contains(c);
      reasons[i] =
          new String[] {"null:" + c, "nonfinite:" + c, "out_of_range:" + c, "not_binary:" + c};
    }
    return new ColumnarScan(
        scan,
        keyOrdinal,
        keyType,
        constants,
        valueOrdinal,
        valueType,
        binary,
        termSlots,
        termWeights,
        keyNull,
        reasons,
        knownArms(spec),
        scan.relation().fileFormat() instanceof ParquetFileFormat
            && derived.isEmpty()
            && blockSums(input.sparkSession()));
  }

  /**
   * Whether {@value #PROPERTY} leaves this path on. The session's conf starts from the Spark conf
   * ({@code --conf}) and may be changed at run time, so one session can run both paths.
   *
   * @throws IllegalArgumentException for a value other than true or false
   */
  static boolean enabled(SparkSession session) {
    return flag(session, PROPERTY);
  }

  /**
   * Whether this path sums per block: {@value #BLOCK_PROPERTY} is on and the reader's batches hold
   * whole blocks ({@value #BATCH_SIZE} a multiple of {@link ExactMoments#BLOCK_ROWS}, as Spark's
   * default 4096 is). A batch starts a row group or follows a full batch of the same row group, so
   * block boundaries then fall at the same rows of each row group whatever the batch size.
   *
   * @throws IllegalArgumentException for a value other than true or false
   */
  static boolean blockSums(SparkSession session) {
    if (!flag(session, BLOCK_PROPERTY)) {
      return false;
    }
    int batch = session.sessionState().conf().parquetVectorizedReaderBatchSize();
    return batch % ExactMoments.BLOCK_ROWS == 0;
  }

  private static boolean flag(SparkSession session, String property) {
    String v = session.conf().get(property, "true").trim();
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(property + " must be true or false, not '" + v + "'");
    }
    return v.equalsIgnoreCase("true");
  }

  /** The weights of each derived metric, by its name. */
  private static Map<String, Map<String, Double>> derivedWeights(JobSpec spec) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    for (MetricSpec m : spec.metricSpecs()) {
      if (m.isDerived()) {
        out.put(m.column(), m.weights());
      }
    }
    return out;
  }

  /**
   * Fills slot {@code i}'s terms: each weighted column's slot (the first slot of that name, as the
   * row path looks it up) and its weight, in the weights' order; false when a term is no earlier
   * slot (the row path then decides).
   */
  private static boolean derivedLayout(
      Map<String, Double> weights,
      List<String> valueCols,
      int i,
      int[][] termSlots,
      double[][] termWeights) {
    termSlots[i] = new int[weights.size()];
    termWeights[i] = new double[weights.size()];
    int t = 0;
    for (Map.Entry<String, Double> w : weights.entrySet()) {
      int slot = valueCols.indexOf(w.getKey());
      if (slot < 0 || slot >= i) {
        return false;
      }
      termSlots[i][t] = slot;
      termWeights[i][t++] = w.getValue();
    }
    return true;
  }

  /**
   * The file scan reading the needed columns in the file's order (so the plan needs no reordering
   * projection), or null when a name does not resolve (the row path then reports it).
   */
  private static FileSourceScanExec fileScan(
      Dataset<Row> input, List<String> names, String[] keyCols, List<String> valueCols) {
    Set<String> wanted = new HashSet<>(valueCols);
    wanted.addAll(Arrays.asList(keyCols));
    List<String> needed = new ArrayList<>();
    for (String c : names) {
      if (wanted.contains(c)) {
        needed.add(c);
      }
    }
    try {
      return fileScan(
          input
              .selectExpr(needed.stream().map(ColumnQuote::quote).toArray(String[]::new))
              .queryExecution()
              .executedPlan());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Fills the batch ordinal, type code and null reason of each key column ({@link #ABSENT} for a
   * column the input lacks: a constant key); false when a key's type needs the row path.
   */
  private static boolean keyLayout(
      String[] keyCols,
      List<String> names,
      List<String> out,
      List<DataType> types,
      int[] keyOrdinal,
      int[] keyType,
      String[] keyNull) {
    for (int k = 0; k < 3; k++) {
      keyNull[k] = "null:" + keyCols[k];
      if (!names.contains(keyCols[k])) {
        keyOrdinal[k] = ABSENT;
        keyType[k] = ABSENT;
        continue;
      }
      keyOrdinal[k] = out.indexOf(keyCols[k]);
      keyType[k] = keyOrdinal[k] < 0 ? ABSENT : typeCode(types.get(keyOrdinal[k]));
      if (keyType[k] == ABSENT || keyType[k] > BYTE) {
        return false; // floating or boolean keys print through Spark's cast: row path
      }
    }
    return true;
  }

  /** Known arms (control and variants) when variants are declared; null otherwise. */
  private static Set<String> knownArms(JobSpec spec) {
    if (spec.variants().isEmpty()) {
      return null;
    }
    Set<String> known = new HashSet<>(spec.variants());
    known.add(spec.controlArm());
    return known;
  }

  /** The per-partition statistics, keyed as in {@link SufficientStatsStage}. */
  JavaPairRDD<CellKey, SegmentAccumulator> partials(FaultInjection faults, boolean[] products) {
    return scan.executeColumnar()
        .toJavaRDD()
        .mapPartitionsToPair(
            batches ->
                new ColumnarPartitionScan(this, products)
                    .records(batches, () -> faults.maybeFail("stage-1")));
  }

  /**
   * The file scan under a plan made only of codegen wrappers, the columnar-to-row step and
   * projections that merely pick columns (columns are found by name).
   */
  private static FileSourceScanExec fileScan(SparkPlan plan) {
    SparkPlan p = plan;
    while (p instanceof WholeStageCodegenExec
        || p instanceof ColumnarToRowExec
        || p instanceof InputAdapter
        || (p instanceof ProjectExec j
            && j.projectList().forall(e -> e instanceof AttributeReference))) {
      p = p.children().head();
    }
    return p instanceof FileSourceScanExec f ? f : null;
  }

  private static int typeCode(DataType t) {
    if (t instanceof StringType) {
      return STRING;
    } else if (t instanceof LongType) {
      return LONG;
    } else if (t instanceof IntegerType) {
      return INT;
    } else if (t instanceof ShortType) {
      return SHORT;
    } else if (t instanceof ByteType) {
      return BYTE;
    } else if (t instanceof DoubleType) {
      return DOUBLE;
    } else if (t instanceof FloatType) {
      return FLOAT;
    } else if (t instanceof BooleanType) {
      return BOOLEAN;
    }
    return ABSENT;
  }
}
