package io.segfx.spark;

import io.segfx.config.UsageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Spark failure caused by the input data (an unreadable or corrupt file, a column whose
 * type differs between files) into a {@link UsageException} that names the input and the cause, so
 * no Spark stack trace reaches the user for a data problem.
 */
public final class DataErrors {
  private DataErrors() {}

  /**
   * The translated exception, or {@code e} itself when the input is not the cause (a checked
   * exception, which Spark's Scala code throws undeclared, wrapped unchanged).
   */
  public static RuntimeException translate(Exception e, String input) {
    Throwable root = e;
    boolean data = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      String msg = String.valueOf(t.getMessage());
      if (msg.startsWith("CSV header does not conform to the schema")) {
        return new UsageException(
            "cannot read input "
                + input
                + ": the files' CSV headers differ ("
                + headerLines(msg)
                + "); every file of a folder needs the same columns in the same order",
            e);
      }
      if (t instanceof IOException
          || name.contains("parquet")
          || name.contains("SchemaColumnConvertNotSupported")
          || name.contains("QueryExecutionException")
          || msg.contains("FAILED_READ_FILE")
          || msg.contains("CANNOT_READ")
          || msg.contains("not a Parquet file")
          || msg.contains("MALFORMED")) {
        data = true;
      }
      root = t;
      if (t.getCause() == t) {
        break;
      }
    }
    if (!data) {
      return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    return new UsageException(
        "cannot read input " + input + ": " + firstLine(root.getMessage()), e);
  }

  /** The header, the expected columns and the file named by Spark's header check, on one line. */
  private static String headerLines(String msg) {
    List<String> parts = new ArrayList<>();
    for (String line : msg.split("\n")) {
      String l = line.strip();
      if (l.startsWith("Header:") || l.startsWith("Schema:") || l.startsWith("CSV file:")) {
        parts.add(l.replace("Schema:", "first file:"));
      }
    }
    return String.join("; ", parts);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
