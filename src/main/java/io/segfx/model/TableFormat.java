package io.segfx.model;

import java.util.Locale;

/** The format of input and output tables ({@code --input-format}, {@code --output-format}). */
public enum TableFormat implements Coded {
  /** Apache Parquet files. */
  PARQUET("parquet"),
  /** Comma- (or otherwise) separated text with a header line. */
  CSV("csv");

  private final String code;

  TableFormat(String code) {
    this.code = code;
  }

  /** The option value, as the manifest and the output write it. */
  @Override
  public String code() {
    return code;
  }

  /** csv when the path ends in .csv (or .csv.gz), parquet otherwise. */
  public static TableFormat fromPath(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    return p.endsWith(".csv") || p.endsWith(".csv.gz") ? CSV : PARQUET;
  }

  /**
   * The table format named {@code code}.
   *
   * @throws IllegalArgumentException for another name
   */
  public static TableFormat of(String code) {
    return Coded.of(TableFormat.class, "table format", code);
  }

  @Override
  public String toString() {
    return code;
  }
}
