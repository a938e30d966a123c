package io.segfx.model;

/** What a run does when its output folder exists ({@code --mode}). */
public enum WriteMode implements Coded {
  /** Refuse the run, keeping the folder as it is. */
  ERROR("error"),
  /** Replace the folder (only one segfx itself wrote). */
  OVERWRITE("overwrite");

  private final String code;

  WriteMode(String code) {
    this.code = code;
  }

  /** The option value, as the manifest and the output write it. */
  @Override
  public String code() {
    return code;
  }

  /**
   * The write mode named {@code code}.
   *
   * @throws IllegalArgumentException for another name
   */
  public static WriteMode of(String code) {
    return Coded.of(WriteMode.class, "write mode", code);
  }

  @Override
  public String toString() {
    return code;
  }
}
