package io.segfx.spark;

import static io.segfx.spark.ColumnarScan.ABSENT;
import static io.segfx.spark.ColumnarScan.BYTE;
import static io.segfx.spark.ColumnarScan.DOUBLE;
import static io.segfx.spark.ColumnarScan.FLOAT;
import static io.segfx.spark.ColumnarScan.INT;
import static io.segfx.spark.ColumnarScan.LONG;
import static io.segfx.spark.ColumnarScan.SHORT;
import static io.segfx.spark.ColumnarScan.STRING;

import io.segfx.model.ArmLabel;
import io.segfx.stats.ExactMoments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * One task's state of {@link ColumnarScan}. A key column is compared with the previous row's by its
 * dictionary id (within one batch, whose dictionary is fixed), its bytes, or its integer value;
 * only on a change is the cell looked up, by the two keys' task-wide codes ({@link KeyCodes}), so
 * that input in no order by key pays no text per row. Rows added exactly one at a time wait in
 * {@link DeferredRows}, so that each cell's are added together.
 */
final class ColumnarPartitionScan {
  private final ColumnarScan s;
  private final int q;

  /** The cells by their keys' codes: experiment code in the high half, segment code below. */
  private final LongMap<SegmentAccumulator> cells = new LongMap<>();

  /**
   * Codes of the experiment, segment and arm keys, and the experiment's and segment's code when the
   * input lacks the column (an arm column is always read).
   */
  private final KeyCodes[] codes = {new KeyCodes(), new KeyCodes(), new KeyCodes()};

  private final int[] constantCode = {-1, -1, -1};

  /** Serial of the batch being read, for {@link KeyCodes#cached}; from 1. */
  private int batchSerial;

  /**
   * Rows held for exact addition: about 13 rows of each of W10's 40,000 arm cells per flush when
   * they come in no order, within {@link DeferredRows#MAX_BYTES}.
   */
  static final int DEFERRED_ROWS = 1 << 19;

  /** Rows a new task holds: {@link #DEFERRED_ROWS}; tests lower it so that small inputs flush. */
  static volatile int deferredRows = DEFERRED_ROWS;

  private final DeferredRows deferred;

  /**
   * The arm cells held, by a dense id (from 1; ids of shipped cells are reused): their moments, and
   * per block the serial of the last block that gave the cell an index and that index. Flat arrays,
   * so that a row on input in no order reaches its arm cell without visiting its objects.
   */
  private ExactMoments[] armMoments = new ExactMoments[64];

  private int[] armBlockSerial = new int[64];
  private int[] armBlockTarget = new int[64];

  /** One past the largest arm cell id given. */
  private int armIds = 1;

  private int[] freeIds = new int[16];
  private int freeCount;
  private final Map<String, SegmentAccumulator> rejected = new HashMap<>();

  /**
   * Cells held before the untouched ones are shipped ({@link #records}): about 10 MB of exact sums
   * on 2 arms and 4 columns, and a pass over them every few hundred batches of input in key order.
   */
  static final int HELD = 4096;

  /** Shipped cells per cell that came back, above which shipping early stops. */
  static final int RETURNS_PER_SHIPPED = 8;

  /** Batches read so far. */
  private long batches;

  /** The keys of the cells shipped early (null once that stops), and how many came back. */
  private Set<Long> shipped = new HashSet<>();

  private long shippedCount;
  private long returned;

  /** Arm slots of this task: names, known flags, and lookups from raw values. */
  private final List<String> armNames = new ArrayList<>();

  private final List<Boolean> armKnown = new ArrayList<>();
  private final Map<String, Integer> armByName = new HashMap<>();

  /** Arm slot by the arm's code ({@link #codes}; -1 unknown). */
  private int[] slotByArmCode = new int[0];

  private final double[] v;
  private final ColumnVector[] keys = new ColumnVector[3];
  private final WritableColumnVector[] ids = new WritableColumnVector[3];

  /**
   * Per batch: the dictionary ids of {@link #ids}, read once into arrays kept across batches
   * (Spark's {@code getInts} would allocate a new array per batch and key).
   */
  private final int[][] idRows = {new int[0], new int[0], new int[0]};

  private final ColumnVector[] values;

  /** Per batch: whether a key or value column has nulls at all (else no row is asked). */
  private final boolean[] keyNulls = new boolean[3];

  /**
   * Per batch, per value slot: the column's values as doubles when the batch is clean (see {@link
   * #clean}); grown to the largest batch seen.
   */
  private final double[][] columns;

  private final boolean[] valueNulls;

  /** The previous row's raw keys: dictionary id or integer value, or bytes for plain text. */
  private final long[] lastRaw = new long[3];

  private final UTF8String[] lastText = new UTF8String[3];
  private SegmentAccumulator acc;
  private int lastArmSlot = -1;

  private final boolean[] products;

  /**
   * Rows of one arm cell in a block from which {@link ExactMoments#acceptBlock} pays: its fixed
   * cost, a few dozen exact additions, is that of about this many rows added one by one.
   */
  static final int BLOCK_MIN_ROWS = 32;

  /** Per block: a serial that tells this block's target marks from earlier ones. */
  private int blockSerial;

  /** Per block row: the index of its arm cell in {@link #targets}, or -1 when quarantined. */
  private final int[] rowTarget = new int[ExactMoments.BLOCK_ROWS];

  /** Per block: the arm cells in order of first row, their row counts, and their rows' order. */
  private final int[] targets = new int[ExactMoments.BLOCK_ROWS];

  private final int[] targetRows = new int[ExactMoments.BLOCK_ROWS];
  private final int[] targetStart = new int[ExactMoments.BLOCK_ROWS];
  private final int[] targetFill = new int[ExactMoments.BLOCK_ROWS];
  private final int[] blockOrder = new int[ExactMoments.BLOCK_ROWS];

  ColumnarPartitionScan(ColumnarScan s, boolean[] products) {
    this.s = s;
    this.products = products;
    this.q = s.valueOrdinal.length;
    this.v = new double[q];
    this.values = new ColumnVector[q];
    this.valueNulls = new boolean[q];
    this.columns = new double[q][0];
    this.deferred = new DeferredRows(q, deferredRows, ExactMoments.BLOCK_ROWS);
    for (int k = 0; k < 2; k++) {
      if (s.keyOrdinal[k] == ABSENT) {
        constantCode[k] = codes[k].constant(s.keyConstant[k]);
      }
    }
  }

  void accept(ColumnarBatch batch) {
    int n = batch.numRows();
    batchSerial++;
    for (int k = 0; k < 3; k++) {
      keys[k] = s.keyOrdinal[k] == ABSENT ? null : batch.column(s.keyOrdinal[k]);
      keyNulls[k] = keys[k] != null && keys[k].hasNull();
      ids[k] = null;
      if (keys[k] instanceof WritableColumnVector w && w.hasDictionary()) {
        ids[k] = w.getDictionaryIds();
        if (idRows[k].length < n) {
          idRows[k] = new int[n];
        }
        int[] to = idRows[k];
        for (int r = 0; r < n; r++) {
          to[r] = ids[k].getInt(r);
        }
      }
    }
    for (int i = 0; i < q; i++) {
      values[i] = s.valueOrdinal[i] == ABSENT ? null : batch.column(s.valueOrdinal[i]);
      valueNulls[i] = values[i] != null && values[i].hasNull();
    }
    // A new batch may bring a new dictionary: the first row looks its cell up again.
    acc = null;
    boolean readable = readColumns(n);
    // Blocks are cut at the same rows of a row group whatever the batch size (a multiple of the
    // block size), and each is judged clean on its own rows, so that which rows are summed per
    // block does not depend on the batch size either.
    for (int start = 0; start < n; start += ExactMoments.BLOCK_ROWS) {
      int end = Math.min(n, start + ExactMoments.BLOCK_ROWS);
      if (deferred.room() < end - start) {
        deferred.flush(armMoments, armIds);
      }
      if (!readable || !clean(start, end)) {
        for (int r = start; r < end; r++) {
          row(r);
        }
      } else if (s.blocks) {
        cleanBlock(start, end);
      } else {
        for (int r = start; r < end; r++) {
          cleanRow(r);
        }
      }
    }
  }

  /**
   * Reads every value column of the batch into {@link #columns} (a null row as 0, never used);
   * false, reading nothing, when a slot is a derived metric, whose rows all take {@link #row}.
   */
  private boolean readColumns(int n) {
    for (int i = 0; i < q; i++) {
      if (values[i] == null) {
        return false;
      }
    }
    for (int i = 0; i < q; i++) {
      if (columns[i].length < n) {
        columns[i] = new double[n];
      }
      read(values[i], s.valueType[i], n, columns[i], valueNulls[i]);
    }
    return true;
  }

  /**
   * Whether no row of {@code start..end-1} can fail a key-null or value check: no key or value is
   * null and every value is within the magnitude bound (hence finite) and, for a binary metric, 0
   * or 1. {@link #cleanRow} and {@link #cleanBlock} then skip the checks {@link #row} would pass
   * anyway, so the statistics and quarantine reasons are the same; only the empty-id and arm checks
   * remain per row.
   */
  private boolean clean(int start, int end) {
    for (int k = 0; k < 3; k++) {
      if (keyNulls[k] && anyNull(keys[k], start, end)) {
        return false;
      }
    }
    for (int i = 0; i < q; i++) {
      if (valueNulls[i] && anyNull(values[i], start, end)) {
        return false;
      }
      double[] x = columns[i];
      boolean ok = true;
      if (s.binary[i]) {
        for (int r = start; r < end; r++) {
          ok &= x[r] == 0.0 | x[r] == 1.0;
        }
      } else {
        for (int r = start; r < end; r++) {
          // Not "within" for NaN as in row(): NaN fails the comparison, so the block is not clean.
          ok &= Math.abs(x[r]) <= ValidationStage.MAX_MAGNITUDE;
        }
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyNull(ColumnVector c, int start, int end) {
    for (int r = start; r < end; r++) {
      if (c.isNullAt(r)) {
        return true;
      }
    }
    return false;
  }

  /** {@link #row} for a clean batch: the row's cell, the arm's checks, then the sums. */
  private void cleanRow(int r) {
    if (!cell(r)) {
      return;
    }
    int armSlot = armSlot(r);
    if (armRejected(armSlot)) {
      return;
    }
    acc.rows++;
    deferred.add(armCell(armSlot), columns, r);
  }

  /**
   * {@link #row} for rows {@code start..end-1} of a clean batch: each row's cell (empty ids) and
   * the arm's checks first, then each arm cell's rows in one {@link ExactMoments#acceptBlock} when
   * there are at least {@link #BLOCK_MIN_ROWS} of them, else row by row. A block is a {@link
   * ExactMoments#BLOCK_ROWS}-row piece of a column batch, and a batch starts a Parquet row group or
   * follows a full batch of it, so which rows share a block, and in what order, is fixed by the
   * file and the reader's batch size alone, never by how files are split into partitions.
   */
  private void cleanBlock(int start, int end) {
    int serial = ++blockSerial;
    int targetCount = 0;
    for (int r = start; r < end; r++) {
      if (!cell(r)) {
        rowTarget[r - start] = -1;
        continue;
      }
      int armSlot = armSlot(r);
      if (armRejected(armSlot)) {
        rowTarget[r - start] = -1;
        continue;
      }
      acc.rows++;
      int id = armCell(armSlot);
      int t;
      if (armBlockSerial[id] == serial) {
        t = armBlockTarget[id];
      } else {
        t = targetCount++;
        targets[t] = id;
        targetRows[t] = 0;
        armBlockSerial[id] = serial;
        armBlockTarget[id] = t;
      }
      targetRows[t]++;
      rowTarget[r - start] = t;
    }
    // Each target's rows, in row order, by a counting sort.
    for (int t = 0, at = 0; t < targetCount; t++) {
      targetStart[t] = at;
      targetFill[t] = at;
      at += targetRows[t];
    }
    for (int r = start; r < end; r++) {
      int t = rowTarget[r - start];
      if (t >= 0) {
        blockOrder[targetFill[t]++] = r;
      }
    }
    for (int t = 0; t < targetCount; t++) {
      int id = targets[t];
      int from = targetStart[t];
      int to = from + targetRows[t];
      if (to - from >= BLOCK_MIN_ROWS) {
        armMoments[id].acceptBlock(columns, blockOrder, from, to);
      } else {
        for (int k = from; k < to; k++) {
          deferred.add(id, columns, blockOrder[k]);
        }
      }
    }
  }

  /** Quarantines the row when its arm is missing or, with declared variants, unknown. */
  private boolean armRejected(int armSlot) {
    if (armNames.get(armSlot) == null) {
      reject(s.keyNullReason[2]);
      return true;
    }
    if (s.knownArms != null && !armKnown.get(armSlot)) {
      reject("unknown_arm");
      return true;
    }
    return false;
  }

  /**
   * Points {@link #acc} at row r's (experiment, segment), looked up only when a key changes; false,
   * with the row quarantined, when an id is empty, which the row path reads as missing ({@link
   * InputText#id}).
   */
  private boolean cell(int r) {
    if (acc == null || changed(0, r) | changed(1, r)) {
      int ce = code(0, r);
      int cg = code(1, r);
      String e = codes[0].textOf(ce);
      String g = codes[1].textOf(cg);
      if (e.isEmpty() || g.isEmpty()) {
        // Looked up again on the next row: empty ids are rare, and acc stays a real cell.
        acc = null;
        reject(s.keyNullReason[e.isEmpty() ? 0 : 1]);
        return false;
      }
      long key = (long) ce << 32 | cg;
      acc = cells.get(key);
      if (acc == null) {
        acc = new SegmentAccumulator(e, g, q, products);
        cells.put(key, acc);
        if (shipped != null && shipped.contains(key)) {
          returned++;
        }
      }
      acc.lastBatch = batches;
      remember(0, r);
      remember(1, r);
    }
    return true;
  }

  /**
   * Rows 0..n-1 of a value column as doubles, with {@link #value}'s casts; one loop per type. A
   * column with nulls is read row by row, a null as 0: a null row's slot may hold a stale
   * dictionary id.
   */
  private static void read(ColumnVector c, int type, int n, double[] x, boolean nulls) {
    if (nulls) {
      for (int r = 0; r < n; r++) {
        x[r] = c.isNullAt(r) ? 0 : value(c, type, r);
      }
      return;
    }
    switch (type) {
      case DOUBLE:
        for (int r = 0; r < n; r++) {
          x[r] = c.getDouble(r);
        }
        break;
      case INT:
        for (int r = 0; r < n; r++) {
          x[r] = c.getInt(r);
        }
        break;
      default:
        for (int r = 0; r < n; r++) {
          x[r] = value(c, type, r);
        }
    }
  }

  private void row(int r) {
    // In the row path's order: experiment, segment (each missing if null or empty), arm.
    for (int k = 0; k < 3; k++) {
      if (keyNulls[k] && keys[k].isNullAt(r) || k < 2 && emptyText(k, r)) {
        reject(s.keyNullReason[k]);
        return;
      }
    }
    if (!cell(r)) {
      return;
    }
    int armSlot = armSlot(r);
    if (armRejected(armSlot)) {
      return;
    }
    for (int i = 0; i < q; i++) {
      ColumnVector c = values[i];
      if (c == null) {
        double x = weightedSum(s.termSlots[i], s.termWeights[i]);
        // Spark orders NaN above every number, so the row path's |sum| > max also holds for a NaN
        // sum (+Inf plus -Inf from huge weights); hence "not within", not "above".
        if (!(Math.abs(x) <= ValidationStage.MAX_MAGNITUDE)) {
          reject(s.valueReasons[i][2]);
          return;
        }
        v[i] = x;
        continue;
      }
      if (valueNulls[i] && c.isNullAt(r)) {
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
    acc.rows++;
    deferred.add(armCell(armSlot), v);
  }

  /** The id of {@link #acc}'s moments of arm slot {@code slot}, both created on first sight. */
  private int armCell(int slot) {
    int id = acc.armId(slot);
    if (id == 0) {
      id = freeCount > 0 ? freeIds[--freeCount] : armIds++;
      if (id >= armMoments.length) {
        int size = 2 * armMoments.length;
        armMoments = Arrays.copyOf(armMoments, size);
        armBlockSerial = Arrays.copyOf(armBlockSerial, size);
        armBlockTarget = Arrays.copyOf(armBlockTarget, size);
      }
      armMoments[id] = acc.armAt(slot, armNames.get(slot));
      armBlockSerial[id] = 0;
      acc.armId(slot, id);
    }
    return id;
  }

  /** Gives back the ids of a shipped cell's arm cells, for cells yet to come. */
  private void release(SegmentAccumulator a) {
    for (int slot = 0; slot < armNames.size(); slot++) {
      int id = a.armId(slot);
      if (id != 0) {
        armMoments[id] = null;
        if (freeCount == freeIds.length) {
          freeIds = Arrays.copyOf(freeIds, 2 * freeCount);
        }
        freeIds[freeCount++] = id;
      }
    }
  }

  /**
   * A derived metric's value from the row's slots read so far: {@code ((v1 * w1) + (v2 * w2)) +
   * ...}, the row path's Spark expression term by term, so the doubles are the same.
   */
  private double weightedSum(int[] slots, double[] weights) {
    double sum = v[slots[0]] * weights[0];
    for (int t = 1; t < slots.length; t++) {
      sum = sum + v[slots[t]] * weights[t];
    }
    return sum;
  }

  /** Whether key k of row r differs from the remembered one (not short-circuited: both read). */
  private boolean changed(int k, int r) {
    ColumnVector c = keys[k];
    if (c == null) {
      return false;
    }
    if (ids[k] != null) {
      return idRows[k][r] != lastRaw[k];
    }
    if (s.keyType[k] == STRING) {
      return !c.getUTF8String(r).equals(lastText[k]);
    }
    return integral(c, s.keyType[k], r) != lastRaw[k];
  }

  /** Whether text key k of row r is the empty string. */
  private boolean emptyText(int k, int r) {
    return keys[k] != null && s.keyType[k] == STRING && keys[k].getUTF8String(r).numBytes() == 0;
  }

  private void remember(int k, int r) {
    ColumnVector c = keys[k];
    if (c == null) {
      return;
    }
    if (ids[k] != null) {
      lastRaw[k] = idRows[k][r];
    } else if (s.keyType[k] == STRING) {
      lastText[k] = c.getUTF8String(r).copy();
    } else {
      lastRaw[k] = integral(c, s.keyType[k], r);
    }
  }

  /** The task-wide code of key k (experiment, segment or arm) of row r. */
  private int code(int k, int r) {
    ColumnVector c = keys[k];
    if (c == null) {
      return constantCode[k];
    }
    KeyCodes kc = codes[k];
    if (ids[k] == null) {
      return lookUp(k, r);
    }
    int id = idRows[k][r];
    int code = kc.cached(id, batchSerial);
    if (code < 0) {
      code = lookUp(k, r);
      kc.cache(id, batchSerial, code);
    }
    return code;
  }

  /** The code of key k's value in row r, looked up by its text or integer. */
  private int lookUp(int k, int r) {
    ColumnVector c = keys[k];
    return s.keyType[k] == STRING
        ? codes[k].text(c.getUTF8String(r))
        : codes[k].integral(integral(c, s.keyType[k], r));
  }

  /**
   * The task-wide slot of row r's arm, created on first sight: by the arm's code, or, on plain text
   * and integer columns, as the previous row's when its value repeats.
   */
  private int armSlot(int r) {
    boolean plain = ids[2] == null;
    if (plain && lastArmSlot >= 0 && !changed(2, r)) {
      return lastArmSlot;
    }
    int code = code(2, r);
    if (code >= slotByArmCode.length) {
      int old = slotByArmCode.length;
      slotByArmCode = Arrays.copyOf(slotByArmCode, Math.max(code + 1, 2 * old));
      Arrays.fill(slotByArmCode, old, slotByArmCode.length, -1);
    }
    int slot = slotByArmCode[code];
    if (slot < 0) {
      slot = slotOf(codes[2].textOf(code));
      slotByArmCode[code] = slot;
    }
    if (plain) {
      remember(2, r);
      lastArmSlot = slot;
    }
    return slot;
  }

  /** The slot of an arm's raw text; its name is the canonical label (null: a missing arm). */
  private int slotOf(String raw) {
    String name = ArmLabel.canonical(raw);
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
    rejected.computeIfAbsent(reason, k -> new SegmentAccumulator(null, k, q, products)).rejected++;
  }

  /**
   * The task's records as its batches are read: a cell is shipped once the batches stop touching
   * it, rather than held to the task's end, so that a long task holds the cells of its last few
   * batches rather than all of them. Merges are exact, so how a cell's rows are split among records
   * does not change a bit of the result. On input in no order by key, cells come back after they
   * were shipped; when they do for more than one in {@link #RETURNS_PER_SHIPPED}, the task stops
   * shipping early and holds every cell to its end, one record per cell and task.
   *
   * @param end runs when the batches are exhausted, before the cells still held are shipped
   */
  Iterator<Tuple2<CellKey, SegmentAccumulator>> records(
      Iterator<ColumnarBatch> input, Runnable end) {
    return new Iterator<>() {
      private Iterator<Tuple2<CellKey, SegmentAccumulator>> out = Collections.emptyIterator();
      private boolean done;

      @Override
      public boolean hasNext() {
        while (!out.hasNext() && !done) {
          if (input.hasNext()) {
            accept(input.next());
            batches++;
            out = shipUntouched();
          } else {
            end.run();
            out = rest();
            done = true;
          }
        }
        return out.hasNext();
      }

      @Override
      public Tuple2<CellKey, SegmentAccumulator> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return out.next();
      }
    };
  }

  /** The cells not touched by the last two batches, once more than {@link #HELD} are held. */
  private Iterator<Tuple2<CellKey, SegmentAccumulator>> shipUntouched() {
    if (cells.size() <= HELD || shipped == null) {
      return Collections.emptyIterator();
    }
    if (shippedCount >= HELD && returned * RETURNS_PER_SHIPPED > shippedCount) {
      shipped = null;
      return Collections.emptyIterator();
    }
    // Kryo ships the limbs only: held rows go into them first (and leave no bins lent).
    deferred.flush(armMoments, armIds);
    List<Tuple2<CellKey, SegmentAccumulator>> out = new ArrayList<>();
    long before = batches - 2;
    cells.removeIf(
        (key, a) -> {
          if (a.lastBatch >= before) {
            return false;
          }
          shipped.add(key);
          release(a);
          out.add(new Tuple2<>(new CellKey(false, a.experiment, a.segment), a));
          return true;
        });
    shippedCount += out.size();
    return out.iterator();
  }

  /** Every cell still held, and the quarantine tallies. */
  private Iterator<Tuple2<CellKey, SegmentAccumulator>> rest() {
    // Kryo ships the limbs only: held rows go into them first (and leave no bins lent).
    deferred.flush(armMoments, armIds);
    return SufficientStatsStage.partials(cells.values(), rejected.values());
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
}
