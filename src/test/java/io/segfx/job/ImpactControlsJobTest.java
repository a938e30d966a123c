package io.segfx.job;

import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.stats.Seeds;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * causal-impact with --season and --control-prior through Spark: impact_controls is written with
 * one row per (series, control), the spike-and-slab run finds the real controls, and the same seed
 * gives bit-identical tables under another partitioning.
 */
class ImpactControlsJobTest extends SharedSparkSession {
  @TempDir Path tmp;

  private static final List<String> CONTROLS = List.of("c1", "c2", "c3", "c4", "c5", "c6");

  /**
   * Three series of 120 days: y = 5 + 1.5 c1 − 0.7 c2 + a weekly pattern + N(0, 1), effect 3 from
   * day 90; c3..c6 are noise.
   */
  private Path data() throws Exception {
    double[] g = {2, -1, 0.5, 0, -0.5, 1, -2};
    StringBuilder b = new StringBuilder("series_id,time,y,c1,c2,c3,c4,c5,c6\n");
    for (int s = 0; s < 3; s++) {
      UniformRandomProvider rng = Seeds.of(s, "impact-controls-job");
      ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
      for (int t = 0; t < 120; t++) {
        double[] c = new double[6];
        for (int j = 0; j < 6; j++) {
          c[j] = 20 + 3 * z.sample();
        }
        double y = 5 + 1.5 * c[0] - 0.7 * c[1] + g[t % 7] + z.sample() + (t >= 90 ? 3 : 0);
        b.append("m").append(s).append(',').append(t);
        b.append(String.format(Locale.ROOT, ",%.6f", y));
        for (double v : c) {
          b.append(String.format(Locale.ROOT, ",%.6f", v));
        }
        b.append('\n');
      }
    }
    Path csv = tmp.resolve("controls.csv");
    Files.writeString(csv, b.toString());
    return csv;
  }

  private List<Row> run(Path in, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                in.toString(),
                "--output",
                out.toString(),
                "--time-col",
                "time",
                "--outcome-col",
                "y",
                "--controls",
                String.join(",", CONTROLS),
                "--intervention-time",
                "90",
                "--draws",
                "500",
                "--placebos",
                "2",
                "--report",
                "none"));
    args.addAll(List.of(extra));
    return CausalImpactJob.run(
        spark(),
        OptionValues.resolve(
            CausalImpactJob.COMMAND,
            CausalImpactJob.OPTIONS,
            args.toArray(new String[0]),
            SpecReader::read));
  }

  private List<Row> controls(Path out) {
    return spark()
        .read()
        .parquet(out.resolve(CausalImpactJob.IMPACT_CONTROLS).toString())
        .collectAsList();
  }

  @Test
  void writesImpactControlsForBothPriors() throws Exception {
    Path in = data();
    String[] spike = {
      "--season", "7", "--control-prior", "spike-slab", "--burn", "100", "--gibbs-draws", "400"
    };
    List<Row> a = run(in, tmp.resolve("a"), spike);
    List<Row> rowsA = controls(tmp.resolve("a"));
    Assertions.assertEquals(
        Arrays.asList(ImpactTables.CONTROLS_SCHEMA.fieldNames()),
        Arrays.asList(
            spark()
                .read()
                .parquet(tmp.resolve("a").resolve("impact_controls").toString())
                .columns()));
    Assertions.assertEquals(18, rowsA.size(), "3 series × 6 controls");
    for (Row r : a) {
      Assertions.assertEquals("ok", r.getAs("status"));
      // The true average effect 3 within 4 posterior sd (a 95% check on each of 3 series would
      // fail by chance one run in seven).
      Assertions.assertEquals(
          3, r.<Double>getAs("average_mean"), 4 * r.<Double>getAs("average_sd"), r.toString());
    }
    for (Row r : rowsA) {
      String control = r.getAs("control");
      double p = r.getAs("inclusion_prob");
      if (control.equals("c1") || control.equals("c2")) {
        Assertions.assertTrue(p > 0.99, r.toString());
      } else {
        Assertions.assertTrue(p < 0.5, r.toString());
      }
    }
    // Same seed, the input in 5 parquet partitions: the same tables, bit for bit.
    Path parts = tmp.resolve("parts");
    spark()
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(in.toString())
        .repartition(5)
        .write()
        .parquet(parts.toString());
    List<Row> b = run(parts, tmp.resolve("b"), spike);
    Assertions.assertEquals(a.toString(), b.toString());
    Assertions.assertEquals(rowsA.toString(), controls(tmp.resolve("b")).toString());
    run(in, tmp.resolve("normal"), "--season", "7");
    List<Row> normal = controls(tmp.resolve("normal"));
    Assertions.assertEquals(18, normal.size());
    for (Row r : normal) {
      Assertions.assertEquals(1.0, r.<Double>getAs("inclusion_prob"), r.toString());
    }
  }
}
