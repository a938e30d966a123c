package io.segfx.bench;

import org.apache.spark.sql.SparkSession;

/**
 * The bare Spark SQL sum aggregation and driver solve ({@link Bench#bareAggregation}) as a program
 * of its own: {@code BareAggregationJob DATA MASTER}, then the process's peaks.
 */
public final class BareAggregationJob {
  private BareAggregationJob() {}

  public static void main(String[] args) {
    SparkSession spark = Bench.session(args[1]);
    int cells = Bench.bareAggregation(spark, args[0]).size();
    System.out.println("bare aggregation: " + cells + " cells");
    System.out.println(ProcessPeaks.line());
  }
}
