package io.segfx.stats;

import io.segfx.stats.pooling.HierarchicalPosterior;

/**
 * The experiment-level decision under full-Bayes pooling ({@code --pooling full}), exact up to the
 * tau grid: the effect {@code E = sum_j w_j theta_j (+ independent normal terms such as a bias)} is
 * a normal mixture over the grid ({@link HierarchicalPosterior#linear}), which carries the
 * uncertainty of tau and mu and the correlation mu induces between segments. Profit {@code f E - c}
 * is the same mixture rescaled, and
 *
 * <pre>
 *   E[max(-P, 0)] = sum_i p_i (s_i φ(m_i/s_i) - m_i Φ(-m_i/s_i)),   E[max(P, 0)] = E[max(-P, 0)] + E[P]
 *   P(E / B > r) = P(E - r B > 0)   with B = sum w_j b_j the moment-matched normal baseline
 *   q_p of E / B: the root of P(E - q B <= 0) = p, the same mixture          ({@link RelativeEffects})
 * </pre>
 *
 * as {@link ClosedFormDecision} does for a single normal. No draws: {@code draws} and the Monte
 * Carlo errors are 0. Each pooled segment's own posterior theta_j | y is summarised here too
 * ({@link PooledSegmentSummary}): on the executors, in stage 3, where the work scales with the
 * cluster as stage 1 does, instead of on the driver.
 */
public final class MixtureDecision {
  private MixtureDecision() {}

  /**
   * The decision, and with {@code segmentFigures} each pooled segment's relative-effect figures
   * and, for a grid posterior, its {@link PooledSegmentSummary} (without, NaN: for callers that
   * read only the experiment-level figures, such as the bias table).
   */
  static ExperimentDraws.Result decide(
      SegmentDraw[] segments,
      HierarchicalPosterior h,
      ExperimentDraws.Thresholds thresholds,
      ExperimentDraws.Economics economics,
      DecisionRule rule,
      boolean segmentFigures) {
    int j0 = h.segments();
    int k = segments.length;
    double[] a = new double[j0];
    double extraMean = 0;
    double extraVar = 0;
    double mb = 0;
    double vb = 0;
    for (int j = 0; j < k; j++) {
      SegmentDraw d = segments[j];
      double w = d.share();
      if (j < j0) {
        a[j] = w;
      } else {
        if (d.effectKind() != SegmentDraw.Kind.NORMAL) {
          throw new IllegalArgumentException("terms added to a hierarchical effect must be normal");
        }
        extraMean += w * d.effect()[0];
        extraVar += w * w * d.effect()[1] * d.effect()[1];
      }
      double[] b = baseline(d);
      mb += w * b[0];
      vb += w * w * b[1] * b[1];
    }
    double r = thresholds.relative();
    NormalMixture effect = h.linear(a, extraMean, extraVar);
    double relProbE =
        Double.isNaN(mb) ? Double.NaN : effect.plusIndependent(-r * mb, r * r * vb).upperTail(0);
    double sb = Math.sqrt(vb);
    DecisionFigures figures =
        of(
            effect,
            thresholds,
            economics,
            rule,
            RelativeEffects.Figures.of(
                effect, ClosedFormDecision.ratioMean(effect.mean(), mb, sb), mb, sb, relProbE));
    ExperimentDraws.Result out = ExperimentDraws.Result.empty(figures, k);
    for (int j = 0; segmentFigures && j < j0; j++) {
      segment(segments[j], h, j, thresholds, out);
    }
    return out;
  }

  /**
   * Writes pooled segment {@code j}'s figures into {@code out}: its {@link PooledSegmentSummary}
   * (grid posteriors only: the empirical-Bayes plug-in's segment posteriors are plain normals,
   * summarised in stage 2), the mean of its relative effect, its control mean, the 2.5% and 97.5%
   * quantiles of theta_j / B_j on the mixture ({@link RelativeEffects}) and P(theta_j / B_j > r).
   */
  private static void segment(
      SegmentDraw d,
      HierarchicalPosterior h,
      int j,
      ExperimentDraws.Thresholds thresholds,
      ExperimentDraws.Result out) {
    double r = thresholds.relative();
    double[] b = baseline(d);
    NormalMixture t = h.theta(j);
    PooledSegmentSummary summary =
        h.grid() ? PooledSegmentSummary.of(t, thresholds.effect(), h.weightOnRaw(j)) : null;
    if (summary != null) {
      summary.write(out.pooledFigures(), j);
    }
    out.relativeMean()[j] =
        ClosedFormDecision.ratioMean(summary != null ? summary.mean() : t.mean(), b[0], b[1]);
    out.controlMean()[j] = b[0];
    // The segment's own quantiles, where the summary has them, start the ratio's root-finding.
    out.relativeQ025()[j] =
        RelativeEffects.quantile(
            t, b[0], b[1], 0.025, summary != null ? summary.q025() : Double.NaN);
    out.relativeQ975()[j] =
        RelativeEffects.quantile(
            t, b[0], b[1], 0.975, summary != null ? summary.q975() : Double.NaN);
    if (Double.isNaN(b[0])) {
      out.probRelativeAbove()[j] = Double.NaN;
    } else if (r == 0) {
      // P(theta / B > 0) = P(theta > 0) for the positive baseline the formula assumes: the tail
      // the summary already has (one pass of the mixture less per segment at the default r).
      out.probRelativeAbove()[j] = summary != null ? summary.probPositive() : t.upperTail(0);
    } else {
      out.probRelativeAbove()[j] = t.plusIndependent(-r * b[0], r * r * b[1] * b[1]).upperTail(0);
    }
  }

  /**
   * {@link #of(NormalMixture, ExperimentDraws.Thresholds, ExperimentDraws.Economics, DecisionRule,
   * RelativeEffects.Figures)} with the relative mean and P(relative > r) given and the control mean
   * and relative quantiles NaN.
   */
  public static DecisionFigures of(
      NormalMixture effect,
      ExperimentDraws.Thresholds thresholds,
      ExperimentDraws.Economics economics,
      DecisionRule rule,
      double relativeMean,
      double probRelativeAbove) {
    return of(
        effect,
        thresholds,
        economics,
        rule,
        new RelativeEffects.Figures(
            relativeMean, Double.NaN, Double.NaN, Double.NaN, probRelativeAbove));
  }

  /**
   * The decision figures of an effect whose posterior is the given normal mixture: its mean, sd,
   * 95% interval and tail probabilities, and those of profit {@code f E - c} with the expected
   * losses of the class comment; relative figures are passed in ({@link
   * RelativeEffects.Figures#NONE} when unknown).
   */
  public static DecisionFigures of(
      NormalMixture effect,
      ExperimentDraws.Thresholds thresholds,
      ExperimentDraws.Economics economics,
      DecisionRule rule,
      RelativeEffects.Figures relative) {
    double f = economics.users() * economics.valuePerUnit();
    NormalMixture profit = effect.affine(f, -economics.cost());
    double pMean = profit.mean();
    double lossLaunch = profit.affine(-1, 0).positivePart();
    double pProfit = profit.upperTail(0);
    return new DecisionFigures(
        0,
        effect.mean(),
        effect.sd(),
        effect.quantile(0.025),
        effect.quantile(0.975),
        effect.upperTail(0),
        effect.upperTail(thresholds.effect()),
        relative.mean(),
        relative.controlMean(),
        relative.q025(),
        relative.q975(),
        relative.probAbove(),
        pMean,
        profit.quantile(0.025),
        profit.quantile(0.975),
        pProfit,
        lossLaunch,
        lossLaunch + pMean,
        rule.recommend(pProfit),
        0,
        0,
        0);
  }

  /**
   * The moment-matched baseline, or NaNs when it has no variance (a Student-t control level with at
   * most 2 degrees of freedom): relative effects are then undefined rather than drawn.
   */
  private static double[] baseline(SegmentDraw d) {
    double[] b = ClosedFormDecision.baseline(d);
    return b == null ? new double[] {Double.NaN, Double.NaN} : b;
  }
}
