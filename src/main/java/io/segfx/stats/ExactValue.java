package io.segfx.stats;

import java.math.BigInteger;

/**
 * An exact binary fraction {@code ±M 2^e}, the magnitude M held as little-endian 32-bit digits in a
 * {@code long[]}: the same values and the same roundings as {@link Dyadic}, for the reads a fit
 * makes of {@link ExactMoments}' sums (sums, products and differences of exact sums, each rounded
 * once). It reads a sum's window digit by digit, without the byte array and {@link BigInteger} that
 * a {@link Dyadic} read builds, and its operations are the schoolbook ones on a few digits (Knuth,
 * TAOCP vol. 2, 4.3.1, algorithms A, S and M), so that a read, the centred numerator {@code n Q - S
 * S'} and its rounding cost tens of nanoseconds rather than hundreds. Every operation is exact;
 * only {@link #toDouble} rounds, to nearest even, exactly as {@link Dyadic#toDouble} does, so a
 * quantity formed here is the same bit for bit as the same quantity formed with {@link Dyadic}.
 */
final class ExactValue {
  static final ExactValue ZERO = new ExactValue(new long[0], 0, 0, 0);

  private static final long MASK = 0xFFFFFFFFL;

  /** Digits in [0, 2^32), least significant first; {@code mag[len - 1] != 0} unless len is 0. */
  private final long[] mag;

  private final int len;

  /** -1, 0 or 1. */
  private final int sign;

  /** The weight of the lowest digit: 2^e. */
  private final int e;

  private ExactValue(long[] mag, int len, int sign, int e) {
    this.mag = mag;
    this.len = len;
    this.sign = len == 0 ? 0 : sign;
    this.e = e;
  }

  /** The value of digits {@code d[0..n)} (trimmed here), with the given sign, times 2^e. */
  private static ExactValue of(long[] d, int n, int sign, int e) {
    while (n > 0 && d[n - 1] == 0) {
      n--;
    }
    return n == 0 ? ZERO : new ExactValue(d, n, sign, e);
  }

  /**
   * The normalised window {@code sum_k limbs[o + k] 2^(base + 32k)}, k below {@code perWindow}: the
   * low limbs are 32-bit digits and the top one a signed long (see {@link Limbs#normalise}).
   */
  static ExactValue ofWindow(long[] limbs, int o, int perWindow, int base) {
    // Zero digits below the lowest nonzero limb are left out and moved into the exponent (they
    // stay zero in the two's complement too): a window reaches some 64 bits below its values,
    // and every later operation's cost grows with the digits it walks, a product's with their
    // square.
    int k0 = 0;
    while (k0 < perWindow - 1 && limbs[o + k0] == 0) {
      k0++;
    }
    int n = perWindow + 1 - k0;
    long[] d = new long[n];
    for (int k = k0; k < perWindow - 1; k++) {
      d[k - k0] = limbs[o + k];
    }
    long top = limbs[o + perWindow - 1];
    d[n - 2] = top & MASK;
    d[n - 1] = (top >>> 32) & MASK;
    int e = base + 32 * k0;
    if (top >= 0) {
      return of(d, n, 1, e);
    }
    // Two's complement over the n digits: the magnitude is the inverted digits plus one.
    long carry = 1;
    for (int k = 0; k < n; k++) {
      long x = (~d[k] & MASK) + carry;
      d[k] = x & MASK;
      carry = x >>> 32;
    }
    return of(d, n, -1, e);
  }

  /** The exact value of a finite double. */
  static ExactValue of(double x) {
    if (x == 0) {
      return ZERO;
    }
    long bits = Double.doubleToRawLongBits(x);
    long mant = Dyadic.mantissa(bits);
    return of(new long[] {mant & MASK, mant >>> 32}, 2, bits < 0 ? -1 : 1, Dyadic.exponent(bits));
  }

  /** The exact value of a {@link Dyadic}. */
  static ExactValue of(Dyadic v) {
    BigInteger m = v.m();
    if (m.signum() == 0) {
      return ZERO;
    }
    BigInteger a = m.abs();
    int n = (a.bitLength() + 31) >>> 5;
    long[] d = new long[n];
    for (int k = 0; k < n; k++) {
      d[k] = a.shiftRight(32 * k).intValue() & MASK;
    }
    return of(d, n, m.signum(), v.e());
  }

  /** This value as a {@link Dyadic}, exactly. */
  Dyadic toDyadic() {
    BigInteger m = BigInteger.ZERO;
    for (int k = len - 1; k >= 0; k--) {
      m = m.shiftLeft(32).or(BigInteger.valueOf(mag[k]));
    }
    return new Dyadic(sign < 0 ? m.negate() : m, e);
  }

  int signum() {
    return sign;
  }

  /** -this, exactly. */
  ExactValue negate() {
    return sign == 0 ? this : new ExactValue(mag, len, -sign, e);
  }

  /** this + o, exactly. */
  ExactValue add(ExactValue o) {
    return add(o, o.sign);
  }

  /** this - o, exactly. */
  ExactValue subtract(ExactValue o) {
    return add(o, -o.sign);
  }

  /** this + (o with the sign {@code oSign}), exactly. */
  private ExactValue add(ExactValue o, int oSign) {
    if (sign == 0) {
      return oSign == o.sign ? o : o.negate();
    }
    if (oSign == 0) {
      return this;
    }
    int low = Math.min(e, o.e);
    long[] a = shifted(e - low);
    long[] b = o.shifted(o.e - low);
    if (sign == oSign) {
      return of(addMagnitudes(a, b), Math.max(a.length, b.length) + 1, sign, low);
    }
    int c = compareMagnitudes(a, b);
    if (c == 0) {
      return ZERO;
    }
    return c > 0
        ? of(subtractMagnitudes(a, b), a.length, sign, low)
        : of(subtractMagnitudes(b, a), b.length, oSign, low);
  }

  /** this × k, exactly. */
  ExactValue multiply(long k) {
    if (sign == 0 || k == 0) {
      return ZERO;
    }
    // |k| as an unsigned 64-bit integer (also for Long.MIN_VALUE).
    long u = k < 0 ? -k : k;
    return multiply(new long[] {u & MASK, u >>> 32}, 2, k < 0 ? -sign : sign, e);
  }

  /** this × o, exactly. */
  ExactValue multiply(ExactValue o) {
    if (sign == 0 || o.sign == 0) {
      return ZERO;
    }
    return multiply(o.mag, o.len, sign * o.sign, e + o.e);
  }

  /** |this| × b[0..bl), with the given sign and exponent. */
  private ExactValue multiply(long[] b, int bl, int resultSign, int resultExp) {
    long[] r = new long[len + bl];
    for (int i = 0; i < len; i++) {
      long ai = mag[i];
      long carry = 0;
      for (int j = 0; j < bl; j++) {
        // (2^32 - 1)^2 + 2 (2^32 - 1) = 2^64 - 1: the sum fits 64 bits, read as unsigned.
        long t = ai * b[j] + r[i + j] + carry;
        r[i + j] = t & MASK;
        carry = t >>> 32;
      }
      r[i + bl] = carry;
    }
    return of(r, r.length, resultSign, resultExp);
  }

  /**
   * The nearest double, ties to even: the magnitude's top 63 bits with a sticky bit for the bits
   * below, converted and scaled as {@link Dyadic#toDouble} does.
   */
  double toDouble() {
    if (sign == 0) {
      return 0.0;
    }
    int bitLength = 32 * (len - 1) + 64 - Long.numberOfLeadingZeros(mag[len - 1]);
    int shift = bitLength - 63;
    long top;
    if (shift > 0) {
      int q = shift >>> 5;
      int r = shift & 31;
      long low64 = mag[q] | (digit(q + 1) << 32);
      top = r == 0 ? low64 : (low64 >>> r) | (digit(q + 2) << (64 - r));
      boolean sticky = (mag[q] & ((1L << r) - 1)) != 0;
      for (int k = 0; k < q && !sticky; k++) {
        sticky = mag[k] != 0;
      }
      top |= sticky ? 1 : 0;
    } else {
      shift = 0;
      top = mag[0] | (digit(1) << 32);
    }
    double d = Math.scalb((double) top, e + shift);
    return sign < 0 ? -d : d;
  }

  private long digit(int k) {
    return k < len ? mag[k] : 0;
  }

  /**
   * The magnitude times 2^bits: the digits themselves when bits is 0 (no operation writes to an
   * operand's digits, and those above len are zero), else a fresh array.
   */
  private long[] shifted(int bits) {
    if (bits == 0) {
      return mag;
    }
    int words = bits >>> 5;
    int r = bits & 31;
    long[] d = new long[len + words + 1];
    if (r == 0) {
      System.arraycopy(mag, 0, d, words, len);
    } else {
      long carry = 0;
      for (int k = 0; k < len; k++) {
        long x = mag[k];
        d[k + words] = ((x << r) & MASK) | carry;
        carry = x >>> (32 - r);
      }
      d[len + words] = carry;
    }
    return d;
  }

  private static long[] addMagnitudes(long[] a, long[] b) {
    long[] r = new long[Math.max(a.length, b.length) + 1];
    long carry = 0;
    for (int k = 0; k < r.length - 1; k++) {
      long x = (k < a.length ? a[k] : 0) + (k < b.length ? b[k] : 0) + carry;
      r[k] = x & MASK;
      carry = x >>> 32;
    }
    r[r.length - 1] = carry;
    return r;
  }

  /** a - b for |a| > |b|. */
  private static long[] subtractMagnitudes(long[] a, long[] b) {
    long[] r = new long[a.length];
    long borrow = 0;
    for (int k = 0; k < a.length; k++) {
      long x = a[k] - (k < b.length ? b[k] : 0) - borrow;
      r[k] = x & MASK;
      borrow = x < 0 ? 1 : 0;
    }
    return r;
  }

  private static int compareMagnitudes(long[] a, long[] b) {
    for (int k = Math.max(a.length, b.length) - 1; k >= 0; k--) {
      long x = k < a.length ? a[k] : 0;
      long y = k < b.length ? b[k] : 0;
      if (x != y) {
        return x > y ? 1 : -1;
      }
    }
    return 0;
  }
}
