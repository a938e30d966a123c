package io.segfx.spark;

import io.segfx.util.DecimalText;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Time values of the causal-impact job: plain numbers, used as given, or ISO dates and timestamps,
 * read as days since 1970-01-01 UTC so that one day is one unit whichever form a row uses:
 *
 * <pre>
 *   date d:       days = epochDay(d)                      (2026-01-05 → 20458)
 *   timestamp ts: days = epochMicros(ts) / 86 400 000 000  (2026-01-05T12:00:00 → 20458.5)
 * </pre>
 *
 * A timestamp without a zone or offset is read as UTC (so the reading never depends on the
 * machine's time zone); one with {@code Z} or an offset such as {@code +01:00} is converted to UTC.
 * Spark's date and timestamp columns go through the same formulas ({@code unix_date}, {@code
 * unix_micros}), so a date column and a {@code --intervention-time} date always agree.
 */
public final class TimeValues {
  /** One day in microseconds: the divisor of the timestamp formula. */
  public static final double MICROS_PER_DAY = 86_400_000_000.0;

  /** The unit of calendar times, as the manifest and the help text name it. */
  public static final String CALENDAR_UNIT = "days since 1970-01-01 UTC";

  /** How a time column or option reads. */
  public enum Kind {
    NUMBER("numbers"),
    CALENDAR("dates or timestamps");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The kind in a message, e.g. "dates or timestamps". */
    public String label() {
      return label;
    }
  }

  /** A time read from text or a table value. */
  public record Time(Kind kind, double value) {}

  private TimeValues() {}

  /**
   * Days since 1970-01-01 UTC of an ISO date ({@code 2026-01-05}) or timestamp ({@code
   * 2026-01-05T10:00:00}, {@code 2026-01-05 10:00:00}, with optional fraction and optional {@code
   * Z} or offset); null for any other text, numbers included.
   */
  public static Double days(String text) {
    if (text == null) {
      return null;
    }
    String s = text.trim();
    if (s.length() < 10 || !Character.isDigit(s.charAt(0))) {
      return null;
    }
    try {
      if (s.length() == 10) {
        return (double) LocalDate.parse(s).toEpochDay();
      }
      if (s.charAt(10) == ' ') {
        s = s.substring(0, 10) + 'T' + s.substring(11);
      }
      Instant i;
      try {
        i = LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
      } catch (DateTimeException e) {
        i = OffsetDateTime.parse(s).toInstant();
      }
      return days(i);
    } catch (DateTimeException | ArithmeticException e) {
      return null;
    }
  }

  /** Days since 1970-01-01 UTC of an instant, by the timestamp formula above. */
  public static double days(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000)
        / MICROS_PER_DAY;
  }

  /**
   * A time given as text, such as {@code --intervention-time}: a finite number, else a date or
   * timestamp; null when it is neither.
   */
  public static Time parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      double v = DecimalText.parse(text.trim());
      return Double.isFinite(v) ? new Time(Kind.NUMBER, v) : null;
    } catch (NumberFormatException e) {
      Double d = days(text);
      return d == null ? null : new Time(Kind.CALENDAR, d);
    }
  }

  /**
   * A time from a collected table value (Spark's Java types: numbers, {@code java.sql.Date}, {@code
   * java.sql.Timestamp}, {@code LocalDateTime} for timestamps without a zone, text); null when it
   * is none of them.
   */
  public static Time of(Object value) {
    if (value instanceof Number n) {
      return Double.isFinite(n.doubleValue()) ? new Time(Kind.NUMBER, n.doubleValue()) : null;
    }
    if (value instanceof Date d) {
      return new Time(Kind.CALENDAR, d.toLocalDate().toEpochDay());
    }
    if (value instanceof LocalDate d) {
      return new Time(Kind.CALENDAR, d.toEpochDay());
    }
    if (value instanceof Timestamp t) {
      return new Time(Kind.CALENDAR, days(t.toInstant()));
    }
    if (value instanceof Instant i) {
      return new Time(Kind.CALENDAR, days(i));
    }
    if (value instanceof LocalDateTime t) {
      return new Time(Kind.CALENDAR, days(t.toInstant(ZoneOffset.UTC)));
    }
    return value instanceof String s ? parse(s) : null;
  }
}
