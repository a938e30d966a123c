package io.segfx.model;

/**
 * How the segments of one group were pooled: the estimator whose figures stand, or why there are
 * none ({@code experiment_pooling.method}).
 */
public enum PoolingOutcome {
  /** Restricted maximum likelihood (empirical Bayes). */
  REML("reml"),
  /** DerSimonian–Laird (empirical Bayes). */
  DL("dl"),
  /** The seed notebook's moments estimator (empirical Bayes). */
  MOMENTS("moments"),
  /** Full Bayes over a grid of tau. */
  FULL("full"),
  /** Too few usable segments to pool; each keeps its own posterior. */
  NONE("none"),
  /** The pooling of the group failed; its note says why. */
  FAILED("failed");

  private final String code;

  PoolingOutcome(String code) {
    this.code = code;
  }

  /** The value the output tables write. */
  public String code() {
    return code;
  }

  /** The outcome of a group pooled by {@code method}. */
  public static PoolingOutcome of(PoolingMethod method) {
    return switch (method) {
      case REML -> REML;
      case DL -> DL;
      case MOMENTS -> MOMENTS;
      case FULL -> FULL;
    };
  }

  @Override
  public String toString() {
    return code;
  }
}
