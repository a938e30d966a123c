package io.segfx.stats;

import io.segfx.stats.pooling.HierarchicalPosterior;
import io.segfx.util.Checks;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Posterior draws of an experiment-level effect and of launch profit (seed notebook sections 3, 5
 * and 11).
 *
 * <p>Each draw takes every segment's effect theta_j and baseline b_j from its {@link SegmentDraw}
 * and forms the unit-share-weighted effect {@code effect = sum_j w_j theta_j}, the relative effect
 * {@code sum_j w_j theta_j / sum_j w_j b_j} and {@code profit = users * effect * valuePerUnit -
 * cost}. Reported: the {@link DrawSummary} of the effect, the mean, 2.5% and 97.5% quantiles (type
 * 7, {@link Quantiles}) of the relative effect and {@code P(relative > r)}, the control mean {@code
 * sum_j w_j E[b_j]}, the profit's mean, 2.5/97.5% quantiles and {@code P(profit > 0)}, and the
 * expected losses of launching {@code E[max(-profit, 0)]} and of not launching {@code E[max(profit,
 * 0)]}, as in the notebook's decision summary. Normals come from the McFarland ziggurat.
 *
 * <p>Where the posterior has a closed form (every segment effect normal, baselines normal or
 * moment-matched), no draws are made: {@link ClosedFormDecision} gives the same figures exactly.
 * Otherwise the means of the effect, of each summarised segment and of profit are still exact
 * wherever every segment's effect has an exact mean ({@link SegmentDraw#exactMean}: Beta lifts and
 * Student-t differences with dof > 1), with their Monte Carlo standard error 0; the other figures
 * come from the draws. The control mean, at the experiment and per segment, is exact wherever every
 * baseline has a mean ({@link RelativeEffects#baselineMean}), else the draws' average. Each
 * segment's relative quantiles come from its own ratio draws theta_j / b_j.
 */
public final class ExperimentDraws {
  private ExperimentDraws() {}

  /**
   * Launch economics: profit = users × effect × valuePerUnit − cost. Without them segfx uses 1, 1
   * and 0, so profit is the effect itself.
   */
  public record Economics(double users, double valuePerUnit, double cost) implements Serializable {
    public static final Economics EFFECT_ONLY = new Economics(1, 1, 0);

    public Economics {
      Checks.finite("users", users);
      Checks.finite("value per unit", valuePerUnit);
      Checks.finite("cost", cost);
    }
  }

  /** Thresholds: {@code P(effect > effect)} and {@code P(relative effect > relative)}. */
  public record Thresholds(double effect, double relative) implements Serializable {}

  /**
   * A draw run's results.
   *
   * @param figures the experiment-level decision figures
   * @param relativeMean per segment, the mean of theta_j / b_j
   * @param probRelativeAbove per segment, P(theta_j / b_j > r)
   * @param summaries per segment, the draw summary of theta_j where {@link SegmentDraw#summarise}
   *     (else null)
   * @param pooledFigures per segment where theta_j shares a full-Bayes grid posterior, its exact
   *     summary ({@link #pooled}), computed here, on the executors, rather than on the driver in
   *     stage 2; {@link PooledSegmentSummary#FIELDS} values per segment, NaN for the others. Kept
   *     as one primitive array: a record per segment costs Kryo's reference tracking more than the
   *     figures themselves when the results are collected.
   * @param controlMean per segment, E[b_j] (NaN without a control level)
   * @param relativeQ025 per segment, the 2.5% quantile of theta_j / b_j
   * @param relativeQ975 per segment, the 97.5% quantile of theta_j / b_j
   */
  public record Result(
      DecisionFigures figures,
      double[] relativeMean,
      double[] probRelativeAbove,
      DrawSummary[] summaries,
      double[] pooledFigures,
      double[] controlMean,
      double[] relativeQ025,
      double[] relativeQ975)
      implements Serializable {

    /**
     * A result of {@code k} segments whose per-segment relative figures are all NaN and that has no
     * segment summaries: for the writers to fill in.
     */
    static Result empty(DecisionFigures figures, int k) {
      Result r =
          new Result(
              figures,
              new double[k],
              new double[k],
              new DrawSummary[k],
              PooledSegmentSummary.none(k),
              new double[k],
              new double[k],
              new double[k]);
      Arrays.fill(r.relativeMean, Double.NaN);
      Arrays.fill(r.probRelativeAbove, Double.NaN);
      Arrays.fill(r.controlMean, Double.NaN);
      Arrays.fill(r.relativeQ025, Double.NaN);
      Arrays.fill(r.relativeQ975, Double.NaN);
      return r;
    }

    /** Segment j's full-Bayes summary, or null when its posterior is summarised elsewhere. */
    public PooledSegmentSummary pooled(int j) {
      return PooledSegmentSummary.read(pooledFigures, j);
    }
  }

  /**
   * Draws and summarises one experiment.
   *
   * @param segments what to draw per segment (shares summing to 1)
   * @param draws number of draws D (>= 2)
   * @param rule the launch rule
   * @param rng the stream for this experiment (see {@link Seeds})
   */
  public static Result draw(
      SegmentDraw[] segments,
      int draws,
      Thresholds thresholds,
      Economics economics,
      DecisionRule rule,
      UniformRandomProvider rng) {
    return draw(segments, null, draws, thresholds, economics, rule, rng);
  }

  /**
   * {@link #draw} for a group whose first {@code hierarchy.segments()} segment effects share a
   * full-Bayes grid posterior ({@link MixtureDecision}, exact, no draws); with a null hierarchy the
   * plain {@link #draw}.
   */
  public static Result draw(
      SegmentDraw[] segments,
      HierarchicalPosterior hierarchy,
      int draws,
      Thresholds thresholds,
      Economics economics,
      DecisionRule rule,
      UniformRandomProvider rng) {
    if (hierarchy != null) {
      return MixtureDecision.decide(segments, hierarchy, thresholds, economics, rule, true);
    }
    return figuresOrDraws(segments, draws, thresholds, economics, rule, rng);
  }

  /**
   * The experiment-level figures of {@link #draw} alone: the same figures, without the per-segment
   * ones a full-Bayes group would otherwise compute and the caller would drop.
   */
  public static DecisionFigures figures(
      SegmentDraw[] segments,
      HierarchicalPosterior hierarchy,
      int draws,
      Thresholds thresholds,
      Economics economics,
      DecisionRule rule,
      UniformRandomProvider rng) {
    if (hierarchy != null) {
      return MixtureDecision.decide(segments, hierarchy, thresholds, economics, rule, false)
          .figures();
    }
    return figuresOrDraws(segments, draws, thresholds, economics, rule, rng).figures();
  }

  /** Without a full-Bayes posterior: the closed form where it exists, else draws. */
  private static Result figuresOrDraws(
      SegmentDraw[] segments,
      int draws,
      Thresholds thresholds,
      Economics economics,
      DecisionRule rule,
      UniformRandomProvider rng) {
    if (ClosedFormDecision.applies(segments)) {
      return ClosedFormDecision.decide(segments, thresholds, economics, rule);
    }
    return drawAlways(segments, draws, thresholds, economics, rule, rng);
  }

  /**
   * {@link #draw} without the closed-form shortcut (for tests that check one against the other).
   */
  static Result drawAlways(
      SegmentDraw[] segments,
      int draws,
      Thresholds thresholds,
      Economics economics,
      DecisionRule rule,
      UniformRandomProvider rng) {
    return new Pass(segments, draws, thresholds.relative(), economics, rng, true)
        .result(thresholds, economics, rule);
  }

  /**
   * The experiment-level effect draws {@code sum_j w_j theta_j} themselves, in draw order: with the
   * same segments, D and stream they are exactly the draws {@link #draw} summarises when no closed
   * form applies (the report's histograms redraw them on the driver for the experiments it charts).
   */
  public static double[] effectDraws(SegmentDraw[] segments, int draws, UniformRandomProvider rng) {
    return new Pass(segments, draws, 0, Economics.EFFECT_ONLY, rng, false).effect;
  }

  /**
   * One pass of D draws over every segment, and what it accumulates: the effect and profit of each
   * draw, each segment's relative-effect sum and count above r and baseline sum, the kept draws of
   * the segments to summarise, and (with {@code relative}) the relative-effect draws, for their
   * quantiles, of the experiment and of each segment with a control level.
   */
  private static final class Pass {
    final SegmentDraw[] segments;
    final int draws;
    final double[] effect;
    final double[] profit;
    final double[] relSum;
    final long[] relAbove;
    final double[] baseSum;
    final double[][] kept;
    final double[][] relKept;
    final double[] relDraws;
    double relTotal;
    long relAboveTotal;
    double baseTotal;

    Pass(
        SegmentDraw[] segments,
        int draws,
        double r,
        Economics economics,
        UniformRandomProvider rng,
        boolean relative) {
      if (draws < 2) {
        throw new IllegalArgumentException("draws must be >= 2, got " + draws);
      }
      int k = segments.length;
      this.segments = segments;
      this.draws = draws;
      effect = new double[draws];
      profit = new double[draws];
      relSum = new double[k];
      relAbove = new long[k];
      baseSum = new double[k];
      kept = new double[k][];
      relKept = new double[k][];
      relDraws = relative ? new double[draws] : null;
      ZigguratSampler.NormalizedGaussian normal = ZigguratSampler.NormalizedGaussian.of(rng);
      SegmentDraw.Sampler[] samplers = new SegmentDraw.Sampler[k];
      for (int j = 0; j < k; j++) {
        samplers[j] = new SegmentDraw.Sampler(segments[j], rng, normal);
        kept[j] = segments[j].summarise() ? new double[draws] : null;
        relKept[j] = relative && hasBaseline(segments[j]) ? new double[draws] : null;
      }
      run(samplers, r, economics.users() * economics.valuePerUnit(), economics.cost());
    }

    /**
     * The hot loop, D × k samples. Each draw samples every segment in turn: that order fixes which
     * part of the one stream each segment reads, so the results depend on it.
     */
    private void run(SegmentDraw.Sampler[] samplers, double r, double factor, double cost) {
      int k = samplers.length;
      for (int d = 0; d < draws; d++) {
        double e = 0;
        double base = 0;
        for (int j = 0; j < k; j++) {
          SegmentDraw.Sampler s = samplers[j];
          s.next();
          double w = segments[j].share();
          e += w * s.effect;
          base += w * s.baseline;
          double rel = s.effect / s.baseline;
          relSum[j] += rel;
          relAbove[j] += rel > r ? 1 : 0;
          baseSum[j] += s.baseline;
          if (kept[j] != null) {
            kept[j][d] = s.effect;
          }
          if (relKept[j] != null) {
            relKept[j][d] = rel;
          }
        }
        effect[d] = e;
        profit[d] = factor * e - cost;
        double rel = e / base;
        relTotal += rel;
        relAboveTotal += rel > r ? 1 : 0;
        baseTotal += base;
        if (relDraws != null) {
          relDraws[d] = rel;
        }
      }
    }

    /** The pass summarised: the decision figures and each segment's relative and own figures. */
    Result result(Thresholds thresholds, Economics economics, DecisionRule rule) {
      DecisionFigures figures = figures(thresholds, economics, rule);
      int k = segments.length;
      double[] relMean = new double[k];
      double[] relProb = new double[k];
      double[] control = new double[k];
      double[] relQ025 = new double[k];
      double[] relQ975 = new double[k];
      DrawSummary[] summaries = new DrawSummary[k];
      for (int j = 0; j < k; j++) {
        relMean[j] = relSum[j] / draws;
        relProb[j] = nanIf(relSum[j], (double) relAbove[j] / draws);
        control[j] = exactOr(RelativeEffects.baselineMean(segments[j]), baseSum[j] / draws);
        relQ025[j] = quantile(relKept[j], relSum[j], 0.025);
        relQ975[j] = quantile(relKept[j], relSum[j], 0.975);
        summaries[j] =
            kept[j] == null
                ? null
                : DrawSummary.of(kept[j], thresholds.effect())
                    .withExactMean(segments[j].exactMean());
      }
      return new Result(
          figures,
          relMean,
          relProb,
          summaries,
          PooledSegmentSummary.none(k),
          control,
          relQ025,
          relQ975);
    }

    /**
     * The experiment-level figures; reorders the effect and profit draws (quantiles by selection).
     */
    private DecisionFigures figures(Thresholds thresholds, Economics economics, DecisionRule rule) {
      long profitable = 0;
      double lossLaunch = 0;
      double lossWait = 0;
      double profitSum = 0;
      for (int d = 0; d < draws; d++) {
        profitable += profit[d] > 0 ? 1 : 0;
        lossLaunch += Math.max(-profit[d], 0);
        lossWait += Math.max(profit[d], 0);
        profitSum += profit[d];
      }
      // Where every segment's effect has an exact mean, so do the effect (sum_j w_j E[theta_j])
      // and profit (linear in it): those are reported instead of the draws' averages.
      double exactEffect = 0;
      double exactBase = 0;
      for (SegmentDraw s : segments) {
        exactEffect += s.share() * s.exactMean();
        exactBase += s.share() * RelativeEffects.baselineMean(s);
      }
      DrawSummary es = DrawSummary.of(effect, thresholds.effect()).withExactMean(exactEffect);
      double factor = economics.users() * economics.valuePerUnit();
      double expectedProfit =
          Double.isNaN(exactEffect) ? profitSum / draws : factor * exactEffect - economics.cost();
      double pProfit = (double) profitable / draws;
      return new DecisionFigures(
          draws,
          es.mean(),
          es.sd(),
          es.q025(),
          es.q975(),
          es.probPositive(),
          es.probAboveThreshold(),
          relTotal / draws,
          exactOr(exactBase, baseTotal / draws),
          quantile(relDraws, relTotal, 0.025),
          quantile(relDraws, relTotal, 0.975),
          nanIf(relTotal, (double) relAboveTotal / draws),
          expectedProfit,
          Quantiles.select(profit, 0.025),
          Quantiles.select(profit, 0.975),
          pProfit,
          lossLaunch / draws,
          lossWait / draws,
          rule.recommend(pProfit),
          es.mcSeMean(),
          es.mcSeProbPositive(),
          Math.sqrt(pProfit * (1 - pProfit) / draws));
    }
  }

  /**
   * The type-7 p-quantile of kept relative-effect draws (reordered), NaN where they were not kept
   * or the baseline is undefined (NaN sum).
   */
  private static double quantile(double[] kept, double sum, double p) {
    return kept == null || Double.isNaN(sum) ? Double.NaN : Quantiles.select(kept, p);
  }

  /** The exact value where it exists (not NaN), else the draws' estimate. */
  private static double exactOr(double exact, double drawn) {
    return Double.isNaN(exact) ? drawn : exact;
  }

  /** Whether a segment's draws carry a control level (not {@link SegmentDraw.Kind#NONE}). */
  private static boolean hasBaseline(SegmentDraw d) {
    return switch (d.effectKind()) {
      case BETA_DIFF, STUDENT_DIFF -> true;
      default -> d.baselineKind() != SegmentDraw.Kind.NONE;
    };
  }

  /** A probability of a relative effect is undefined when the baseline is (NaN sums). */
  private static double nanIf(double sum, double value) {
    return Double.isNaN(sum) ? Double.NaN : value;
  }
}
