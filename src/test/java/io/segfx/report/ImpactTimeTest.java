package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Times as the input had them: numbers as given, days since 1970-01-01 UTC as UTC dates. */
class ImpactTimeTest {
  @Test
  void daysSinceEpochPrintAsUtcDates() {
    double day = LocalDate.parse("2026-01-05").toEpochDay();
    assertEquals("2026-01-05", ImpactTime.DATES.format(day));
    assertEquals("2026-01-05 12:00 UTC", ImpactTime.DATES.format(day + 0.5));
    assertEquals("1970-01-01", ImpactTime.DATES.format(0));
    // One day is 86 400 000 ms on a date axis; numbers are drawn as they are.
    assertEquals(day * 86_400_000.0, ImpactTime.DATES.x(day), 0.0);
    assertEquals(82.0, ImpactTime.NUMBERS.x(82), 0.0);
  }

  /**
   * An integer time prints as the integer the input had, without decimals or grouping (a yyyymmdd
   * number stays readable); any other number as the report prints numbers.
   */
  @Test
  void integerTimesPrintAsIntegers() {
    assertEquals("82", ImpactTime.NUMBERS.format(82));
    assertEquals("-3", ImpactTime.NUMBERS.format(-3));
    assertEquals("0", ImpactTime.NUMBERS.format(-0.0));
    assertEquals("20240101", ImpactTime.NUMBERS.format(20240101));
    assertEquals("9007199254740991", ImpactTime.NUMBERS.format(9007199254740991.0));
    assertEquals("82.5000", ImpactTime.NUMBERS.format(82.5));
    assertEquals("n/a", ImpactTime.NUMBERS.format(Double.NaN));
  }
}
