package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactMomentsTest {
  private static double[][] rows(Random r, int n, int q, double offset, double scale) {
    double[][] x = new double[n][q];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < q; j++) {
        x[i][j] = offset * (j + 1) + scale * r.nextGaussian() * Math.pow(10, r.nextInt(5) - 2);
      }
    }
    return x;
  }

  /**
   * Reference: BigDecimal sums (exact: every double and every product of two is exact in
   * BigDecimal).
   */
  private static BigDecimal exactSum(double[][] x, int i) {
    BigDecimal s = BigDecimal.ZERO;
    for (double[] row : x) {
      s = s.add(new BigDecimal(row[i]));
    }
    return s;
  }

  private static BigDecimal exactCross(double[][] x, int i, int j) {
    BigDecimal s = BigDecimal.ZERO;
    for (double[] row : x) {
      s = s.add(new BigDecimal(row[i]).multiply(new BigDecimal(row[j])));
    }
    return s;
  }

  @Test
  void sumsAreExact() {
    Random r = new Random(11);
    double[][] x = rows(r, 2000, 3, 5.0, 1.0);
    ExactMoments m = new ExactMoments(3);
    for (double[] row : x) {
      m.accept(row);
    }
    assertEquals(2000, m.count());
    for (int i = 0; i < 3; i++) {
      assertEquals(0, exactSum(x, i).compareTo(m.sum(i)), "sum " + i);
      for (int j = 0; j < 3; j++) {
        assertEquals(
            0, exactCross(x, i, j).compareTo(m.crossProduct(i, j)), "cross " + i + "," + j);
      }
    }
  }

  @Test
  void anySplitMergedInAnyOrderGivesTheSameExactSums() {
    Random r = new Random(12);
    double[][] x = rows(r, 3000, 4, 1e6, 3.0);
    ExactMoments whole = new ExactMoments(4);
    for (double[] row : x) {
      whole.accept(row);
    }
    for (int trial = 0; trial < 20; trial++) {
      int parts = 1 + r.nextInt(9);
      List<ExactMoments> split = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        split.add(new ExactMoments(4));
      }
      for (double[] row : x) {
        split.get(r.nextInt(parts)).accept(row);
      }
      Collections.shuffle(split, r);
      // Merge as a random binary tree: pop two, push their merge.
      while (split.size() > 1) {
        ExactMoments a = split.remove(r.nextInt(split.size()));
        ExactMoments b = split.remove(r.nextInt(split.size()));
        split.add(a.combine(b));
      }
      ExactMoments merged = split.get(0);
      assertEquals(whole.count(), merged.count());
      for (int i = 0; i < 4; i++) {
        assertEquals(0, whole.sum(i).compareTo(merged.sum(i)));
        assertEquals(
            Double.doubleToLongBits(whole.mean(i)), Double.doubleToLongBits(merged.mean(i)));
        for (int j = i; j < 4; j++) {
          assertEquals(0, whole.centredNumerator(i, j).compareTo(merged.centredNumerator(i, j)));
        }
      }
    }
  }

  /**
   * y = 1e9 + N(0,1): the centred second moment from the exact sums agrees with a two-pass
   * reference (mean first, then squared deviations, all in BigDecimal) to 1e-12 relative; the
   * textbook one-pass sumSq - sum^2/n in doubles does not even get the first digit.
   */
  @Test
  void noCancellationFarFromZero() {
    Random r = new Random(13);
    int n = 100_000;
    double[][] x = new double[n][1];
    for (int i = 0; i < n; i++) {
      x[i][0] = 1e9 + r.nextGaussian();
    }
    ExactMoments m = new ExactMoments(1);
    for (double[] row : x) {
      m.accept(row);
    }
    BigDecimal mean = exactSum(x, 0).divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
    BigDecimal ss = BigDecimal.ZERO;
    for (double[] row : x) {
      BigDecimal d = new BigDecimal(row[0]).subtract(mean);
      ss = ss.add(d.multiply(d));
    }
    double reference = ss.doubleValue() / n;
    double ours =
        m.centredNumerator(0, 0)
            .divide(BigDecimal.valueOf(n).pow(2), MathContext.DECIMAL128)
            .doubleValue();
    assertEquals(reference, ours, 1e-12 * reference);
    double sum = 0;
    double sumSq = 0;
    for (double[] row : x) {
      sum += row[0];
      sumSq += row[0] * row[0];
    }
    double naive = (sumSq - sum * sum / n) / n;
    assertTrue(
        Math.abs(naive - reference) > 0.1 * reference,
        "naive formula unexpectedly accurate: " + naive);
  }

  @Test
  void rejectsMismatchedColumns() {
    ExactMoments a = new ExactMoments(2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> a.combine(new ExactMoments(3)));
    assertTrue(e.getMessage().contains("2 and 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ExactMoments(0));
  }

  @Test
  void wideDynamicRangeStaysExact() {
    // Values spanning 1e-140..1e140 (squares 1e-280..1e280) force long expansions (capacity
    // growth).
    double[][] x = {
      {1e140}, {1e-140}, {-1e140}, {3.0}, {1e-100}, {7e130}, {-7e130}, {0.1}, {1e-60}
    };
    ExactMoments m = new ExactMoments(1);
    for (double[] row : x) {
      m.accept(row);
    }
    assertEquals(0, exactSum(x, 0).compareTo(m.sum(0)));
    assertEquals(0, exactCross(x, 0, 0).compareTo(m.crossProduct(0, 0)));
  }

  @Test
  void productsBelowTheDoubleRangeStayExact() {
    // Products of 1e-170 and 3e-200 (and of a subnormal) are far below Double.MIN_VALUE: a
    // floating product would flush them to zero; the mantissa product keeps them exactly.
    double[][] x = {
      {1e-170, 3e-200, -2.5},
      {Double.MIN_VALUE, 1e-170, 4.0},
      {-7e-180, 0.0, 1e-300},
      {2.0, -1e-250, 1e120}
    };
    ExactMoments m = new ExactMoments(3);
    for (double[] row : x) {
      m.accept(row);
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(0, exactSum(x, i).compareTo(m.sum(i)), "sum " + i);
      for (int j = i; j < 3; j++) {
        assertEquals(
            0, exactCross(x, i, j).compareTo(m.crossProduct(i, j)), "cross " + i + "," + j);
      }
    }
    assertTrue(m.crossProduct(0, 1).signum() != 0);
  }

  /**
   * Accumulating only some cross products gives those exactly as the full accumulation does; the
   * others cannot be read, and sums over different products cannot be combined.
   */
  @Test
  void selectedCrossProductsOnly() {
    Random r = new Random(6);
    boolean[] flags = {true, true, false, true, false, true}; // q = 3: skip (0, 2) and (1, 2)
    ExactMoments full = new ExactMoments(3);
    ExactMoments some = new ExactMoments(3, flags);
    ExactMoments half = new ExactMoments(3, flags);
    for (int k = 0; k < 2000; k++) {
      double[] row = {r.nextGaussian(), r.nextInt(2), 50 + 10 * r.nextGaussian()};
      full.accept(row);
      (k % 2 == 0 ? some : half).accept(row);
    }
    some.combine(half);
    assertEquals(full.count(), some.count());
    int f = 0;
    for (int i = 0; i < 3; i++) {
      assertEquals(0, full.sum(i).compareTo(some.sum(i)));
      for (int j = i; j < 3; j++) {
        if (flags[f++]) {
          assertEquals(0, full.crossProduct(i, j).compareTo(some.crossProduct(i, j)));
        } else {
          int a = i;
          int b = j;
          assertThrows(IllegalStateException.class, () -> some.crossProduct(b, a));
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> some.combine(new ExactMoments(3)));
    assertThrows(IllegalArgumentException.class, () -> new ExactMoments(3, new boolean[5]));
  }

  /**
   * Rows whose values span the double range: normal variates at mixed scales, values near 1e9,
   * exact zeros, subnormals, huge values and products far below Double.MIN_VALUE, so that values
   * fall inside and outside any sum's bins and products land on the limb and overflow paths too.
   */
  private static double[][] adversarialRows(Random r, int n, int q) {
    double[][] x = new double[n][q];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < q; j++) {
        double g = r.nextGaussian();
        x[k][j] =
            switch (r.nextInt(12)) {
              case 0 -> 0.0;
              case 1 -> Double.MIN_VALUE * (1 + r.nextInt(1000));
              case 2 -> g * 1e-170;
              case 3 -> g * 1e140;
              case 4 -> 1e9 + g;
              case 5 -> r.nextInt(2);
              default -> g * Math.pow(2, r.nextInt(40) - 20);
            };
      }
    }
    return x;
  }

  /**
   * Rows added through bins give the exact sums: against BigDecimal sums (exact), and bit for bit
   * the limb path's, with more rows than a flush interval and with a pool so small that bins change
   * hands between moments all the time.
   */
  @Test
  void binsGiveTheExactSums() {
    Random r = new Random(21);
    int q = 3;
    double[][] x = adversarialRows(r, 3 * ExactMoments.BIN_ROWS + 17, q);
    for (int capacity : new int[] {1, 2, 64}) {
      ExactMoments.Bins pool = new ExactMoments.Bins(capacity);
      List<ExactMoments> parts = new ArrayList<>();
      List<List<double[]>> rowsOf = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        parts.add(new ExactMoments(q));
        rowsOf.add(new ArrayList<>());
      }
      ExactMoments limbs = new ExactMoments(q);
      for (int k = 0; k < x.length; k++) {
        // Runs of rows per moments (as cells arrive), of random length.
        int p = (k / (1 + r.nextInt(50))) % 3;
        parts.get(p).accept(x[k], pool);
        rowsOf.get(p).add(x[k]);
        limbs.accept(x[k]);
      }
      pool.flush();
      ExactMoments merged = new ExactMoments(q);
      for (int p = 0; p < 3; p++) {
        double[][] mine = rowsOf.get(p).toArray(new double[0][]);
        ExactMoments m = parts.get(p);
        assertEquals(mine.length, m.count());
        for (int i = 0; i < q; i++) {
          assertEquals(0, exactSum(mine, i).compareTo(m.sum(i)), "sum " + i);
          for (int j = i; j < q; j++) {
            assertEquals(0, exactCross(mine, i, j).compareTo(m.crossProduct(i, j)));
          }
        }
        merged.combine(m);
      }
      for (int i = 0; i < q; i++) {
        assertEquals(
            Double.doubleToLongBits(limbs.mean(i)), Double.doubleToLongBits(merged.mean(i)));
        for (int j = i; j < q; j++) {
          assertEquals(0, limbs.centredNumerator(i, j).compareTo(merged.centredNumerator(i, j)));
          assertEquals(
              Double.doubleToLongBits(limbs.centred(i, j)),
              Double.doubleToLongBits(merged.centred(i, j)));
        }
      }
    }
  }

  /**
   * Reading the sums while the bins still hold rows, combining, and Java serialization all see the
   * rows in the bins (checked against BigDecimal sums).
   */
  @Test
  void readsCombinesAndSerializationFlushTheBins() throws Exception {
    Random r = new Random(22);
    double[][] x = adversarialRows(r, 500, 2);
    ExactMoments.Bins pool = new ExactMoments.Bins(4);
    ExactMoments a = new ExactMoments(2);
    ExactMoments b = new ExactMoments(2);
    for (int k = 0; k < 250; k++) {
      a.accept(x[k], pool);
    }
    assertEquals(0, exactSum(java.util.Arrays.copyOf(x, 250), 0).compareTo(a.sum(0)));
    for (int k = 250; k < 500; k++) {
      a.accept(x[k], pool);
      b.accept(x[k], pool);
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(b);
    }
    ExactMoments copy;
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ExactMoments) in.readObject();
    }
    double[][] second = java.util.Arrays.copyOfRange(x, 250, 500);
    assertEquals(0, exactCross(second, 0, 1).compareTo(copy.crossProduct(0, 1)));
    ExactMoments c = new ExactMoments(2).combine(a);
    assertEquals(0, exactCross(x, 1, 1).compareTo(c.crossProduct(1, 1)));
    assertEquals(0, exactSum(x, 1).compareTo(c.sum(1)));
  }

  /**
   * Rows of many moments interleaved row by row make bins change hands on nearly every row: the
   * pool stops lending, and the sums stay exact.
   */
  @Test
  void poolStopsLendingWhenCellsInterleave() {
    ExactMoments.Bins pool = new ExactMoments.Bins(8);
    addInterleaved(pool, 23, () -> assertTrue(pool.stopped()));
  }

  /**
   * The same interleaving through an unwatched pool: it lends on every row and never stops, and the
   * sums stay exact, so a caller that groups rows itself can rely on the bins.
   */
  @Test
  void unwatchedPoolNeverStops() {
    ExactMoments.Bins pool = new ExactMoments.Bins(1, false);
    addInterleaved(pool, 29, () -> assertFalse(pool.stopped()));
  }

  /**
   * Adds 100,000 rows spread at random over 40 moments through {@code pool}, runs {@code check}
   * before the pool is flushed, then checks every moments' sums against exact decimal sums.
   */
  private static void addInterleaved(ExactMoments.Bins pool, long seed, Runnable check) {
    Random r = new Random(seed);
    int moments = 40;
    ExactMoments[] m = new ExactMoments[moments];
    List<List<double[]>> rowsOf = new ArrayList<>();
    for (int p = 0; p < moments; p++) {
      m[p] = new ExactMoments(2);
      rowsOf.add(new ArrayList<>());
    }
    for (int k = 0; k < 100_000; k++) {
      double[] row = {r.nextGaussian(), 1e9 + r.nextGaussian()};
      int p = r.nextInt(moments);
      m[p].accept(row, pool);
      rowsOf.get(p).add(row);
    }
    check.run();
    pool.flush();
    for (int p = 0; p < moments; p++) {
      double[][] mine = rowsOf.get(p).toArray(new double[0][]);
      assertEquals(0, exactSum(mine, 1).compareTo(m[p].sum(1)));
      assertEquals(0, exactCross(mine, 0, 1).compareTo(m[p].crossProduct(0, 1)));
    }
  }

  /**
   * y = 1e9 + N(0,1) through bins: the centred second moment agrees with the two-pass BigDecimal
   * reference to 1e-12 relative, as on the limb path (the sums are the same exact values).
   */
  @Test
  void binsKeepNoCancellation() {
    Random r = new Random(13);
    int n = 100_000;
    double[][] x = new double[n][1];
    ExactMoments m = new ExactMoments(1);
    ExactMoments.Bins pool = new ExactMoments.Bins(1);
    for (int i = 0; i < n; i++) {
      x[i][0] = 1e9 + r.nextGaussian();
      m.accept(x[i], pool);
    }
    BigDecimal mean = exactSum(x, 0).divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
    BigDecimal ss = BigDecimal.ZERO;
    for (double[] row : x) {
      BigDecimal d = new BigDecimal(row[0]).subtract(mean);
      ss = ss.add(d.multiply(d));
    }
    double reference = ss.doubleValue();
    // centred() is the sum of squared deviations (n times the second moment).
    assertEquals(reference, m.centred(0, 0), 1e-12 * reference);
  }

  /** Adds x's rows [from, to) to m as one block, through a column-major copy and an index list. */
  private static void addBlock(ExactMoments m, double[][] x, int from, int to) {
    int q = x[0].length;
    double[][] cols = new double[q][x.length];
    for (int r = 0; r < x.length; r++) {
      for (int i = 0; i < q; i++) {
        cols[i][r] = x[r][i];
      }
    }
    int[] rows = new int[to - from];
    for (int k = 0; k < rows.length; k++) {
      rows[k] = from + k;
    }
    m.acceptBlock(cols, rows, 0, rows.length);
  }

  /**
   * The shift {@link ExactMoments#acceptBlock} uses: block b's value of column i nearest its mean
   * (in doubles), the first of ties.
   */
  private static double blockShift(double[][] x, int[] b, int i) {
    double sum = 0;
    for (int k = b[0]; k < b[1]; k++) {
      sum += x[k][i];
    }
    double mean = sum / (b[1] - b[0]);
    double best = x[b[0]][i];
    for (int k = b[0] + 1; k < b[1]; k++) {
      if (Math.abs(x[k][i] - mean) < Math.abs(best - mean)) {
        best = x[k][i];
      }
    }
    return best;
  }

  /**
   * The block sums are exactly the formula of {@link ExactMoments#acceptBlock}'s comment: with the
   * shift c, U_i = sum fl(v_ri - c_i) and P_ij = sum u_ri u_rj accumulated in doubles in the rows'
   * order (here by a plain row-by-row loop), S_i gains U_i + m c_i and Q_ij gains P_ij + c_j U_i +
   * c_i U_j + m c_i c_j exactly (BigDecimal). Equal as decimals, so the bits of every later read
   * are pinned to the rows and their order, however the method arranges its loops.
   */
  @Test
  void blockSumsAreTheRowOrderDoubleSumsAddedExactly() {
    Random r = new Random(35);
    int q = 3;
    int n = 3_000;
    double[][] x = new double[n][q];
    for (int k = 0; k < n; k++) {
      x[k][0] = 1e9 + r.nextGaussian();
      x[k][1] = Math.rint(r.nextGaussian() * 1e4) / 100;
      x[k][2] = k % 7 == 0 ? 1e12 * r.nextGaussian() : r.nextGaussian() * 1e-3;
    }
    ExactMoments m = new ExactMoments(q);
    BigDecimal[] s = new BigDecimal[q];
    BigDecimal[][] cross = new BigDecimal[q][q];
    for (int i = 0; i < q; i++) {
      s[i] = BigDecimal.ZERO;
      for (int j = i; j < q; j++) {
        cross[i][j] = BigDecimal.ZERO;
      }
    }
    for (int from = 0; from < n; ) {
      int to = Math.min(n, from + 1 + r.nextInt(ExactMoments.BLOCK_ROWS));
      addBlock(m, x, from, to);
      int[] b = {from, to};
      double[] c = new double[q];
      double[] u = new double[q];
      double[][] p = new double[q][q];
      for (int i = 0; i < q; i++) {
        c[i] = blockShift(x, b, i);
      }
      for (int k = from; k < to; k++) {
        double[] d = new double[q];
        for (int i = 0; i < q; i++) {
          d[i] = x[k][i] - c[i];
          u[i] += d[i];
        }
        for (int i = 0; i < q; i++) {
          for (int j = i; j < q; j++) {
            p[i][j] += d[i] * d[j];
          }
        }
      }
      BigDecimal rows = BigDecimal.valueOf(to - from);
      for (int i = 0; i < q; i++) {
        BigDecimal ci = new BigDecimal(c[i]);
        BigDecimal ui = new BigDecimal(u[i]);
        s[i] = s[i].add(ui).add(rows.multiply(ci));
        for (int j = i; j < q; j++) {
          BigDecimal cj = new BigDecimal(c[j]);
          cross[i][j] =
              cross[i][j]
                  .add(new BigDecimal(p[i][j]))
                  .add(cj.multiply(ui))
                  .add(ci.multiply(new BigDecimal(u[j])))
                  .add(rows.multiply(ci).multiply(cj));
        }
      }
      from = to;
    }
    for (int i = 0; i < q; i++) {
      assertEquals(0, s[i].compareTo(m.sum(i)), "S_" + i);
      for (int j = i; j < q; j++) {
        assertEquals(0, cross[i][j].compareTo(m.crossProduct(i, j)), "Q_" + i + j);
      }
    }
  }

  /**
   * A far outlier in a block, even as its first row, leaves the centred sums accurate relative to
   * the block's own spread: against BigDecimal, within 1e-12 of the centred co-moments, as without
   * it.
   */
  @Test
  void anOutlierDoesNotSpoilItsBlock() {
    Random r = new Random(34);
    for (int at : new int[] {0, 17, 499}) {
      int n = 500;
      double[][] x = new double[n][2];
      for (int k = 0; k < n; k++) {
        x[k][0] = 1e9 + r.nextGaussian();
        x[k][1] = r.nextGaussian();
      }
      x[at][0] = 1e15;
      ExactMoments m = new ExactMoments(2);
      addBlock(m, x, 0, n);
      for (int i = 0; i < 2; i++) {
        for (int j = i; j < 2; j++) {
          BigDecimal mi = exactSum(x, i).divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
          BigDecimal mj = exactSum(x, j).divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
          BigDecimal ss = BigDecimal.ZERO;
          BigDecimal si = BigDecimal.ZERO;
          BigDecimal sj = BigDecimal.ZERO;
          for (double[] row : x) {
            BigDecimal di = new BigDecimal(row[i]).subtract(mi);
            BigDecimal dj = new BigDecimal(row[j]).subtract(mj);
            ss = ss.add(di.multiply(dj));
            si = si.add(di.multiply(di));
            sj = sj.add(dj.multiply(dj));
          }
          // Relative to sqrt(C_ii C_jj), the scale of a co-moment (Cauchy-Schwarz).
          double scale = Math.sqrt(si.doubleValue() * sj.doubleValue());
          double error = Math.abs(m.centred(i, j) - ss.doubleValue());
          assertTrue(
              error <= 1e-12 * scale, "outlier at " + at + ", C" + i + j + ": " + error / scale);
        }
      }
    }
  }

  /**
   * Blocks of data far from zero (1e9 + noise, the cancellation case) against BigDecimal: the
   * centred co-moment of the merged blocks is within the error bound derived in {@link
   * ExactMoments#acceptBlock}'s terms, sum over blocks of gamma_(m+2) (sum |u_i u_j| + |c_j -
   * mean_j| sum |u_i| + |c_i - mean_i| sum |u_j|), gamma_k = k 2^-53 / (1 - k 2^-53), and within
   * 1e-12 of it (the accuracy docs/methods.md states); the means likewise.
   */
  @Test
  void blocksStayWithinTheirErrorBound() {
    Random r = new Random(31);
    int q = 3;
    int n = 20_000;
    double[][] x = new double[n][q];
    for (int k = 0; k < n; k++) {
      x[k][0] = 1e9 + r.nextGaussian();
      x[k][1] = -3e5 + 1e-2 * r.nextGaussian();
      x[k][2] = 0.5 * x[k][0] - 1e9 * 0.5 + r.nextGaussian();
    }
    List<int[]> blocks = new ArrayList<>();
    for (int from = 0; from < n; ) {
      int to = Math.min(n, from + 1 + r.nextInt(ExactMoments.BLOCK_ROWS));
      blocks.add(new int[] {from, to});
      from = to;
    }
    ExactMoments m = new ExactMoments(q);
    for (int[] b : blocks) {
      addBlock(m, x, b[0], b[1]);
    }
    assertEquals(n, m.count());
    double[] mean = new double[q];
    for (int i = 0; i < q; i++) {
      BigDecimal exactMean = exactSum(x, i).divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
      mean[i] = exactMean.doubleValue();
      // The mean's error: the blocks' sums of u, each within gamma_(m+1) sum |u|, over n.
      double meanBound = 0;
      for (int[] b : blocks) {
        double u = 0;
        double c = blockShift(x, b, i);
        for (int k = b[0]; k < b[1]; k++) {
          u += Math.abs(x[k][i] - c);
        }
        double k = b[1] - b[0] + 1;
        meanBound += k * 0x1p-53 / (1 - k * 0x1p-53) * u / n;
      }
      // One more rounding: the exact sum rounded to a double before it is divided by n.
      meanBound += 0x1p-52 * Math.abs(mean[i]);
      assertEquals(mean[i], m.mean(i), meanBound, "mean " + i);
    }
    for (int i = 0; i < q; i++) {
      for (int j = i; j < q; j++) {
        BigDecimal mi = exactSum(x, i).divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
        BigDecimal mj = exactSum(x, j).divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
        BigDecimal ss = BigDecimal.ZERO;
        for (double[] row : x) {
          ss =
              ss.add(
                  new BigDecimal(row[i])
                      .subtract(mi)
                      .multiply(new BigDecimal(row[j]).subtract(mj)));
        }
        double reference = ss.doubleValue();
        double bound = 0;
        for (int[] b : blocks) {
          double ci = blockShift(x, b, i);
          double cj = blockShift(x, b, j);
          double uu = 0;
          double ui = 0;
          double uj = 0;
          for (int k = b[0]; k < b[1]; k++) {
            uu += Math.abs((x[k][i] - ci) * (x[k][j] - cj));
            ui += Math.abs(x[k][i] - ci);
            uj += Math.abs(x[k][j] - cj);
          }
          double k = b[1] - b[0] + 2;
          double gamma = k * 0x1p-53 / (1 - k * 0x1p-53);
          bound += gamma * (uu + Math.abs(cj - mean[j]) * ui + Math.abs(ci - mean[i]) * uj);
        }
        double error = Math.abs(m.centred(i, j) - reference);
        assertTrue(error <= bound, "C" + i + j + ": error " + error + " above bound " + bound);
        if (i == j) {
          assertTrue(error <= 1e-12 * reference, "C" + i + i + ": relative " + error / reference);
        }
      }
    }
  }

  /**
   * Blocks of small integers and halves are summed without rounding, so they give exactly the sums
   * of {@link ExactMoments#accept}, for blocks of any size up to the limit and any selection of
   * cross products.
   */
  @Test
  void blocksOfShortValuesAreExact() {
    Random r = new Random(32);
    int q = 4;
    boolean[] some = {true, false, true, false, true, true, false, true, false, true};
    for (boolean[] products : new boolean[][] {null, some}) {
      for (int size : new int[] {1, 2, 33, ExactMoments.BLOCK_ROWS}) {
        double[][] x = new double[size][q];
        for (double[] row : x) {
          for (int i = 0; i < q; i++) {
            row[i] = (r.nextInt(20_001) - 10_000) / 2.0;
          }
        }
        ExactMoments rows = new ExactMoments(q, products);
        for (double[] row : x) {
          rows.accept(row);
        }
        ExactMoments block = new ExactMoments(q, products);
        addBlock(block, x, 0, size);
        assertEquals(size, block.count());
        for (int i = 0; i < q; i++) {
          assertEquals(0, exactSum(x, i).compareTo(block.sum(i)), "sum " + i);
          for (int j = i; j < q; j++) {
            if (products == null || some[ProductFlags.offset(q, i, j)]) {
              assertEquals(0, rows.crossProduct(i, j).compareTo(block.crossProduct(i, j)));
            }
          }
        }
      }
    }
  }

  /**
   * A block's contribution is a function of its rows alone: the same blocks, spread over different
   * moments beside rows added one by one, merged in different orders, give bit-identical sums.
   */
  @Test
  void blocksMergeTheSameWhateverTheSplit() {
    Random r = new Random(33);
    int q = 3;
    double[][] x = rows(r, 6_000, q, 1e6, 1.0);
    int[] cuts = {0, 700, 1500, 1530, 2554, 3578, 4001, 5024, 6000};
    List<BigDecimal> reference = null;
    for (int trial = 0; trial < 4; trial++) {
      List<ExactMoments> parts = new ArrayList<>();
      for (int p = 0; p < 1 + trial; p++) {
        parts.add(new ExactMoments(q));
      }
      ExactMoments.Bins pool = new ExactMoments.Bins(2);
      for (int b = 0; b + 1 < cuts.length; b++) {
        ExactMoments m = parts.get(r.nextInt(parts.size()));
        if (b % 3 == 2) {
          // Rows of a short run go one by one (as the scan does), exactly.
          for (int k = cuts[b]; k < cuts[b + 1]; k++) {
            m.accept(x[k], pool);
          }
        } else {
          addBlock(m, x, cuts[b], cuts[b + 1]);
        }
      }
      pool.flush();
      Collections.shuffle(parts, r);
      ExactMoments merged = new ExactMoments(q);
      for (ExactMoments p : parts) {
        merged.combine(p);
      }
      List<BigDecimal> sums = new ArrayList<>();
      for (int i = 0; i < q; i++) {
        sums.add(merged.sum(i));
        for (int j = i; j < q; j++) {
          sums.add(merged.crossProduct(i, j));
        }
      }
      if (reference == null) {
        reference = sums;
      } else {
        for (int k = 0; k < sums.size(); k++) {
          assertEquals(0, reference.get(k).compareTo(sums.get(k)), "trial " + trial + " sum " + k);
        }
      }
    }
  }

  @Test
  void rejectsEmptyAndOversizedBlocks() {
    ExactMoments m = new ExactMoments(1);
    double[][] cols = {new double[ExactMoments.BLOCK_ROWS + 1]};
    int[] rows = new int[ExactMoments.BLOCK_ROWS + 1];
    assertThrows(IllegalArgumentException.class, () -> m.acceptBlock(cols, rows, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> m.acceptBlock(cols, rows, 0, ExactMoments.BLOCK_ROWS + 1));
    assertEquals(0, m.count());
  }

  /** A state stream in memory: every value in order, tagged by kind. */
  private static final class StateTape
      implements ExactMoments.StateWriter, ExactMoments.StateReader {
    final List<Object> items = new ArrayList<>();
    int at;

    @Override
    public void writeLong(long v) {
      items.add(v);
    }

    @Override
    public void writeInt(int v) {
      items.add(v);
    }

    @Override
    public void writeBytes(byte[] b) {
      items.add(b.clone());
    }

    @Override
    public long readLong() {
      return (Long) items.get(at++);
    }

    @Override
    public int readInt() {
      return (Integer) items.get(at++);
    }

    @Override
    public byte[] readBytes() {
      return (byte[]) items.get(at++);
    }
  }

  @Test
  void stateRoundTripsExactlyThroughSignedDigits() {
    // Negative sums (their normalised upper digits all ones), sums that cancel to zero, digits at
    // 2^31 (where a signed digit carries), values in the overflow, and random data: every sum comes
    // back exactly, and the copy writes the same stream (the normalised form is unique).
    Random r = new Random(20261207);
    for (int t = 0; t < 300; t++) {
      ExactMoments m = new ExactMoments(3);
      int rows = r.nextInt(50);
      double shift =
          switch (t % 4) {
            case 0 -> -1e9;
            case 1 -> 0;
            case 2 -> 0x1p31;
            default -> r.nextGaussian() * 1e6;
          };
      for (int i = 0; i < rows; i++) {
        m.accept(
            new double[] {
              shift + r.nextGaussian(),
              -Math.abs(r.nextGaussian()) * 1e-3,
              r.nextInt(5) == 0 ? 0x1p31 : -0x1p31 + r.nextInt(3)
            });
      }
      if (t % 7 == 0) {
        m.accept(new double[] {1, 2, 3});
        m.accept(new double[] {-1, -2, -3}); // cancels, the windows stay placed
      }
      if (t % 11 == 0) {
        m.accept(new double[] {1e140, 1e-140, 1}); // far outside the windows: the overflow
      }
      StateTape tape = new StateTape();
      m.writeState(tape);
      ExactMoments back = ExactMoments.readState(3, null, tape);
      assertEquals(tape.items.size(), tape.at);
      assertEquals(m.count(), back.count());
      for (int i = 0; i < 3; i++) {
        assertEquals(0, m.sum(i).compareTo(back.sum(i)));
        for (int j = i; j < 3; j++) {
          assertEquals(0, m.crossProduct(i, j).compareTo(back.crossProduct(i, j)));
        }
      }
      // Written again from what was read, the stream is the same item for item.
      StateTape again = new StateTape();
      back.writeState(again);
      assertEquals(tape.items.size(), again.items.size());
      for (int k = 0; k < tape.items.size(); k++) {
        Object a = tape.items.get(k);
        Object b = again.items.get(k);
        assertTrue(
            a instanceof byte[] ? java.util.Arrays.equals((byte[]) a, (byte[]) b) : a.equals(b));
      }
      // Zero limbs outside a sum's values are not written: 9 full windows with their markers and
      // bases would be 9 x 12 items, plus the count and the overflow count.
      assertTrue(tape.items.size() < 9 * 12 + 2, "items " + tape.items.size());
    }
  }
}
