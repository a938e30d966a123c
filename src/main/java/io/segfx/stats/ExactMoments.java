package io.segfx.stats;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Exact, mergeable first- and second-order sums of a vector of {@code q} columns: the count {@code
 * n}, the sums {@code S_i = sum_r v_{r,i}} and the cross products {@code Q_ij = sum_r v_{r,i}
 * v_{r,j}} (i &lt;= j).
 *
 * <p>Invariants:
 *
 * <ol>
 *   <li>Every sum is held exactly. A double is an integer mantissa times a power of two, so a sum
 *       of doubles is an integer multiple of the smallest power involved: each sum is a fixed-point
 *       integer in 32-bit limbs (a "long accumulator", Kulisch &amp; Miranker, "The arithmetic of
 *       the digital computer", SIAM Review 28, 1986; Neal, "Fast exact summation using small and
 *       large superaccumulators", arXiv:1505.05571), over a window of {@value #LIMBS} limbs placed
 *       around the first value seen. A value outside the window, and a merge of windows placed
 *       differently, go to an exact {@link Dyadic} overflow instead (rare). A product {@code ab} is
 *       added exactly as the 106-bit integer product of the two 53-bit mantissas.
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
 * <p>A value costs three integer additions into limbs and a product six, with no data-dependent
 * loop. {@link #accept(double[], Bins)} is cheaper still: a task's {@link Bins} lend a few hundred
 * moments at a time one 64-bit bin per binary exponent and sum, so that a value is one integer
 * addition (its signed mantissa into the bin of its exponent) and a product two (the 106-bit
 * mantissa product's high and low parts); bins are added into the limbs every {@value #BIN_ROWS}
 * rows and whenever the sums are read, combined or lent to another moments. Integer additions are
 * exact, so the sums, and everything derived from them, are the same bit for bit whichever way a
 * row was added. {@link #acceptBlock} trades that exactness within a block of rows, whose
 * membership the caller fixes by the input, for a further cut in cost: the block's centred sums are
 * rounded once, then added exactly. Values must be finite; the input boundary also keeps |v| &lt;=
 * 1e150, so that derived quantities such as {@code n Q - S^2} stay finite when rounded to doubles.
 */
public final class ExactMoments implements Serializable {
  private static final long serialVersionUID = 2L;

  /**
   * Limbs per sum: a 320-bit window. With {@link #BELOW} = 64 a 106-bit product keeps 87-118 bits
   * of room above the first product of its sum, so that later, larger products of N(0, 1) data
   * still land in the window rather than in the slow exact overflow (a 256-bit window leaves only
   * 12-43 bits).
   */
  static final int LIMBS = 10;

  /**
   * Rows of one {@link #acceptBlock} block at most: the block's row count times a 53-bit mantissa
   * must stay below 2^63.
   */
  public static final int BLOCK_ROWS = 1024;

  /** Bits of the window below the first value's lowest mantissa bit, at least. */
  private static final int BELOW = 64;

  /** A value's mantissa must end below this bit of the window (the top limb takes carries only). */
  private static final int TOP = (LIMBS - 1) * 32;

  private static final int UNSET = Integer.MIN_VALUE;

  /** Exponents one sum's bins span: 32 bins of low parts, then (products) 32 of high parts. */
  static final int BIN_SPAN = 32;

  private static final int BIN_BITS = 5;

  private static final int BIN_STRIDE = 2 * BIN_SPAN;

  /**
   * Exponents below the first value's that its sum's bins cover: values of one column spread more
   * below their typical size than above it (a normal variate's tail towards zero).
   */
  private static final int BIN_BELOW = 20;

  /**
   * Rows between flushes of the bins: a row adds under 2^55 in magnitude to a bin (a mantissa, or
   * one part of a mantissa product, see {@link #binProduct}), so 255 rows keep a bin below 2^63.
   */
  static final int BIN_ROWS = 255;

  /** A bin base that puts every exponent out of range, so the first value takes the miss path. */
  private static final int BIN_UNSET = Integer.MIN_VALUE / 2;

  private static final long LOW27 = (1L << 27) - 1;

  /** Limb additions between carry normalisations: each adds < 2^33, so limbs stay below 2^62. */
  private static final long NORMALISE_EVERY = 1L << 28;

  private final int q;
  private final int stats;
  private long n;
  private final long[] limbs;
  private final int[] base;
  private Dyadic[] overflow;
  private long pending;

  /**
   * The exact values already read from the limbs (a fit reads each sum several times); dropped by
   * every change.
   */
  private transient ExactValue[] values;

  /** Scratch of {@link #accept}: the row's mantissas (0 for zero), exponents and sign masks. */
  private transient long[] rowMant;

  private transient int[] rowExp;
  private transient long[] rowSign;

  /** Scratch of {@link #acceptBlock}: the shift and the block's sums. */
  private transient double[] blockShift;

  private transient double[] blockSums;
  private transient double[] blockProducts;

  /**
   * The bins lent by a {@link Bins} (null when none): per sum, {@link #BIN_SPAN} bins of low parts
   * then as many of high parts, bin k of sum s holding an integer multiple of 2^(binBase[s] + k)
   * (high parts: 2^(binBase[s] + k + 54)).
   */
  private transient long[] bins;

  private transient int[] binBase;

  /** Rows added to the bins since they were last flushed. */
  private transient int binRows;

  /**
   * Which cross products are accumulated, in the row-major upper-triangle order of {@link
   * #crossExact}; null for all.
   */
  private final boolean[] products;

  /**
   * The accumulated products as (i, j, stat) triples, built from {@link #products} on first use.
   */
  private transient int[] pairs;

  /**
   * Creates empty sums over {@code q} columns, with every cross product.
   *
   * @throws IllegalArgumentException if {@code q < 1}
   */
  public ExactMoments(int q) {
    this(q, null);
  }

  /**
   * Creates empty sums over {@code q} columns that accumulate only the cross products flagged in
   * {@code products} (q(q+1)/2 flags, (0,0), (0,1), ..., (0,q-1), (1,1), ...; null for all). A fit
   * needs the covariates' products with each other and with a continuous metric and each metric's
   * square, not the products of two metrics or of a covariate with a Beta–Binomial metric: fewer
   * products per row. Reading a product not accumulated throws.
   *
   * @throws IllegalArgumentException if {@code q < 1} or the flags do not number q(q+1)/2
   */
  public ExactMoments(int q, boolean[] products) {
    if (q < 1) {
      throw new IllegalArgumentException("q must be >= 1, got " + q);
    }
    ProductFlags.check(q, products);
    this.q = q;
    this.stats = q + q * (q + 1) / 2;
    this.limbs = new long[stats * LIMBS];
    this.base = new int[stats];
    this.products = products;
    Arrays.fill(base, UNSET);
  }

  /** (i, j, stat) of every accumulated product. */
  private int[] pairs() {
    if (pairs == null) {
      // The moments of one task share their flags: the last list built is read-only and reused.
      Pairs last = lastPairs;
      if (last != null && last.q == q && last.products == products) {
        pairs = last.pairs;
      } else {
        pairs = ProductFlags.pairs(q, stats, products);
        lastPairs = new Pairs(q, products, pairs);
      }
    }
    return pairs;
  }

  /** A product list and the flags it was built from (compared by identity). */
  private record Pairs(int q, boolean[] products, int[] pairs) {}

  private static volatile Pairs lastPairs;

  /**
   * Scratch of {@link #acceptBlock}, one per thread: the block's centred values, column by column
   * ({@value #BLOCK_ROWS} rows each), too large to keep in each of a task's many moments.
   */
  private static final ThreadLocal<double[][]> BLOCK_COLUMNS =
      ThreadLocal.withInitial(() -> new double[0][]);

  /** Number of columns. */
  public int columns() {
    return q;
  }

  /** The cross-product flags given at construction (null for every product); a copy. */
  public boolean[] productFlags() {
    return products == null ? null : products.clone();
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
    values = null;
    n++;
    if (rowMant == null) {
      rowMant = new long[q];
      rowExp = new int[q];
      rowSign = new long[q];
    }
    // Each value is split once into sign, 53-bit mantissa and exponent; a product of two is then
    // the exact 106-bit integer product of the mantissas (no rounding, so no fma remainder).
    for (int i = 0; i < q; i++) {
      double x = v[i];
      long bits = Double.doubleToRawLongBits(x);
      long mant = Dyadic.mantissa(bits);
      rowMant[i] = mant;
      rowExp[i] = Dyadic.exponent(bits);
      rowSign[i] = bits >> 63;
      if (mant != 0) {
        addMantissa(i, x, mant, rowExp[i], rowSign[i]);
      }
    }
    int[] p = pairs();
    for (int k = 0; k < p.length; k += 3) {
      int i = p[k];
      int j = p[k + 1];
      long a = rowMant[i];
      long b = rowMant[j];
      if (a != 0 && b != 0) {
        addProduct(p[k + 2], v[i], v[j], a, b, rowExp[i] + rowExp[j], rowSign[i] ^ rowSign[j]);
      }
    }
    if (pending >= NORMALISE_EVERY) {
      normalise();
    }
  }

  /**
   * Adds the rows {@code rows[from..to)} of {@code cols} (column i of row r is {@code cols[i][r]})
   * as one block, rounded once per block instead of held exactly per row: cheaper per row than
   * {@link #accept(double[], Bins)} when a block holds more than a few dozen rows.
   *
   * <p>The block is centred on {@code c}, per column the block's value nearest the block's mean:
   * with {@code u_r = fl(v_r - c)}, the sums {@code U_i = sum u_ri} and {@code P_ij = sum u_ri
   * u_rj} are accumulated in doubles in the order given, then added exactly as {@code S_i += U_i +
   * m c_i} and {@code Q_ij += P_ij + c_j U_i + c_i U_j + m c_i c_j} (m rows). The centred numerator
   * {@code n Q - S S'} is invariant under that shift, so the rounding errors are relative to the
   * centred sums, not to the raw ones: {@code |error| <= m eps sum_r |u_ri u_rj|} (Higham,
   * "Accuracy and Stability of Numerical Algorithms", 2nd ed., 2002, section 4.2), and data far
   * from zero lose nothing to cancellation.
   *
   * <p>The result is a function of the block's rows and their order only, so it is the same bit for
   * bit whichever task adds the block and in whatever order it is combined with others: the caller
   * must cut blocks by the input itself (a Parquet row group's rows, say), never by partition.
   *
   * @param cols the columns, each indexed by row; read, not kept
   * @param rows the row indices; read, not kept
   * @param from the first index of {@code rows} in the block
   * @param to one past the last
   * @throws IllegalArgumentException unless 1 &lt;= to - from &lt;= {@value #BLOCK_ROWS}
   */
  public void acceptBlock(double[][] cols, int[] rows, int from, int to) {
    int m = to - from;
    if (m < 1 || m > BLOCK_ROWS) {
      throw new IllegalArgumentException("a block holds 1 to " + BLOCK_ROWS + " rows, got " + m);
    }
    values = null;
    n += m;
    if (blockShift == null) {
      blockShift = new double[q];
      blockSums = new double[q];
    }
    int[] p = pairs();
    if (blockProducts == null) {
      blockProducts = new double[p.length / 3];
    }
    // Locals, not fields, in the loops: the client compiler reloads a field on every use.
    double[] c = blockShift;
    double[] su = blockSums;
    double[] sp = blockProducts;
    double[][] u = BLOCK_COLUMNS.get();
    if (u.length < q) {
      u = new double[q][BLOCK_ROWS];
      BLOCK_COLUMNS.set(u);
    }
    // Column by column, then product by product, each over the rows in the order given: every sum
    // sees the same operations in the same order as a row-by-row pass would, so the bits are the
    // same, while each loop is a plain walk over one or two arrays, which the client compiler
    // turns into far fewer loads and stores per value than one loop over all the sums per row.
    for (int i = 0; i < q; i++) {
      double[] col = cols[i];
      double[] ui = u[i];
      // The shift: per column, the block's value nearest its mean (the first of ties). Any shift
      // gives the same exact reconstruction; this one is within the root mean square deviation
      // of the mean, so sum (v - c)^2 is at most twice the centred sum and an outlier in the
      // block does not inflate the other rows' terms, and as one of the values it keeps v - c
      // exact for short values (small integers give exact sums).
      double sum = 0;
      for (int k = 0; k < m; k++) {
        double x = col[rows[from + k]];
        ui[k] = x;
        sum += x;
      }
      double mean = sum / m;
      double best = ui[0];
      double distance = Math.abs(best - mean);
      for (int k = 1; k < m; k++) {
        double d = Math.abs(ui[k] - mean);
        if (d < distance) {
          distance = d;
          best = ui[k];
        }
      }
      double shifted = 0;
      for (int k = 0; k < m; k++) {
        double x = ui[k] - best;
        ui[k] = x;
        shifted += x;
      }
      c[i] = best;
      su[i] = shifted;
    }
    for (int t = 0, o = 0; o < p.length; t++, o += 3) {
      double[] ui = u[p[o]];
      double[] uj = u[p[o + 1]];
      double product = 0;
      for (int k = 0; k < m; k++) {
        product += ui[k] * uj[k];
      }
      sp[t] = product;
    }
    for (int i = 0; i < q; i++) {
      add(i, su[i]);
      addScaled(i, m, c[i], 1.0);
    }
    for (int t = 0, o = 0; o < p.length; t++, o += 3) {
      int i = p[o];
      int j = p[o + 1];
      int s = p[o + 2];
      add(s, sp[t]);
      addExactProduct(s, c[j], su[i]);
      addExactProduct(s, c[i], su[j]);
      addScaled(s, m, c[i], c[j]);
    }
    if (pending >= NORMALISE_EVERY) {
      normalise();
    }
  }

  /** Adds the exact product xy to sum s. */
  private void addExactProduct(int s, double x, double y) {
    long bx = Double.doubleToRawLongBits(x);
    long by = Double.doubleToRawLongBits(y);
    long a = Dyadic.mantissa(bx);
    long b = Dyadic.mantissa(by);
    if (a != 0 && b != 0) {
      addProduct(s, x, y, a, b, Dyadic.exponent(bx) + Dyadic.exponent(by), (bx ^ by) >> 63);
    }
  }

  /**
   * Adds the exact product m x y to sum s, 1 &lt;= m &lt;= {@value #BLOCK_ROWS} (y = 1 for m x): m
   * times x's 53-bit mantissa stays below 2^63, a long N = N1 2^27 + N0, and N times y's mantissa B
   * = B1 2^27 + B0 is added as its four partial products, each below 2^63.
   */
  private void addScaled(int s, int m, double x, double y) {
    long bx = Double.doubleToRawLongBits(x);
    long by = Double.doubleToRawLongBits(y);
    long a = Dyadic.mantissa(bx);
    long b = Dyadic.mantissa(by);
    if (a == 0 || b == 0) {
      return;
    }
    long sign = (bx ^ by) >> 63;
    int low = Dyadic.exponent(bx) + Dyadic.exponent(by);
    long big = m * a;
    long n1 = big >>> 27;
    long n0 = big & LOW27;
    long b1 = b >>> 27;
    long b0 = b & LOW27;
    addLong(s, (n0 * b0 ^ sign) - sign, low);
    addLong(s, (n0 * b1 ^ sign) - sign, low + 27);
    addLong(s, (n1 * b0 ^ sign) - sign, low + 27);
    addLong(s, (n1 * b1 ^ sign) - sign, low + 54);
  }

  /**
   * Adds one row through bins lent by {@code pool} (see the class comment): the same exact sums as
   * {@link #accept(double[])}, for fewer integer operations. The values must be finite.
   *
   * @param v the row's {@code q} values; read, not kept
   * @param pool the task's bins; when it lends none, the row is added to the limbs
   */
  public void accept(double[] v, Bins pool) {
    pool.rows++;
    if (bins == null && !pool.lend(this)) {
      accept(v);
      return;
    }
    values = null;
    n++;
    if (rowMant == null) {
      rowMant = new long[q];
      rowExp = new int[q];
      rowSign = new long[q];
    }
    // Locals, not fields, in the loops: the client compiler reloads a field on every use.
    long[] b = bins;
    int[] bb = binBase;
    long[] ma = rowMant;
    int[] ex = rowExp;
    long[] sg = rowSign;
    for (int i = 0; i < q; i++) {
      long bits = Double.doubleToRawLongBits(v[i]);
      long mant = Dyadic.mantissa(bits);
      int low = Dyadic.exponent(bits);
      long m = bits >> 63;
      ma[i] = mant;
      ex[i] = low;
      sg[i] = m;
      if (mant != 0) {
        int k = low - bb[i];
        if (k >>> BIN_BITS == 0) { // 0 <= k < BIN_SPAN in one test
          b[i * BIN_STRIDE + k] += (mant ^ m) - m;
        } else {
          binMissSum(i, v[i], mant, low, m);
        }
      }
    }
    int[] p = pairs();
    for (int t = 0; t < p.length; t += 3) {
      long a = ma[p[t]];
      long c = ma[p[t + 1]];
      if (a != 0 && c != 0) {
        int i = p[t];
        int j = p[t + 1];
        int s = p[t + 2];
        int low = ex[i] + ex[j];
        long m = sg[i] ^ sg[j];
        int k = low - bb[s];
        if (k >>> BIN_BITS == 0) {
          // The 106-bit mantissa product as high 2^54 + low (see binProduct), inline.
          long a1 = a >>> 27;
          long a0 = a & LOW27;
          long c1 = c >>> 27;
          long c0 = c & LOW27;
          long mid = a1 * c0 + a0 * c1;
          int o = s * BIN_STRIDE + k;
          b[o] += ((a0 * c0 + ((mid & LOW27) << 27)) ^ m) - m;
          b[o + BIN_SPAN] += ((a1 * c1 + (mid >>> 27)) ^ m) - m;
        } else {
          binMissProduct(s, v[i], v[j], a, c, low, m);
        }
      }
    }
    if (++binRows >= BIN_ROWS) {
      flushBins();
    }
  }

  /**
   * Adds ±ac (sign mask m) to the bins from index o, a = a1 2^27 + a0 and c = c1 2^27 + c0 two
   * 53-bit mantissas: ac = high 2^54 + low exactly, with low = a0 c0 + ((a1 c0 + a0 c1) mod 2^27)
   * 2^27 below 2^55 into bin o and high = a1 c1 + floor((a1 c0 + a0 c1) / 2^27) below 2^53 into bin
   * o + {@link #BIN_SPAN}. Four 64-bit multiplications: {@link Math#multiplyHigh} is no intrinsic
   * of the client compiler, which local mode runs, and costs several times more.
   */
  private static void binProduct(long[] b, int o, long a, long c, long m) {
    long a1 = a >>> 27;
    long a0 = a & LOW27;
    long c1 = c >>> 27;
    long c0 = c & LOW27;
    long mid = a1 * c0 + a0 * c1;
    b[o] += ((a0 * c0 + ((mid & LOW27) << 27)) ^ m) - m;
    b[o + BIN_SPAN] += ((a1 * c1 + (mid >>> 27)) ^ m) - m;
  }

  /** A value outside its sum's bins: places them on first use, else adds it to the limbs. */
  private void binMissSum(int s, double x, long mant, int low, long m) {
    if (binBase[s] == BIN_UNSET) {
      binBase[s] = low - BIN_BELOW;
      bins[s * BIN_STRIDE + BIN_BELOW] += (mant ^ m) - m;
    } else {
      addMantissa(s, x, mant, low, m);
    }
  }

  /** A product outside its sum's bins: places them on first use, else adds it to the limbs. */
  private void binMissProduct(int s, double x, double y, long a, long c, int low, long m) {
    if (binBase[s] == BIN_UNSET) {
      binBase[s] = low - BIN_BELOW;
      binProduct(bins, s * BIN_STRIDE + BIN_BELOW, a, c, m);
    } else {
      addProduct(s, x, y, a, c, low, m);
    }
  }

  /**
   * Adds every bin into the limbs (lowest exponent first, so that a fresh window is placed under
   * them all) and empties them; the bins stay lent.
   */
  private void flushBins() {
    if (bins == null || binRows == 0) {
      return; // every row ends by counting itself, so no rows since the last flush: empty bins
    }
    for (int s = 0; s < stats; s++) {
      int base = binBase[s];
      if (base == BIN_UNSET) {
        continue;
      }
      int o = s * BIN_STRIDE;
      // A column's sum has no high parts.
      int used = s < q ? BIN_SPAN : BIN_STRIDE;
      for (int k = 0; k < used; k++) {
        long x = bins[o + k];
        if (x != 0) {
          addLong(s, x, k < BIN_SPAN ? base + k : base + k - BIN_SPAN + 54);
          bins[o + k] = 0;
        }
      }
    }
    binRows = 0;
    if (pending >= NORMALISE_EVERY) {
      normalise();
    }
  }

  /** Adds x 2^low to sum s, |x| < 2^63: into the window's limbs, or exactly into the overflow. */
  private void addLong(int s, long x, int low) {
    long m = x >> 63;
    int off = low - window(s, low);
    if (off < 0 || off + 63 > TOP) {
      addOverflow(s, new Dyadic(BigInteger.valueOf(x), low));
      return;
    }
    // A magnitude below 2^63 shifted by under 32 bits spans three digits, as a mantissa does.
    Limbs.addMantissa(limbs, s * LIMBS + (off >>> 5), (x ^ m) - m, off & 31, m);
    pending++;
  }

  /**
   * A task's bins for {@link #accept(double[], Bins)}: lent to at most {@code capacity} moments at
   * a time, taken back round robin (after a flush) when another needs them. Rows of one cell mostly
   * arrive together, so the moments in use hold bins and finished ones give theirs up. When rows of
   * many cells interleave so much that bins change hands more than once per {@value #THRASH_ROWS}
   * rows, the pool stops lending and rows go to the limbs directly. {@link #flush} must run before
   * the moments are read elsewhere or shipped (a read in this JVM flushes by itself; a serializer
   * that reads fields does not). Not thread-safe: one per task.
   */
  public static final class Bins {
    /** Rows per change of hands above which the pool stops lending. */
    static final int THRASH_ROWS = 64;

    /** Rows before the thrash check applies. */
    private static final long WARM_ROWS = 1 << 16;

    private final ExactMoments[] owners;
    private final boolean watched;
    private int hand;
    private long rows;
    private long handovers;
    private boolean stopped;

    /**
     * Bins for at most {@code capacity} moments at a time, which stop lending when rows of many
     * moments interleave.
     *
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public Bins(int capacity) {
      this(capacity, true);
    }

    /**
     * Bins for at most {@code capacity} moments at a time; with {@code watched} false they never
     * stop lending, for a caller that hands each moments its rows together, so that a loan is paid
     * for by several rows.
     *
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public Bins(int capacity, boolean watched) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
      }
      this.owners = new ExactMoments[capacity];
      this.watched = watched;
    }

    /** Lends bins to {@code m}, taking them back from another if need be; false when stopped. */
    private boolean lend(ExactMoments m) {
      if (stopped) {
        return false;
      }
      ExactMoments old = owners[hand];
      long[] b = null;
      int[] base = null;
      if (old != null) {
        old.flushBins();
        b = old.bins;
        base = old.binBase;
        old.bins = null;
        old.binBase = null;
        if (watched && ++handovers * THRASH_ROWS > rows && rows > WARM_ROWS) {
          owners[hand] = null;
          flush();
          stopped = true;
          return false;
        }
      }
      if (b == null || base.length != m.stats) {
        b = new long[m.stats * BIN_STRIDE];
        base = new int[m.stats];
      }
      Arrays.fill(base, BIN_UNSET);
      m.bins = b;
      m.binBase = base;
      m.binRows = 0;
      owners[hand] = m;
      hand = (hand + 1) % owners.length;
      return true;
    }

    /** Adds every lent bin into its moments' limbs and takes the bins back. */
    public void flush() {
      for (int i = 0; i < owners.length; i++) {
        ExactMoments m = owners[i];
        if (m != null) {
          m.flushBins();
          m.bins = null;
          m.binBase = null;
          owners[i] = null;
        }
      }
    }

    /** Whether the pool stopped lending (rows of many cells interleaved). */
    public boolean stopped() {
      return stopped;
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
    values = null;
    n += rows;
    add(0, sum);
    add(1, sumOfSquares);
    if (pending >= NORMALISE_EVERY) {
      normalise();
    }
  }

  /**
   * Adds all rows held by {@code other}, exactly.
   *
   * @return this
   * @throws IllegalArgumentException if the column counts differ
   */
  public ExactMoments combine(ExactMoments other) {
    if (other.q != q) {
      throw new IllegalArgumentException(
          "cannot combine moments over " + q + " and " + other.q + " columns");
    }
    if (!Arrays.equals(products, other.products)) {
      throw new IllegalArgumentException(
          "cannot combine moments that accumulate different cross products");
    }
    values = null;
    n += other.n;
    flushBins();
    other.flushBins();
    normalise();
    other.normalise();
    for (int s = 0; s < stats; s++) {
      if (other.overflow != null && other.overflow[s] != null) {
        addOverflow(s, other.overflow[s]);
      }
      if (other.base[s] == UNSET) {
        continue;
      }
      if (base[s] == UNSET) {
        base[s] = other.base[s];
      }
      if (base[s] == other.base[s]) {
        for (int k = 0; k < LIMBS; k++) {
          limbs[s * LIMBS + k] += other.limbs[s * LIMBS + k];
        }
        pending += 2;
      } else {
        addOverflow(s, other.limbValue(s));
      }
    }
    normalise();
    return this;
  }

  /** The exact sum {@code S_i} of column i. */
  public Dyadic sumExact(int i) {
    return exact(i);
  }

  /** The exact cross product {@code Q_ij = sum_r v_{r,i} v_{r,j}}. */
  public Dyadic crossExact(int i, int j) {
    return exact(q + crossOffset(i, j));
  }

  /** The offset of product (i, j) among the products; throws if it is not accumulated. */
  private int crossOffset(int i, int j) {
    int offset = ProductFlags.offset(q, i, j);
    if (products != null && !products[offset]) {
      throw new IllegalStateException(
          "the cross product (" + i + ", " + j + ") was not accumulated");
    }
    return offset;
  }

  /** {@link #sumExact} as a decimal (exact). */
  public BigDecimal sum(int i) {
    return sumExact(i).toBigDecimal();
  }

  /** {@link #crossExact} as a decimal (exact). */
  public BigDecimal crossProduct(int i, int j) {
    return crossExact(i, j).toBigDecimal();
  }

  /**
   * The exact numerator of the centred co-moment, {@code n Q_ij - S_i S_j}; the co-moment {@code
   * C_ij = sum_r (v_ri - mean_i)(v_rj - mean_j)} equals it divided by n.
   */
  public Dyadic centredNumeratorExact(int i, int j) {
    return crossExact(i, j).multiply(n).subtract(sumExact(i).multiply(sumExact(j)));
  }

  /** {@link #sumExact} as the fits read it. */
  ExactValue sumValue(int i) {
    return value(i);
  }

  /** {@link #crossExact} as the fits read it. */
  ExactValue crossValue(int i, int j) {
    return value(q + crossOffset(i, j));
  }

  /** {@link #centredNumeratorExact} as the fits read it. */
  ExactValue centredNumeratorValue(int i, int j) {
    return crossValue(i, j).multiply(n).subtract(sumValue(i).multiply(sumValue(j)));
  }

  /** The exact sum {@code S_i} rounded once to a double. */
  public double sumDouble(int i) {
    return sumValue(i).toDouble();
  }

  /** The exact cross product {@code Q_ij} rounded once to a double. */
  public double crossDouble(int i, int j) {
    return crossValue(i, j).toDouble();
  }

  /** {@link #centredNumeratorExact} as a decimal (exact). */
  public BigDecimal centredNumerator(int i, int j) {
    return centredNumeratorExact(i, j).toBigDecimal();
  }

  /**
   * The centred co-moment {@code C_ij = (n Q_ij - S_i S_j) / n}: the numerator is formed exactly
   * and rounded once, then divided (so at most two roundings, and a function of the exact sums
   * only). NaN when empty.
   */
  public double centred(int i, int j) {
    return n == 0 ? Double.NaN : centredNumeratorValue(i, j).toDouble() / n;
  }

  /** The mean of column i: the exact sum rounded once, divided by n (NaN when empty). */
  public double mean(int i) {
    return n == 0 ? Double.NaN : sumValue(i).toDouble() / n;
  }

  /** Sum s as a {@link Dyadic}: built through {@link BigInteger}, apart from {@link #value}. */
  private Dyadic exact(int s) {
    flushBins();
    Dyadic v = limbValue(s);
    if (overflow != null && overflow[s] != null) {
      v = v.add(overflow[s]);
    }
    return v;
  }

  /** Sum s as an {@link ExactValue}, read from the limbs digit by digit once per change. */
  private ExactValue value(int s) {
    flushBins();
    if (values == null) {
      values = new ExactValue[stats];
    } else if (values[s] != null) {
      return values[s];
    }
    ExactValue v = ExactValue.ZERO;
    if (base[s] != UNSET) {
      normalise();
      v = ExactValue.ofWindow(limbs, s * LIMBS, LIMBS, base[s]);
    }
    if (overflow != null && overflow[s] != null) {
      v = v.add(ExactValue.of(overflow[s]));
    }
    values[s] = v;
    return v;
  }

  /** The window's value: sum_k limb_k 2^(base + 32k), exactly. */
  private Dyadic limbValue(int s) {
    if (base[s] == UNSET) {
      return Dyadic.ZERO;
    }
    normalise();
    return Limbs.value(limbs, s * LIMBS, LIMBS, base[s]);
  }

  /** Adds x to sum s: its mantissa into the window's limbs, or exactly into the overflow. */
  private void add(int s, double x) {
    if (x == 0) {
      return;
    }
    long bits = Double.doubleToRawLongBits(x);
    addMantissa(s, x, Dyadic.mantissa(bits), Dyadic.exponent(bits), bits >> 63);
  }

  /** Adds x = ±mant 2^low (sign mask m: 0 or -1) to sum s. */
  private void addMantissa(int s, double x, long mant, int low, long m) {
    int off = low - window(s, low);
    if (off < 0 || off + 53 > TOP) {
      addOverflow(s, Dyadic.of(x));
      return;
    }
    Limbs.addMantissa(limbs, s * LIMBS + (off >>> 5), mant, off & 31, m);
    pending++;
  }

  /**
   * Adds the exact product xy = ±(a b) 2^low to sum s, a and b the 53-bit mantissas: the 106-bit
   * integer a b as high 2^54 + low (see {@link #binProduct}), each part added like a mantissa. The
   * window is placed by the first product's lowest bit, like a sum's: 64 to 95 bits below it, 87 to
   * 118 above its top.
   */
  private void addProduct(int s, double x, double y, long a, long b, int low, long m) {
    int off = low - window(s, low);
    if (off < 0 || off + 106 > TOP) {
      addOverflow(s, Dyadic.of(x).multiply(Dyadic.of(y)));
      return;
    }
    long a1 = a >>> 27;
    long a0 = a & LOW27;
    long b1 = b >>> 27;
    long b0 = b & LOW27;
    long mid = a1 * b0 + a0 * b1;
    // Each part spans at most three limbs from its own: the high part ends below bit off + 107.
    Limbs.addMantissa(limbs, s * LIMBS + (off >>> 5), a0 * b0 + ((mid & LOW27) << 27), off & 31, m);
    int high = off + 54;
    Limbs.addMantissa(limbs, s * LIMBS + (high >>> 5), a1 * b1 + (mid >>> 27), high & 31, m);
    pending += 2;
  }

  /** The base of sum s's window, placed {@link #BELOW} bits under {@code low} on first use. */
  private int window(int s, int low) {
    if (base[s] == UNSET) {
      base[s] = Math.floorDiv(low - BELOW, 32) * 32;
    }
    return base[s];
  }

  private void addOverflow(int s, Dyadic v) {
    if (overflow == null) {
      overflow = new Dyadic[stats];
    }
    overflow[s] = overflow[s] == null ? v : overflow[s].add(v);
  }

  /** Propagates carries so every limb but the top one lies in [0, 2^32). */
  private void normalise() {
    if (pending == 0) {
      return;
    }
    Limbs.normalise(limbs, stats, LIMBS);
    pending = 0;
  }

  /**
   * Where {@link #writeState} puts the state that crosses a shuffle: a serializer's output (Kryo in
   * the Spark layer), so this class stays free of any serialization library.
   */
  public interface StateWriter {
    /** Writes a long, short when small in magnitude (zig-zag varint). */
    void writeLong(long v);

    /** Writes an int, short when small in magnitude (zig-zag varint). */
    void writeInt(int v);

    /** Writes a byte array with its length. */
    void writeBytes(byte[] b);
  }

  /** Reads back what a {@link StateWriter} wrote, in the same order. */
  public interface StateReader {
    long readLong();

    int readInt();

    byte[] readBytes();
  }

  /**
   * Writes the count and every sum's window compactly: an unset sum as one marker, a set one as its
   * base and the run of its limbs between the lowest and the highest nonzero one, in signed digits
   * (each in [-2^31, 2^31), the carries moved up): a window is wider than its values, and a
   * negative sum's normalised upper digits are all ones, which as signed digits are zeros. Each
   * limb written costs one to five bytes; the bins go into the limbs first. {@link #readState}
   * rebuilds the same sums exactly.
   */
  public void writeState(StateWriter out) {
    flushBins();
    normalise();
    out.writeLong(n);
    long[] d = new long[LIMBS];
    for (int s = 0; s < stats; s++) {
      if (base[s] == UNSET) {
        out.writeInt(0);
        continue;
      }
      int o = s * LIMBS;
      long carry = 0;
      for (int k = 0; k < LIMBS - 1; k++) {
        long x = limbs[o + k] + carry;
        carry = x >= 1L << 31 ? 1 : 0;
        d[k] = x - (carry << 32);
      }
      d[LIMBS - 1] = limbs[o + LIMBS - 1] + carry;
      int lo = 0;
      while (lo < LIMBS && d[lo] == 0) {
        lo++;
      }
      int hi = LIMBS;
      while (hi > lo && d[hi - 1] == 0) {
        hi--;
      }
      out.writeInt(1 + hi - lo);
      out.writeInt(base[s]);
      if (hi > lo) {
        out.writeInt(lo);
        for (int k = lo; k < hi; k++) {
          out.writeLong(d[k]);
        }
      }
    }
    int overflows = 0;
    for (int s = 0; overflow != null && s < stats; s++) {
      overflows += overflow[s] != null ? 1 : 0;
    }
    out.writeInt(overflows);
    for (int s = 0; overflows > 0 && s < stats; s++) {
      if (overflow[s] != null) {
        out.writeInt(s);
        out.writeInt(overflow[s].e());
        out.writeBytes(overflow[s].m().toByteArray());
      }
    }
  }

  /**
   * The sums {@link #writeState} wrote, over {@code q} columns with the cross products {@code
   * products} (as given to the writer's constructor).
   */
  public static ExactMoments readState(int q, boolean[] products, StateReader in) {
    ExactMoments m = new ExactMoments(q, products);
    m.n = in.readLong();
    for (int s = 0; s < m.stats; s++) {
      int marker = in.readInt();
      if (marker == 0) {
        continue;
      }
      m.base[s] = in.readInt();
      int count = marker - 1;
      if (count > 0) {
        int o = s * LIMBS + in.readInt();
        for (int k = 0; k < count; k++) {
          m.limbs[o + k] = in.readLong();
        }
      }
    }
    // Back from signed digits to the normalised form, which is unique: the same limbs as written.
    m.pending = 1;
    m.normalise();
    int overflows = in.readInt();
    for (int i = 0; i < overflows; i++) {
      int s = in.readInt();
      int e = in.readInt();
      m.addOverflow(s, new Dyadic(new BigInteger(in.readBytes()), e));
    }
    return m;
  }

  /** Java serialization writes the limbs only, so the bins go into them first. */
  private void writeObject(ObjectOutputStream out) throws IOException {
    flushBins();
    out.defaultWriteObject();
  }

  @Override
  public String toString() {
    return "ExactMoments{q=" + q + ", n=" + n + ", bases=" + Arrays.toString(base) + "}";
  }
}
