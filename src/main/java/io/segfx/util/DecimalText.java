package io.segfx.util;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one grammar of numbers written as text, in option values, settings and input cells: a decimal
 * with an optional sign and exponent ({@code 12}, {@code -0.5}, {@code .5}, {@code 5.}, {@code
 * 1e-3}), or one of the words {@code NaN}, {@code inf} and {@code infinity} (any case; the last two
 * optionally signed, as Spark reads them), between blanks (U+0000 to U+0020, as {@link
 * String#trim}).
 *
 * <p>{@link Double#parseDouble} alone would also take Java's literal forms, {@code 7.7d}, {@code
 * 1.5f} and the hexadecimal {@code 0x1p3}. No spreadsheet, database or person means those, and
 * reading {@code 7d} as 7 would be a silently different reading of a typo.
 */
public final class DecimalText {
  /** A decimal without blanks, in Java's regular-expression syntax. */
  public static final String DECIMAL = "[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?";

  /** The non-finite words. */
  public static final String WORDS = "(?i:[+-]?(inf|infinity)|nan)";

  private static final Pattern TEXT =
      Pattern.compile("[\\x00-\\x20]*(" + DECIMAL + "|" + WORDS + ")[\\x00-\\x20]*");

  /** A whole number: ASCII digits with an optional sign, as {@link #parseInt} reads them. */
  private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");

  private DecimalText() {}

  /**
   * The whole number {@code text} writes, between blanks, in ASCII digits: {@link Integer#parseInt}
   * alone would also read other scripts' digits ({@code ٣}, {@code ３}).
   *
   * @throws NumberFormatException when the text is not such a number or overflows an int
   */
  public static int parseInt(String text) {
    return Integer.parseInt(whole(text));
  }

  /** {@link #parseInt} for a long. */
  public static long parseLong(String text) {
    return Long.parseLong(whole(text));
  }

  private static String whole(String text) {
    String t = text == null ? "" : text.trim();
    if (!WHOLE.matcher(t).matches()) {
      throw new NumberFormatException("not a whole number: '" + text + "'");
    }
    return t;
  }

  /** Whether {@code text} is a number by this grammar. */
  public static boolean isNumber(String text) {
    return text != null && TEXT.matcher(text).matches();
  }

  /**
   * The number {@code text} writes, as the nearest double ({@code 1e400} is infinite).
   *
   * @throws NumberFormatException when the text is not a number by this grammar
   */
  public static double parse(String text) {
    if (!isNumber(text)) {
      throw new NumberFormatException("not a decimal number: '" + text + "'");
    }
    String t = text.trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    String word = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    if (word.equals("inf") || word.equals("infinity")) {
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.parseDouble(t);
  }
}
