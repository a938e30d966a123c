package io.segfx.bench;

import org.apache.spark.sql.SparkSession;

/**
 * The per-group peer ({@link Bench#peer}) as a program of its own: {@code PeerJob DATA MASTER}, a
 * session set up as the bench's, the fits collected to the driver, then the process's peaks.
 */
public final class PeerJob {
  private PeerJob() {}

  public static void main(String[] args) {
    SparkSession spark = Bench.session(args[1]);
    int cells = Bench.peer(spark, args[0]).size();
    System.out.println("peer: " + cells + " cells");
    System.out.println(ProcessPeaks.line());
  }
}
