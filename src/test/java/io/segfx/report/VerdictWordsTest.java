package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Percentages and chances print as Formatter prints them, with their stated edge cases. */
class VerdictWordsTest {
  /**
   * percent() is Formatter's "%.1f" of 100x (two decimals below 1%), signed; chance() is "%.1f" of
   * 100p with a trailing ".0" dropped. Reference: String.format on 100,000 random values.
   */
  @Test
  void percentAndChanceMatchFormatter() {
    Random r = new Random(19);
    for (int i = 0; i < 100_000; i++) {
      double x = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(5) - 3);
      double pct = 100 * x;
      String ref = String.format(Locale.ROOT, Math.abs(pct) < 1 ? "%.2f%%" : "%.1f%%", pct);
      assertEquals((x > 0 ? "+" : "") + ref, VerdictWords.percent(x), "x = " + x);
      double p = 0.0005 + 0.9989 * r.nextDouble();
      String c = String.format(Locale.ROOT, "%.1f", 100 * p);
      assertEquals(
          (c.endsWith(".0") ? c.substring(0, c.length() - 2) : c) + "%",
          VerdictWords.chance(p),
          "p = " + p);
    }
  }

  @Test
  void edges() {
    assertEquals("n/a", VerdictWords.percent(Double.NaN));
    assertEquals("n/a", VerdictWords.chance(Double.NaN));
    assertEquals("less than 0.1%", VerdictWords.chance(0));
    assertEquals("more than 99.9%", VerdictWords.chance(1));
    assertEquals("more than 99.9%", VerdictWords.chance(1.0000000000000002));
    assertEquals("less than 0.1%", VerdictWords.chance(1e-6));
    assertEquals("more than 99.9%", VerdictWords.chance(1 - 1e-6));
    assertEquals("99%", VerdictWords.chance(1 - 0.010));
    assertEquals("+1,234%", VerdictWords.percent(12.34));
    assertEquals("[-0.60%, +7.1%]", VerdictWords.percentInterval(-0.006, 0.071));
    assertEquals("4.5 days", VerdictWords.days(4.5));
    assertEquals("1.0 day", VerdictWords.days(1.0));
    assertEquals("13 days", VerdictWords.days(12.2));
    assertEquals("A chance above 99.9%", VerdictWords.aChance(0.9999998));
    assertEquals("An 8% chance", VerdictWords.aChance(0.08));
    assertEquals("An 11.5% chance", VerdictWords.aChance(0.115));
    assertEquals("A 1% chance", VerdictWords.aChance(0.01));
  }
}
