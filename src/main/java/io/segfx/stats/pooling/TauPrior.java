package io.segfx.stats.pooling;

import java.io.Serializable;
import java.util.Objects;

/**
 * A prior on the between-segment sd tau of the normal hierarchical model: {@code uniform} on [0, ∞)
 * (improper; Bayesian Data Analysis 3rd ed. section 5.4's default, proper posterior for J >= 3),
 * {@code half-normal} with scale S, density ∝ exp(-tau²/(2S²)), or {@code half-cauchy} with scale
 * S, density ∝ 1/(1 + (tau/S)²) (Gelman 2006, "Prior distributions for variance parameters in
 * hierarchical models", Bayesian Analysis 1(3)).
 *
 * @param kind the family
 * @param scale S (NaN for uniform)
 */
public record TauPrior(TauPrior.Kind kind, double scale) implements Serializable {
  /** The prior families. */
  public enum Kind {
    /** Flat on [0, ∞): improper. */
    UNIFORM("uniform"),
    /** Density ∝ exp(-tau²/(2S²)). */
    HALF_NORMAL("half-normal"),
    /** Density ∝ 1/(1 + (tau/S)²). */
    HALF_CAUCHY("half-cauchy");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    /** The name in {@code --tau-prior} and the manifest. */
    public String code() {
      return code;
    }

    /**
     * The family named {@code code}.
     *
     * @throws IllegalArgumentException for another name
     */
    public static Kind of(String code) {
      for (Kind k : values()) {
        if (k.code.equals(code)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown tau prior " + code);
    }
  }

  public static final TauPrior UNIFORM = new TauPrior(Kind.UNIFORM, Double.NaN);

  public TauPrior {
    Objects.requireNonNull(kind, "kind");
    if (kind != Kind.UNIFORM && !(scale > 0 && Double.isFinite(scale))) {
      throw new IllegalArgumentException(
          kind.code() + " tau prior needs a finite scale > 0, got " + scale);
    }
  }

  /** The prior of family {@code kind} by its name ({@code half-normal}, ...) and scale. */
  public TauPrior(String kind, double scale) {
    this(Kind.of(kind), scale);
  }

  /** log p(tau) up to a constant. */
  public double logDensity(double tau) {
    return switch (kind) {
      case HALF_NORMAL -> -0.5 * (tau / scale) * (tau / scale);
      case HALF_CAUCHY -> -Math.log1p((tau / scale) * (tau / scale));
      case UNIFORM -> 0;
    };
  }

  /** True when the prior is improper (the posterior then needs J >= 3 segments). */
  public boolean improper() {
    return kind == Kind.UNIFORM;
  }

  @Override
  public String toString() {
    return improper() ? kind.code() : kind.code() + ":" + scale;
  }
}
