package io.segfx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segfx.config.UsageException;
import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output that is a symbolic link is refused before the run, in either mode: a link to a previous
 * output would be replaced by the new folder, and a dangling one would fail only at publication.
 * The link and what it points to stay as they were.
 */
class RunOutputLinkTest extends SharedSparkSession {
  @TempDir Path tmp;

  @Test
  void symbolicLinksAreRefusedAndLeftAlone() throws Exception {
    Path prev = Files.createDirectory(tmp.resolve("prev"));
    Files.writeString(
        prev.resolve(RunOutput.MANIFEST), "{\"run_id\":\"r0\",\"command\":\"segment-effects\"}");
    Path latest = Files.createSymbolicLink(tmp.resolve("latest"), prev);
    Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nowhere"));
    for (Path link : List.of(latest, dangling)) {
      for (WriteMode mode : WriteMode.values()) {
        UsageException e =
            assertThrows(
                UsageException.class,
                () ->
                    RunOutput.open(
                        spark(), link.toString(), mode, TableFormat.PARQUET, "r1", List.of()));
        assertEquals(
            "--output "
                + link
                + " is a symbolic link; pass the folder it points to (segfx replaces the output"
                + " folder as a whole, which would replace the link)",
            e.getMessage());
        assertEquals(true, Files.isSymbolicLink(link));
      }
    }
    assertEquals(
        List.of(RunOutput.MANIFEST),
        Files.list(prev).map(p -> p.getFileName().toString()).toList());
    try (var left = Files.list(tmp)) {
      assertEquals(3, left.count(), "no staging folder left behind");
    }
  }
}
