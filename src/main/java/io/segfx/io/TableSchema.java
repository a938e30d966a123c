package io.segfx.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One output table's declaration: its name, the command that writes it, what it holds, and its
 * columns in order. The Spark schema and the table reference are both built from it, so they cannot
 * drift apart.
 *
 * @param name the table's folder name under the run's output
 * @param command the subcommand that writes the table
 * @param purpose what a row is and when the table is written, as Markdown prose
 * @param columns the columns in their written order
 */
public record TableSchema(String name, Command command, String purpose, List<Column> columns) {
  /** The subcommands that write tables. */
  public enum Command {
    SEGMENT_EFFECTS("segment-effects"),
    CAUSAL_IMPACT("causal-impact");

    private final String label;

    Command(String label) {
      this.label = label;
    }

    /** The subcommand as typed on the command line. */
    public String label() {
      return label;
    }
  }

  public TableSchema {
    Objects.requireNonNull(command, "command");
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("table name must be snake_case, got " + name);
    }
    if (purpose == null || purpose.isBlank()) {
      throw new IllegalArgumentException("table " + name + " needs a purpose");
    }
    columns = List.copyOf(columns);
    Set<String> seen = new HashSet<>();
    for (Column c : columns) {
      if (!seen.add(c.name())) {
        throw new IllegalArgumentException("table " + name + " declares " + c.name() + " twice");
      }
    }
  }

  /** Declares a table whose columns are given as groups (a shared key, then its own columns). */
  @SafeVarargs
  static TableSchema of(String name, Command command, String purpose, List<Column>... groups) {
    List<Column> all = new ArrayList<>();
    for (List<Column> g : groups) {
      all.addAll(g);
    }
    return new TableSchema(name, command, purpose, all);
  }

  /** The Spark schema the table is written with. */
  public StructType structType() {
    List<StructField> fields = new ArrayList<>(columns.size());
    for (Column c : columns) {
      fields.add(c.field());
    }
    return DataTypes.createStructType(fields);
  }
}
