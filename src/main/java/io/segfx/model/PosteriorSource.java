package io.segfx.model;

/** How a segment posterior was summarised ({@code segment_posteriors.source}). */
public enum PosteriorSource {
  /** The pooled normal–normal posterior, exact. */
  NORMAL("normal"),
  /** An unpooled conjugate regression coefficient, exact. */
  STUDENT_T("student_t"),
  /** An unpooled Beta–Binomial or NIG difference, from posterior draws. */
  DRAWS("draws"),
  /** A segment pooled by full Bayes: the exact normal mixture over the tau grid. */
  HIERARCHICAL("hierarchical");

  private final String code;

  PosteriorSource(String code) {
    this.code = code;
  }

  /** The value the output tables write. */
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return code;
  }
}
