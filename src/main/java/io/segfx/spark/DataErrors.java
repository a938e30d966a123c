package io.segfx.spark;

import io.segfx.config.UsageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    UsageException named = duplicateColumns(e, input);
    if (named != null) {
      return named;
    }
    Throwable root = e;
    boolean data = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      String msg = String.valueOf(t.getMessage());
      if (msg.contains("[CANNOT_MERGE_SCHEMAS]")) {
        return new UsageException(
            "cannot read input "
                + input
                + ": its files give "
                + mergeConflict(msg)
                + "; write every file with the same type for each column",
            e);
      }
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

  /**
   * Whether the failure is one of the files' columns (names differing only in case, types or CSV
   * headers that differ between files), which the format was read right to find.
   */
  public static boolean columnsDiffer(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String msg = String.valueOf(t.getMessage());
      if (msg.contains("[COLUMN_ALREADY_EXISTS]")
          || msg.contains("[CANNOT_MERGE_SCHEMAS]")
          || msg.startsWith("CSV header does not conform to the schema")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The refusal of an input with two columns whose names differ only in case (Parquet files may
   * hold both; Spark matches names ignoring case, as segfx does, so they cannot be told apart), or
   * null when that is not the failure.
   */
  static UsageException duplicateColumns(Exception e, String input) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String msg = String.valueOf(t.getMessage());
      if (msg.contains("[COLUMN_ALREADY_EXISTS]")) {
        int a = msg.indexOf('`');
        int b = a < 0 ? -1 : msg.indexOf('`', a + 1);
        String column = b < 0 ? "" : " '" + msg.substring(a + 1, b) + "'";
        return new UsageException(
            "cannot read input "
                + input
                + ": it has two columns named"
                + column
                + " that differ only in case; rename one of them in the files",
            e);
      }
    }
    return null;
  }

  private static final Pattern FIELD =
      Pattern.compile("(`(?:[^`]|``)+`|[^\\s,<>:`]+): ([A-Z_]+(?:\\([^)]*\\))?)");

  private static final String FIRST = "Initial schema:";
  private static final String SECOND = "Schema that cannot be merged with the initial schema:";

  /**
   * The columns whose types differ between the two schemas Spark's merge names ("column 'arm' as
   * INT and as BIGINT"), or "columns of types that cannot be merged" when the message has no
   * schemas this reads.
   */
  static String mergeConflict(String msg) {
    int a = msg.indexOf(FIRST);
    int b = msg.indexOf(SECOND);
    if (a >= 0 && b > a) {
      Map<String, String> first = fields(msg.substring(a + FIRST.length(), b));
      Map<String, String> second = fields(msg.substring(b + SECOND.length()));
      List<String> differ = new ArrayList<>();
      for (Map.Entry<String, String> f : first.entrySet()) {
        String other = second.get(f.getKey());
        if (other != null && !other.equals(f.getValue())) {
          differ.add("'" + f.getKey() + "' as " + f.getValue() + " and as " + other);
        }
      }
      if (!differ.isEmpty()) {
        return "column " + String.join(", column ", differ);
      }
    }
    return "columns of types that cannot be merged";
  }

  /** name to type of a STRUCT<...> text; names in backticks unquoted. */
  private static Map<String, String> fields(String struct) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = FIELD.matcher(struct);
    while (m.find()) {
      String name = m.group(1);
      if (name.startsWith("`")) {
        name = name.substring(1, name.length() - 1).replace("``", "`");
      }
      out.putIfAbsent(name, m.group(2));
    }
    return out;
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
