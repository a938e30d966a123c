package io.segfx.report;

import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.Design;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.LearnedEffect;
import io.segfx.model.PoolingOutcome;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentPosterior;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Markdown decision memo for one (experiment, variant). It opens with the verdict's three-line
 * TL;DR (verdict, why, what next; worded by {@link VerdictWords}, as the report's banner is) and
 * the verdict's figures, then follows the structure of the seed notebook's section 13: decision,
 * design, estimand, prior, posterior result, segments, business value, sensitivity, data quality
 * and recommendation, one block per metric. Every number is printed from the run's tables with
 * {@link #number} (money and effects with their {@link Labels}), so memo and tables agree.
 */
public final class DecisionMemo {
  private DecisionMemo() {}

  /** Everything a memo reports for one metric of an (experiment, variant). */
  public record MetricBlock(
      DecisionMetrics decision,
      ExperimentPooling pooling,
      List<SegmentPosterior> segments,
      List<PriorSensitivity> sensitivity,
      List<BiasSensitivity> bias,
      LearnedEffect learned,
      double threshold) {}

  /**
   * Run-level facts for the data-quality section and the TL;DR.
   *
   * @param labels currency and metric units of the numbers
   * @param guardrailProb the probability at which a guardrail counts as broken
   */
  public record RunFacts(
      long rowsRead,
      long rowsRejected,
      double launchProbability,
      Design design,
      String warning,
      Labels labels,
      double guardrailProb) {}

  /** The number format of memos: 4 significant decimals for effects, as the notebook prints. */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Math.abs(v) >= 1000) {
      return grouped(v);
    }
    return fixed(v, 4);
  }

  /**
   * What {@code String.format(Locale.ROOT, "%,.0f", v)} prints, for |v| >= 1000, without Formatter
   * below 1e9 (money figures; Formatter costs microseconds each, and a wide run prints hundreds of
   * thousands). As in {@link #fixed}: Formatter rounds the shortest decimal of v half-up; below 1e9
   * that decimal is within half an ulp (6e-8) of v, so unless v's fraction lies within 1e-6 of one
   * half both round the same way; the near-ties, and |v| >= 1e9, go to Formatter.
   */
  static String grouped(double v) {
    double a = Math.abs(v);
    double floor = Math.floor(a);
    double frac = a - floor;
    if (!(a < 1e9) || Math.abs(frac - 0.5) < 1e-6) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    String d = Long.toString((long) floor + (frac > 0.5 ? 1 : 0));
    StringBuilder b = new StringBuilder(d.length() + 4);
    if (v < 0) {
      b.append('-');
    }
    int first = d.length() % 3 == 0 ? 3 : d.length() % 3;
    b.append(d, 0, first);
    for (int i = first; i < d.length(); i += 3) {
      b.append(',').append(d, i, i + 3);
    }
    return b.toString();
  }

  /** A probability as the notebook prints it (3 decimals). */
  public static String probability(double p) {
    return Double.isNaN(p) ? "n/a" : fixed(p, 3);
  }

  private static final double[] POWERS = {1, 10, 100, 1e3, 1e4};

  /**
   * What {@code String.format(Locale.ROOT, "%.<d>f", v)} prints, for finite |v| < 1000 and d <= 4,
   * without Formatter (memos and report pages print millions of numbers at scale). Formatter rounds
   * the shortest decimal of v (Double.toString's digits) half-up. v·10^d is within ~1e-9 of the
   * exact scaled value, and the shortest decimal within 1e-13 of it, so unless the scaled value's
   * fraction lies within 1e-6 of one half both round the same way and the nearest integer is the
   * answer; the rare near-ties go to BigDecimal.valueOf(v), which rounds those same shortest
   * digits.
   */
  static String fixed(double v, int decimals) {
    double scaled = Math.abs(v) * POWERS[decimals];
    double floor = Math.floor(scaled);
    double frac = scaled - floor;
    String digits;
    if (Math.abs(frac - 0.5) < 1e-6 || !(Math.abs(v) < 1000)) {
      digits =
          BigDecimal.valueOf(Math.abs(v)).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    } else {
      long units = (long) floor + (frac > 0.5 ? 1 : 0);
      StringBuilder b = new StringBuilder(12);
      b.append(units / (long) POWERS[decimals]).append('.');
      String f = Long.toString(units % (long) POWERS[decimals]);
      for (int i = f.length(); i < decimals; i++) {
        b.append('0');
      }
      digits = b.append(f).toString();
    }
    // Formatter keeps the sign of negative values that round to zero, and of -0.0.
    return v < 0 || 1 / v < 0 ? "-" + digits : digits;
  }

  /** An interval as memos and pages print it: {@code [lo, hi]}. */
  public static String interval(double lo, double hi) {
    return "[" + number(lo) + ", " + number(hi) + "]";
  }

  /**
   * The memo's Markdown text.
   *
   * @param verdict the (experiment, variant)'s verdict, or null where the run made none; with one,
   *     the memo opens with its TL;DR
   */
  public static String render(
      String experiment,
      String variant,
      ExperimentVerdict verdict,
      List<MetricBlock> blocks,
      RunFacts run) {
    StringBuilder b = new StringBuilder();
    b.append("# Decision memo: experiment `")
        .append(code(experiment))
        .append("`, variant `")
        .append(code(variant))
        .append("`\n\n");
    if (verdict != null) {
      boolean srm = false;
      for (MetricBlock m : blocks) {
        srm |= m.decision().srmFlag();
      }
      tldr(b, verdict, context(run, srm));
    }
    b.append("**Decision.** Whether to launch variant `")
        .append(code(variant))
        .append("` of experiment `")
        .append(code(experiment))
        .append("` to all eligible units.\n\n");
    design(b, run);
    b.append(
            "**Estimand.** The average effect of the variant against control per unit, weighting"
                + " segments by their units")
        .append(", on each metric below.\n\n");
    for (MetricBlock m : blocks) {
      metric(b, m, run);
    }
    return b.toString();
  }

  /**
   * One (experiment, variant)'s block of the combined digest {@code memos/all.md}: a heading, the
   * verdict with its reason and primary figures, and a line per metric (recommendation, effect with
   * its 95% interval, P(effect &gt; 0), expected profit). A full memo costs hundreds of
   * microseconds to write, too much for every experiment of a wide run; this costs a few.
   *
   * @param verdict the pair's verdict, or null where the run made none
   * @param memo the pair's memo file name beside the digest, or null when it has none
   */
  public static String digest(
      String experiment,
      String variant,
      ExperimentVerdict verdict,
      List<MetricBlock> blocks,
      Labels labels,
      String memo) {
    StringBuilder b = new StringBuilder(256 + 160 * blocks.size());
    b.append("## `")
        .append(code(experiment))
        .append("`, variant `")
        .append(code(variant))
        .append("`\n\n");
    if (verdict == null) {
      b.append("No verdict.");
    } else {
      b.append("**")
          .append(VerdictWords.name(verdict.verdict()))
          .append("** (`")
          .append(verdict.verdict().code())
          .append("`): ")
          .append(verdict.reason());
      if (!verdict.reason().endsWith(".")) {
        b.append('.');
      }
      b.append(" Primary `")
          .append(code(verdict.primaryMetric()))
          .append("`: relative effect ")
          .append(VerdictWords.percent(verdict.relativeEffectMean()));
      if (!Double.isNaN(verdict.relativeQ025()) || !Double.isNaN(verdict.relativeQ975())) {
        b.append(' ')
            .append(VerdictWords.percentInterval(verdict.relativeQ025(), verdict.relativeQ975()));
      }
      b.append(", expected profit ")
          .append(labels.money(verdict.expectedProfit()))
          .append(", P(profit > 0) ")
          .append(probability(verdict.probProfitPositive()))
          .append(", guardrails ")
          .append(verdict.guardrailStatus().code())
          .append('.');
    }
    if (memo != null) {
      b.append(" Memo: [").append(memo).append("](").append(memo).append(").");
    }
    b.append("\n\n");
    for (MetricBlock m : blocks) {
      DecisionMetrics d = m.decision();
      b.append("- `")
          .append(code(d.metric()))
          .append("`: ")
          .append(d.recommendation())
          .append("; effect ")
          .append(labels.amount(d.effectMean(), d.metric()))
          .append(' ')
          .append(interval(d.effectQ025(), d.effectQ975()))
          .append(", P(effect > 0) ")
          .append(probability(d.probPositive()))
          .append(", expected profit ")
          .append(labels.money(d.expectedProfit()))
          .append(d.srmFlag() ? "; sample-ratio mismatch" : "")
          .append('\n');
    }
    return b.toString();
  }

  private static VerdictWords.Context context(RunFacts run, boolean srm) {
    return new VerdictWords.Context(
        run.labels(), run.launchProbability(), run.guardrailProb(), srm, run.warning());
  }

  /**
   * The three-line TL;DR (verdict, why, what next) in the words of {@link VerdictWords}, then the
   * verdict's figures and the table's reason.
   */
  private static void tldr(StringBuilder b, ExperimentVerdict v, VerdictWords.Context ctx) {
    Labels l = ctx.labels();
    b.append("**TL;DR**\n\n");
    b.append("1. **Verdict: ")
        .append(VerdictWords.name(v.verdict()))
        .append("** (`")
        .append(v.verdict().code())
        .append("`).\n");
    b.append("2. **Why:** ").append(VerdictWords.why(v, ctx)).append('\n');
    b.append("3. **Next:** ").append(VerdictWords.next(v)).append("\n\n");
    b.append("**Verdict.** ").append(v.reason());
    if (!v.reason().endsWith(".")) {
      b.append('.');
    }
    b.append("\n\n- Primary metric `")
        .append(code(v.primaryMetric()))
        .append("`: effect ")
        .append(l.amount(v.effectMean(), v.primaryMetric()))
        .append(" per unit, 95% interval ")
        .append(interval(v.effectQ025(), v.effectQ975()));
    if (!Double.isNaN(v.relativeEffectMean())) {
      b.append("; relative to control ").append(VerdictWords.percent(v.relativeEffectMean()));
    }
    if (!Double.isNaN(v.relativeQ025()) || !Double.isNaN(v.relativeQ975())) {
      b.append(", 95% interval ")
          .append(VerdictWords.percentInterval(v.relativeQ025(), v.relativeQ975()));
    }
    b.append("; ")
        .append(VerdictWords.aChance(v.probEffectPositive()).toLowerCase(Locale.ROOT))
        .append(" that it is positive.\n");
    if (!Double.isNaN(v.probProfitPositive())) {
      b.append("- Profit of launching");
      if (v.valueMetric() != null && !v.valueMetric().equals(v.primaryMetric())) {
        b.append(" (valued on `").append(code(v.valueMetric())).append("`)");
      }
      b.append(": expected ")
          .append(l.money(v.expectedProfit()))
          .append(", 95% interval ")
          .append(l.money(v.profitQ025(), v.profitQ975()))
          .append("; ")
          .append(VerdictWords.aChance(v.probProfitPositive()).toLowerCase(Locale.ROOT))
          .append(" that it is positive. Expected loss if we launch ")
          .append(l.money(v.expectedLossLaunch()))
          .append(", if we wait ")
          .append(l.money(v.expectedLossWait()))
          .append(".\n");
    }
    b.append("- Guardrails: ").append(v.guardrailStatus().code());
    if (!v.guardrailsViolated().isEmpty()) {
      b.append(" (broken: ");
      for (int i = 0; i < v.guardrailsViolated().size(); i++) {
        b.append(i == 0 ? "`" : ", `").append(code(v.guardrailsViolated().get(i))).append('`');
      }
      b.append(')');
    }
    b.append(".\n\n");
  }

  private static void design(StringBuilder b, RunFacts run) {
    if (run.design() == Design.OBSERVATIONAL) {
      b.append(
              "**Design.** Observational data: treatment was not randomized, so the posterior is"
                  + " causal only ")
          .append(
              "if every confounder is adjusted for. Bayesian modelling does not fix unmeasured"
                  + " confounding ")
          .append("(seed notebook section 7); see the bias scenarios under Sensitivity.\n\n");
      if (run.warning() != null) {
        b.append("> **Warning:** ").append(run.warning()).append(".\n\n");
      }
    } else {
      b.append(
              "**Design.** A randomized experiment, so treatment assignment is ignorable by design;"
                  + " the ")
          .append(
              "posterior assumes no unmeasured confounding and trustworthy arm counts (see Data"
                  + " quality).\n\n");
    }
  }

  /** One metric's block: prior, posterior, segments, value, sensitivity, data quality, decision. */
  private static void metric(StringBuilder b, MetricBlock m, RunFacts run) {
    DecisionMetrics d = m.decision();
    b.append("## Metric `").append(code(d.metric())).append("`\n\n");
    b.append("**Prior.** ").append(d.prior().isEmpty() ? "n/a" : d.prior()).append(".\n\n");
    posterior(b, m, run.labels());
    segments(b, m);
    businessValue(b, d, run.labels());
    sensitivity(b, m);
    dataQuality(b, d, run);
    b.append("**Recommendation: ")
        .append(d.recommendation())
        .append(".** ")
        .append(explain(d, run))
        .append("\n\n");
  }

  private static void posterior(StringBuilder b, MetricBlock m, Labels l) {
    DecisionMetrics d = m.decision();
    b.append("**Posterior result.**\n\n");
    b.append("- Posterior mean effect: ").append(l.amount(d.effectMean(), d.metric())).append('\n');
    b.append("- 95% credible interval: ")
        .append(interval(d.effectQ025(), d.effectQ975()))
        .append('\n');
    b.append("- Probability the effect is positive: ")
        .append(probability(d.probPositive()))
        .append('\n');
    b.append("- Probability the effect exceeds the threshold: ")
        .append(probability(d.probAboveThreshold()))
        .append(" (threshold ")
        .append(l.amount(m.threshold(), d.metric()))
        .append(")\n");
    b.append("- Relative effect (mean): ").append(VerdictWords.percent(d.relativeEffectMean()));
    if (!Double.isNaN(d.relativeQ025()) || !Double.isNaN(d.relativeQ975())) {
      b.append(", 95% interval ")
          .append(VerdictWords.percentInterval(d.relativeQ025(), d.relativeQ975()));
    }
    b.append('\n');
    if (Double.isFinite(d.controlMean())) {
      b.append("- Control level (posterior mean): ")
          .append(l.amount(d.controlMean(), d.metric()))
          .append("; variant: ")
          .append(l.amount(d.controlMean() + d.effectMean(), d.metric()))
          .append('\n');
    }
    b.append(
        d.draws() == 0
            ? "- Computed in closed form (no Monte Carlo error)\n\n"
            : "- From " + d.draws() + " posterior draws\n\n");
  }

  private static void businessValue(StringBuilder b, DecisionMetrics d, Labels l) {
    b.append("**Business value.**\n\n");
    b.append("- Expected profit: ").append(l.money(d.expectedProfit())).append('\n');
    b.append("- Probability profit is positive: ")
        .append(probability(d.probProfitPositive()))
        .append('\n');
    b.append("- 95% interval for profit: ")
        .append(l.money(d.profitQ025(), d.profitQ975()))
        .append('\n');
    b.append("- Expected loss if we launch: ").append(l.money(d.expectedLossLaunch())).append('\n');
    b.append("- Expected loss if we wait: ").append(l.money(d.expectedLossWait())).append("\n\n");
  }

  private static void dataQuality(StringBuilder b, DecisionMetrics d, RunFacts run) {
    b.append("**Data quality.**\n\n");
    b.append("- Sample-ratio check: p = ")
        .append(probability(d.srmPValue()))
        .append(
            d.srmFlag()
                ? " — **mismatch: the arm counts do not match the design; do not trust the effect"
                    + " until explained**"
                : " (no mismatch flagged)")
        .append('\n');
    b.append("- Rows read in the run: ")
        .append(run.rowsRead())
        .append(", quarantined: ")
        .append(run.rowsRejected())
        .append("\n\n");
  }

  private static void segments(StringBuilder b, MetricBlock m) {
    ExperimentPooling p = m.pooling();
    b.append("**Segments.** ");
    if (p == null || p.method() == PoolingOutcome.NONE) {
      b.append(p == null ? "No segment estimates." : "Not pooled: " + p.note() + ".")
          .append("\n\n");
    } else {
      b.append(p.nSegments())
          .append(" usable segments, pooled by ")
          .append(p.method().code())
          .append(": overall effect mu = ")
          .append(number(p.mu()))
          .append(" (SE ")
          .append(number(p.muSe()))
          .append("), heterogeneity tau = ")
          .append(number(p.tau()))
          .append('.');
      if (!p.note().isEmpty()) {
        b.append(' ').append(p.note()).append('.');
      }
      b.append("\n\n");
    }
    SegmentPosterior most = null;
    for (SegmentPosterior s : m.segments()) {
      if (most == null || s.shrinkageWeight() < most.shrinkageWeight()) {
        most = s;
      }
    }
    if (most != null && p != null && p.method() != PoolingOutcome.NONE) {
      b.append("Largest shrinkage: segment `")
          .append(code(most.segment()))
          .append("` keeps weight ")
          .append(number(most.shrinkageWeight()))
          .append(" on its own estimate (pooled effect ")
          .append(number(most.postMean()))
          .append(").\n\n");
    }
  }

  private static void sensitivity(StringBuilder b, MetricBlock m) {
    b.append("**Sensitivity.**\n\n");
    priorGrid(b, m.sensitivity());
    Set<String> biasRecs = new HashSet<>();
    for (BiasSensitivity s : m.bias()) {
      biasRecs.add(s.result().recommendation());
      b.append("- Bias scenario `")
          .append(code(s.scenario()))
          .append("` (bias ~ N(")
          .append(number(s.biasMean()))
          .append(", ")
          .append(number(s.biasSd()))
          .append("^2)): adjusted");
      effect(b, s.result());
    }
    if (biasRecs.size() > 1) {
      b.append("- **The decision changes with the assumed confounding bias.**\n");
    }
    if (m.learned() != null) {
      DecisionMetrics l = m.learned().with();
      b.append("- Under the prior learned across experiments (").append(l.prior()).append("):");
      effect(b, l);
      if (!l.recommendation().equals(m.decision().recommendation())) {
        b.append(
            "- **The decision changes under the learned prior**: this experiment's result is"
                + " unusual next to the others.\n");
      }
    }
    b.append("- Rerun the decision if costs, values or the eligible population change.\n\n");
  }

  private static void priorGrid(StringBuilder b, List<PriorSensitivity> grid) {
    if (grid.isEmpty()) {
      b.append("- No prior grid was run for this metric.\n");
      return;
    }
    Set<String> recs = new HashSet<>();
    for (PriorSensitivity s : grid) {
      recs.add(s.result().recommendation());
      b.append("- Prior `")
          .append(code(s.prior()))
          .append("`: mean ")
          .append(number(s.result().effectMean()))
          .append(", P(effect > 0) ")
          .append(probability(s.result().probPositive()))
          .append(", recommendation ")
          .append(s.result().recommendation())
          .append('\n');
    }
    b.append(
        recs.size() > 1
            ? "- **The decision changes with the prior: the experiment is not decisive.**\n"
            : "- The decision does not change across the prior grid.\n");
  }

  /** The rest of a sensitivity line: mean, interval, P(effect > 0) and recommendation. */
  private static void effect(StringBuilder b, DecisionMetrics r) {
    b.append(" mean ")
        .append(number(r.effectMean()))
        .append(", 95% interval ")
        .append(interval(r.effectQ025(), r.effectQ975()))
        .append(", P(effect > 0) ")
        .append(probability(r.probPositive()))
        .append(", recommendation ")
        .append(r.recommendation())
        .append('\n');
  }

  /** The metric's own recommendation in plain words: the chance of profit against the bar. */
  private static String explain(DecisionMetrics d, RunFacts run) {
    double c = run.launchProbability();
    double p = d.probProfitPositive();
    return switch (d.recommendation()) {
      case "launch" ->
          "On this metric alone, a "
              + VerdictWords.chance(p)
              + " chance that launching makes money, at least the "
              + VerdictWords.chance(c)
              + " a launch needs; monitor the metric after launch.";
      case "do_not_launch" ->
          "On this metric alone, a "
              + VerdictWords.chance(1 - p)
              + " chance that launching loses money.";
      case "collect_more_data" ->
          "On this metric alone, a "
              + VerdictWords.chance(p)
              + " chance that launching makes money: below the "
              + VerdictWords.chance(c)
              + " a launch needs and above the "
              + VerdictWords.chance(1 - c)
              + " that would stop it, so the data do not decide; collect more data or make a"
              + " reversible, low-risk decision.";
      case "investigate_srm" ->
          "The sample-ratio check failed; find the cause before using this result.";
      default -> "No segment had a usable estimate.";
    };
  }

  /** Backticks would end a code span: shown as a single quote. */
  private static String code(String s) {
    return s == null ? "" : s.replace('`', '\'').replace('\n', ' ').replace('\r', ' ');
  }

  /** Characters a file name does not keep; compiled once, as safeNames runs once per id. */
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

  private static final Pattern LEADING_DOTS = Pattern.compile("^\\.+");

  /**
   * File names for ids: characters outside [A-Za-z0-9._-] become '_', leading dots are dropped,
   * names are cut to 100 characters, and collisions get -2, -3, ... in the order given.
   */
  public static List<String> safeNames(Collection<String> ids) {
    List<String> out = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (String id : ids) {
      String base = LEADING_DOTS.matcher(UNSAFE.matcher(id).replaceAll("_")).replaceAll("");
      if (base.isEmpty()) {
        base = "_";
      }
      if (base.length() > 100) {
        base = base.substring(0, 100);
      }
      String name = base;
      for (int i = 2; !used.add(name.toLowerCase(Locale.ROOT)); i++) {
        name = base + "-" + i;
      }
      out.add(name);
    }
    return out;
  }
}
