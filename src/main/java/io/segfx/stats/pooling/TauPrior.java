package io.segfx.stats.pooling;

import java.io.Serializable;

/**
 * A prior on the between-segment sd tau of the normal hierarchical model: {@code uniform} on [0, ∞)
 * (improper; Bayesian Data Analysis 3rd ed. section 5.4's default, proper posterior for J >= 3),
 * {@code half-normal} with scale S, density ∝ exp(-tau²/(2S²)), or {@code half-cauchy} with scale
 * S, density ∝ 1/(1 + (tau/S)²) (Gelman 2006, "Prior distributions for variance parameters in
 * hierarchical models", Bayesian Analysis 1(3)).
 *
 * @param kind {@code uniform}, {@code half-normal} or {@code half-cauchy}
 * @param scale S (NaN for uniform)
 */
public record TauPrior(String kind, double scale) implements Serializable {
  public static final TauPrior UNIFORM = new TauPrior("uniform", Double.NaN);

  public TauPrior {
    if (!kind.equals("uniform") && !kind.equals("half-normal") && !kind.equals("half-cauchy")) {
      throw new IllegalArgumentException("unknown tau prior " + kind);
    }
    if (!kind.equals("uniform") && !(scale > 0 && Double.isFinite(scale))) {
      throw new IllegalArgumentException(
          kind + " tau prior needs a finite scale > 0, got " + scale);
    }
  }

  /** log p(tau) up to a constant. */
  public double logDensity(double tau) {
    return switch (kind) {
      case "half-normal" -> -0.5 * (tau / scale) * (tau / scale);
      case "half-cauchy" -> -Math.log1p((tau / scale) * (tau / scale));
      default -> 0;
    };
  }

  /** True when the prior is improper (the posterior then needs J >= 3 segments). */
  public boolean improper() {
    return kind.equals("uniform");
  }

  @Override
  public String toString() {
    return improper() ? kind : kind + ":" + scale;
  }
}
