package io.segfx.model;

/**
 * The one decision per (experiment, variant) of {@code experiment_verdicts}: launch, do not launch,
 * collect more data, or investigate (a sample-ratio mismatch, a violated guardrail, or an
 * observational design's confounding warning, which no amount of data on the primary metric
 * settles).
 */
public enum Verdict implements Coded {
  LAUNCH("launch"),
  DO_NOT_LAUNCH("do_not_launch"),
  COLLECT_MORE_DATA("collect_more_data"),
  INVESTIGATE("investigate");

  private final String code;

  Verdict(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /**
   * The verdict written {@code code}.
   *
   * @throws IllegalArgumentException for another code
   */
  public static Verdict of(String code) {
    return Coded.of(Verdict.class, "verdict", code);
  }

  @Override
  public String toString() {
    return code;
  }
}
