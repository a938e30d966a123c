package io.segfx.model;

/**
 * The state of an experiment's guardrails as a whole: {@code violated} when any guardrail is broken
 * with at least the guardrail probability, else {@code uncertain} when any is neither broken nor
 * held at that level, else {@code ok}; {@code none} without guardrails.
 */
public enum GuardrailStatus implements Coded {
  OK("ok"),
  VIOLATED("violated"),
  UNCERTAIN("uncertain"),
  NONE("none");

  private final String code;

  GuardrailStatus(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /**
   * The status written {@code code}.
   *
   * @throws IllegalArgumentException for another code
   */
  public static GuardrailStatus of(String code) {
    return Coded.of(GuardrailStatus.class, "guardrail status", code);
  }

  /** The status of one guardrail from P(bound holds) at the guardrail probability {@code c}. */
  public static GuardrailStatus of(double probHolds, double c) {
    if (!(probHolds == probHolds)) {
      return UNCERTAIN;
    }
    if (1 - probHolds >= c) {
      return VIOLATED;
    }
    return probHolds >= c ? OK : UNCERTAIN;
  }

  @Override
  public String toString() {
    return code;
  }
}
