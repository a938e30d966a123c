package io.segfx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * scripts/segfx refuses a malformed SEGFX_CONF with one line and exit status 2, before it builds or
 * starts a JVM: an entry that is not key=value (spaces around '='), a key that is not a Spark
 * property, and a key given twice.
 */
class ScriptConfTest {
  private static final Path SCRIPT =
      Path.of(System.getProperty("segfx.home", ".")).toAbsolutePath().resolve("scripts/segfx");

  @Test
  void malformedEntriesAreUsageErrors() throws Exception {
    String[][] cases = {
      {
        "spark.segfx.blockSums = false", "SEGFX_CONF entry 'spark.segfx.blockSums' is not key=value"
      },
      {"=x", "SEGFX_CONF entry '=x' is not key=value"},
      {"segfx.blockSums=false", "SEGFX_CONF key segfx.blockSums is not a Spark property"},
      {
        "spark.segfx.blockSums=false spark.segfx.blockSums=true",
        "SEGFX_CONF sets spark.segfx.blockSums twice"
      }
    };
    for (String[] c : cases) {
      ProcessBuilder pb =
          new ProcessBuilder(List.of(SCRIPT.toString(), "generate", "--help"))
              .redirectErrorStream(false);
      pb.environment().put("SEGFX_CONF", c[0]);
      Process p = pb.start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), c[0]);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(2, p.exitValue(), c[0] + ": " + err);
      assertEquals(1, err.lines().count(), err);
      assertTrue(err.startsWith("segfx: " + c[1]), err);
    }
  }
}
