package io.segfx.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The number grammar against its definition: decimals parse to the double nearest their exact value
 * (checked through {@link BigDecimal}, an independent decimal parser), the three words give the
 * non-finite values, and Java's literal forms are refused.
 */
class DecimalTextTest {
  @Test
  void decimalsParseToTheNearestDouble() {
    String[] texts = {
      "12", "-0.5", "+.5", "5.", "1e-3", "2.5E+10", " 7 ", "\t3\r", "007", "-0", "1e-320", "1e308"
    };
    for (String t : texts) {
      assertTrue(DecimalText.isNumber(t), t);
      double expected = new BigDecimal(t.trim().replaceFirst("^\\+", "")).doubleValue();
      assertEquals(expected, DecimalText.parse(t), 0.0, t);
    }
    assertEquals(Double.POSITIVE_INFINITY, DecimalText.parse("1e400"));
  }

  @Test
  void wordsAreTheNonFiniteValues() {
    assertTrue(Double.isNaN(DecimalText.parse("NaN")));
    assertTrue(Double.isNaN(DecimalText.parse("nan")));
    assertEquals(Double.POSITIVE_INFINITY, DecimalText.parse("Infinity"));
    assertEquals(Double.POSITIVE_INFINITY, DecimalText.parse("+inf"));
    assertEquals(Double.NEGATIVE_INFINITY, DecimalText.parse("-INF"));
    assertEquals(Double.NEGATIVE_INFINITY, DecimalText.parse(" -infinity "));
  }

  @Test
  void javaLiteralsAndOtherTextAreNotNumbers() {
    String[] texts = {
      "7.7d", "1.5f", "2D", "0x1p3", "0X10", "1,5", "1_000", "", " ", "abc", "1e", "e5", ".", "+-1",
      "1.2.3", "-nan", "\\N", "١٢", null
    };
    for (String t : texts) {
      assertFalse(DecimalText.isNumber(t), String.valueOf(t));
      assertThrows(NumberFormatException.class, () -> DecimalText.parse(t), String.valueOf(t));
    }
  }

  @Test
  void wholeNumbersAreAsciiDigits() {
    assertEquals(500, DecimalText.parseInt(" 500 "));
    assertEquals(-3, DecimalText.parseInt("-3"));
    assertEquals(10L, DecimalText.parseLong("010"));
    for (String t : new String[] {"５００", "٥٠٠", "1e3", "1.0", "", "0x10", "1_0", "+", null}) {
      assertThrows(NumberFormatException.class, () -> DecimalText.parseInt(t), String.valueOf(t));
      assertThrows(NumberFormatException.class, () -> DecimalText.parseLong(t), String.valueOf(t));
    }
    // Integer.parseInt, which this replaces, reads other scripts' digits.
    assertEquals(500, Integer.parseInt("٥٠٠"));
  }
}
