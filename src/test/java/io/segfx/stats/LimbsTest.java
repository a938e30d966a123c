package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Limbs#value} and {@link ExactValue#ofWindow} against the window's value summed
 * independently in {@link BigInteger}, over windows with zero low digits, negative values whose
 * upper digits are all ones, the extremes of the top limb and random digits; and {@link
 * Dyadic#toDouble} against {@link BigDecimal}'s rounding to nearest even.
 */
class LimbsTest {
  private static final long MASK = 0xFFFFFFFFL;
  private static final int L = ExactMoments.LIMBS;

  /** sum_k limb_k 2^(32k) with the top limb signed, as BigInteger arithmetic gives it. */
  private static BigInteger reference(long[] limbs) {
    BigInteger v = BigInteger.ZERO;
    for (int k = 0; k < L; k++) {
      v = v.add(BigInteger.valueOf(limbs[k]).shiftLeft(32 * k));
    }
    return v;
  }

  private static void check(long[] limbs, int base) {
    // The window sits at an offset in a longer array, as ExactMoments stores its sums.
    long[] stored = new long[L + 3];
    System.arraycopy(limbs, 0, stored, 2, L);
    Dyadic d = Limbs.value(stored, 2, L, base);
    BigInteger expect = reference(limbs);
    BigDecimal want = new BigDecimal(expect).multiply(pow2(base));
    BigDecimal got = new BigDecimal(d.m()).multiply(pow2(d.e()));
    assertEquals(0, want.compareTo(got), () -> java.util.Arrays.toString(limbs));
    assertEquals(nearest(want), d.toDouble(), () -> java.util.Arrays.toString(limbs));
    // The fits' digit-by-digit read of the same window: the same value and the same rounding.
    ExactValue v = ExactValue.ofWindow(stored, 2, L, base);
    Dyadic read = v.toDyadic();
    BigDecimal fast = new BigDecimal(read.m()).multiply(pow2(read.e()));
    assertEquals(0, want.compareTo(fast), () -> java.util.Arrays.toString(limbs));
    assertEquals(nearest(want), v.toDouble(), () -> java.util.Arrays.toString(limbs));
    assertEquals(want.signum(), v.signum());
  }

  private static BigDecimal pow2(int e) {
    return e >= 0
        ? new BigDecimal(BigInteger.ONE.shiftLeft(e))
        : BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
  }

  /**
   * The double nearest x, ties to even: BigDecimal's conversion is correctly rounded (its general
   * case parses the decimal text); the windows here stay far from subnormals and overflow.
   */
  private static double nearest(BigDecimal x) {
    return x.doubleValue();
  }

  /** A normalised window: digits in [0, 2^32) below a signed top limb. */
  private static long[] window(long top, long... digitsFromLow) {
    long[] w = new long[L];
    for (int k = 0; k < digitsFromLow.length; k++) {
      w[k] = digitsFromLow[k] & MASK;
    }
    w[L - 1] = top;
    return w;
  }

  @Test
  void edgesOfTheLongForm() {
    int[] bases = {-200, -64, 0, 37};
    for (int base : bases) {
      check(window(0), base); // zero
      check(window(1), base); // top limb only
      check(window(-1), base);
      check(window(Long.MAX_VALUE >> 3), base);
      check(window(Long.MIN_VALUE >> 3), base);
      // One digit below the top limb: the top limb must fit an int.
      long[] w = window(Integer.MAX_VALUE);
      w[L - 2] = MASK;
      check(w, base);
      w = window(Integer.MIN_VALUE);
      w[L - 2] = 0;
      check(w, base);
      w = window(1L << 31); // does not fit an int: byte form
      w[L - 2] = 5;
      check(w, base);
      // Two low digits with sign extension above them.
      check(window(0, 0, 0, 7, 0x7FFFFFFF), base); // largest positive long at digits 2..3
      check(window(0, 0, 0, 7, 0x80000000L), base); // bit 63 set, positive: needs the byte form
      long[] neg = window(-1, 0, 5, 0x80000000L);
      for (int k = 3; k < L - 1; k++) {
        neg[k] = MASK; // all ones: the value is a negative long
      }
      check(neg, base);
      neg[L - 3] = MASK - 1; // one digit not all ones: byte form
      check(neg, base);
      long[] minLong = window(-1, 0, 0x80000000L);
      for (int k = 2; k < L - 1; k++) {
        minLong[k] = MASK;
      }
      check(minLong, base); // -2^63 at digit 0
    }
  }

  @Test
  void randomWindows() {
    Random r = new Random(20261207);
    for (int t = 0; t < 20_000; t++) {
      long[] w = new long[L];
      int lowZeros = r.nextInt(L);
      int span = 1 + r.nextInt(L);
      for (int k = lowZeros; k < Math.min(L - 1, lowZeros + span); k++) {
        w[k] = r.nextInt(4) == 0 ? (r.nextBoolean() ? 0 : MASK) : r.nextLong() & MASK;
      }
      boolean negative = r.nextBoolean();
      if (negative) {
        for (int k = Math.min(L - 1, lowZeros + span); k < L - 1; k++) {
          w[k] = MASK;
        }
      }
      w[L - 1] =
          negative
              ? -1 - (r.nextInt(3) == 0 ? r.nextInt(1000) : 0)
              : r.nextInt(3) == 0 ? r.nextInt(1000) : 0;
      check(w, r.nextInt(400) - 300);
    }
  }
}
