package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.GroupKey;
import io.segfx.model.Guardrail;
import io.segfx.model.GuardrailStatus;
import io.segfx.model.LearnedEffect;
import io.segfx.model.RunSummary;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.VariantKey;
import io.segfx.model.Verdict;
import io.segfx.stats.DecisionFigures;
import io.segfx.stats.DecisionRule;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.ExperimentDraws.Economics;
import io.segfx.stats.ExperimentDraws.Thresholds;
import io.segfx.stats.PooledPosterior;
import io.segfx.stats.Seeds;
import io.segfx.stats.UnitsToDecide;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * On the driver after the decisions: one verdict per (experiment, variant), taken in this order.
 *
 * <ol>
 *   <li>{@code investigate} when the arm counts fail the sample-ratio check, when a guardrail is
 *       violated, or when the design is observational without a bias prior: no amount of data on
 *       the value metric settles those.
 *   <li>{@code collect_more_data} when the primary or the value metric has no usable estimate.
 *   <li>The launch rule on p = P(profit &gt; 0) of the value metric, at the launch probability c:
 *       {@code launch} when p &ge; c and every guardrail holds with at least the guardrail
 *       probability; {@code collect_more_data} when p &ge; c but a guardrail is uncertain; {@code
 *       do_not_launch} when p &le; 1 − c; {@code collect_more_data} otherwise.
 * </ol>
 *
 * Each guardrail's P(bound holds) comes from its metric's experiment-level posterior, computed as
 * the decision figures are (closed form, mixture or seeded draws) with the guardrail's limit as the
 * threshold. Units to decide come from {@link UnitsToDecide}.
 */
final class VerdictStage {
  private VerdictStage() {}

  static List<ExperimentVerdict> verdicts(
      JobSpec spec,
      List<PooledPosterior> groups,
      List<DecisionMetrics> decisions,
      List<SegmentEstimate> estimates) {
    Map<GroupKey, DecisionMetrics> rows = new HashMap<>();
    Map<String, TreeSet<String>> variants = new TreeMap<>();
    for (DecisionMetrics d : decisions) {
      rows.put(d.key(), d);
      variants.computeIfAbsent(d.experimentId(), e -> new TreeSet<>()).add(d.variant());
    }
    Map<GroupKey, PooledPosterior> posteriors = new HashMap<>();
    for (PooledPosterior g : groups) {
      posteriors.put(new GroupKey(g.experimentId(), g.metric(), g.variant()), g);
    }
    Map<GroupKey, long[]> units = unitsPerArm(estimates);
    Rules rules = new Rules(spec, rows, posteriors, units);
    List<VariantKey> keys = new ArrayList<>();
    for (Map.Entry<String, TreeSet<String>> e : variants.entrySet()) {
      for (String variant : e.getValue()) {
        keys.add(new VariantKey(e.getKey(), variant));
      }
    }
    // Each verdict reads the tables alone, so a wide run's hundred thousand are made on the
    // driver's cores; the ordered stream keeps the experiments' order. An experiment's arms are
    // its variants and the control.
    return new ArrayList<>(
        keys.parallelStream()
            .map(k -> rules.verdict(k, variants.get(k.experiment()).size() + 1))
            .toList());
  }

  /** Units of each arm per group, summed over its segments. */
  private static Map<GroupKey, long[]> unitsPerArm(List<SegmentEstimate> estimates) {
    Map<GroupKey, long[]> out = new HashMap<>();
    for (SegmentEstimate s : estimates) {
      if (s.variant() == null) {
        continue;
      }
      long[] n =
          out.computeIfAbsent(
              new GroupKey(s.experimentId(), s.metric(), s.variant()), k -> new long[2]);
      n[0] += s.nControl();
      n[1] += s.nTreatment();
    }
    return out;
  }

  /** The run summary of {@code verdicts}, with the learned prior's restatement where it ran. */
  static RunSummary summary(
      List<ExperimentVerdict> verdicts, List<LearnedEffect> learned, JobSpec spec) {
    Map<GroupKey, DecisionMetrics> restated = new HashMap<>();
    for (LearnedEffect l : learned) {
      restated.put(l.with().key(), l.with());
    }
    if (restated.isEmpty()) {
      return RunSummary.of(verdicts, null);
    }
    double[] p = new double[verdicts.size()];
    for (int i = 0; i < p.length; i++) {
      ExperimentVerdict v = verdicts.get(i);
      DecisionMetrics d =
          restated.get(new GroupKey(v.experimentId(), v.primaryMetric(), v.variant()));
      p[i] = d == null ? Double.NaN : d.probPositive();
    }
    return RunSummary.of(verdicts, p);
  }

  /**
   * The run's rule, with the tables it reads; it never changes them, so verdicts are made side by
   * side.
   */
  private static final class Rules {
    private final JobSpec spec;
    private final Map<GroupKey, DecisionMetrics> rows;
    private final Map<GroupKey, PooledPosterior> posteriors;
    private final Map<GroupKey, long[]> units;
    private final double c;
    private final boolean economics;

    /** The spec's primary and value metrics, found once (the spec derives them on each call). */
    private final String primary;

    private final String valueMetric;

    Rules(
        JobSpec spec,
        Map<GroupKey, DecisionMetrics> rows,
        Map<GroupKey, PooledPosterior> posteriors,
        Map<GroupKey, long[]> units) {
      this.spec = spec;
      this.rows = rows;
      this.posteriors = posteriors;
      this.units = units;
      this.c = spec.launchProbability();
      this.economics = spec.users() != null;
      this.primary = spec.primaryMetric();
      this.valueMetric = spec.valueMetric();
    }

    ExperimentVerdict verdict(VariantKey k, int arms) {
      DecisionMetrics p = usable(rows.get(key(k, primary)));
      DecisionMetrics r = usable(rows.get(key(k, valueMetric)));
      List<GuardrailCheck> checks = guardrails(k);
      GuardrailStatus status = overall(checks);
      List<String> violated = new ArrayList<>();
      for (GuardrailCheck g : checks) {
        if (g.status() == GuardrailStatus.VIOLATED) {
          violated.add(g.guardrail().label());
        }
      }
      Decision d = decide(k, p, r, checks);
      double days =
          spec.unitsPerDay() == null || !Double.isFinite(d.units())
              ? Double.NaN
              : d.units() * arms / spec.unitsPerDay();
      double nan = Double.NaN;
      return new ExperimentVerdict(
          k.experiment(),
          k.variant(),
          d.verdict(),
          d.reason(),
          primary,
          valueMetric,
          p == null ? nan : p.effectMean(),
          p == null ? nan : p.effectQ025(),
          p == null ? nan : p.effectQ975(),
          p == null ? nan : p.relativeEffectMean(),
          p == null ? nan : p.relativeQ025(),
          p == null ? nan : p.relativeQ975(),
          p == null ? nan : p.probPositive(),
          r == null || !economics ? nan : r.expectedProfit(),
          r == null || !economics ? nan : r.profitQ025(),
          r == null || !economics ? nan : r.profitQ975(),
          r == null || !economics ? nan : r.probProfitPositive(),
          r == null || !economics ? nan : r.expectedLossLaunch(),
          r == null || !economics ? nan : r.expectedLossWait(),
          status,
          violated,
          d.units(),
          days);
    }

    /** The verdict, its reason and units to decide, by the rule of the class comment. */
    private Decision decide(
        VariantKey k, DecisionMetrics p, DecisionMetrics r, List<GuardrailCheck> checks) {
      DecisionMetrics any = p != null ? p : r;
      if (any != null && any.srmFlag()) {
        return new Decision(
            Verdict.INVESTIGATE,
            "the arm counts fail the sample-ratio check (p = "
                + sci(any.srmPValue())
                + " < "
                + sci(spec.srmAlpha())
                + "), so the effect estimates cannot be trusted",
            Double.NaN);
      }
      for (GuardrailCheck g : checks) {
        if (g.status() == GuardrailStatus.VIOLATED) {
          return new Decision(
              Verdict.INVESTIGATE,
              "guardrail "
                  + g.guardrail().label()
                  + " is violated: P(bound broken)"
                  + is(1 - g.probHolds())
                  + ", at least "
                  + prob(spec.guardrailProb()),
              Double.NaN);
        }
      }
      if (spec.confoundingWarning() != null) {
        return new Decision(
            Verdict.INVESTIGATE,
            "the design is observational and no --bias-prior is given: the effect assumes no"
                + " unmeasured confounding",
            Double.NaN);
      }
      String metric = p == null ? primary : valueMetric;
      if (p == null || r == null) {
        return new Decision(
            Verdict.COLLECT_MORE_DATA,
            "no usable estimate of " + metric + " yet (no segment has both arms)",
            Double.NaN);
      }
      String what = economics ? "P(profit > 0)" : "P(" + valueMetric + " effect > 0)";
      double prob = r.probProfitPositive();
      double needed = unitsForProfit(k, r);
      if (prob >= c) {
        GuardrailCheck uncertain = firstUncertain(checks);
        if (uncertain == null) {
          return new Decision(
              Verdict.LAUNCH,
              what
                  + is(prob)
                  + ", at least "
                  + prob(c)
                  + (checks.isEmpty()
                      ? "; no guardrails are set"
                      : ", and no guardrail is at risk"),
              0);
        }
        return new Decision(
            Verdict.COLLECT_MORE_DATA,
            what
                + is(prob)
                + ", at least "
                + prob(c)
                + ", but guardrail "
                + uncertain.guardrail().label()
                + " is uncertain: P(bound holds)"
                + is(uncertain.probHolds())
                + ", below "
                + prob(spec.guardrailProb()),
            Math.max(needed, unitsForGuardrails(k, checks)));
      }
      if (prob <= 1 - c) {
        return new Decision(Verdict.DO_NOT_LAUNCH, what + is(prob) + ", at most " + prob(1 - c), 0);
      }
      return new Decision(
          Verdict.COLLECT_MORE_DATA,
          what + is(prob) + ", between " + prob(1 - c) + " and " + prob(c),
          Math.max(needed, unitsForGuardrails(k, checks)));
    }

    /** Units per arm until the profit rule decides. */
    private double unitsForProfit(VariantKey k, DecisionMetrics r) {
      long[] n = units.get(key(k, r.metric()));
      if (n == null) {
        return Double.NaN;
      }
      double scale = economics ? Math.abs(spec.users() * spec.valueOf(r.metric())) : 1;
      return UnitsToDecide.perArm(r.expectedProfit(), scale * r.effectSd(), c, n[0], n[1]);
    }

    /**
     * Units per arm until each uncertain guardrail is more likely than not settled, the largest
     * over them: its margin takes the place of profit, effect − limit, or for a relative limit r,
     * effect − r × control mean (the control level's own uncertainty left out, which makes the
     * figure slightly optimistic).
     */
    private double unitsForGuardrails(VariantKey k, List<GuardrailCheck> checks) {
      double most = 0;
      for (GuardrailCheck g : checks) {
        if (g.status() != GuardrailStatus.UNCERTAIN) {
          continue;
        }
        DecisionMetrics d = usable(rows.get(key(k, g.guardrail().metric())));
        long[] n = units.get(key(k, g.guardrail().metric()));
        if (d == null || n == null) {
          return Double.NaN;
        }
        Guardrail rail = g.guardrail();
        double bound = rail.relative() ? rail.limit() * d.controlMean() : rail.limit();
        double margin = d.effectMean() - bound;
        most =
            Math.max(
                most, UnitsToDecide.perArm(margin, d.effectSd(), spec.guardrailProb(), n[0], n[1]));
      }
      return most;
    }

    /** Each guardrail's P(bound holds) and status for this variant, in the order given. */
    private List<GuardrailCheck> guardrails(VariantKey k) {
      List<GuardrailCheck> out = new ArrayList<>();
      for (Guardrail g : spec.guardrails()) {
        double holds = probHolds(k, g);
        out.add(new GuardrailCheck(g, holds, GuardrailStatus.of(holds, spec.guardrailProb())));
      }
      return out;
    }

    /**
     * P(the guardrail's bound holds): the figures of its metric's posterior with the limit as the
     * threshold (absolute, or relative with a {@code %}), seeded per guardrail; NaN without a
     * usable posterior.
     */
    private double probHolds(VariantKey k, Guardrail g) {
      PooledPosterior post = posteriors.get(key(k, g.metric()));
      if (post == null) {
        return Double.NaN;
      }
      Thresholds t =
          g.relative()
              ? new Thresholds(spec.threshold(g.metric()), g.limit())
              : new Thresholds(g.limit(), spec.relativeThreshold());
      DecisionFigures f =
          ExperimentDraws.figures(
              post.segments(),
              post.hierarchy(),
              spec.draws(),
              t,
              Economics.EFFECT_ONLY,
              new DecisionRule(c),
              Seeds.of(
                  spec.seed(), k.experiment(), g.metric(), k.variant(), "guardrail", g.label()));
      double above = g.relative() ? f.probRelativeAboveThreshold() : f.probAboveThreshold();
      return g.probHolds(above);
    }

    private static GuardrailCheck firstUncertain(List<GuardrailCheck> checks) {
      for (GuardrailCheck g : checks) {
        if (g.status() == GuardrailStatus.UNCERTAIN) {
          return g;
        }
      }
      return null;
    }

    private static GuardrailStatus overall(List<GuardrailCheck> checks) {
      if (checks.isEmpty()) {
        return GuardrailStatus.NONE;
      }
      GuardrailStatus s = GuardrailStatus.OK;
      for (GuardrailCheck g : checks) {
        if (g.status() == GuardrailStatus.VIOLATED) {
          return GuardrailStatus.VIOLATED;
        }
        if (g.status() == GuardrailStatus.UNCERTAIN) {
          s = GuardrailStatus.UNCERTAIN;
        }
      }
      return s;
    }

    private static DecisionMetrics usable(DecisionMetrics d) {
      return d == null || d.recommendation().equals(DecisionMetrics.INSUFFICIENT_DATA) ? null : d;
    }

    private static GroupKey key(VariantKey k, String metric) {
      return new GroupKey(k.experiment(), metric, k.variant());
    }
  }

  private record GuardrailCheck(Guardrail guardrail, double probHolds, GuardrailStatus status) {}

  private record Decision(Verdict verdict, String reason, double units) {}

  /**
   * A probability as a reason shows it, with its relation: {@code " = 0.958"}, with as many more
   * decimals (up to six) as keep it apart from 0 and 1, else {@code " > 0.999999"}.
   */
  static String is(double p) {
    for (int d = 3; d <= 6; d++) {
      String s = String.format(Locale.ROOT, "%." + d + "f", p);
      double shown = Double.parseDouble(s);
      if ((shown != 0 || p <= 0) && (shown != 1 || p >= 1)) {
        return " = " + s;
      }
    }
    return p < 0.5 ? " < 0.000001" : " > 0.999999";
  }

  /** A level of the rule, e.g. 0.950. */
  static String prob(double p) {
    return String.format(Locale.ROOT, "%.3f", p);
  }

  /** A p-value or level in two significant digits, e.g. 0.001 or 2.3e-07. */
  private static String sci(double p) {
    if (!(p >= 1e-4)) {
      return String.format(Locale.ROOT, "%.1e", p);
    }
    return new BigDecimal(p).round(new MathContext(2)).stripTrailingZeros().toPlainString();
  }
}
