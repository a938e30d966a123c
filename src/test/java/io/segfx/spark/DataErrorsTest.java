package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link DataErrors#mergeConflict} on Spark 3.5's CANNOT_MERGE_SCHEMAS text. */
class DataErrorsTest {
  private static String message(String first, String second) {
    return "[CANNOT_MERGE_SCHEMAS] Failed merging schemas:\nInitial schema:\n\"STRUCT<"
        + first
        + ">\"\nSchema that cannot be merged with the initial schema:\n\"STRUCT<"
        + second
        + ">\".";
  }

  @Test
  void namesEachColumnWhoseTypesDiffer() {
    assertEquals(
        "column 'arm' as INT and as BIGINT",
        DataErrors.mergeConflict(
            message(
                "experiment_id: STRING, arm: INT, y: DOUBLE",
                "experiment_id: STRING, arm: BIGINT, y: DOUBLE")));
    // A nested struct, a quoted name with a space and a type with an underscore.
    assertEquals(
        "column 'my y' as DOUBLE and as FLOAT, column 't' as TIMESTAMP and as TIMESTAMP_NTZ",
        DataErrors.mergeConflict(
            message(
                "meta: STRUCT<a: INT, b: STRING>, `my y`: DOUBLE, t: TIMESTAMP, arm: INT",
                "meta: STRUCT<a: INT, b: STRING>, `my y`: FLOAT, t: TIMESTAMP_NTZ, arm: INT")));
    assertEquals(
        "column 'a`b' as DECIMAL(10,2) and as DECIMAL(12,2)",
        DataErrors.mergeConflict(message("`a``b`: DECIMAL(10,2)", "`a``b`: DECIMAL(12,2)")));
  }

  @Test
  void anUnreadMessageGivesTheGeneralWords() {
    assertEquals(
        "columns of types that cannot be merged",
        DataErrors.mergeConflict("[CANNOT_MERGE_SCHEMAS] something else"));
  }
}
