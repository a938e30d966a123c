package io.segfx.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one contender as a whole process, the way a user pays for it: a new JVM with this JVM's own
 * options (module opens, collector and compilers, {@code -Xmx}, system properties) and class path,
 * timed from before the process starts to after it exits. Its stdout and stderr go to {@code
 * LOGS/NAME.out} and {@code .err}.
 */
final class WholeCommand {
  private WholeCommand() {}

  /**
   * One finished run.
   *
   * @param seconds wall seconds from process start to exit, measured by the parent
   * @param peaks the child's {@link ProcessPeaks} figures
   */
  record Result(double seconds, Map<String, Double> peaks) {
    double peakHeapBytes() {
      return peaks.getOrDefault("peak_heap_bytes", Double.NaN);
    }

    double peakRssBytes() {
      return peaks.getOrDefault("peak_rss_bytes", Double.NaN);
    }

    double cpuSeconds() {
      return peaks.getOrDefault("cpu_s", Double.NaN);
    }
  }

  /** The java command of this JVM with its JVM options and class path, before the main class. */
  static List<String> thisJvm() {
    List<String> cmd = new ArrayList<>();
    cmd.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    return cmd;
  }

  /** Runs {@code main} with {@code args} in a new JVM; fails if it exits with a non-zero status. */
  static Result run(String name, Class<?> main, List<String> args, Path logs)
      throws IOException, InterruptedException {
    List<String> cmd = thisJvm();
    cmd.add(main.getName());
    cmd.addAll(args);
    return run(name, cmd, logs);
  }

  /**
   * Runs the command line {@code cmd} as it is (a launcher script, say), timed the same way; its
   * peaks are NaN unless it prints a {@link ProcessPeaks} line.
   */
  static Result run(String name, List<String> cmd, Path logs)
      throws IOException, InterruptedException {
    Files.createDirectories(logs);
    File out = logs.resolve(name + ".out").toFile();
    File err = logs.resolve(name + ".err").toFile();
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectOutput(out)
            .redirectError(err)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    long t = System.nanoTime();
    Process p = pb.start();
    int code = p.waitFor();
    double seconds = (System.nanoTime() - t) / 1e9;
    if (code != 0) {
      throw new IllegalStateException(
          name + " exited with status " + code + "; see " + out + " and " + err);
    }
    return new Result(
        seconds, ProcessPeaks.parse(Files.readAllLines(out.toPath(), StandardCharsets.UTF_8)));
  }
}
