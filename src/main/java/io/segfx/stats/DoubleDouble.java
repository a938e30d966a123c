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
    // Hida-Li-Bailey accurate (IEEE-style) addition: two TwoSums and two renormalisations.
    double s = hi + o.hi;
    double bb = s - hi;
    double e = (hi - (s - bb)) + (o.hi - bb);
    double t = lo + o.lo;
    double bt = t - lo;
    double f = (lo - (t - bt)) + (o.lo - bt);
    e += t;
    double s2 = s + e;
    e = e - (s2 - s);
    e += f;
    double h = s2 + e;
    return new DoubleDouble(h, e - (h - s2));
  }

  DoubleDouble negate() {
    return new DoubleDouble(-hi, -lo);
  }

  DoubleDouble subtract(DoubleDouble o) {
    return add(o.negate());
  }

  DoubleDouble multiply(DoubleDouble o) {
    double p = hi * o.hi;
    double e = Math.fma(hi, o.hi, -p);
    e += hi * o.lo + lo * o.hi;
    double h = p + e;
    return new DoubleDouble(h, e - (h - p));
  }

  DoubleDouble divide(DoubleDouble o) {
    double q1 = hi / o.hi;
    DoubleDouble r = subtract(o.multiply(of(q1)));
    double q2 = r.hi / o.hi;
    r = r.subtract(o.multiply(of(q2)));
    double q3 = r.hi / o.hi;
    double h = q1 + q2;
    DoubleDouble q = new DoubleDouble(h, q2 - (h - q1));
    return q.add(of(q3));
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
    return hi != 0 ? (int) Math.signum(hi) : (int) Math.signum(lo);
  }

  /** hi + lo rounded to the nearest double. */
  double doubleValue() {
    return hi + lo;
  }
}
