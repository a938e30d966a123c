package io.segfx.model;

/** How treatment was assigned ({@code --design}). */
public enum Design {
  /** Assignment at random: the arms are exchangeable and their split is checked. */
  RANDOMIZED("randomized"),
  /** Assignment not at random: effects assume no unmeasured confounding. */
  OBSERVATIONAL("observational");

  private final String code;

  Design(String code) {
    this.code = code;
  }

  /** The option value, as the manifest and the output write it. */
  public String code() {
    return code;
  }

  /**
   * The design named {@code code}.
   *
   * @throws IllegalArgumentException for another name
   */
  public static Design of(String code) {
    for (Design v : values()) {
      if (v.code.equals(code)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "design '" + code + "' is not one of randomized, observational");
  }

  @Override
  public String toString() {
    return code;
  }
}
