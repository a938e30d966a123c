package io.segfx.spark;

import io.segfx.stats.ExactMoments;
import java.util.Arrays;

/**
 * Rows waiting to be added exactly, one by one, to their arm cells' sums, held so that each cell's
 * rows are added together: on input in no order by key, a cell gets about one row of each block,
 * and adding it at once walks that cell's limbs, a cache miss a row. A row added exactly adds the
 * same integers whenever it is added and next to whichever others (see {@link ExactMoments}), so
 * holding rows changes no bit of any sum; it changes only which cell's limbs are warm.
 *
 * <p>A row names its arm cell by a dense id, an index into the moments given to {@link #flush}.
 * Every held row must be added before its cell's sums are read, merged or shipped. Not thread-safe:
 * one per task.
 */
final class DeferredRows {
  /**
   * Rows of one cell in a flush from which bins pay: a loan costs a pass over the previous owner's
   * bins, about what this many rows save.
   */
  static final int BIN_MIN_ROWS = 24;

  /**
   * Bins lent to one cell at a time: each loan takes them back from the cell just finished, whose
   * sums are still in cache.
   */
  private final ExactMoments.Bins bins = new ExactMoments.Bins(1, false);

  /**
   * Bytes of held values at most, unless the minimum rows asked for need more (rows of over 2,048
   * values): a task holds this much beside its cells.
   */
  static final int MAX_BYTES = 16 << 20;

  private final int q;
  private final int capacity;

  /** The held rows' values, row-major, and each row's arm cell; grown up to {@link #capacity}. */
  private double[] values;

  private int[] cell;
  private int size;

  /** Scratch of {@link #flush}: rows per cell id, then where each id's rows start. */
  private int[] counts = new int[0];

  private int[] order = new int[0];
  private final double[] row;

  /**
   * Room for {@code capacity} rows of {@code q} values, capped by {@link #MAX_BYTES}, and at least
   * {@code minimum} rows; the arrays start at {@code minimum} rows and double as rows come, so a
   * small task holds little.
   */
  DeferredRows(int q, int capacity, int minimum) {
    this.q = q;
    this.capacity = Math.max(minimum, Math.min(capacity, MAX_BYTES / (8 * Math.max(1, q))));
    this.values = new double[minimum * q];
    this.cell = new int[minimum];
    this.row = new double[q];
  }

  /** Rows that can be held before a flush is due. */
  int room() {
    return capacity - size;
  }

  /**
   * Holds row {@code r} of {@code cols} for arm cell {@code id}.
   *
   * @throws IllegalStateException when no room is left (see {@link #room})
   */
  void add(int id, double[][] cols, int r) {
    ensure();
    int o = size * q;
    for (int i = 0; i < q; i++) {
      values[o + i] = cols[i][r];
    }
    cell[size++] = id;
  }

  /** Holds the row {@code v} for arm cell {@code id} (see {@link #add(int, double[][], int)}). */
  void add(int id, double[] v) {
    ensure();
    System.arraycopy(v, 0, values, size * q, q);
    cell[size++] = id;
  }

  /** Room for one more row, grown when the arrays are full and the cap allows. */
  private void ensure() {
    if (size < cell.length) {
      return;
    }
    if (size == capacity) {
      throw new IllegalStateException("no room: flush first");
    }
    int rows = Math.min(capacity, 2 * cell.length);
    values = Arrays.copyOf(values, rows * q);
    cell = Arrays.copyOf(cell, rows);
  }

  /**
   * Adds every held row to its arm cell's moments, cell by cell in id order and each cell's rows in
   * the order held: a cell of at least {@link #BIN_MIN_ROWS} rows through bins of its own, a
   * smaller one straight into the limbs. No bins stay lent afterwards.
   *
   * @param moments the arm cells' moments by id
   * @param ids one past the largest id in use
   */
  void flush(ExactMoments[] moments, int ids) {
    if (size == 0) {
      return;
    }
    // A counting sort of the rows by id: each id's rows keep their order.
    if (counts.length < ids + 1) {
      counts = new int[Math.max(ids + 1, 2 * counts.length)];
    }
    if (order.length < size) {
      order = new int[cell.length];
    }
    for (int k = 0; k < size; k++) {
      counts[cell[k] + 1]++;
    }
    for (int id = 0; id < ids; id++) {
      counts[id + 1] += counts[id];
    }
    // counts[id] is now where id's rows start; it advances to where they end.
    for (int k = 0; k < size; k++) {
      order[counts[cell[k]]++] = k;
    }
    for (int id = 0, from = 0; id < ids; id++) {
      int to = counts[id];
      if (to > from) {
        ExactMoments m = moments[id];
        boolean pooled = to - from >= BIN_MIN_ROWS;
        for (int k = from; k < to; k++) {
          System.arraycopy(values, order[k] * q, row, 0, q);
          if (pooled) {
            m.accept(row, bins);
          } else {
            m.accept(row);
          }
        }
      }
      from = to;
    }
    bins.flush();
    Arrays.fill(counts, 0, ids + 1, 0);
    size = 0;
  }
}
