package io.segfx.report;

import io.segfx.model.ExperimentVerdict;
import io.segfx.model.GuardrailStatus;
import io.segfx.model.Verdict;
import java.util.Locale;

/**
 * A verdict in plain words, shared by the memo's TL;DR and the report's verdict banner so both say
 * the same thing: the verdict's name, why (the deciding number as a chance in %, money with its
 * currency), and what happens next. The deciding numbers are those the verdict's {@code reason}
 * names, read from the same row.
 */
public final class VerdictWords {
  private VerdictWords() {}

  /**
   * What a verdict's explanation needs besides the row.
   *
   * @param labels currency and metric units
   * @param launchProbability the launch bar c: launch at P(profit &gt; 0) &ge; c, stop at &le; 1 −
   *     c
   * @param guardrailProb the probability at which a guardrail counts as broken
   * @param srm true when the experiment failed the sample-ratio check
   * @param warning the design's confounding warning, or null
   */
  public record Context(
      Labels labels, double launchProbability, double guardrailProb, boolean srm, String warning) {}

  /** A verdict as words: {@code collect_more_data} is "collect more data". */
  public static String name(Verdict v) {
    return v.code().replace('_', ' ');
  }

  /** A recommendation code as words: {@code investigate_srm} is "investigate srm". */
  public static String name(String code) {
    return code == null ? "" : code.replace('_', ' ');
  }

  /**
   * A fraction as a signed percentage, {@code +3.2%}: one decimal, two below 1%; {@code n/a} for
   * NaN.
   */
  public static String percent(double fraction) {
    if (Double.isNaN(fraction)) {
      return "n/a";
    }
    double pct = 100 * fraction;
    String digits =
        Math.abs(pct) >= 1000
            ? String.format(Locale.ROOT, "%,.0f", pct)
            : DecisionMemo.fixed(pct, Math.abs(pct) < 1 ? 2 : 1);
    return (fraction > 0 ? "+" : "") + digits + "%";
  }

  /** A relative interval, {@code [-1.0%, +7.5%]}. */
  public static String percentInterval(double lo, double hi) {
    return "[" + percent(lo) + ", " + percent(hi) + "]";
  }

  /**
   * A probability as a chance, {@code 97%}: to one decimal with a trailing {@code .0} dropped;
   * "less than 0.1%" and "more than 99.9%" instead of a 0% or 100% (rounded, or a posterior's
   * numerical 0 or 1) that no finite sample supports.
   */
  public static String chance(double p) {
    if (Double.isNaN(p)) {
      return "n/a";
    }
    if (p < 0.0005) {
      return "less than 0.1%";
    }
    if (p >= 0.9995) {
      return "more than 99.9%";
    }
    String s = DecisionMemo.fixed(100 * p, 1);
    return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "%";
  }

  /**
   * A chance with its article, for the start of a sentence: "A 97% chance", or "A chance above
   * 99.9%" where {@link #chance} would not print a number.
   */
  static String aChance(double p) {
    String c = chance(p);
    if (c.startsWith("more than ")) {
      return "A chance above " + c.substring("more than ".length());
    }
    if (c.startsWith("less than ")) {
      return "A chance below " + c.substring("less than ".length());
    }
    // "an 8%", "an 11%", "an 18%", "an 80%": the number is read with a leading vowel sound.
    return (c.startsWith("8") || c.startsWith("11") || c.startsWith("18") ? "An " : "A ")
        + c
        + " chance";
  }

  /**
   * Why the verdict, in one plain sentence naming the deciding number: the chance of profit (or,
   * without decision analysis, that the primary metric goes up) against the launch bar, or what
   * must be investigated. Where the rule had no number to read, the table's reason itself.
   */
  public static String why(ExperimentVerdict v, Context ctx) {
    Labels l = ctx.labels();
    double p = v.probProfitPositive();
    boolean money = !Double.isNaN(p);
    // Without decision analysis the rule reads the primary effect instead of profit.
    double prob = money ? p : v.probEffectPositive();
    if (v.verdict() == Verdict.INVESTIGATE) {
      return investigate(v, ctx);
    }
    if (Double.isNaN(prob)) {
      return sentence(v.reason());
    }
    String gain =
        money
            ? " that launching makes money (expected profit " + l.money(v.expectedProfit()) + ")"
            : " that "
                + v.primaryMetric()
                + " goes up"
                + (Double.isNaN(v.relativeEffectMean())
                    ? ""
                    : " (relative effect " + percent(v.relativeEffectMean()) + ")");
    double c = ctx.launchProbability();
    return switch (v.verdict()) {
      case LAUNCH -> aChance(prob) + gain + guardrails(v) + ".";
      case DO_NOT_LAUNCH ->
          aChance(1 - prob)
              + (money
                  ? " that launching loses money (expected profit "
                      + l.money(v.expectedProfit())
                      + ")."
                  : " that " + v.primaryMetric() + " does not go up.");
      case COLLECT_MORE_DATA ->
          prob >= c
              ? aChance(prob)
                  + gain
                  + ", enough to launch, but a guardrail is not yet shown to hold with the "
                  + chance(ctx.guardrailProb())
                  + " chance it needs."
              : "Only "
                  + aChance(prob).toLowerCase(Locale.ROOT)
                  + gain
                  + ": too unsure to launch (that needs "
                  + chance(c)
                  + ") or to stop (that needs "
                  + chance(1 - c)
                  + " or less).";
      case INVESTIGATE -> investigate(v, ctx);
    };
  }

  /** A reason as a sentence: capitalised, with a full stop. */
  private static String sentence(String reason) {
    if (reason.isEmpty()) {
      return reason;
    }
    String s = Character.toUpperCase(reason.charAt(0)) + reason.substring(1);
    return s.endsWith(".") ? s : s + ".";
  }

  private static String guardrails(ExperimentVerdict v) {
    return switch (v.guardrailStatus()) {
      case OK -> ", and every guardrail holds";
      case NONE -> "; no guardrail was set";
      case UNCERTAIN -> ", though a guardrail is neither clearly held nor broken";
      case VIOLATED -> ", though " + String.join(", ", v.guardrailsViolated()) + " is broken";
    };
  }

  private static String investigate(ExperimentVerdict v, Context ctx) {
    if (v.guardrailStatus() == GuardrailStatus.VIOLATED && !v.guardrailsViolated().isEmpty()) {
      boolean one = v.guardrailsViolated().size() == 1;
      return (one ? "The guardrail " : "The guardrails ")
          + String.join(", ", v.guardrailsViolated())
          + (one ? " is" : " are")
          + " broken with at least a "
          + chance(ctx.guardrailProb())
          + " chance"
          + (Double.isNaN(v.probProfitPositive())
              ? "."
              : "; launching has "
                  + aChance(v.probProfitPositive()).toLowerCase(Locale.ROOT)
                  + " of making money.");
    }
    if (ctx.srm()) {
      return "The arms' sizes do not match the planned split (the sample-ratio check failed), so"
          + " no effect from this experiment can be trusted yet.";
    }
    if (ctx.warning() != null) {
      return "The data are observational and may be confounded: " + ctx.warning() + ".";
    }
    return sentence(v.reason());
  }

  /**
   * What happens next: for {@code collect_more_data}, how many more units (and days) to decide. It
   * names no id from the data (the memo and banner around it do, each in its own escaping), so the
   * sentence is safe as Markdown and, escaped, as HTML.
   */
  public static String next(ExperimentVerdict v) {
    return switch (v.verdict()) {
      case LAUNCH ->
          "Launch the variant to all eligible units, and keep watching "
              + v.primaryMetric()
              + " after launch.";
      case DO_NOT_LAUNCH -> "Stop the experiment and keep the control experience.";
      case COLLECT_MORE_DATA -> moreData(v);
      case INVESTIGATE -> "Do not launch; find and fix the cause, then rerun the analysis.";
    };
  }

  private static String moreData(ExperimentVerdict v) {
    double units = v.unitsToDecide();
    if (!(units > 0) || Double.isInfinite(units)) {
      return v.guardrailStatus() == GuardrailStatus.UNCERTAIN && units == 0
          ? "Keep the experiment running until the uncertain guardrail is clearly held or broken."
          : "Keep the experiment running; the data cannot yet tell how much longer it needs.";
    }
    StringBuilder b =
        new StringBuilder("Keep the experiment running for about ")
            .append(String.format(Locale.ROOT, "%,d", (long) Math.ceil(units)))
            .append(" more units per arm");
    double days = v.daysToDecide();
    if (!Double.isNaN(days) && !Double.isInfinite(days)) {
      b.append(" (about ").append(days(days)).append(" at the current traffic)");
    }
    return b.append(", after which the rule is expected to decide.").toString();
  }

  /** Days as a reader counts them: one decimal below ten, whole days above. */
  static String days(double d) {
    if (d < 10) {
      String s = DecisionMemo.fixed(Math.max(d, 0.1), 1);
      return s + (s.equals("1.0") ? " day" : " days");
    }
    return String.format(Locale.ROOT, "%,.0f", Math.ceil(d)) + " days";
  }
}
