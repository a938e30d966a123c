package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Double-double arithmetic against exact/80-digit BigDecimal arithmetic on random operands spread
 * over 40 decades, including cancelling sums: each result within 2^-100 (about 8e-31) of the exact
 * result relative to its magnitude (the published bound is a few units of 2^-106 per operation).
 */
class DoubleDoubleTest {
  private static final MathContext MC = new MathContext(80);

  private static BigDecimal big(DoubleDouble x) {
    return new BigDecimal(x.hi()).add(new BigDecimal(x.lo()));
  }

  private static DoubleDouble random(Random r) {
    double hi = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(41) - 20);
    double lo = hi * 0x1p-54 * (r.nextDouble() - 0.5);
    double h = hi + lo;
    return new DoubleDouble(h, lo - (h - hi));
  }

  private static void near(BigDecimal exact, DoubleDouble got, BigDecimal scale, String what) {
    BigDecimal err = big(got).subtract(exact).abs();
    BigDecimal bound = scale.abs().multiply(new BigDecimal(0x1p-100));
    assertTrue(err.compareTo(bound) <= 0, what + ": error " + err + " > " + bound);
  }

  @Test
  void operationsAgreeWithExactArithmetic() {
    Random r = new Random(17);
    for (int i = 0; i < 20_000; i++) {
      DoubleDouble a = random(r);
      DoubleDouble b = i % 5 == 0 ? new DoubleDouble(-a.hi(), -a.lo() * r.nextDouble()) : random(r);
      BigDecimal ea = big(a);
      BigDecimal eb = big(b);
      // Addition is accurate relative to the operands (Hida-Li-Bailey), so also under cancellation.
      near(ea.add(eb), a.add(b), ea.abs().max(eb.abs()), "add");
      near(ea.subtract(eb), a.subtract(b), ea.abs().max(eb.abs()), "subtract");
      BigDecimal prod = ea.multiply(eb);
      near(prod, a.multiply(b), prod, "multiply");
      if (b.signum() != 0) {
        BigDecimal quot = ea.divide(eb, MC);
        near(quot, a.divide(b), quot, "divide");
      }
      assertEquals(Integer.signum(ea.compareTo(eb)), Integer.signum(a.compareTo(b)), "compare");
    }
  }

  @Test
  void exactValuesConvertWithOneRounding() {
    Random r = new Random(3);
    for (int i = 0; i < 2_000; i++) {
      Dyadic v =
          Dyadic.of(r.nextGaussian() * 1e9)
              .add(Dyadic.of(r.nextGaussian() * 1e-12))
              .add(Dyadic.of(r.nextGaussian() * 1e-30));
      DoubleDouble d = DoubleDouble.of(ExactValue.of(v));
      BigDecimal exact = v.toBigDecimal();
      near(exact, d, exact, "of(ExactValue)");
      assertEquals(v.toDouble(), d.hi(), 0.0, "hi is the correctly rounded double");
    }
    long n = (1L << 62) + 12345;
    assertEquals(BigDecimal.valueOf(n), big(DoubleDouble.of(n)));
  }

  /**
   * The elimination's pivot search compares magnitudes on the pairs without building {@link
   * DoubleDouble#abs}: the order must be the same, signed zeros included, or pivots (and so the
   * solves' last bits) would differ.
   */
  @Test
  void magnitudeComparisonOnPairsMatchesAbsThenCompare() {
    Random r = new Random(5);
    double[] special = {0.0, -0.0, 1.0, -1.0, 0x1p-60, -0x1p-60, Double.MIN_VALUE};
    int checked = 0;
    for (int i = 0; i < 20_000; i++) {
      DoubleDouble a =
          i % 3 == 0 ? new DoubleDouble(special[r.nextInt(7)], special[r.nextInt(7)]) : random(r);
      DoubleDouble b =
          i % 4 == 0
              ? new DoubleDouble(special[r.nextInt(7)], special[r.nextInt(7)])
              : i % 5 == 0 ? a.negate() : random(r);
      assertEquals(
          a.abs().compareTo(b.abs()),
          DoubleDouble.compareMagnitudes(a.hi(), a.lo(), b.hi(), b.lo()),
          a + " vs " + b);
      assertEquals(a.signum(), DoubleDouble.signum(a.hi(), a.lo()), a.toString());
      checked++;
    }
    assertEquals(20_000, checked);
  }
}
