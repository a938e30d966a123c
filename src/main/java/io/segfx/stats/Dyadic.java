package io.segfx.stats;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact binary fraction {@code m 2^e} (m an integer): every double, and every sum and product of
 * doubles, is one. Addition and multiplication are exact; {@link #toDouble} rounds once, to nearest
 * even, so a quantity formed exactly and then converted is a function of the exact value alone
 * (bit-identical however it was accumulated).
 *
 * @param m the integer mantissa
 * @param e the binary exponent
 */
public record Dyadic(BigInteger m, int e) implements Serializable {
  public static final Dyadic ZERO = new Dyadic(BigInteger.ZERO, 0);

  /** The exact value of a finite double. */
  public static Dyadic of(double x) {
    if (x == 0) {
      return ZERO;
    }
    long bits = Double.doubleToRawLongBits(x);
    long mant = mantissa(bits);
    return new Dyadic(BigInteger.valueOf(bits < 0 ? -mant : mant), exponent(bits));
  }

  /**
   * The integer mantissa of a finite double's bits (with the implicit leading bit; 0 for ±0): the
   * double is ±mantissa · 2^{@link #exponent}.
   */
  static long mantissa(long bits) {
    long fraction = bits & 0xFFFFFFFFFFFFFL;
    return ((bits >>> 52) & 0x7ff) == 0 ? fraction : fraction | 1L << 52;
  }

  /** The exponent of a finite double's lowest mantissa bit (subnormals: -1074). */
  static int exponent(long bits) {
    int exp = (int) ((bits >>> 52) & 0x7ff);
    return (exp == 0 ? 1 : exp) - 1075;
  }

  /** The exact value of an integer. */
  public static Dyadic of(long v) {
    return new Dyadic(BigInteger.valueOf(v), 0);
  }

  /** this + o, exactly. */
  public Dyadic add(Dyadic o) {
    if (m.signum() == 0) {
      return o;
    }
    if (o.m.signum() == 0) {
      return this;
    }
    if (e == o.e) {
      return new Dyadic(m.add(o.m), e);
    }
    return e < o.e
        ? new Dyadic(m.add(o.m.shiftLeft(o.e - e)), e)
        : new Dyadic(m.shiftLeft(e - o.e).add(o.m), o.e);
  }

  /** this - o, exactly. */
  public Dyadic subtract(Dyadic o) {
    return add(new Dyadic(o.m.negate(), o.e));
  }

  /** this × o, exactly. */
  public Dyadic multiply(Dyadic o) {
    return new Dyadic(m.multiply(o.m), e + o.e);
  }

  /** this × k, exactly. */
  public Dyadic multiply(long k) {
    return new Dyadic(m.multiply(BigInteger.valueOf(k)), e);
  }

  /**
   * The nearest double (ties to even): the mantissa is cut to 64 bits with a sticky bit for the
   * bits dropped, which keeps the rounding of the long-to-double conversion correct.
   */
  public double toDouble() {
    int sign = m.signum();
    if (sign == 0) {
      return 0.0;
    }
    BigInteger a = m.abs();
    int shift = a.bitLength() - 63;
    long top;
    if (shift > 0) {
      boolean sticky = a.getLowestSetBit() < shift;
      top = a.shiftRight(shift).longValue() | (sticky ? 1 : 0);
    } else {
      shift = 0;
      top = a.longValue();
    }
    // top has at most 63 bits; when more than 53 of them are significant, the sticky bit in the
    // lowest position keeps the conversion's round-to-nearest-even correct.
    double d = Math.scalb((double) top, e + shift);
    return sign < 0 ? -d : d;
  }

  /** The exact decimal value. */
  public BigDecimal toBigDecimal() {
    if (e >= 0) {
      return new BigDecimal(m.shiftLeft(e));
    }
    return new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-e)), -e);
  }
}
