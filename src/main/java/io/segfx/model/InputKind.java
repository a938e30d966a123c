package io.segfx.model;

/** What one input row is ({@code --input-kind}); {@link #code} is the option value. */
public enum InputKind implements Coded {
  /** One row per unit (user): the metric and covariate values. */
  UNITS("units"),
  /** One row per arm (and segment): n and conversions, or n, sum and sum of squares. */
  COUNTS("counts"),
  /** One row per segment: an estimate and its standard error. */
  ESTIMATES("estimates");

  private final String code;

  InputKind(String code) {
    this.code = code;
  }

  /** The option value. */
  @Override
  public String code() {
    return code;
  }

  /**
   * The kind named {@code code}.
   *
   * @throws IllegalArgumentException for another name
   */
  public static InputKind of(String code) {
    return Coded.of(InputKind.class, "input kind", code);
  }

  @Override
  public String toString() {
    return code;
  }
}
