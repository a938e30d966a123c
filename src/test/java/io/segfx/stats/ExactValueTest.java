package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ExactValue}'s arithmetic against {@link BigDecimal}'s, exactly (tolerance 0: both are
 * exact), and its rounding against BigDecimal's correctly rounded conversion and bit for bit
 * against {@link Dyadic#toDouble}, over random magnitudes of 0 to 700 bits, both signs, exponents
 * far apart (alignment shifts of hundreds of bits), halfway cases and runs of ones that carry.
 */
class ExactValueTest {
  private static final Random R = new Random(20261207);

  private static BigDecimal exact(ExactValue v) {
    return exact(v.toDyadic());
  }

  private static BigDecimal exact(Dyadic d) {
    return d.toBigDecimal();
  }

  /** A random mantissa: random bits, or a run of ones, or a halfway pattern above 53 bits. */
  private static BigInteger mantissa() {
    int bits = R.nextInt(8) == 0 ? R.nextInt(64) : R.nextInt(700);
    BigInteger m =
        switch (R.nextInt(4)) {
          case 0 -> BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE); // all ones
          case 1 -> // 53 significant bits, then a single 1 (a tie), then zeros
              new BigInteger(53, R).setBit(52).shiftLeft(1).setBit(0).shiftLeft(R.nextInt(200));
          default -> new BigInteger(bits, R);
        };
    return R.nextBoolean() ? m.negate() : m;
  }

  private static Dyadic dyadic() {
    return new Dyadic(mantissa(), R.nextInt(1200) - 800);
  }

  @Test
  void conversionsKeepTheValue() {
    for (int t = 0; t < 5_000; t++) {
      Dyadic d = dyadic();
      assertEquals(0, exact(d).compareTo(exact(ExactValue.of(d))), d::toString);
      double x = Double.longBitsToDouble(R.nextLong());
      if (Double.isFinite(x)) {
        assertEquals(0, new BigDecimal(x).compareTo(exact(ExactValue.of(x))), () -> "" + x);
      }
    }
    assertEquals(0, ExactValue.of(0.0).signum());
    assertEquals(0, ExactValue.of(-0.0).signum());
    assertEquals(0, ExactValue.of(Dyadic.ZERO).signum());
  }

  @Test
  void arithmeticIsExact() {
    for (int t = 0; t < 10_000; t++) {
      Dyadic a = dyadic();
      Dyadic b = R.nextInt(10) == 0 ? new Dyadic(a.m().negate(), a.e()) : dyadic();
      long k = R.nextInt(5) == 0 ? Long.MIN_VALUE + R.nextInt(3) : R.nextLong() >> R.nextInt(64);
      ExactValue x = ExactValue.of(a);
      ExactValue y = ExactValue.of(b);
      BigDecimal ea = exact(a);
      BigDecimal eb = exact(b);
      String why = a + " " + b + " " + k;
      assertEquals(0, ea.add(eb).compareTo(exact(x.add(y))), why);
      assertEquals(0, ea.subtract(eb).compareTo(exact(x.subtract(y))), why);
      assertEquals(0, ea.multiply(eb).compareTo(exact(x.multiply(y))), why);
      assertEquals(0, ea.multiply(BigDecimal.valueOf(k)).compareTo(exact(x.multiply(k))), why);
      assertEquals(0, ea.negate().compareTo(exact(x.negate())), why);
      assertEquals(ea.add(eb).signum(), x.add(y).signum(), why);
      // Results as operands (their digit arrays reach past their digits, zeros above), and zero.
      assertEquals(0, eb.compareTo(exact(x.add(y).subtract(x))), why);
      assertEquals(0, eb.negate().compareTo(exact(ExactValue.ZERO.subtract(y))), why);
      assertEquals(0, ea.compareTo(exact(x.subtract(ExactValue.ZERO))), why);
      assertEquals(
          0, ea.multiply(eb).subtract(ea).compareTo(exact(x.multiply(y).subtract(x))), why);
      assertEquals(0, ea.subtract(eb).add(eb).compareTo(exact(x.subtract(y).add(y))), why);
    }
  }

  @Test
  void roundsOnceToNearestEven() {
    for (int t = 0; t < 20_000; t++) {
      Dyadic d = new Dyadic(mantissa(), R.nextInt(1000) - 700);
      ExactValue v = ExactValue.of(d);
      double got = v.toDouble();
      // The same bits as the BigInteger path, in every range (overflow, subnormals included).
      assertEquals(
          Double.doubleToRawLongBits(d.toDouble()), Double.doubleToRawLongBits(got), d::toString);
      BigDecimal e = exact(d);
      double min = Double.MIN_NORMAL;
      if (e.signum() == 0 || e.abs().compareTo(new BigDecimal(min)) >= 0) {
        // Correctly rounded where the result is normal or infinite (BigDecimal parses the exact
        // decimal expansion and rounds it once).
        assertEquals(e.doubleValue(), got, 0.0, d::toString);
      }
    }
  }

  @Test
  void centredNumeratorsAgreeWithTheBigIntegerPath() {
    // Sums of data far from zero: n Q - S S' cancels most digits, the case the exact form is for.
    for (int t = 0; t < 200; t++) {
      ExactMoments m = new ExactMoments(3);
      double shift = R.nextBoolean() ? 1e9 : -3e-7;
      int rows = 1 + R.nextInt(400);
      for (int i = 0; i < rows; i++) {
        m.accept(
            new double[] {
              shift + R.nextGaussian(), R.nextGaussian() * 1e-5, R.nextInt(3) == 0 ? 1 : 0
            });
      }
      for (int i = 0; i < 3; i++) {
        for (int j = i; j < 3; j++) {
          Dyadic reference = m.centredNumeratorExact(i, j);
          ExactValue fast = m.centredNumeratorValue(i, j);
          assertEquals(0, exact(reference).compareTo(exact(fast)));
          assertEquals(reference.toDouble() / rows, m.centred(i, j), 0.0);
        }
        assertEquals(m.sumExact(i).toDouble(), m.sumDouble(i), 0.0);
        assertEquals(m.crossExact(i, i).toDouble(), m.crossDouble(i, i), 0.0);
      }
    }
  }
}
