package io.segfx.io;

/**
 * Makes text from the input safe to print on a terminal or embed in a memo or HTML page. Ids and
 * labels come from user files: an ANSI escape sequence in an id could rewrite the operator's
 * screen, and a NUL byte truncates the text in many viewers. Control characters (C0 except tab, DEL
 * and C1) are replaced by {@code U+FFFD} so that the text stays visibly different from a clean one
 * instead of silently colliding with it.
 */
public final class SafeText {
  /** What a removed control character becomes. */
  public static final char REPLACEMENT = '\uFFFD';

  private SafeText() {}

  /** {@code text} with every control character other than tab replaced; null stays null. */
  public static String clean(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isControl(c)) {
        if (b == null) {
          b = new StringBuilder(text.length());
          b.append(text, 0, i);
        }
        b.append(REPLACEMENT);
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? text : b.toString();
  }

  /** Like {@link #clean} but keeps line breaks, for multi-line documents such as memos. */
  public static String cleanDocument(String text) {
    if (text == null) {
      return null;
    }
    // Pages and memos are mostly clean: scan first, copy only from the first character replaced.
    int i = 0;
    while (i < text.length() && !replacedInDocument(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder b = new StringBuilder(text.length());
    b.append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      b.append(replacedInDocument(c) ? REPLACEMENT : c);
    }
    return b.toString();
  }

  private static boolean replacedInDocument(char c) {
    return c != '\n' && isControl(c);
  }

  private static boolean isControl(char c) {
    return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
  }
}
