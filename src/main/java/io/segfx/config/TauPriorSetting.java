package io.segfx.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * The {@code --tau-prior} setting of full-Bayes pooling: a family and, for a proper family, its
 * scale S. The job layer turns it into the kernel's prior; config only checks that the setting is
 * one the kernel can take, so a spec is validated before any statistics code is reached.
 *
 * @param family the prior family
 * @param scale S, in [1e-150, 1e150]; NaN for {@link Family#UNIFORM}
 */
public record TauPriorSetting(Family family, double scale) implements Serializable {

  /** The prior families, by their name in {@code --tau-prior} and the manifest. */
  public enum Family {
    /** Flat on [0, ∞): improper. */
    UNIFORM("uniform"),
    /** Density ∝ exp(-tau²/(2S²)). */
    HALF_NORMAL("half-normal"),
    /** Density ∝ 1/(1 + (tau/S)²). */
    HALF_CAUCHY("half-cauchy");

    private final String code;

    Family(String code) {
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
    public static Family of(String code) {
      for (Family f : values()) {
        if (f.code.equals(code)) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown tau prior " + code);
    }
  }

  /** The default: uniform on [0, ∞). */
  public static final TauPriorSetting UNIFORM = new TauPriorSetting(Family.UNIFORM, Double.NaN);

  /**
   * Refuses a scale on the uniform prior, and a proper prior's scale outside [1e-150, 1e150], where
   * tau/S or its square leaves the double range.
   *
   * @throws IllegalArgumentException naming the family and the bad scale
   */
  public TauPriorSetting {
    Objects.requireNonNull(family, "family");
    if (family == Family.UNIFORM ? !Double.isNaN(scale) : !inRange(scale)) {
      throw new IllegalArgumentException(
          family.code()
              + (family == Family.UNIFORM
                  ? " tau prior takes no scale, got "
                  : " tau prior needs a scale in [1e-150, 1e150], got ")
              + scale);
    }
  }

  private static boolean inRange(double scale) {
    return scale >= 1 / OptionParsers.LIMIT && scale <= OptionParsers.LIMIT;
  }

  /** True when the prior is improper (the posterior then needs J >= 3 segments). */
  public boolean improper() {
    return family == Family.UNIFORM;
  }

  /** The setting as written to the manifest and the prior descriptions: {@code half-normal:2.0}. */
  @Override
  public String toString() {
    return improper() ? family.code() : family.code() + ":" + scale;
  }
}
