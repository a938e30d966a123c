package io.segfx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive folder's housekeeping, and a dump this JVM cannot make (it runs without {@code
 * -XX:+RecordDynamicDumpInfo}) leaving nothing behind and throwing nothing. The dump itself runs in
 * {@code .ci/run}, through {@code scripts/segfx example}, which checks the archive and its size.
 */
class ClassDataArchiveTest {
  @TempDir Path dir;

  @Test
  void keepsTheNewestArchivesAndDropsStalePartialFiles() throws Exception {
    Instant now = Instant.now();
    for (int i = 0; i < 5; i++) {
      Path a = dir.resolve("segfx-" + i + ".jsa");
      Files.writeString(a, "archive " + i);
      Files.writeString(ClassDataArchive.sizeFile(a), "9");
      Files.setLastModifiedTime(a, FileTime.from(now.minus(Duration.ofMinutes(10 * i))));
    }
    Path stale = dir.resolve("segfx-9.jsa.123.partial");
    Files.writeString(stale, "killed run");
    Files.setLastModifiedTime(stale, FileTime.from(now.minus(Duration.ofHours(2))));
    Path running = dir.resolve("segfx-8.jsa.456.partial");
    Files.writeString(running, "a dump under way");
    Path other = dir.resolve("notes.txt");
    Files.writeString(other, "not ours");

    // The archive being written is segfx-4 (the oldest): it stays, with the two newest others.
    ClassDataArchive.prune(dir, dir.resolve("segfx-4.jsa"));

    assertEquals(
        new TreeSet<>(
            List.of(
                "notes.txt",
                "segfx-0.jsa",
                "segfx-0.jsa.size",
                "segfx-1.jsa",
                "segfx-1.jsa.size",
                "segfx-4.jsa",
                "segfx-4.jsa.size",
                "segfx-8.jsa.456.partial")),
        names());
  }

  @Test
  void aDumpTheJvmRefusesLeavesNothing() throws Exception {
    Path archive = dir.resolve("segfx-1.jsa");
    String before = System.getProperty(ClassDataArchive.PROPERTY);
    System.setProperty(ClassDataArchive.PROPERTY, archive.toString());
    try {
      ClassDataArchive.writeIfAsked();
    } finally {
      if (before == null) {
        System.clearProperty(ClassDataArchive.PROPERTY);
      } else {
        System.setProperty(ClassDataArchive.PROPERTY, before);
      }
    }
    assertFalse(Files.exists(archive));
    assertEquals(new TreeSet<String>(), names());
  }

  private TreeSet<String> names() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
    }
  }
}
