package io.segfx.spark;

/** Names of the internal columns of the validated input, and of the quarantine reason column. */
public final class Columns {
  private Columns() {}

  public static final String EXPERIMENT = "__segfx_experiment";
  public static final String SEGMENT = "__segfx_segment";
  public static final String ARM = "__segfx_arm";

  /** Null for a usable row; otherwise why the row is quarantined. */
  public static final String REASON = "__segfx_reason";

  /** Prefix of the numeric value columns: covariates first, then metrics. */
  public static final String VALUE_PREFIX = "__segfx_v";

  /** The cluster id column (--cluster-col), after the values. */
  public static final String CLUSTER = "__segfx_cluster";

  /** Column added to {@code rejected_rows}. */
  public static final String REJECT_REASON = "reject_reason";

  /**
   * CSV input: the raw text of a line whose number of fields differs from the header's (null on
   * well-formed lines). Kept in {@code rejected_rows} so the line can be found and mended.
   */
  public static final String CORRUPT_RECORD = "segfx_raw_line";

  /** Reason of a CSV line whose number of fields differs from the header's. */
  public static final String MALFORMED_LINE = "malformed_line";

  /**
   * Ordinals of the key and reason columns in the validated projection, whose internal rows the
   * stage-1 and robust scans read by position (an {@code InternalRow} has no names).
   */
  public static final int EXPERIMENT_ORDINAL = 0;

  public static final int SEGMENT_ORDINAL = 1;
  public static final int ARM_ORDINAL = 2;
  public static final int REASON_ORDINAL = 3;

  /** Ordinal of the first value column in the validated projection. */
  public static final int FIRST_VALUE = 4;
}
