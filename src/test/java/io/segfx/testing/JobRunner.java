package io.segfx.testing;

import io.segfx.config.JobSpec;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.job.SegmentEffectsJob;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Runs segment-effects in the test JVM from command-line style arguments, and reads its tables. */
public final class JobRunner {
  private JobRunner() {}

  public static SegmentEffectsJob.Outcome run(SparkSession spark, String... args) {
    JobSpec spec =
        JobSpec.from(
            OptionValues.resolve(JobSpec.COMMAND, JobSpec.OPTIONS, args, SpecReader::read));
    return SegmentEffectsJob.run(spark, spec);
  }

  public static Dataset<Row> table(SparkSession spark, String output, String name) {
    return spark.read().parquet(output + "/" + name);
  }

  /**
   * A table's rows in file order, each as the text of its values; doubles print with {@link
   * Double#toString}, which is exact (distinct doubles print differently), so equal lists mean
   * bit-identical tables.
   */
  public static List<String> rows(SparkSession spark, String output, String name) {
    List<String> out = new ArrayList<>();
    for (Row r : table(spark, output, name).collectAsList()) {
      out.add(r.toString());
    }
    return out;
  }
}
