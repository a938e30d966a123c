package io.segfx.model;

import io.segfx.util.DecimalText;
import java.util.Locale;
import java.util.Set;

/**
 * The canonical text of an arm value, so that one arm reads as one label however a tool wrote it: a
 * pandas float column writes control as {@code 0.0}, a boolean column as {@code False}, and a
 * hand-made file as {@code " 0"}. The rules, applied to the value with surrounding spaces removed:
 *
 * <ol>
 *   <li>{@link #NULL_WORDS} (any case) and the empty string are a missing arm (null), never an arm
 *       named "NaN" or "NULL";
 *   <li>{@code true}/{@code false} (any case) read as {@code 1}/{@code 0}, so a boolean arm's
 *       control is {@code false} under the default {@code --control-arm 0};
 *   <li>a decimal number whose value is an integer of magnitude below 2^53 reads as that integer:
 *       {@code 1.0}, {@code +1}, {@code 01} and {@code 1e0} read as {@code 1}, {@code -0.0} as
 *       {@code 0}, R's {@code 1e+05} as {@code 100000};
 *   <li>anything else is kept as written.
 * </ol>
 *
 * <p>The number rule is a regular expression and a parse to double shared with the Spark projection
 * of the row path ({@code ValidationStage}), so both scans read the same labels.
 */
public final class ArmLabel {
  /** Words that mean "no value" in the exports of pandas, R, SQL and spreadsheets. */
  public static final Set<String> NULL_WORDS =
      Set.of("", "nan", "null", "none", "na", "<na>", "nat", "n/a");

  /** A decimal number, optionally signed, with an optional exponent. */
  public static final String NUMBER = "^" + DecimalText.DECIMAL + "\\z";

  /** 2^53: below it a double holds every integer, so a parsed integer is the one written. */
  public static final double MAX_INTEGER = 9007199254740992.0;

  private ArmLabel() {}

  /** The canonical label of {@code raw}, or null for a missing arm. */
  public static String canonical(String raw) {
    if (raw == null) {
      return null;
    }
    String t = trimSpaces(raw);
    String lower = t.toLowerCase(Locale.ROOT);
    if (NULL_WORDS.contains(lower)) {
      return null;
    }
    if (lower.equals("true")) {
      return "1";
    }
    if (lower.equals("false")) {
      return "0";
    }
    if (t.matches(NUMBER)) {
      double x = Double.parseDouble(t);
      if (x == Math.floor(x) && Math.abs(x) < MAX_INTEGER) {
        return Long.toString((long) x);
      }
    }
    return t;
  }

  /** Removes leading and trailing U+0020 only, as Spark SQL's {@code trim}. */
  static String trimSpaces(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && s.charAt(a) == ' ') {
      a++;
    }
    while (b > a && s.charAt(b - 1) == ' ') {
      b--;
    }
    return s.substring(a, b);
  }
}
