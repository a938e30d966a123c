package io.segfx.config;

import io.segfx.model.Coded;

/**
 * Which decision memos a run writes ({@code --memos}). A run of 100,000 experiments should not
 * leave 100,000 small files on an object store unless asked, so the default writes a file only for
 * the experiments the report has a page for, plus one combined file with every experiment.
 */
public enum MemoScope implements Coded {
  /**
   * A memo file per (experiment, variant) whose experiment has a report page (charted or flagged,
   * see {@link ReportScope}), plus the combined file of every experiment.
   */
  TOP("top"),
  /** A memo file per (experiment, variant), plus the combined file. */
  ALL("all"),
  /** No memos. */
  NONE("none");

  /** The default of {@code --memos}. */
  public static final String DEFAULT = "top";

  private final String code;

  MemoScope(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /**
   * The scope named {@code code}.
   *
   * @throws IllegalArgumentException for another name
   */
  public static MemoScope of(String code) {
    return Coded.of(MemoScope.class, "--memos", code);
  }

  /** Whether the run writes the combined file {@code memos/all.md}. */
  public boolean combined() {
    return this != NONE;
  }

  @Override
  public String toString() {
    return code;
  }
}
