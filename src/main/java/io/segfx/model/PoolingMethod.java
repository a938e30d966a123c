package io.segfx.model;

/**
 * How segment estimates are pooled within an experiment ({@code --pooling}); {@link #code} is the
 * option value and what the output tables write.
 */
public enum PoolingMethod implements Coded {
  /** Restricted maximum likelihood estimate of tau^2, then plug-in posteriors (empirical Bayes). */
  REML("reml"),
  /** DerSimonian–Laird's method-of-moments estimate of tau^2 (empirical Bayes). */
  DL("dl"),
  /** The seed notebook's section-9 estimator with its floor on tau^2 (empirical Bayes). */
  MOMENTS("moments"),
  /** Full Bayes: tau integrated out over a grid (BDA 5.4). */
  FULL("full");

  private final String code;

  PoolingMethod(String code) {
    this.code = code;
  }

  /** The option value and table value. */
  @Override
  public String code() {
    return code;
  }

  /** True for the estimators of tau^2 whose mu gets a Knapp–Hartung interval (reml, dl). */
  public boolean knappHartung() {
    return this == REML || this == DL;
  }

  /**
   * The method of an option value.
   *
   * @throws IllegalArgumentException naming the value and the choices
   */
  public static PoolingMethod of(String code) {
    return Coded.of(PoolingMethod.class, "pooling method", code);
  }

  @Override
  public String toString() {
    return code;
  }
}
