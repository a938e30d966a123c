package io.segfx.model;

/** The standard errors of segment OLS estimates ({@code --se}). */
public enum StandardErrors implements Coded {
  /** Homoskedastic errors, from the sufficient statistics alone. */
  CLASSICAL("classical"),
  /** Heteroskedasticity-robust HC1 errors, from one more scan of the unit rows. */
  HC1("hc1"),
  /** Cluster-robust CR1 errors over {@code --cluster-col}, from one more scan. */
  CLUSTER("cluster");

  private final String code;

  StandardErrors(String code) {
    this.code = code;
  }

  /** The option value, as the manifest and the output write it. */
  @Override
  public String code() {
    return code;
  }

  /** True for the robust errors that need one more scan of the unit rows (hc1, cluster). */
  public boolean robust() {
    return this != CLASSICAL;
  }

  /**
   * The standard errors named {@code code}.
   *
   * @throws IllegalArgumentException for another name
   */
  public static StandardErrors of(String code) {
    return Coded.of(StandardErrors.class, "standard errors", code);
  }

  @Override
  public String toString() {
    return code;
  }
}
