package io.segfx.model;

/** The prior of experiment effects learned across experiments ({@code --learned-prior}). */
public enum LearnedPriorKind implements Coded {
  /** No learned prior: effects stand as estimated. */
  NONE("none"),
  /** One normal distribution of effects. */
  NORMAL("normal"),
  /** A mixture of normal distributions of effects. */
  MIXTURE("mixture");

  private final String code;

  LearnedPriorKind(String code) {
    this.code = code;
  }

  /** The option value, as the manifest and the output write it. */
  @Override
  public String code() {
    return code;
  }

  /**
   * The learned prior named {@code code}.
   *
   * @throws IllegalArgumentException for another name
   */
  public static LearnedPriorKind of(String code) {
    return Coded.of(LearnedPriorKind.class, "learned prior", code);
  }

  @Override
  public String toString() {
    return code;
  }
}
