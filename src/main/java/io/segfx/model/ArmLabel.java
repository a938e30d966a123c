package io.segfx.model;

import java.util.Locale;
import java.util.Set;

/**
 * The canonical text of an arm value, so that one arm reads as one label however a tool wrote it:
 * a pandas float column writes control as {@code 0.0}, a boolean column as {@code False}, and a
 * hand-made file as {@code " 0"}. The rules, applied to the value with surrounding spaces removed:
 *
 * <ol>
 *   <li>{@link #NULL_WORDS} (any case) and the empty string are a missing arm (null), never an arm
 *       named "NaN" or "NULL";
 *   <li>{@code true}/{@code false} (any case) read as {@code 1}/{@code 0}, so a boolean arm's
 *       control is {@code false} under the default {@code --control-arm 0};
 *   <li>an integral decimal number loses its sign {@code +}, leading zeros and a zero fraction:
 *       {@code 1.0}, {@code +1} and {@code 01} read as {@code 1}, and {@code -0.0} as {@code 0};
 *   <li>anything else is kept as written.
 * </ol>
 *
 * <p>Each rule is a regular expression shared with the Spark projection of the row path ({@code
 * ValidationStage}), so both scans read the same labels.
 */
public final class ArmLabel {
  /** Words that mean "no value" in the exports of pandas, R, SQL and spreadsheets. */
  public static final Set<String> NULL_WORDS = Set.of("", "nan", "null", "none", "na", "<na>", "nat", "n/a");

  /** An integral decimal number: optional sign, digits, optional point and zeros. */
  public static final String INTEGRAL = "^[+-]?[0-9]+(\\.0*)?\\z";
  /** Removed from an integral number: the zero fraction. */
  public static final String FRACTION = "\\.0*\\z";
  /** Removed from an integral number: a leading plus. */
  public static final String PLUS = "^\\+";
  /** Leading zeros of an integral number, replaced by {@link #ZEROS_REPLACEMENT}. */
  public static final String ZEROS = "^(-?)0+([0-9])";
  /** Keeps the sign and the first significant digit. */
  public static final String ZEROS_REPLACEMENT = "$1$2";

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
    if (t.matches(INTEGRAL)) {
      String n = t.replaceAll(FRACTION, "").replaceAll(PLUS, "").replaceAll(ZEROS, ZEROS_REPLACEMENT);
      return n.equals("-0") ? "0" : n;
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
