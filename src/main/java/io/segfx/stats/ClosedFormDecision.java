package io.segfx.stats;

/**
 * The experiment-level decision without draws, when every segment effect is normal (the pooled
 * normal–normal posteriors). Effect, profit and expected losses are then exact. Relative effects
 * take each baseline (a Student-t or Beta posterior of the control level) as the normal with its
 * mean and variance: for the experiment-level B, a sum over segments, that is the central-limit
 * approximation; for one small segment's own relative effect it is cruder (its Beta may be skewed),
 * which the README states. With independent segments:
 *
 * <pre>
 *   E = sum w_j theta_j ~ N(sum w_j m_j, sum w_j^2 s_j^2)          (exact)
 *   profit = f E - c,  f = users × value:  normal; E[max(-P,0)] = sd φ(μ/sd) - μ Φ(-μ/sd)
 *   P(E / B > r) = P(E - r B > 0),  B = sum w_j b_j normal, B > 0   (exact for normal E, B)
 *   E[E / B] ≈ (μ_E / μ_B)(1 + σ_B² / μ_B²)                         (second-order delta method)
 *   q_p of E / B: the root of P(E - q B <= 0) = p                    (exact for normal E, B > 0)
 * </pre>
 *
 * (Johnson, Kotz &amp; Balakrishnan, Continuous Univariate Distributions vol. 1, 2nd ed., section
 * 13.4, for the normal partial expectation; Stuart &amp; Ord, Kendall's Advanced Theory of
 * Statistics vol. 1, 10.5–10.6, for the ratio moments; {@link RelativeEffects} for the quantiles.)
 * The control mean is E[B] = sum w_j E[b_j], exact. Monte Carlo errors are 0 and {@code draws} is
 * 0: no draws are made where a closed form exists.
 */
final class ClosedFormDecision {
  private ClosedFormDecision() {}

  /** True when {@link #decide} applies to these segments. */
  static boolean applies(SegmentDraw[] segments) {
    for (SegmentDraw d : segments) {
      if (d.effectKind() != SegmentDraw.Kind.NORMAL || baseline(d) == null) {
        return false;
      }
    }
    return true;
  }

  /** The baseline's mean and sd (moment-matched); {NaN, NaN} for NONE; null when unknown. */
  static double[] baseline(SegmentDraw d) {
    double[] q = d.baseline();
    return switch (d.baselineKind()) {
      case NORMAL -> new double[] {q[0], q[1]};
      case NONE -> new double[] {Double.NaN, Double.NaN};
      case STUDENT -> q[2] > 2 ? new double[] {q[0], q[1] * Math.sqrt(q[2] / (q[2] - 2))} : null;
      case BETA -> {
        double s = q[0] + q[1];
        yield new double[] {q[0] / s, Math.sqrt(q[0] * q[1] / (s * s * (s + 1)))};
      }
      default -> null;
    };
  }

  /**
   * The decision figures of the class comment, and each segment's relative-effect figures.
   *
   * <p>Requires {@link #applies}.
   */
  static ExperimentDraws.Result decide(
      SegmentDraw[] segments,
      ExperimentDraws.Thresholds thresholds,
      ExperimentDraws.Economics economics,
      DecisionRule rule) {
    int k = segments.length;
    double m = 0;
    double v = 0;
    double mb = 0;
    double vb = 0;
    double r = thresholds.relative();
    double[] relMean = new double[k];
    double[] relProb = new double[k];
    double[] control = new double[k];
    double[] relQ025 = new double[k];
    double[] relQ975 = new double[k];
    for (int j = 0; j < k; j++) {
      SegmentDraw d = segments[j];
      double w = d.share();
      double mj = d.effect()[0];
      double sj = d.effect()[1];
      double[] b = baseline(d);
      m += w * mj;
      v += w * w * sj * sj;
      mb += w * b[0];
      vb += w * w * b[1] * b[1];
      relMean[j] = ratioMean(mj, b[0], b[1]);
      relProb[j] = ratioAbove(mj, sj, b[0], b[1], r);
      control[j] = b[0];
      relQ025[j] = RelativeEffects.quantile(mj, sj, b[0], b[1], 0.025);
      relQ975[j] = RelativeEffects.quantile(mj, sj, b[0], b[1], 0.975);
    }
    double sd = Math.sqrt(v);
    double sb = Math.sqrt(vb);
    DecisionFigures figures =
        figures(
            m,
            sd,
            RelativeEffects.Figures.of(
                normal(m, sd), ratioMean(m, mb, sb), mb, sb, ratioAbove(m, sd, mb, sb, r)),
            thresholds,
            economics,
            rule);
    return new ExperimentDraws.Result(
        figures,
        relMean,
        relProb,
        new DrawSummary[k],
        PooledSegmentSummary.none(k),
        control,
        relQ025,
        relQ975);
  }

  /** The figures of an effect E ~ N(m, sd²) and of profit {@code f E - c}, normal too. */
  private static DecisionFigures figures(
      double m,
      double sd,
      RelativeEffects.Figures relative,
      ExperimentDraws.Thresholds thresholds,
      ExperimentDraws.Economics economics,
      DecisionRule rule) {
    NormalSummary e = NormalSummary.of(m, sd, thresholds.effect());
    double f = economics.users() * economics.valuePerUnit();
    double pm = f * m - economics.cost();
    double ps = Math.abs(f) * sd;
    NormalSummary p = NormalSummary.of(pm, ps, 0);
    double lossLaunch = ps == 0 ? Math.max(-pm, 0) : ps * phi(pm / ps) - pm * cdf(-pm / ps);
    return new DecisionFigures(
        0,
        m,
        sd,
        e.q025(),
        e.q975(),
        e.probPositive(),
        e.probAboveThreshold(),
        relative.mean(),
        relative.controlMean(),
        relative.q025(),
        relative.q975(),
        relative.probAbove(),
        pm,
        p.q025(),
        p.q975(),
        p.probPositive(),
        lossLaunch,
        lossLaunch + pm,
        rule.recommend(p.probPositive()),
        0,
        0,
        0);
  }

  /** N(m, sd²) as a one-component mixture. */
  private static NormalMixture normal(double m, double sd) {
    return new NormalMixture(new double[] {1}, new double[] {m}, new double[] {sd});
  }

  static double ratioMean(double me, double mb, double sb) {
    return me / mb * (1 + sb * sb / (mb * mb));
  }

  private static double ratioAbove(double me, double se, double mb, double sb, double r) {
    if (Double.isNaN(mb)) {
      return Double.NaN;
    }
    return NormalSummary.upperTail(me - r * mb, Math.sqrt(se * se + r * r * sb * sb), 0);
  }

  private static double phi(double z) {
    return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  }

  private static double cdf(double z) {
    return 1 - NormalSummary.upperTail(0, 1, z);
  }
}
