package io.segfx.cli;

import static io.segfx.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --memos}: a bad value or a misspelt option is a usage error, one line, exit 2. */
class MemosOptionTest {
  private static void usageError(CliRun r, String... words) {
    assertEquals(2, r.code(), r.err());
    assertEquals("", r.out());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().startsWith("segfx: "), r.err());
    for (String w : words) {
      assertTrue(r.err().contains(w), "names " + w + ": " + r.err());
    }
  }

  @Test
  void anInvalidValueIsOneLineAndExitTwo() {
    usageError(
        cli(
            "segment-effects",
            "--input",
            "x",
            "--output",
            "o",
            "--metric",
            "y",
            "--memos",
            "top:5"),
        "--memos",
        "top:5",
        "top|all|none");
  }

  @Test
  void aMisspeltOptionIsOneLineAndExitTwo() {
    usageError(
        cli("segment-effects", "--input", "x", "--output", "o", "--metric", "y", "--memo", "all"),
        "--memo");
  }

  @Test
  void theHelpListsTheOption() {
    CliRun r = cli("segment-effects", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("--memos top|all|none"), r.out());
    assertTrue(r.out().contains("memos/all.md"), r.out());
  }
}
