package io.segfx.stats;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Exact, mergeable first- and second-order sums of a vector of {@code q} columns: the count
 * {@code n}, the sums {@code S_i = sum_r v_{r,i}} and the cross products {@code Q_ij = sum_r v_{r,i}
 * v_{r,j}} (i &lt;= j).
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>Every sum is held exactly, as a non-overlapping floating-point expansion (Shewchuk, "Adaptive
 *       Precision Floating-Point Arithmetic and Fast Robust Geometric Predicates", Discrete Comput.
 *       Geom. 18, 1997, Grow-Expansion with zero elimination, section 2.6). A product {@code ab} is
 *       added exactly as the pair {@code (ab, fma(a, b, -ab))}.
 *   <li>Hence {@link #accept} and {@link #combine} commute and associate exactly: any split of the
 *       rows into partitions, merged in any order, yields the same exact sums, and every quantity
 *       derived from them (see {@link #sum(int)}) is bit-identical.
 *   <li>Centred co-moments are formed from the exact sums with one rounding ({@link
 *       #centredNumerator}), so data far from zero (y = 1e9 + noise) lose no precision to
 *       cancellation, the failure mode of the textbook {@code sumSq - sum^2/n} (and more accurate
 *       than the centred pairwise update of Chan, Golub &amp; LeVeque, 1983, whose result still
 *       depends on the merge order).
 * </ol>
 *
 * <p>The per-row cost is O(q^2 L) floating-point operations, where L (the expansion length) is 2 to
 * 4 for ordinary data. Values must be finite with |v| &lt;= 1e150 (so no product overflows; the input
 * boundary enforces it); products below 2^-969 in magnitude lose exactness to underflow, which no
 * meaningful experiment data reach.
 */
public final class ExactMoments implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int INITIAL_CAPACITY = 6;

  private final int q;
  private final int stats;
  private long n;
  private int capacity;
  private double[] comp;
  private int[] len;

  /**
   * Creates empty sums over {@code q} columns.
   *
   * @throws IllegalArgumentException if {@code q < 1}
   */
  public ExactMoments(int q) {
    if (q < 1) {
      throw new IllegalArgumentException("q must be >= 1, got " + q);
    }
    this.q = q;
    this.stats = q + q * (q + 1) / 2;
    this.capacity = INITIAL_CAPACITY;
    this.comp = new double[stats * capacity];
    this.len = new int[stats];
  }

  /** Number of columns. */
  public int columns() {
    return q;
  }

  /** Number of rows accepted. */
  public long count() {
    return n;
  }

  /**
   * Adds one row. The values must be finite (the caller validates rows at the input boundary).
   *
   * @param v the row's {@code q} values; read, not kept
   */
  public void accept(double[] v) {
    n++;
    for (int i = 0; i < q; i++) {
      add(i, v[i]);
    }
    int s = q;
    for (int i = 0; i < q; i++) {
      double a = v[i];
      for (int j = i; j < q; j++) {
        double p = a * v[j];
        double e = Math.fma(a, v[j], -p);
        add(s, p);
        if (e != 0) {
          add(s, e);
        }
        s++;
      }
    }
  }

  /**
   * Adds the totals of {@code n} rows of a single column whose sum and sum of squares are given (an
   * aggregated input row: n, sum, sum of squares; for a 0/1 outcome both sums are the conversions).
   *
   * @throws IllegalStateException unless this holds exactly one column
   * @throws IllegalArgumentException if n is negative
   */
  public void acceptTotals(long rows, double sum, double sumOfSquares) {
    if (q != 1) {
      throw new IllegalStateException("totals are for one column, this holds " + q);
    }
    if (rows < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + rows);
    }
    n += rows;
    add(0, sum);
    add(1, sumOfSquares);
  }

  /**
   * Adds all rows held by {@code other} (exactly; Shewchuk's expansion sum, one component at a
   * time).
   *
   * @return this
   * @throws IllegalArgumentException if the column counts differ
   */
  public ExactMoments combine(ExactMoments other) {
    if (other.q != q) {
      throw new IllegalArgumentException(
          "cannot combine moments over " + q + " and " + other.q + " columns");
    }
    n += other.n;
    for (int s = 0; s < stats; s++) {
      int base = s * other.capacity;
      for (int k = 0; k < other.len[s]; k++) {
        add(s, other.comp[base + k]);
      }
    }
    return this;
  }

  /** The exact sum {@code S_i} of column i. */
  public BigDecimal sum(int i) {
    return exact(i);
  }

  /** The exact cross product {@code Q_ij = sum_r v_{r,i} v_{r,j}}. */
  public BigDecimal crossProduct(int i, int j) {
    int a = Math.min(i, j);
    int b = Math.max(i, j);
    // Row-major upper triangle: rows 0..a-1 hold q, q-1, ... entries.
    int offset = a * q - a * (a - 1) / 2 + (b - a);
    return exact(q + offset);
  }

  /**
   * The exact numerator of the centred co-moment, {@code n Q_ij - S_i S_j}; the co-moment {@code
   * C_ij = sum_r (v_ri - mean_i)(v_rj - mean_j)} equals it divided by n.
   */
  public BigDecimal centredNumerator(int i, int j) {
    return BigDecimal.valueOf(n).multiply(crossProduct(i, j)).subtract(sum(i).multiply(sum(j)));
  }

  /** The mean of column i, correctly rounded from the exact sum (NaN when empty). */
  public double mean(int i) {
    if (n == 0) {
      return Double.NaN;
    }
    return sum(i).divide(BigDecimal.valueOf(n), java.math.MathContext.DECIMAL128).doubleValue();
  }

  private BigDecimal exact(int s) {
    BigDecimal total = BigDecimal.ZERO;
    int base = s * capacity;
    for (int k = 0; k < len[s]; k++) {
      total = total.add(new BigDecimal(comp[base + k]));
    }
    return total;
  }

  /** Grow-Expansion with zero elimination (Shewchuk 1997, Figure 6 and section 2.6). */
  private void add(int s, double b) {
    int m = len[s];
    if (m == capacity) {
      grow();
    }
    int base = s * capacity;
    double qv = b;
    int k = 0;
    for (int i = 0; i < m; i++) {
      double e = comp[base + i];
      double x = qv + e;
      double bv = x - qv;
      double av = x - bv;
      double h = (qv - av) + (e - bv);
      if (h != 0) {
        comp[base + k++] = h;
      }
      qv = x;
    }
    if (qv != 0 || k == 0) {
      comp[base + k++] = qv;
    }
    len[s] = k;
  }

  private void grow() {
    int newCapacity = capacity * 2;
    double[] next = new double[stats * newCapacity];
    for (int s = 0; s < stats; s++) {
      System.arraycopy(comp, s * capacity, next, s * newCapacity, len[s]);
    }
    comp = next;
    capacity = newCapacity;
  }

  @Override
  public String toString() {
    return "ExactMoments{q=" + q + ", n=" + n + ", lengths=" + Arrays.toString(len) + "}";
  }
}
