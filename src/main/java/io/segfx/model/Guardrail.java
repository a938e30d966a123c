package io.segfx.model;

import io.segfx.util.Checks;
import io.segfx.util.DecimalText;
import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bound on a metric's treatment effect that a launch must not break ({@code --guardrail}): {@code
 * METRIC>=LIMIT} or {@code METRIC<=LIMIT}, in the metric's own units, or relative to the control
 * level with a {@code %} suffix ({@code converted>=-1%}: the relative effect is at least -0.01).
 *
 * @param metric the guarded metric
 * @param atLeast true for {@code >=} (the effect must stay at or above the limit), false for {@code
 *     <=}
 * @param limit the bound: in the metric's units, or as a fraction when {@code relative}
 * @param relative true when the bound is on the relative effect
 */
public record Guardrail(String metric, boolean atLeast, double limit, boolean relative)
    implements Serializable {

  private static final Pattern FORM =
      Pattern.compile("\\s*(.+?)\\s*(>=|<=)\\s*([-+]?[0-9.eE+-]+?)\\s*(%?)\\s*");

  /** Validates the metric name and the limit (finite; above -100% when relative). */
  public Guardrail {
    Objects.requireNonNull(metric, "metric");
    if (metric.isBlank()) {
      throw new IllegalArgumentException("guardrail has no metric name");
    }
    Checks.finite("guardrail limit", limit);
    if (relative && !(limit > -1)) {
      throw new IllegalArgumentException(
          "guardrail "
              + metric
              + ": a relative limit must be above -100%, got "
              + 100 * limit
              + "%");
    }
  }

  /**
   * Parses {@code METRIC>=LIMIT}, {@code METRIC<=LIMIT}, either with an optional {@code %}.
   *
   * @throws IllegalArgumentException naming the text and the accepted form
   */
  public static Guardrail parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "guardrail '"
              + text
              + "' is not METRIC>=LIMIT or METRIC<=LIMIT (a % suffix makes the limit relative),"
              + " e.g. converted>=-1%; quote it in a shell, where > redirects");
    }
    double limit;
    try {
      limit = DecimalText.parse(m.group(3));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "guardrail '" + text + "': limit '" + m.group(3) + "' is not a number", e);
    }
    boolean relative = !m.group(4).isEmpty();
    return new Guardrail(
        m.group(1), m.group(2).equals(">="), relative ? limit / 100 : limit, relative);
  }

  /**
   * P(the bound holds) from P(effect &gt; limit), the probability above the limit on the guarded
   * scale (absolute or relative); the effect's posterior is continuous, so {@code >=} and {@code >}
   * agree.
   */
  public double probHolds(double probAboveLimit) {
    return atLeast ? probAboveLimit : 1 - probAboveLimit;
  }

  /** The guardrail as written, e.g. {@code converted>=-1%}. */
  public String label() {
    String op = atLeast ? ">=" : "<=";
    return metric + op + (relative ? number(100 * limit) + "%" : number(limit));
  }

  private static String number(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }

  @Override
  public String toString() {
    return label();
  }
}
