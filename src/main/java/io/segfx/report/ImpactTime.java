package io.segfx.report;

import java.text.SimpleDateFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.TimeZone;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;

/**
 * How the causal-impact report shows time: as the numbers the input gave, or, when the time column
 * held dates or timestamps, as dates. The job reads dates as days since 1970-01-01 UTC (one day is
 * one unit, a timestamp a fraction of a day), so {@code impact_pointwise.time} and {@code
 * impact_summary.intervention_time} hold those days; here they become UTC dates again.
 */
public enum ImpactTime {
  /** Plain numbers, shown as given. */
  NUMBERS,
  /** Days since 1970-01-01 UTC, shown as UTC dates (with the time of day where it is not 0). */
  DATES;

  private static final double MILLIS_PER_DAY = 86_400_000.0;

  /** 2^53: every integer below it in magnitude is a double exactly. */
  private static final double MAX_EXACT = 9007199254740992.0;

  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** A time on the chart's domain axis: the number itself, or epoch milliseconds for a date. */
  public double x(double t) {
    return this == DATES ? t * MILLIS_PER_DAY : t;
  }

  /**
   * A time in text: an integer as an integer (time 82 is "82", 20240101 is "20240101", without
   * grouping), another number as the report prints numbers, or the UTC date (and time).
   */
  public String format(double t) {
    if (this == NUMBERS && t == Math.rint(t) && Math.abs(t) < MAX_EXACT) {
      return Long.toString((long) t);
    }
    if (this == NUMBERS || !Double.isFinite(t)) {
      return DecisionMemo.number(t);
    }
    Instant i = Instant.ofEpochMilli(Math.round(t * MILLIS_PER_DAY));
    return t == Math.floor(t) ? DAY.format(i) : MINUTE.format(i) + " UTC";
  }

  /**
   * The shared domain axis of the panels over times {@code [lo, hi]}: a number axis, or a UTC date
   * axis whose labels are ISO dates (with hours and minutes when the series spans under three days,
   * where day labels would repeat).
   */
  ValueAxis axis(double lo, double hi) {
    if (this == NUMBERS) {
      NumberAxis a = new NumberAxis("time");
      a.setAutoRangeIncludesZero(false);
      return a;
    }
    DateAxis a = new DateAxis("date (UTC)", UTC, Locale.ROOT);
    SimpleDateFormat f =
        new SimpleDateFormat(hi - lo >= 3 ? "yyyy-MM-dd" : "MM-dd HH:mm", Locale.ROOT);
    f.setTimeZone(UTC);
    a.setDateFormatOverride(f);
    return a;
  }
}
