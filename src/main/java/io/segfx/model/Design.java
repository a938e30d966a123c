package io.segfx.model;

/** How treatment was assigned ({@code --design}). */
public enum Design implements Coded {
  /** Assignment at random: the arms are exchangeable and their split is checked. */
  RANDOMIZED("randomized"),
  /** Assignment not at random: effects assume no unmeasured confounding. */
  OBSERVATIONAL("observational");

  private final String code;

  Design(String code) {
    this.code = code;
  }

  /** The option value, as the manifest and the output write it. */
  @Override
  public String code() {
    return code;
  }

  /**
   * The design named {@code code}.
   *
   * @throws IllegalArgumentException for another name
   */
  public static Design of(String code) {
    return Coded.of(Design.class, "design", code);
  }

  @Override
  public String toString() {
    return code;
  }
}
