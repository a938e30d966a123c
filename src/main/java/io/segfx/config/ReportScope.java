package io.segfx.config;

import io.segfx.util.DecimalText;
import java.io.Serializable;

/**
 * Which experiments the HTML report charts ({@code --report}): {@code none} charts none, {@code
 * all} charts every experiment, {@code top:N} charts the N experiments of highest expected profit
 * plus every flagged one (sample-ratio mismatch, confounding warning, or a decision that changes
 * with the prior or the assumed bias). Charts are what costs time and space with thousands of
 * experiments.
 *
 * <p>In {@code segment-effects} the scope also decides which experiments get a page: the charted
 * ones and every flagged one ({@code none}: the flagged ones, without charts; {@code all}: every
 * experiment). The index lists every experiment, linking those with a page, so a run of 100,000
 * experiments writes a page only for what a reader is pointed to.
 *
 * @param charts false for {@code none}
 * @param top the number of experiments charted by expected profit; {@link Integer#MAX_VALUE} for
 *     {@code all}
 */
public record ReportScope(boolean charts, int top) implements Serializable {
  /** The default: the 50 experiments of highest expected profit plus every flagged one. */
  public static final String DEFAULT = "top:50";

  /** Parses {@code top:N}, {@code all} or {@code none}. */
  public static ReportScope parse(String text) {
    String t = text.trim();
    if (t.equals("none")) {
      return new ReportScope(false, 0);
    }
    if (t.equals("all")) {
      return new ReportScope(true, Integer.MAX_VALUE);
    }
    if (t.startsWith("top:")) {
      try {
        int n = DecimalText.parseInt(t.substring(4).trim());
        if (n >= 0) {
          return new ReportScope(true, n);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new UsageException("--report '" + text + "' must be top:N (N >= 0), all or none");
  }

  @Override
  public String toString() {
    return !charts ? "none" : top == Integer.MAX_VALUE ? "all" : "top:" + top;
  }
}
