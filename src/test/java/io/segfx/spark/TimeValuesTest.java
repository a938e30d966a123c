package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Date;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/**
 * Time text and values as days since 1970-01-01 UTC. References are java.time's own epoch day
 * (exact integers) and hand-computed fractions of a day, compared exactly: each is one correctly
 * rounded division of an exact microsecond count.
 */
class TimeValuesTest {
  private static final double DAY = LocalDate.parse("2026-01-05").toEpochDay();

  @Test
  void datesAndTimestampsInEverySpelling() {
    assertEquals(20458.0, DAY, 0.0);
    assertEquals(DAY, TimeValues.days("2026-01-05"), 0.0);
    assertEquals(DAY, TimeValues.days(" 2026-01-05T00:00:00 "), 0.0);
    assertEquals(DAY + 0.5, TimeValues.days("2026-01-05 12:00:00"), 0.0);
    assertEquals(DAY + 0.5, TimeValues.days("2026-01-05T12:00"), 0.0);
    assertEquals(DAY + 0.5, TimeValues.days("2026-01-05T12:00:00Z"), 0.0);
    assertEquals(DAY + 0.5, TimeValues.days("2026-01-05T13:00:00+01:00"), 0.0);
    assertEquals(
        (DAY * 86_400_000_000.0 + 36_000_250_000.0) / 86_400_000_000.0,
        TimeValues.days("2026-01-05T10:00:00.25"),
        0.0);
  }

  @Test
  void otherTextIsNotADate() {
    for (String s :
        new String[] {
          "82",
          "20260105",
          "2026",
          "2026-13-01",
          "2026-02-30",
          "05/01/2026",
          "soon",
          "",
          "2026-01-05X"
        }) {
      assertNull(TimeValues.days(s), s);
    }
  }

  @Test
  void optionTextIsANumberOrADate() {
    assertEquals(new TimeValues.Time(TimeValues.Kind.NUMBER, 82), TimeValues.parse("82"));
    assertEquals(new TimeValues.Time(TimeValues.Kind.NUMBER, -1.5), TimeValues.parse("-1.5"));
    assertEquals(
        new TimeValues.Time(TimeValues.Kind.CALENDAR, DAY), TimeValues.parse("2026-01-05"));
    assertNull(TimeValues.parse("NaN"));
    assertNull(TimeValues.parse("next week"));
    assertEquals(
        new TimeValues.Time(TimeValues.Kind.CALENDAR, DAY),
        TimeValues.of(Date.valueOf("2026-01-05")));
    assertEquals(
        new TimeValues.Time(TimeValues.Kind.CALENDAR, DAY + 0.25),
        TimeValues.of(LocalDateTime.parse("2026-01-05T06:00:00")));
    assertEquals(new TimeValues.Time(TimeValues.Kind.NUMBER, 3), TimeValues.of(3L));
  }
}
