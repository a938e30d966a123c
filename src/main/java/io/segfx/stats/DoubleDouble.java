package io.segfx.stats;

/**
 * An unevaluated sum {@code hi + lo} of two doubles with |lo| <= ulp(hi)/2: about 106 significant
 * bits (32 decimal digits) at the cost of a few double operations, for the small dense solves that
 * need more than double precision (the normal equations of {@link ConjugateRegression}).
 *
 * <p>Algorithms: Dekker (1971), "A floating-point technique for extending the available precision",
 * Numer. Math. 18; Knuth, TAOCP vol. 2, 4.2.2 (TwoSum); Hida, Li &amp; Bailey (2001), "Algorithms
 * for quad-double precision floating point arithmetic" (the accurate addition and the division
 * below); products exact by {@link Math#fma}. Relative error of each operation about 2^-104.
 *
 * @param hi the leading double
 * @param lo the trailing correction
 */
record DoubleDouble(double hi, double lo) {
  static final DoubleDouble ZERO = new DoubleDouble(0, 0);
  static final DoubleDouble ONE = new DoubleDouble(1, 0);

  /** The double {@code x} exactly. */
  static DoubleDouble of(double x) {
    return new DoubleDouble(x, 0);
  }

  /** The exact value {@code v} rounded to double-double: hi = round(v), lo = round(v - hi). */
  static DoubleDouble of(ExactValue v) {
    double hi = v.toDouble();
    return new DoubleDouble(hi, v.subtract(ExactValue.of(hi)).toDouble());
  }

  /** The exact integer {@code n} (|n| < 2^106 always holds for a long). */
  static DoubleDouble of(long n) {
    double hi = (double) n;
    return new DoubleDouble(hi, (double) (n - (long) hi));
  }

  /** The exact product {@code a b} (Dekker's two-product, by {@link Math#fma}). */
  static DoubleDouble product(double a, double b) {
    double p = a * b;
    return new DoubleDouble(p, Math.fma(a, b, -p));
  }

  DoubleDouble add(DoubleDouble o) {
    double[] out = new double[2];
    add(hi, lo, o.hi, o.lo, out);
    return new DoubleDouble(out[0], out[1]);
  }

  DoubleDouble negate() {
    return new DoubleDouble(-hi, -lo);
  }

  DoubleDouble subtract(DoubleDouble o) {
    return add(o.negate());
  }

  DoubleDouble multiply(DoubleDouble o) {
    double[] out = new double[2];
    multiply(hi, lo, o.hi, o.lo, out);
    return new DoubleDouble(out[0], out[1]);
  }

  DoubleDouble divide(DoubleDouble o) {
    double[] out = new double[2];
    divide(hi, lo, o.hi, o.lo, out);
    return new DoubleDouble(out[0], out[1]);
  }

  /*
   * The kernels on pairs of doubles, writing (hi, lo) of the result to out[0], out[1]: the one
   * definition of each operation, for the methods above and for ConjugateRegression's elimination,
   * which keeps its matrix in two planes of doubles and so allocates nothing per operation.
   */

  /** (ah + al) + (bh + bl): Hida-Li-Bailey accurate (IEEE-style) addition. */
  static void add(double ah, double al, double bh, double bl, double[] out) {
    // Two TwoSums and two renormalisations.
    double s = ah + bh;
    double bb = s - ah;
    double e = (ah - (s - bb)) + (bh - bb);
    double t = al + bl;
    double bt = t - al;
    double f = (al - (t - bt)) + (bl - bt);
    e += t;
    double s2 = s + e;
    e = e - (s2 - s);
    e += f;
    double h = s2 + e;
    out[0] = h;
    out[1] = e - (h - s2);
  }

  /** (ah + al) - (bh + bl), as the addition of the negated pair. */
  static void subtract(double ah, double al, double bh, double bl, double[] out) {
    add(ah, al, -bh, -bl, out);
  }

  /** (ah + al)(bh + bl): the exact product of the leading parts plus the cross terms. */
  static void multiply(double ah, double al, double bh, double bl, double[] out) {
    double p = ah * bh;
    double e = Math.fma(ah, bh, -p);
    e += ah * bl + al * bh;
    double h = p + e;
    out[0] = h;
    out[1] = e - (h - p);
  }

  /** (ah + al) / (bh + bl): three quotient digits, each from the remainder so far. */
  static void divide(double ah, double al, double bh, double bl, double[] out) {
    double q1 = ah / bh;
    multiply(bh, bl, q1, 0, out);
    subtract(ah, al, out[0], out[1], out);
    double q2 = out[0] / bh;
    double rh = out[0];
    double rl = out[1];
    multiply(bh, bl, q2, 0, out);
    subtract(rh, rl, out[0], out[1], out);
    double q3 = out[0] / bh;
    double h = q1 + q2;
    add(h, q2 - (h - q1), q3, 0, out);
  }

  /** Compares |a| with |b| as {@link #abs} then {@link #compareTo} do. */
  static int compareMagnitudes(double ah, double al, double bh, double bl) {
    boolean na = ah < 0 || (ah == 0 && al < 0);
    boolean nb = bh < 0 || (bh == 0 && bl < 0);
    int c = Double.compare(na ? -ah : ah, nb ? -bh : bh);
    return c != 0 ? c : Double.compare(na ? -al : al, nb ? -bl : bl);
  }

  /** The sign of hi + lo, as {@link #signum()}. */
  static int signum(double h, double l) {
    return h != 0 ? (int) Math.signum(h) : (int) Math.signum(l);
  }

  DoubleDouble abs() {
    return hi < 0 || (hi == 0 && lo < 0) ? negate() : this;
  }

  /** Compares values (hi first; lo breaks ties, as the pair is normalised). */
  int compareTo(DoubleDouble o) {
    int c = Double.compare(hi, o.hi);
    return c != 0 ? c : Double.compare(lo, o.lo);
  }

  int signum() {
    return signum(hi, lo);
  }

  /** hi + lo rounded to the nearest double. */
  double doubleValue() {
    return hi + lo;
  }
}
