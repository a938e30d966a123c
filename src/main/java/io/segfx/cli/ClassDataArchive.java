package io.segfx.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.management.ObjectName;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Writes the local launcher's class-data archive (docs/performance.md, "Start-up of local runs")
 * once a job has succeeded. {@code scripts/segfx} starts a job that has no archive yet with {@code
 * -XX:+RecordDynamicDumpInfo} and names the archive in the system property {@value #PROPERTY};
 * after the job, this asks the JVM for a dynamic dump (JDK 17's {@code VM.cds dynamic_dump}
 * diagnostic command) into a partial file in the same folder, then renames it into place and writes
 * its size beside it ({@code .size}), which the script compares before it maps an archive: a
 * truncated one is never used. A failed job, a refusal or an interrupted run writes nothing, and
 * the dump's own failure changes nothing the job wrote or returned. The folder keeps the newest
 * {@value #KEEP} archives, one per set of JVM settings in use.
 */
final class ClassDataArchive {
  private static final Logger LOG = LogManager.getLogger(ClassDataArchive.class);

  /** The system property that names the archive to write. */
  static final String PROPERTY = "segfx.cds.archive";

  /** Archives kept in the folder (several settings, e.g. an analyst's and a scheduler's heap). */
  static final int KEEP = 3;

  /**
   * Free space the folder must have before a dump: an archive of a job's classes is about 150 MB,
   * and the JVM ends the process when it cannot write one, so the dump is not tried near full.
   */
  private static final long MIN_FREE_BYTES = 1L << 30;

  /** Partial files older than this are left by killed runs and are removed. */
  private static final Duration STALE = Duration.ofHours(1);

  private ClassDataArchive() {}

  /** Writes the archive named by {@value #PROPERTY}, if any; never throws. */
  static void writeIfAsked() {
    String target = System.getProperty(PROPERTY);
    if (target == null || target.isBlank()) {
      return;
    }
    Path archive = Path.of(target).toAbsolutePath();
    Path dir = archive.getParent();
    Path partial =
        dir.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
    try {
      prune(dir, archive);
      if (Files.getFileStore(dir).getUsableSpace() < MIN_FREE_BYTES) {
        LOG.debug("class-data archive not written: under 1 GiB free in {}", dir);
        return;
      }
      dump(partial);
      long size = Files.isRegularFile(partial) ? Files.size(partial) : 0;
      if (size == 0) {
        Files.deleteIfExists(partial);
        return;
      }
      Files.move(
          partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Path sizeFile = sizeFile(archive);
      Path sizePartial = dir.resolve(sizeFile.getFileName() + "." + ProcessHandle.current().pid());
      Files.writeString(sizePartial, Long.toString(size), StandardCharsets.US_ASCII);
      Files.move(
          sizePartial,
          sizeFile,
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (Exception | LinkageError e) {
      LOG.debug("class-data archive not written", e);
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // Nothing more to do: a partial file left behind is removed by a later run.
      }
    }
  }

  /**
   * The JVM's dynamic dump into {@code file}. The command announces itself on standard output,
   * where the job's own output has just ended: that line goes nowhere.
   */
  private static void dump(Path file) throws Exception {
    PrintStream out = System.out;
    out.flush();
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      ManagementFactory.getPlatformMBeanServer()
          .invoke(
              new ObjectName("com.sun.management:type=DiagnosticCommand"),
              "vmCds",
              new Object[] {new String[] {"dynamic_dump", file.toString()}},
              new String[] {String[].class.getName()});
    } finally {
      System.setOut(out);
    }
  }

  /** The file that holds an archive's size in bytes. */
  static Path sizeFile(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".size");
  }

  /**
   * Removes partial files older than {@link #STALE} and all but the newest {@link #KEEP} - 1
   * archives other than {@code keep}, with their size files.
   */
  static void prune(Path dir, Path keep) throws IOException {
    List<Path> archives = new ArrayList<>();
    Instant stale = Instant.now().minus(STALE);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "segfx-*")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(".partial")) {
          if (Files.getLastModifiedTime(f).toInstant().isBefore(stale)) {
            Files.deleteIfExists(f);
          }
        } else if (name.endsWith(".jsa") && !f.equals(keep)) {
          archives.add(f);
        }
      }
    }
    archives.sort(Comparator.comparing(ClassDataArchive::modified).reversed());
    for (int i = KEEP - 1; i < archives.size(); i++) {
      Files.deleteIfExists(archives.get(i));
      Files.deleteIfExists(sizeFile(archives.get(i)));
    }
  }

  private static FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
