package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.model.Design;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.GuardrailStatus;
import io.segfx.model.Verdict;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The memo opens with a three-line TL;DR that agrees with the verdict table: it names the verdict
 * and restates, in plain words, the number the table's reason names.
 */
class DecisionMemoTldrTest {
  private static final Pattern PROFIT = Pattern.compile("P\\(profit > 0\\) = ([0-9.]+)");
  private static final DecisionMemo.RunFacts RUN =
      new DecisionMemo.RunFacts(
          100, 0, 0.95, Design.RANDOMIZED, null, new Labels("USD", Map.of("revenue", "USD")), 0.95);

  private static List<String> tldr(String memo) {
    int start = memo.indexOf("**TL;DR**\n\n");
    assertTrue(start > 0, memo);
    String[] lines = memo.substring(start + "**TL;DR**\n\n".length()).split("\n", 4);
    assertTrue(lines[3].startsWith("\n"), "exactly three lines, then a blank line: " + memo);
    return List.of(lines[0], lines[1], lines[2]);
  }

  /** A chance as the memo words it, to the whole percent for these fixtures' numbers. */
  private static String percent(double p) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * p);
  }

  @Test
  void tldrNamesTheVerdictAndTheReasonsNumber() {
    for (Verdict kind : Verdict.values()) {
      String reason = VerdictFixtures.reason(kind);
      ExperimentVerdict v = VerdictFixtures.verdict("exp-1", "1", kind, reason);
      String memo = DecisionMemo.render("exp-1", "1", v, List.of(), RUN);
      List<String> t = tldr(memo);
      assertEquals(
          "1. **Verdict: " + kind.code().replace('_', ' ') + "** (`" + kind.code() + "`).",
          t.get(0));
      assertTrue(t.get(1).startsWith("2. **Why:** "), t.get(1));
      assertTrue(t.get(2).startsWith("3. **Next:** "), t.get(2));
      Matcher m = PROFIT.matcher(reason);
      String why = t.get(1);
      switch (kind) {
        case LAUNCH -> {
          assertTrue(m.find());
          double p = Double.parseDouble(m.group(1));
          assertTrue(why.contains("A " + percent(p) + " chance that launching makes money"), why);
          assertTrue(why.contains("expected profit 47,000 USD"), "money carries its currency");
          assertTrue(t.get(2).contains("Launch the variant"), t.get(2));
        }
        case DO_NOT_LAUNCH -> {
          // The example: P(profit > 0) = 0.010 reads as a 99% chance of losing money.
          assertTrue(m.find());
          double p = Double.parseDouble(m.group(1));
          assertEquals("99%", percent(1 - p));
          assertTrue(why.contains("A 99% chance that launching loses money"), why);
        }
        case COLLECT_MORE_DATA -> {
          assertTrue(m.find());
          double p = Double.parseDouble(m.group(1));
          assertTrue(why.contains("Only a " + percent(p) + " chance"), why);
          assertTrue(why.contains("needs 95%"), "the launch bar in %: " + why);
          // 12,345.4 more units per arm round up to whole units; 4.5 days at --units-per-day.
          assertTrue(t.get(2).contains("about 12,346 more units per arm"), t.get(2));
          assertTrue(t.get(2).contains("about 4.5 days"), t.get(2));
        }
        case INVESTIGATE -> {
          assertTrue(why.contains(VerdictFixtures.GUARDRAIL), "names the broken guardrail: " + why);
          assertTrue(why.contains("at least a 95% chance"), why);
        }
      }
      assertTrue(memo.contains("**Verdict.** " + reason + "."), "the table's reason follows");
      assertTrue(memo.indexOf("**TL;DR**") < memo.indexOf("**Decision.**"), "TL;DR opens");
    }
  }

  @Test
  void collectMoreDataWithoutDaysSaysUnitsOnly() {
    ExperimentVerdict base =
        VerdictFixtures.verdict("e", "1", Verdict.COLLECT_MORE_DATA, "P(profit > 0) = 0.620");
    ExperimentVerdict v = withUnits(base, 800, Double.NaN);
    String next = VerdictWords.next(v);
    assertEquals(
        "Keep the experiment running for about 800 more units per arm, after which the rule is"
            + " expected to decide.",
        next);
    assertTrue(
        VerdictWords.next(withUnits(base, Double.NaN, Double.NaN)).contains("cannot yet tell"));
  }

  /**
   * The rule's other collect-more-data case: profitable enough to launch, but an uncertain
   * guardrail holds it back (units 0: the guardrail, not profit, is waited for).
   */
  @Test
  void collectMoreDataHeldBackByAGuardrailSaysSo() {
    ExperimentVerdict base =
        VerdictFixtures.verdict(
            "e",
            "1",
            Verdict.COLLECT_MORE_DATA,
            "P(profit > 0) = 0.958 >= 0.950, but guardrail converted>=-1% is uncertain");
    ExperimentVerdict held =
        new ExperimentVerdict(
            "e",
            "1",
            Verdict.COLLECT_MORE_DATA,
            base.reason(),
            "revenue",
            "oec",
            0.25,
            -0.05,
            0.55,
            0.03,
            Double.NaN,
            Double.NaN,
            0.9,
            1000,
            -10,
            2000,
            0.958,
            1,
            2,
            GuardrailStatus.UNCERTAIN,
            List.of(),
            0,
            0);
    String memo = DecisionMemo.render("e", "1", held, List.of(), RUN);
    List<String> t = tldr(memo);
    assertTrue(t.get(1).contains("A 95.8% chance that launching makes money"), t.get(1));
    assertTrue(t.get(1).contains("a guardrail is not yet shown to hold with the 95% chance"));
    assertTrue(t.get(2).contains("until the uncertain guardrail is clearly held or broken"));
  }

  /** No usable estimate: no number to read, so the TL;DR gives the table's reason. */
  @Test
  void noEstimateGivesTheReason() {
    double nan = Double.NaN;
    ExperimentVerdict v =
        new ExperimentVerdict(
            "e",
            "1",
            Verdict.COLLECT_MORE_DATA,
            "no usable estimate of oec yet",
            "revenue",
            "oec",
            nan,
            nan,
            nan,
            nan,
            nan,
            nan,
            nan,
            nan,
            nan,
            nan,
            nan,
            nan,
            nan,
            GuardrailStatus.NONE,
            List.of(),
            nan,
            nan);
    List<String> t = tldr(DecisionMemo.render("e", "1", v, List.of(), RUN));
    assertEquals("2. **Why:** No usable estimate of oec yet.", t.get(1));
    assertTrue(t.get(2).contains("cannot yet tell"), t.get(2));
  }

  /**
   * Without decision analysis the rule reads P(effect &gt; 0) of the primary metric (reason "P(m
   * effect &gt; 0) = ..."), and the TL;DR words that number; no money is mentioned.
   */
  @Test
  void withoutDecisionAnalysisTheTldrWordsTheEffectChance() {
    double nan = Double.NaN;
    String reason = "P(revenue effect > 0) = 0.970 >= 0.950; no guardrails are set";
    ExperimentVerdict v =
        new ExperimentVerdict(
            "e",
            "1",
            Verdict.LAUNCH,
            reason,
            "revenue",
            "revenue",
            0.25,
            0.01,
            0.5,
            nan,
            nan,
            nan,
            0.97,
            nan,
            nan,
            nan,
            nan,
            nan,
            nan,
            GuardrailStatus.NONE,
            List.of(),
            0,
            nan);
    Matcher m = Pattern.compile("P\\(revenue effect > 0\\) = ([0-9.]+)").matcher(reason);
    assertTrue(m.find());
    String memo = DecisionMemo.render("e", "1", v, List.of(), RUN);
    List<String> t = tldr(memo);
    assertEquals(
        "2. **Why:** A "
            + percent(Double.parseDouble(m.group(1)))
            + " chance that revenue goes up; no guardrail was set.",
        t.get(1));
    assertTrue(!memo.contains("Profit of launching"), "no profit line without economics");
  }

  /**
   * A hostile experiment id or variant stays inside the memo's code spans: the TL;DR names no id
   * from the data, and a backtick cannot end a span early.
   */
  @Test
  void hostileIdsStayInCodeSpans() {
    String evil = "<img src=x onerror=alert(1)>`";
    for (Verdict kind : Verdict.values()) {
      ExperimentVerdict v = VerdictFixtures.verdict(evil, evil, kind, VerdictFixtures.reason(kind));
      String memo = DecisionMemo.render(evil, evil, v, List.of(), RUN);
      for (String line : tldr(memo)) {
        assertTrue(!line.contains("<img"), line);
      }
      assertTrue(
          memo.startsWith(
              "# Decision memo: experiment `<img src=x onerror=alert(1)>'`, variant `<img src=x"
                  + " onerror=alert(1)>'`\n"),
          memo);
    }
  }

  @Test
  void withoutAVerdictTheMemoHasNoTldr() {
    String memo = DecisionMemo.render("e", "1", null, List.of(), RUN);
    assertTrue(!memo.contains("TL;DR"), memo);
  }

  private static ExperimentVerdict withUnits(ExperimentVerdict b, double units, double days) {
    return new ExperimentVerdict(
        b.experimentId(),
        b.variant(),
        b.verdict(),
        b.reason(),
        b.primaryMetric(),
        b.valueMetric(),
        b.effectMean(),
        b.effectQ025(),
        b.effectQ975(),
        b.relativeEffectMean(),
        b.relativeQ025(),
        b.relativeQ975(),
        b.probEffectPositive(),
        b.expectedProfit(),
        b.profitQ025(),
        b.profitQ975(),
        b.probProfitPositive(),
        b.expectedLossLaunch(),
        b.expectedLossWait(),
        b.guardrailStatus(),
        b.guardrailsViolated(),
        units,
        days);
  }
}
