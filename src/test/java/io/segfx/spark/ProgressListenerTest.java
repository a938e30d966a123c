package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segfx.testing.SharedSparkSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress from a real local job: a scan of 8 Parquet files at interval 0 reports after every task
 * but the last, then a last line; tasks and rows never go down and end at the totals.
 */
class ProgressListenerTest extends SharedSparkSession {
  private static final Pattern LINE =
      Pattern.compile(
          "(\\S+) run=r1 stage=scan progress (\\d+)/(\\d+) tasks, ([\\d,]+) rows scanned, .*"
              + " elapsed, (eta .*|done)");
  private static final long ROWS = 80_000;
  private static final int FILES = 8;

  @TempDir Path tmp;

  private void runScan(ProgressListener listener) throws Exception {
    String path = tmp.resolve("rows.parquet").toString();
    spark().range(0, ROWS, 1, FILES).write().parquet(path);
    spark().sparkContext().addSparkListener(listener);
    // Each file opens at more than the split size, so each is one task: 8 tasks, not 2.
    spark().conf().set("spark.sql.files.openCostInBytes", 256L << 20);
    try {
      spark().sparkContext().setJobGroup("segfx-scan", "scan", false);
      // A filter on every row makes Spark read each row, not the Parquet footers' counts.
      long kept = spark().read().parquet(path).where("id % 7 = 3").count();
      assertEquals(ROWS / 7 + (ROWS % 7 > 3 ? 1 : 0), kept);
      spark().sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark().conf().unset("spark.sql.files.openCostInBytes");
      spark().sparkContext().clearJobGroup();
      spark().sparkContext().removeSparkListener(listener);
    }
  }

  @Test
  void linesAreMonotoneAndEndAtTheTotals() throws Exception {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    runScan(
        new ProgressListener(
            "r1",
            0,
            false,
            lines::add,
            new PrintStream(new ByteArrayOutputStream()),
            System::nanoTime));
    List<String> scan = new ArrayList<>();
    for (String l : lines) {
      if (l.contains("stage=scan")) {
        scan.add(l);
      }
    }
    // The scan stage (8 tasks, one per file) reports after each of its first 7 tasks, then once
    // at its end; the count's one-task stage finishes with its only task, so it prints nothing.
    Assertions.assertTrue(scan.size() >= FILES, String.join("\n", lines));
    int lastDone = -1;
    long lastRows = -1;
    boolean sawScanEnd = false;
    for (String l : scan) {
      Matcher m = LINE.matcher(l);
      Assertions.assertTrue(m.matches(), l);
      Instant.parse(m.group(1));
      int done = Integer.parseInt(m.group(2));
      int total = Integer.parseInt(m.group(3));
      long rows = Long.parseLong(m.group(4).replace(",", ""));
      if (total != FILES) {
        continue;
      }
      Assertions.assertTrue(done >= lastDone && rows >= lastRows, l);
      lastDone = done;
      lastRows = rows;
      if (m.group(5).equals("done")) {
        assertEquals(FILES, done);
        assertEquals(ROWS, rows);
        sawScanEnd = true;
      }
    }
    Assertions.assertTrue(sawScanEnd, String.join("\n", scan));
    assertEquals(FILES, lastDone);
    assertEquals(ROWS, lastRows);
  }

  @Test
  void barRedrawsOneLineAndEndsIt() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> lines = new ArrayList<>();
    runScan(
        new ProgressListener(
            "r1",
            0,
            true,
            lines::add,
            new PrintStream(bytes, true, StandardCharsets.UTF_8),
            System::nanoTime));
    String bar = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(List.of(), lines);
    Assertions.assertTrue(bar.startsWith("\rscan ["), bar);
    Assertions.assertTrue(
        bar.contains("[" + "#".repeat(30) + "] 8/8 tasks, 80,000 rows scanned"), bar);
    Assertions.assertTrue(bar.endsWith("\n"), bar);
    // Redrawn with \r: one line per finished stage, not one per report.
    Assertions.assertTrue(bar.chars().filter(c -> c == '\n').count() <= 2, bar);
  }

  @Test
  void quietWithinTheInterval() throws Exception {
    List<String> lines = new ArrayList<>();
    AtomicLong clock = new AtomicLong();
    // A clock that never advances: no stage runs as long as the interval.
    runScan(new ProgressListener("r1", 30, false, lines::add, System.err, clock::get));
    assertEquals(List.of(), lines);
  }

  @Test
  void intervalFromTheSparkConf() {
    assertEquals(30.0, ProgressListener.intervalSeconds(new SparkConf(false)));
    assertEquals(
        0.5,
        ProgressListener.intervalSeconds(
            new SparkConf(false).set(ProgressListener.INTERVAL_PROPERTY, "0.5")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ProgressListener.intervalSeconds(
                new SparkConf(false).set(ProgressListener.INTERVAL_PROPERTY, "soon")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ProgressListener("r1", -1, false, l -> {}, System.err, System::nanoTime));
  }

  @Test
  void durations() {
    assertEquals("45 s", ProgressListener.duration(44.6));
    assertEquals("3 min 05 s", ProgressListener.duration(185));
    assertEquals("2 h 01 min", ProgressListener.duration(7260));
  }
}
