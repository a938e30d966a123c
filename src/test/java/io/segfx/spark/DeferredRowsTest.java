package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segfx.stats.ExactMoments;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DeferredRows} against adding each row at once: the exact sums must be the same values,
 * whatever the rows' order, the flushes between them and the path (bins or limbs) a cell's rows
 * take.
 */
class DeferredRowsTest {
  private static final int Q = 3;

  /** Row k's values: far from zero, tiny, zero and negative values mixed. */
  private static double[] row(Random r) {
    return new double[] {
      1e9 + r.nextGaussian(), r.nextInt(4) == 0 ? 0.0 : r.nextGaussian() * 1e-7, -r.nextInt(1000)
    };
  }

  private static void assertSameSums(ExactMoments expected, ExactMoments actual, String where) {
    assertEquals(expected.count(), actual.count(), where);
    for (int i = 0; i < Q; i++) {
      assertEquals(0, expected.sum(i).compareTo(actual.sum(i)), where + " S" + i);
      for (int j = i; j < Q; j++) {
        assertEquals(
            0,
            expected.crossProduct(i, j).compareTo(actual.crossProduct(i, j)),
            where + " Q" + i + j);
      }
    }
  }

  /**
   * 200 cells, a few with hundreds of rows (the bins' path) and most with a handful (the limbs'),
   * in random order through a buffer that flushes every 1,024 rows: every sum equals the one built
   * row by row in input order.
   */
  @Test
  void heldRowsAddTheSameExactSums() {
    Random r = new Random(53);
    int cells = 200;
    ExactMoments[] direct = new ExactMoments[cells + 1];
    ExactMoments[] held = new ExactMoments[cells + 1];
    for (int id = 1; id <= cells; id++) {
      direct[id] = new ExactMoments(Q);
      held[id] = new ExactMoments(Q);
    }
    DeferredRows rows = new DeferredRows(Q, 1024, 1024);
    double[][] cols = new double[Q][1];
    int flushes = 0;
    for (int k = 0; k < 60_000; k++) {
      // Cells 1-5 take half the rows; the other 195 share the rest.
      int id = r.nextBoolean() ? 1 + r.nextInt(5) : 6 + r.nextInt(cells - 5);
      double[] v = row(r);
      direct[id].accept(v);
      if (rows.room() == 0) {
        rows.flush(held, cells + 1);
        flushes++;
      }
      if (k % 2 == 0) {
        rows.add(id, v);
      } else {
        for (int i = 0; i < Q; i++) {
          cols[i][0] = v[i];
        }
        rows.add(id, cols, 0);
      }
    }
    rows.flush(held, cells + 1);
    assertEquals(58, flushes);
    for (int id = 1; id <= cells; id++) {
      assertSameSums(direct[id], held[id], "cell " + id);
    }
  }

  /** The arrays grow to the cap, which is then a hard limit; a flush frees it all. */
  @Test
  void roomIsTheCapAndAFlushFreesIt() {
    DeferredRows rows = new DeferredRows(Q, 3000, 1024);
    ExactMoments[] m = {null, new ExactMoments(Q)};
    assertEquals(3000, rows.room());
    double[] v = {1, 2, 3};
    for (int k = 0; k < 3000; k++) {
      rows.add(1, v);
    }
    assertEquals(0, rows.room());
    assertThrows(IllegalStateException.class, () -> rows.add(1, v));
    rows.flush(m, 2);
    assertEquals(3000, rows.room());
    assertEquals(3000, m[1].count());
    assertEquals(0, m[1].sum(2).compareTo(java.math.BigDecimal.valueOf(9000)));
  }

  /** The byte cap bounds the rows held for wide rows, but never below the minimum. */
  @Test
  void capacityFollowsTheByteCap() {
    int q = 1000;
    DeferredRows wide = new DeferredRows(q, 1 << 20, 1024);
    assertEquals(Math.max(1024, DeferredRows.MAX_BYTES / (8 * q)), wide.room());
    // 5,000 values a row: the byte cap allows 419 rows, the minimum 1,024 (40 MB).
    DeferredRows huge = new DeferredRows(5000, 1 << 20, 1024);
    assertEquals(1024, huge.room());
  }
}
