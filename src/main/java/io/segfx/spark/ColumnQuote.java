package io.segfx.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Quotes a column name for Spark SQL, so an input column whose name holds a dot, a space or a
 * backtick is read as that one column rather than parsed as a nested field or an expression. Every
 * place that refers to an input column by name goes through here.
 */
public final class ColumnQuote {
  private ColumnQuote() {}

  /** The name between backticks, with each backtick in it doubled (Spark SQL's escape). */
  public static String quote(String name) {
    if (name == null) {
      throw new IllegalArgumentException("column name is null");
    }
    return "`" + name.replace("`", "``") + "`";
  }

  /** The column of that exact name. */
  public static Column col(String name) {
    return functions.col(quote(name));
  }
}
