package io.segfx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.config.OptionDef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/options.md is generated from the option declarations; this fails when the
 * committed file and the declarations drift apart. {@code -Dsegfx.reference.update=true} rewrites
 * the file instead (refused under CI, like the golden files).
 */
class OptionsReferenceTest {
  @Test
  void committedReferenceMatchesTheDeclarations() throws Exception {
    Path file = Path.of(OptionsReference.PATH);
    String generated = OptionsReference.markdown();
    if (Boolean.getBoolean("segfx.reference.update")) {
      assertTrue(System.getenv("CI") == null, "refusing to rewrite " + file + " in CI");
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    String committed = Files.readString(file, StandardCharsets.UTF_8);
    assertEquals(
        generated,
        committed,
        file
            + " differs from the option declarations; regenerate it with: "
            + OptionsReference.REGENERATE);
  }

  @Test
  void everyOptionOfEveryCommandIsListed() {
    String md = OptionsReference.markdown();
    for (Command c : Commands.all()) {
      assertTrue(md.contains("## `" + c.name() + "`"), c.name());
      for (OptionDef d : c.options()) {
        assertTrue(md.contains("| `--" + d.name()), c.name() + " --" + d.name());
      }
    }
  }
}
