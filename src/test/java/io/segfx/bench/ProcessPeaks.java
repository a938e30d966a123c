package io.segfx.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last stdout line of a contender's JVM ({@link SegfxCommand}, {@link PeerJob}, {@link
 * BareAggregationJob}): its peak heap, peak resident memory and CPU seconds, which the bench reads
 * back because the parent cannot see them once the child has exited.
 */
final class ProcessPeaks {
  static final String PREFIX = "bench-child:";

  private ProcessPeaks() {}

  /**
   * {@code bench-child: peak_heap_bytes=H peak_rss_bytes=R cpu_s=C}. The heap figure sums each heap
   * pool's own peak, an upper bound of the heap in use at any one time (the pools peak at different
   * moments); the resident peak is {@code VmHWM} of {@code /proc/self/status} (-1 where absent).
   */
  static String line() {
    long heap = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heap += p.getPeakUsage().getUsed();
      }
    }
    double cpu =
        ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()
            / 1e9;
    return String.format(
        Locale.ROOT,
        "%s peak_heap_bytes=%d peak_rss_bytes=%d cpu_s=%.2f",
        PREFIX,
        heap,
        residentPeak(),
        cpu);
  }

  private static long residentPeak() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1; // not Linux: the figure is left out
    }
    return -1;
  }

  /** The key=value pairs of the last {@link #PREFIX} line among {@code lines}; empty if none. */
  static Map<String, Double> parse(List<String> lines) {
    Map<String, Double> m = new TreeMap<>();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(PREFIX)) {
        for (String kv : lines.get(i).substring(PREFIX.length()).trim().split(" ")) {
          String[] p = kv.split("=", 2);
          m.put(p[0], Double.parseDouble(p[1]));
        }
        break;
      }
    }
    return m;
  }
}
