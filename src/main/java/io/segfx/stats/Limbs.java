package io.segfx.stats;

import java.math.BigInteger;

/**
 * The fixed-point arithmetic of {@link ExactMoments}' sums: each sum is a window of {@link
 * ExactMoments#LIMBS} signed 64-bit limbs, limb k weighing 2^(base + 32k), that hold 32-bit digits
 * plus pending carries. Values are added digit by digit without a branch on their sign, and carries
 * are propagated only now and then ({@link #normalise}), so an addition is a few integer additions.
 */
final class Limbs {
  private static final long MASK = 0xFFFFFFFFL;

  private Limbs() {}

  /**
   * Adds ±mant 2^sh (sign mask m: 0 or -1) to the three limbs from index k: a magnitude below 2^63
   * (a 53-bit mantissa, a part of a mantissa product, a bin) shifted by under 32 bits spans at most
   * three digits, and each limb gains under 2^33.
   */
  static void addMantissa(long[] limbs, int k, long mant, int sh, long m) {
    long lo = (mant & MASK) << sh;
    long hi = (mant >>> 32) << sh;
    // Negation without a branch (signs of centred data are unpredictable): (c ^ m) - m is -c
    // when m = -1 and c when m = 0.
    limbs[k] += ((lo & MASK) ^ m) - m;
    limbs[k + 1] += (((lo >>> 32) + (hi & MASK)) ^ m) - m;
    limbs[k + 2] += ((hi >>> 32) ^ m) - m;
  }

  /** Propagates carries so every limb but the top one of each window lies in [0, 2^32). */
  static void normalise(long[] limbs, int windows, int perWindow) {
    for (int s = 0; s < windows; s++) {
      int o = s * perWindow;
      for (int k = 0; k < perWindow - 1; k++) {
        long carry = limbs[o + k] >> 32;
        limbs[o + k] -= carry << 32;
        limbs[o + k + 1] += carry;
      }
    }
  }

  /** The normalised window from index o: sum_k limb_k 2^(base + 32k), exactly. */
  static Dyadic value(long[] limbs, int o, int perWindow, int base) {
    // After normalisation the low limbs are 32-bit digits and the top limb is signed, so the
    // big-endian bytes of top, limb_{L-2}, ..., limb_0 are the value in two's complement.
    byte[] b = new byte[8 + 4 * (perWindow - 1)];
    long top = limbs[o + perWindow - 1];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (top >>> (56 - 8 * i));
    }
    for (int k = perWindow - 2, at = 8; k >= 0; k--, at += 4) {
      long d = limbs[o + k];
      b[at] = (byte) (d >>> 24);
      b[at + 1] = (byte) (d >>> 16);
      b[at + 2] = (byte) (d >>> 8);
      b[at + 3] = (byte) d;
    }
    return new Dyadic(new BigInteger(b), base);
  }
}
