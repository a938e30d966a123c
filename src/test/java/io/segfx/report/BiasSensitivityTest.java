package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.config.JobSpec;
import io.segfx.io.OutputTables;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed notebook section 8: the adjusted-for-X posterior (printed mean 2.7790, sd 0.0730) minus
 * three bias priors. segfx's figures are exact (normal effect minus normal bias); the notebook's
 * come from 40,000 draws, so the tolerance is 4 of its Monte Carlo SEs (sd/sqrt(40000) for means
 * and quantiles x 2.5, sd/sqrt(80000) for sds) plus 1e-4 for the rounding of its printed input and
 * output.
 */
class BiasSensitivityTest extends SharedSparkSession {
  @TempDir Path tmp;

  @Test
  void section8AndTheConfoundingWarning() throws Exception {
    Path in = tmp.resolve("obs.csv");
    Files.writeString(in, "segment,estimate,std_error\nall,2.7790,0.0730\n");
    Path out = tmp.resolve("obs-out");
    JobRunner.run(
        spark(),
        "--input",
        in.toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "estimates",
        "--metric",
        "effect",
        "--design",
        "observational",
        "--bias-prior",
        "none=0,0.05;moderate=0.6,0.25;large=1.1,0.5");
    Map<String, Row> rows = new HashMap<>();
    for (Row r :
        JobRunner.table(spark(), out.toString(), OutputTables.BIAS_SENSITIVITY).collectAsList()) {
      rows.put(r.getAs("scenario"), r);
    }
    double[][] printed = {
      {2.7786, 0.0887, 2.6064, 2.9528, 1.0},
      {2.1776, 0.2622, 1.6675, 2.6924, 1.0},
      {1.6805, 0.5068, 0.6717, 2.6694, 0.9996}
    };
    String[] names = {"none", "moderate", "large"};
    for (int i = 0; i < 3; i++) {
      Row r = rows.get(names[i]);
      double sd = printed[i][1];
      double tol = 4 * sd / Math.sqrt(40_000) + 1e-4;
      assertEquals(printed[i][0], (double) r.getAs("mean"), tol, names[i] + " mean");
      assertEquals(
          printed[i][1],
          (double) r.getAs("sd"),
          4 * sd / Math.sqrt(80_000) + 1e-4,
          names[i] + " sd");
      assertEquals(printed[i][2], (double) r.getAs("q025"), 2.5 * tol, names[i] + " q025");
      assertEquals(printed[i][3], (double) r.getAs("q975"), 2.5 * tol, names[i] + " q975");
      double p = printed[i][4];
      assertEquals(
          p,
          (double) r.getAs("prob_positive"),
          4 * Math.sqrt(Math.max(p * (1 - p), 1e-4) / 40_000) + 5e-5,
          names[i] + " P>0");
    }
    Row d = JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_DECISIONS).first();
    Assertions.assertNull(d.getAs("warning"), "a bias prior was given: no warning");
    Assertions.assertTrue(
        Files.readString(out.resolve("memos/all.md")).contains("Bias scenario `large`"));

    Path out2 = tmp.resolve("obs-out2");
    JobRunner.run(
        spark(),
        "--input",
        in.toString(),
        "--output",
        out2.toString(),
        "--input-kind",
        "estimates",
        "--metric",
        "effect",
        "--design",
        "observational");
    Row w = JobRunner.table(spark(), out2.toString(), OutputTables.EXPERIMENT_DECISIONS).first();
    assertEquals(JobSpec.CONFOUNDING_WARNING, w.getAs("warning"));
    String memo = Files.readString(out2.resolve("memos/all.md"));
    Assertions.assertTrue(memo.contains("> **Warning:** " + JobSpec.CONFOUNDING_WARNING), memo);
  }
}
