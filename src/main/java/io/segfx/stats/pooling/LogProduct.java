package io.segfx.stats.pooling;

/**
 * A product of positive doubles kept as a mantissa and a binary exponent summed apart, so that the
 * log of a product of many factors costs one {@link Math#log} instead of one per factor and cannot
 * overflow or underflow:
 *
 * <pre>
 *   w_j = f_j 2^{e_j},  f_j in [1, 2)   (IEEE 754 binary64: Muller et al., Handbook of
 *                                        Floating-Point Arithmetic, 2nd ed., section 3.1)
 *   prod_j w_j = m 2^E,  m = prod_j f_j,  E = sum_j e_j,  log prod_j w_j = log m + E log 2
 * </pre>
 *
 * Each factor's e_j and f_j are read from its bits, exactly; after every 64 factors m is scaled
 * back into [1, 2) by its own exponent, also exactly, so m stays below 2^65. One instance holds one
 * product at a time; {@link #reset} starts the next.
 */
final class LogProduct {
  /** log 2, the weight of one unit of {@link #exponent}. */
  static final double LN2 = Math.log(2);

  private double mantissa = 1;
  private long exponent;
  private int factors;

  /** Starts a new, empty product (1). */
  void reset() {
    mantissa = 1;
    exponent = 0;
    factors = 0;
  }

  /** Multiplies the product by {@code w > 0}. */
  void multiply(double w) {
    // w's binary exponent and its mantissa in [1, 2) straight from the bits (w > 0); a
    // subnormal w (exponent field 0) goes through the general path.
    long bits = Double.doubleToRawLongBits(w);
    int ex = (int) (bits >>> 52) - 1023;
    if (ex > -1023) {
      exponent += ex;
      mantissa *= Double.longBitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
    } else {
      ex = Math.getExponent(w);
      exponent += ex;
      mantissa *= w * powerOfTwo(-ex);
    }
    if ((factors++ & 63) == 63) {
      int pe = Math.getExponent(mantissa);
      exponent += pe;
      mantissa *= powerOfTwo(-pe);
    }
  }

  /** m: the product is {@code mantissa() · 2^exponent()}, with m in [1, 2^65). */
  double mantissa() {
    return mantissa;
  }

  /** E: the sum of the factors' binary exponents. */
  long exponent() {
    return exponent;
  }

  /** 2^k for the normal exponents k in [-1022, 1023], exactly. */
  static double powerOfTwo(int k) {
    return k >= -1022 && k <= 1023
        ? Double.longBitsToDouble((long) (k + 1023) << 52)
        : Math.scalb(1.0, k);
  }
}
