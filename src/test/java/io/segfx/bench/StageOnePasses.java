package io.segfx.bench;

import io.segfx.config.JobSpec;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.spark.SufficientStatsStage;
import io.segfx.spark.ValidationStage;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Stage 1 alone, pass after pass in one JVM, with block sums on and off in turn: what the scan and
 * the merge-and-fit cost once the JIT has compiled them, apart from a command's start-up. Benchmark
 * code, not a test: {@code java ... io.segfx.bench.StageOnePasses DATA.parquet PASSES} (the bench's
 * data, {@code revenue,converted:binary} on {@code x1,x2}); one line per pass with its wall and
 * process CPU seconds. {@code -Dsegfx.passes.blockSums=true} (or {@code false}) runs one kind of
 * sums only, so that a profile of the passes holds one.
 */
public final class StageOnePasses {
  private StageOnePasses() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: StageOnePasses DATA.parquet PASSES");
      System.exit(2);
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
            .config("spark.kryo.referenceTracking", "false")
            .config("spark.kryo.registrator", "io.segfx.spark.SegfxKryoRegistrator")
            .getOrCreate();
    String in = args[0];
    String[] options = {
      "--input",
      in,
      "--output",
      "unused",
      "--control-arm",
      "0",
      "--metric",
      "revenue,converted:binary",
      "--covariates",
      "x1,x2"
    };
    JobSpec spec =
        JobSpec.from(
            OptionValues.resolve(JobSpec.COMMAND, JobSpec.OPTIONS, options, SpecReader::read));
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int pass = 1; pass <= Integer.parseInt(args[1]); pass++) {
      for (String blocks : System.getProperty("segfx.passes.blockSums", "true,false").split(",")) {
        spark.conf().set("spark.segfx.blockSums", blocks);
        Dataset<Row> input = spark.read().parquet(in);
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        SufficientStatsStage.Result r =
            SufficientStatsStage.run(input, ValidationStage.apply(input, spec), spec);
        double seconds = (System.nanoTime() - wall) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "pass=%d sums=%s wall_s=%.2f cpu_s=%.2f rows=%d rows_per_s=%.0f%n",
            pass,
            r.sums(),
            seconds,
            (os.getProcessCpuTime() - cpu) / 1e9,
            r.rowsUsed(),
            r.rowsUsed() / seconds);
      }
    }
    spark.stop();
  }
}
