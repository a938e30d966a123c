package io.segfx.spark;

import io.segfx.config.JobSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * Stage 1's scan read straight from Spark's vectorized Parquet batches: the same validation as
 * {@link ValidationStage} and the same accumulation as {@link SufficientStatsStage}, but per column
 * vector instead of per projected row. Rows of a cell are recognised by their Parquet dictionary
 * ids (or raw values), so no key string is built per row and no row is copied into an {@code
 * UnsafeRow}.
 *
 * <p>It applies only where it reproduces the row path exactly: a Parquet input read by the
 * vectorized reader, key columns that are text or integers, value columns of a native numeric or
 * boolean type, unit rows without {@code --unit-col} or {@code --cluster-col}. Anything else (CSV,
 * numeric text, decimals, floating keys, aggregated rows) takes the row path. Both paths give the
 * same quarantine reasons (first failing check, in the order of {@link ValidationStage}) and, since
 * the sums are exact, bit-identical statistics; {@code ColumnarScanTest} checks it on every kind of
 * bad row.
 *
 * <p>Reads Spark's physical plan ({@link FileSourceScanExec#executeColumnar}), a developer API that
 * is stable across Spark 3.x; the Spark property {@value #PROPERTY}{@code =false} turns the path
 * off.
 */
final class ColumnarScan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Spark property that enables this path (default true). */
  static final String PROPERTY = "spark.segfx.columnarScan";

  private static final int STRING = 0;
  private static final int LONG = 1;
  private static final int INT = 2;
  private static final int SHORT = 3;
  private static final int BYTE = 4;
  private static final int DOUBLE = 5;
  private static final int FLOAT = 6;
  private static final int BOOLEAN = 7;
  private static final int ABSENT = -1;

  private final transient FileSourceScanExec scan;

  /** Batch ordinals of experiment, segment, arm ({@link #ABSENT}: a constant key). */
  private final int[] keyOrdinal;

  private final int[] keyType;
  private final String[] keyConstant;
  private final int[] valueOrdinal;
  private final int[] valueType;
  private final boolean[] binary;

  /** Reasons, precomputed so a rejected row costs no concatenation. */
  private final String[] keyNullReason;

  private final String[][] valueReasons;

  /** Known arms (control and variants) when variants are declared; null otherwise. */
  private final Set<String> knownArms;

  private ColumnarScan(
      FileSourceScanExec scan,
      int[] keyOrdinal,
      int[] keyType,
      String[] keyConstant,
      int[] valueOrdinal,
      int[] valueType,
      boolean[] binary,
      String[] keyNullReason,
      String[][] valueReasons,
      Set<String> knownArms) {
    this.scan = scan;
    this.keyOrdinal = keyOrdinal;
    this.keyType = keyType;
    this.keyConstant = keyConstant;
    this.valueOrdinal = valueOrdinal;
    this.valueType = valueType;
    this.binary = binary;
    this.keyNullReason = keyNullReason;
    this.valueReasons = valueReasons;
    this.knownArms = knownArms;
  }

  /**
   * The columnar scan of {@code input} for {@code spec}, or null when this path does not apply (the
   * caller then takes the row path). The schema has already been checked by {@link
   * ValidationStage#apply}.
   */
  static ColumnarScan of(Dataset<Row> input, JobSpec spec) {
    if (!input.sparkSession().sparkContext().getConf().getBoolean(PROPERTY, true)
        || spec.inputKind() != io.segfx.model.InputKind.UNITS
        || spec.unitCol() != null
        || spec.clusterCol() != null) {
      return null;
    }
    List<String> names = Arrays.asList(input.schema().fieldNames());
    String[] keyCols = {spec.experimentCol(), spec.segmentCol(), spec.armCol()};
    String[] constants = {JobSpec.SINGLE_EXPERIMENT, JobSpec.SINGLE_SEGMENT, null};
    List<String> valueCols = ValidationStage.valueColumns(spec);
    // The needed columns in the file's order, so the plan needs no reordering projection.
    Set<String> wanted = new HashSet<>(valueCols);
    wanted.addAll(Arrays.asList(keyCols));
    List<String> needed = new ArrayList<>();
    for (String c : names) {
      if (wanted.contains(c)) {
        needed.add(c);
      }
    }
    FileSourceScanExec scan;
    try {
      scan =
          fileScan(
              input
                  .selectExpr(needed.stream().map(ValidationStage::quote).toArray(String[]::new))
                  .queryExecution()
                  .executedPlan());
    } catch (RuntimeException e) { // an unresolvable name: the row path reports it
      return null;
    }
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
        return null; // floating or boolean keys print through Spark's cast: row path
      }
    }
    List<String> binaryCols = ValidationStage.binaryColumns(spec);
    int q = valueCols.size();
    int[] valueOrdinal = new int[q];
    int[] valueType = new int[q];
    boolean[] binary = new boolean[q];
    String[][] reasons = new String[q][];
    for (int i = 0; i < q; i++) {
      String c = valueCols.get(i);
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
    Set<String> known = null;
    if (!spec.variants().isEmpty()) {
      known = new HashSet<>(spec.variants());
      known.add(spec.controlArm());
    }
    return new ColumnarScan(
        scan,
        keyOrdinal,
        keyType,
        constants,
        valueOrdinal,
        valueType,
        binary,
        keyNull,
        reasons,
        known);
  }

  /** The per-partition statistics, keyed as in {@link SufficientStatsStage}. */
  JavaPairRDD<CellKey, SegmentAccumulator> partials(FaultInjection faults, boolean[] products) {
    return scan.executeColumnar()
        .toJavaRDD()
        .mapPartitionsToPair(
            batches -> {
              PartitionScan p = new PartitionScan(this, products);
              while (batches.hasNext()) {
                p.accept(batches.next());
              }
              faults.maybeFail("stage-1");
              return p.result();
            });
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

  /** The cast Spark applies to a value column ({@code CAST(v AS DOUBLE)}), for native types. */
  private static double value(ColumnVector v, int type, int row) {
    switch (type) {
      case DOUBLE:
        return v.getDouble(row);
      case INT:
        return v.getInt(row);
      case LONG:
        return v.getLong(row);
      case FLOAT:
        return v.getFloat(row);
      case SHORT:
        return v.getShort(row);
      case BYTE:
        return v.getByte(row);
      default:
        return v.getBoolean(row) ? 1.0 : 0.0;
    }
  }

  /** An integral key as Spark's {@code CAST(k AS STRING)} prints it. */
  private static long integral(ColumnVector v, int type, int row) {
    switch (type) {
      case LONG:
        return v.getLong(row);
      case INT:
        return v.getInt(row);
      case SHORT:
        return v.getShort(row);
      default:
        return v.getByte(row);
    }
  }

  /**
   * One task's state. A key column is compared with the previous row's by its dictionary id (within
   * one batch, whose dictionary is fixed), its bytes, or its integer value; only on a change is its
   * text built and looked up.
   */
  private static final class PartitionScan {
    private final ColumnarScan s;
    private final int q;
    private final Map<String, SegmentAccumulator> cells = new HashMap<>();
    private final Map<String, SegmentAccumulator> rejected = new HashMap<>();

    /** Arm slots of this task: names, known flags, and lookups from raw values. */
    private final List<String> armNames = new ArrayList<>();

    private final List<Boolean> armKnown = new ArrayList<>();
    private final Map<String, Integer> armByName = new HashMap<>();
    private long[] armLongs = new long[4];
    private int[] armLongSlots = new int[4];
    private int armLongCount;

    /** Per batch: arm slot by dictionary id (-1 unknown). */
    private int[] armSlotById = new int[8];

    private final double[] v;
    private final ColumnVector[] keys = new ColumnVector[3];
    private final WritableColumnVector[] ids = new WritableColumnVector[3];
    private final ColumnVector[] values;

    /** The previous row's raw keys: dictionary id or integer value, or bytes for plain text. */
    private final long[] lastRaw = new long[3];

    private final UTF8String[] lastText = new UTF8String[3];
    private SegmentAccumulator acc;
    private int lastArmSlot = -1;

    private final boolean[] products;

    PartitionScan(ColumnarScan s, boolean[] products) {
      this.s = s;
      this.products = products;
      this.q = s.valueOrdinal.length;
      this.v = new double[q];
      this.values = new ColumnVector[q];
    }

    void accept(ColumnarBatch batch) {
      int n = batch.numRows();
      for (int k = 0; k < 3; k++) {
        keys[k] = s.keyOrdinal[k] == ABSENT ? null : batch.column(s.keyOrdinal[k]);
        ids[k] = null;
        if (keys[k] instanceof WritableColumnVector w
            && s.keyType[k] == STRING
            && w.hasDictionary()) {
          ids[k] = w.getDictionaryIds();
        }
      }
      for (int i = 0; i < q; i++) {
        values[i] = batch.column(s.valueOrdinal[i]);
      }
      if (ids[2] != null) {
        Arrays.fill(armSlotById, -1);
      }
      // A new batch may bring a new dictionary: the first row looks its cell up again.
      acc = null;
      for (int r = 0; r < n; r++) {
        row(r);
      }
    }

    private void row(int r) {
      for (int k = 0; k < 3; k++) {
        if (keys[k] != null && keys[k].isNullAt(r)) {
          reject(s.keyNullReason[k]);
          return;
        }
      }
      int armSlot = armSlot(r);
      if (armNames.get(armSlot) == null) {
        reject(s.keyNullReason[2]);
        return;
      }
      if (s.knownArms != null && !armKnown.get(armSlot)) {
        reject("unknown_arm");
        return;
      }
      for (int i = 0; i < q; i++) {
        ColumnVector c = values[i];
        if (c.isNullAt(r)) {
          reject(s.valueReasons[i][0]);
          return;
        }
        double x = value(c, s.valueType[i], r);
        if (Double.isNaN(x) || Double.isInfinite(x)) {
          reject(s.valueReasons[i][1]);
          return;
        }
        if (Math.abs(x) > ValidationStage.MAX_MAGNITUDE) {
          reject(s.valueReasons[i][2]);
          return;
        }
        if (s.binary[i] && x != 0.0 && x != 1.0) {
          reject(s.valueReasons[i][3]);
          return;
        }
        v[i] = x;
      }
      if (acc == null || changed(0, r) | changed(1, r)) {
        String e = text(0, r);
        String g = text(1, r);
        acc =
            cells.computeIfAbsent(
                CellKey.text(e, g), key -> new SegmentAccumulator(e, g, q, products));
        remember(0, r);
        remember(1, r);
      }
      acc.rows++;
      acc.armAt(armSlot, armNames.get(armSlot)).accept(v);
    }

    /** Whether key k of row r differs from the remembered one (not short-circuited: both read). */
    private boolean changed(int k, int r) {
      ColumnVector c = keys[k];
      if (c == null) {
        return false;
      }
      if (ids[k] != null) {
        return ids[k].getInt(r) != lastRaw[k];
      }
      if (s.keyType[k] == STRING) {
        return !c.getUTF8String(r).equals(lastText[k]);
      }
      return integral(c, s.keyType[k], r) != lastRaw[k];
    }

    private void remember(int k, int r) {
      ColumnVector c = keys[k];
      if (c == null) {
        return;
      }
      if (ids[k] != null) {
        lastRaw[k] = ids[k].getInt(r);
      } else if (s.keyType[k] == STRING) {
        lastText[k] = c.getUTF8String(r).clone();
      } else {
        lastRaw[k] = integral(c, s.keyType[k], r);
      }
    }

    private String text(int k, int r) {
      ColumnVector c = keys[k];
      if (c == null) {
        return s.keyConstant[k];
      }
      return s.keyType[k] == STRING
          ? c.getUTF8String(r).toString()
          : Long.toString(integral(c, s.keyType[k], r));
    }

    /** The task-wide slot of row r's arm, created on first sight. */
    private int armSlot(int r) {
      ColumnVector c = keys[2];
      if (ids[2] != null) {
        int id = ids[2].getInt(r);
        if (id >= armSlotById.length) {
          int old = armSlotById.length;
          armSlotById = Arrays.copyOf(armSlotById, Math.max(id + 1, 2 * old));
          Arrays.fill(armSlotById, old, armSlotById.length, -1);
        }
        int slot = armSlotById[id];
        if (slot < 0) {
          slot = slotOf(c.getUTF8String(r).toString());
          armSlotById[id] = slot;
        }
        return slot;
      }
      if (s.keyType[2] == STRING) {
        UTF8String t = c.getUTF8String(r);
        if (lastArmSlot >= 0 && t.equals(lastText[2])) {
          return lastArmSlot;
        }
        lastText[2] = t.clone();
        lastArmSlot = slotOf(t.toString());
        return lastArmSlot;
      }
      long x = integral(c, s.keyType[2], r);
      for (int i = 0; i < armLongCount; i++) {
        if (armLongs[i] == x) {
          return armLongSlots[i];
        }
      }
      int slot = slotOf(Long.toString(x));
      if (armLongCount == armLongs.length) {
        armLongs = Arrays.copyOf(armLongs, 2 * armLongCount);
        armLongSlots = Arrays.copyOf(armLongSlots, 2 * armLongCount);
      }
      armLongs[armLongCount] = x;
      armLongSlots[armLongCount++] = slot;
      return slot;
    }

    /** The slot of an arm's raw text; its name is the canonical label (null: a missing arm). */
    private int slotOf(String raw) {
      String name = io.segfx.model.ArmLabel.canonical(raw);
      Integer slot = armByName.get(name);
      if (slot == null) {
        slot = armNames.size();
        armNames.add(name);
        armKnown.add(s.knownArms == null || s.knownArms.contains(name));
        armByName.put(name, slot);
      }
      return slot;
    }

    private void reject(String reason) {
      rejected.computeIfAbsent(reason, k -> new SegmentAccumulator(null, k, q, products))
          .rejected++;
    }

    Iterator<Tuple2<CellKey, SegmentAccumulator>> result() {
      return SufficientStatsStage.partials(cells, rejected);
    }
  }
}
