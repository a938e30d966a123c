package io.segfx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.io.TableSchema.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/**
 * The declared schemas are the public contract the golden runs record: every declared table's
 * columns, types and order match the schema line of its golden dump.
 */
class SchemasTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  @Test
  void everyDeclaredTableMatchesItsGoldenSchema() throws IOException {
    for (TableSchema t : Schemas.all()) {
      Optional<String> golden = goldenSchema(t.name());
      assertTrue(golden.isPresent(), "no golden run writes " + t.name());
      StringBuilder declared = new StringBuilder("schema:");
      for (StructField f : t.structType().fields()) {
        declared.append(' ').append(f.name()).append(':').append(f.dataType().simpleString());
      }
      assertEquals(golden.get(), declared.toString(), t.name());
    }
  }

  @Test
  void segmentTablesAreKeyedByExperiment() {
    for (TableSchema t : Schemas.all()) {
      if (t.command() == Command.SEGMENT_EFFECTS && !t.name().equals("learned_prior")) {
        assertEquals("experiment_id", t.columns().get(0).name(), t.name());
      }
    }
  }

  @Test
  void declarationsRejectBadNamesAndRepeats() {
    Column a = Column.of("a", ColumnType.DOUBLE, "a number");
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TableSchema("t", Command.CAUSAL_IMPACT, "a table", List.of(a, a)));
    assertEquals("table t declares a twice", twice.getMessage());
    IllegalArgumentException name =
        assertThrows(
            IllegalArgumentException.class, () -> Column.of("Bad Name", ColumnType.INT, "x"));
    assertEquals("column name must be snake_case, got Bad Name", name.getMessage());
  }

  private static Optional<String> goldenSchema(String table) throws IOException {
    try (Stream<Path> runs = Files.list(GOLDEN)) {
      for (Path run : runs.sorted().toList()) {
        Path dump = run.resolve(table + ".txt");
        if (Files.exists(dump)) {
          return Files.readAllLines(dump, StandardCharsets.UTF_8).stream()
              .filter(l -> l.startsWith("schema:"))
              .findFirst();
        }
      }
    }
    return Optional.empty();
  }
}
