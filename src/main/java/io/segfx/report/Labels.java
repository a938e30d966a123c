package io.segfx.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels of numbers in the report and memos ({@code --currency}, {@code --metric-unit}): they
 * change how numbers read, never their values.
 *
 * @param currency the label of money, or null for none
 * @param metricUnits the label of each metric's unit; a metric without one prints bare numbers
 */
public record Labels(String currency, Map<String, String> metricUnits) {

  /** No labels: bare numbers. */
  public static final Labels NONE = new Labels(null, Map.of());

  public Labels {
    metricUnits = Collections.unmodifiableMap(new LinkedHashMap<>(metricUnits));
  }

  /**
   * An amount of money as the tables print it ({@link DecisionMemo#number}), then the currency;
   * {@code n/a} for NaN.
   */
  public String money(double v) {
    String n = DecisionMemo.number(v);
    return currency == null || Double.isNaN(v) ? n : n + " " + currency;
  }

  /** An interval of money, {@code [lo, hi] USD}. */
  public String money(double lo, double hi) {
    String n = DecisionMemo.interval(lo, hi);
    return currency == null ? n : n + " " + currency;
  }

  /** The unit label of {@code metric}, or null. */
  public String unit(String metric) {
    return metricUnits.get(metric);
  }

  /** An effect or level of {@code metric} ({@link DecisionMemo#number}) with its unit, if any. */
  public String amount(double v, String metric) {
    String n = DecisionMemo.number(v);
    String unit = metricUnits.get(metric);
    return unit == null || Double.isNaN(v) ? n : n + " " + unit;
  }
}
