package io.segfx.io;

import java.util.Objects;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * One declared output column: its name, type, whether it may hold null, and a one-line description
 * that the generated table reference prints.
 */
public record Column(String name, ColumnType type, boolean nullable, String description) {
  public Column {
    Objects.requireNonNull(type, "type");
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("column name must be snake_case, got " + name);
    }
    if (description == null || description.isBlank()) {
      throw new IllegalArgumentException("column " + name + " needs a description");
    }
  }

  /** A nullable column: every output column is, so that Spark and Parquet readers agree. */
  public static Column of(String name, ColumnType type, String description) {
    return new Column(name, type, true, description);
  }

  /** The Spark field this column is written as. */
  public StructField field() {
    return DataTypes.createStructField(name, type.sparkType(), nullable);
  }
}
