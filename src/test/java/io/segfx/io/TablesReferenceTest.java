package io.segfx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed table reference is the generator's output. With {@code -Dsegfx.tables.update=true}
 * the test rewrites the file instead of comparing.
 */
class TablesReferenceTest {
  @Test
  void committedReferenceIsGenerated() throws IOException {
    Path file = Path.of(TablesReference.PATH);
    String generated = TablesReference.markdown();
    if (Boolean.getBoolean("segfx.tables.update")) {
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    String committed = Files.readString(file, StandardCharsets.UTF_8);
    assertEquals(
        generated,
        committed,
        TablesReference.PATH
            + " differs from the table declarations; regenerate it with: "
            + TablesReference.REGENERATE);
  }
}
