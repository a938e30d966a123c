package io.segfx.stats;

import java.io.Serializable;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler;
import org.apache.commons.rng.sampling.distribution.ChengBetaSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * What stage 3 draws for one segment: its effect posterior, the posterior of its baseline (the
 * control level, for relative effects), and its weight in the experiment-level effect.
 *
 * <p>Effect kinds: {@link Kind#NORMAL} {m, s}; {@link Kind#STUDENT} {m, scale, dof}; {@link
 * Kind#BETA_DIFF} {a1, b1, a0, b0}, the Beta–Binomial lift p1 - p0 with baseline p0 (the same draw;
 * seed section 3); {@link Kind#STUDENT_DIFF} {m1, scale1, dof1, m0, scale0, dof0}, the difference
 * of two NIG arm means with baseline mu0 (seed section 5). For NORMAL and STUDENT effects the
 * baseline is drawn independently from {@code baselineKind}: {@link Kind#BETA} {a, b}, STUDENT or
 * NORMAL.
 *
 * <p>Student-t draws are {@code m + scale Z / sqrt(G / dof)} with {@code G ~ chi^2_dof} (a gamma
 * draw, Marsaglia–Tsang); Beta draws use Cheng's algorithm BB/BC (Commons RNG).
 *
 * @param segment segment name
 * @param share weight in the experiment-level effect
 * @param effectKind one of the effect kinds
 * @param effect its parameters
 * @param baselineKind kind of the baseline posterior (ignored for the DIFF kinds)
 * @param baseline its parameters
 * @param summarise true when the segment's own posterior summary must come from these draws (no
 *     closed form)
 */
public record SegmentDraw(
    String segment,
    double share,
    SegmentDraw.Kind effectKind,
    double[] effect,
    SegmentDraw.Kind baselineKind,
    double[] baseline,
    boolean summarise)
    implements Serializable {
  /** The posterior an effect or a baseline is drawn from; see the class comment. */
  public enum Kind {
    /** Normal {m, s}. */
    NORMAL,
    /** Student-t {m, scale, dof}. */
    STUDENT,
    /** Beta–Binomial lift {a1, b1, a0, b0} (effects only). */
    BETA_DIFF,
    /** Difference of two NIG arm means {m1, scale1, dof1, m0, scale0, dof0} (effects only). */
    STUDENT_DIFF,
    /** Beta {a, b} (baselines only). */
    BETA,
    /** No baseline is known (estimates input): relative effects are NaN (baselines only). */
    NONE
  }

  /**
   * Checks that the effect has as many parameters as its kind takes, and that the baseline kind is
   * one a baseline is drawn from.
   *
   * @throws IllegalArgumentException naming the kind and the count, or the unknown kind
   */
  public SegmentDraw {
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(effectKind, "effectKind");
    int parameters =
        switch (effectKind) {
          case NORMAL -> 2;
          case STUDENT -> 3;
          case BETA_DIFF -> 4;
          case STUDENT_DIFF -> 6;
          default -> throw new IllegalArgumentException("unknown effect kind " + effectKind);
        };
    if (effect.length != parameters) {
      throw new IllegalArgumentException(
          "effect kind "
              + effectKind
              + " takes "
              + parameters
              + " parameters, got "
              + effect.length);
    }
    if (baselineKind != Kind.NORMAL
        && baselineKind != Kind.STUDENT
        && baselineKind != Kind.BETA
        && baselineKind != Kind.NONE) {
      throw new IllegalArgumentException("unknown baseline kind " + baselineKind);
    }
  }

  /**
   * Baselines at least this concentrated (Student-t dof, or both Beta shapes) are drawn from the
   * normal with the same mean and variance: the baseline only scales relative effects, the
   * distributions then differ by O(1/dof) in the tails, and the draw is five times cheaper.
   */
  static final double NORMAL_BASELINE_ABOVE = 30;

  /**
   * The exact posterior mean of the effect, or NaN where it does not exist: m for NORMAL; m for
   * STUDENT with dof > 1; {@code a1/(a1+b1) - a0/(a0+b0)} for BETA_DIFF (the mean of a difference
   * is the difference of the means; each Beta mean a/(a+b), BDA 3rd ed. section 2.4, computed as
   * {@link BetaBinomial#mean}, so the bits of segment_estimates' binary {@code estimate}); {@code
   * m1 - m0} for STUDENT_DIFF when both dof > 1 (a Student-t with dof <= 1 has no mean).
   */
  public double exactMean() {
    double[] p = effect;
    return switch (effectKind) {
      case NORMAL -> p[0];
      case STUDENT -> p[2] > 1 ? p[0] : Double.NaN;
      case BETA_DIFF -> p[0] / (p[0] + p[1]) - p[2] / (p[2] + p[3]);
      case STUDENT_DIFF -> p[2] > 1 && p[5] > 1 ? p[0] - p[3] : Double.NaN;
      default -> Double.NaN;
    };
  }

  /**
   * A sampler bound to one random stream; {@link #next} fills {@link #effect} and {@link
   * #baseline}.
   */
  static final class Sampler {
    private final SegmentDraw d;
    private final Kind baselineKind;
    private final double[] baselineParams;
    private final ZigguratSampler.NormalizedGaussian z;
    private final ContinuousSampler a;
    private final ContinuousSampler b;
    private final ContinuousSampler base;
    double effect;
    double baseline;

    Sampler(SegmentDraw d, UniformRandomProvider rng, ZigguratSampler.NormalizedGaussian z) {
      this.d = d;
      this.z = z;
      double[] p = d.effect();
      switch (d.effectKind()) {
        case BETA_DIFF -> {
          a = ChengBetaSampler.of(rng, p[0], p[1]);
          b = ChengBetaSampler.of(rng, p[2], p[3]);
        }
        case STUDENT_DIFF -> {
          a = chi2(rng, p[2]);
          b = chi2(rng, p[5]);
        }
        case STUDENT -> {
          a = chi2(rng, p[2]);
          b = null;
        }
        default -> {
          a = null;
          b = null;
        }
      }
      boolean ownBaseline = d.effectKind() == Kind.NORMAL || d.effectKind() == Kind.STUDENT;
      double[] q = d.baseline();
      Kind kind = d.baselineKind();
      if (kind == Kind.STUDENT && q[2] >= NORMAL_BASELINE_ABOVE) {
        q = new double[] {q[0], q[1] * Math.sqrt(q[2] / (q[2] - 2))};
        kind = Kind.NORMAL;
      } else if (kind == Kind.BETA && Math.min(q[0], q[1]) >= NORMAL_BASELINE_ABOVE) {
        double s = q[0] + q[1];
        q = new double[] {q[0] / s, Math.sqrt(q[0] * q[1] / (s * s * (s + 1)))};
        kind = Kind.NORMAL;
      }
      baselineKind = kind;
      baselineParams = q;
      if (!ownBaseline) {
        base = null;
      } else if (kind == Kind.BETA) {
        base = ChengBetaSampler.of(rng, q[0], q[1]);
      } else if (kind == Kind.STUDENT) {
        base = chi2(rng, q[2]);
      } else {
        base = null;
      }
    }

    private static ContinuousSampler chi2(UniformRandomProvider rng, double dof) {
      return AhrensDieterMarsagliaTsangGammaSampler.of(rng, dof / 2, 2);
    }

    private double student(double m, double scale, double dof, ContinuousSampler chi2) {
      return m + scale * z.sample() / Math.sqrt(chi2.sample() / dof);
    }

    void next() {
      double[] p = d.effect();
      switch (d.effectKind()) {
        case BETA_DIFF -> {
          double p1 = a.sample();
          double p0 = b.sample();
          effect = p1 - p0;
          baseline = p0;
          return;
        }
        case STUDENT_DIFF -> {
          double m1 = student(p[0], p[1], p[2], a);
          double m0 = student(p[3], p[4], p[5], b);
          effect = m1 - m0;
          baseline = m0;
          return;
        }
        case STUDENT -> effect = student(p[0], p[1], p[2], a);
        default -> effect = p[0] + p[1] * z.sample();
      }
      double[] q = baselineParams;
      baseline =
          switch (baselineKind) {
            case BETA -> base.sample();
            case STUDENT -> student(q[0], q[1], q[2], base);
            case NONE -> Double.NaN;
            default -> q[0] + q[1] * z.sample();
          };
    }
  }
}
