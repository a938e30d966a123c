package io.segfx.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.config.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The safety rules of {@link RunOutput}: an output never overlaps an input, and {@code --mode
 * overwrite} replaces only a previous segfx output, never a user's files.
 */
final class OutputGuard {
  private OutputGuard() {}

  /** The command names a segfx manifest carries in its {@code command} field. */
  private static final Set<String> COMMANDS = Set.of("segment-effects", "causal-impact");

  /**
   * Refuses to replace {@code target} unless it is an empty folder or a previous segfx output: a
   * folder with a {@value RunOutput#MANIFEST} whose {@code command} is a segfx command and that has
   * a {@code run_id}.
   */
  static void refuseForeign(FileSystem fs, Path target, String output) throws IOException {
    if (!fs.getFileStatus(target).isDirectory()) {
      throw new UsageException(
          "--output "
              + output
              + " is an existing file, not a segfx output folder; refusing to"
              + " overwrite it: choose another path");
    }
    if (fs.listStatus(target).length == 0) {
      return;
    }
    Path manifest = new Path(target, RunOutput.MANIFEST);
    JsonNode m = null;
    if (fs.exists(manifest)) {
      try (InputStream in = fs.open(manifest)) {
        m = new ObjectMapper().readTree(in);
      } catch (JsonProcessingException e) {
        m = null;
      }
    }
    boolean ours =
        m != null && m.hasNonNull("run_id") && COMMANDS.contains(m.path("command").asText(""));
    if (!ours) {
      throw new UsageException(
          "--output "
              + output
              + " exists and is not a previous segfx output (no segfx "
              + RunOutput.MANIFEST
              + "); --mode overwrite replaces only segfx's own output folders:"
              + " choose a new folder or remove it yourself");
    }
    // Files added to a previous output by someone else are not segfx's to delete: with the run's
    // index, everything present at any depth, hidden or not, must be one the run wrote.
    Path index = new Path(target, RunOutput.FILES);
    if (fs.exists(index)) {
      Set<String> listed = new HashSet<>();
      try (InputStream in = fs.open(index)) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (!line.isEmpty()) {
            listed.add(line);
          }
        }
      }
      List<String> present = new ArrayList<>();
      walk(fs, target, "", present);
      List<String> extra = new ArrayList<>();
      for (String f : present) {
        if (!listed.contains(f)) {
          extra.add(f);
        }
      }
      refuseExtra(output, extra);
      return;
    }
    Set<String> written = new HashSet<>(List.of(RunOutput.MANIFEST, RunOutput.SUCCESS));
    if (m.has(RunOutput.OUTPUTS)) {
      m.get(RunOutput.OUTPUTS).forEach(n -> written.add(n.asText()));
    }
    // An output from before the index: its entries by name, and no hidden file but checksums.
    List<String> foreign = new ArrayList<>();
    for (FileStatus f : fs.listStatus(target)) {
      String name = f.getPath().getName();
      boolean hidden = name.startsWith(".");
      if (hidden
          ? !name.endsWith(".crc")
          : !written.contains(name) && (m.has(RunOutput.OUTPUTS) || !LEGACY.contains(name))) {
        foreign.add(name);
      }
    }
    refuseExtra(output, foreign);
  }

  /**
   * Every file and folder under {@code dir}, as paths relative to the walk's root with {@code
   * prefix} (folders end in '/'), hidden ones included.
   */
  static void walk(FileSystem fs, Path dir, String prefix, List<String> out) throws IOException {
    for (FileStatus f : fs.listStatus(dir)) {
      String rel = prefix + f.getPath().getName();
      if (f.isDirectory()) {
        out.add(rel + "/");
        walk(fs, f.getPath(), rel + "/", out);
      } else {
        out.add(rel);
      }
    }
  }

  private static void refuseExtra(String output, List<String> foreign) {
    if (!foreign.isEmpty()) {
      Collections.sort(foreign);
      throw new UsageException(
          "--output "
              + output
              + " is a previous segfx output but also holds files segfx did not write ("
              + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
              + (foreign.size() > 5 ? ", ..." : "")
              + "); move them, or choose another folder");
    }
  }

  /** What outputs written before {@value RunOutput#OUTPUTS} was recorded may hold. */
  private static final Set<String> LEGACY =
      Set.of(
          "segment_estimates",
          "segment_posteriors",
          "experiment_pooling",
          "experiment_decisions",
          "arm_posteriors",
          "prior_sensitivity",
          "bias_sensitivity",
          "learned_prior",
          "learned_prior_effects",
          "rejected_rows",
          "impact_summary",
          "impact_pointwise",
          "memos",
          "report");

  /**
   * Refuses an output that equals, contains or lies inside {@code input}, compared as fully
   * qualified paths (scheme, authority, absolute path) after resolving {@code .} and {@code ..}.
   */
  static void refuseOverlap(SparkSession spark, Path target, String output, String input) {
    Path in;
    try {
      Path p = new Path(input);
      in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p);
    } catch (IOException | IllegalArgumentException e) {
      return; // the reader reports an unusable input path
    }
    String t = normalized(target);
    String i = normalized(in);
    if (t.equals(i) || i.startsWith(t + "/") || t.startsWith(i + "/")) {
      throw new UsageException(
          "--output "
              + output
              + " overlaps the input "
              + input
              + " (the same path, or one inside the other); choose an output folder outside the"
              + " input");
    }
  }

  private static String normalized(Path p) {
    URI u = p.toUri().normalize();
    if ("file".equals(u.getScheme())) {
      return "file://" + realLocal(java.nio.file.Path.of(u.getPath()));
    }
    String path = u.getPath() == null ? "" : u.getPath();
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    String authority = u.getAuthority() == null ? "" : u.getAuthority().toLowerCase(Locale.ROOT);
    return scheme + "://" + authority + path;
  }

  /**
   * A local path with symbolic links resolved: the real path of its longest existing prefix plus
   * the rest, so that a link to the input folder counts as the input folder.
   */
  private static String realLocal(java.nio.file.Path p) {
    java.nio.file.Path abs = p.toAbsolutePath().normalize();
    java.nio.file.Path existing = abs;
    java.nio.file.Path rest = abs.getFileSystem().getPath("");
    while (existing != null && !Files.exists(existing)) {
      rest = existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    try {
      java.nio.file.Path real = existing == null ? abs : existing.toRealPath().resolve(rest);
      String s = real.normalize().toString();
      return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    } catch (IOException e) {
      return abs.toString();
    }
  }
}
