package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.io.OutputTables;
import io.segfx.stats.LearnedPrior;
import io.segfx.stats.NormalMixture;
import io.segfx.stats.Seeds;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --learned-prior} through the job: one-segment experiments given as estimates have the
 * effect posterior N(estimate, std_error²), so the learned prior and every restated effect must
 * equal the kernel's on the same numbers (1e-12), from the run and from a history table.
 */
class LearnedPriorJobTest extends SharedSparkSession {
  @TempDir Path tmp;

  private Path input(String name, int n, long seed) throws Exception {
    UniformRandomProvider rng = Seeds.of(seed, "learned-job");
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    StringBuilder b = new StringBuilder("experiment_id,segment,estimate,std_error\n");
    for (int i = 0; i < n; i++) {
      double delta = rng.nextDouble() < 0.7 ? 0 : 0.02 + 0.01 * z.sample();
      double s = 0.003 + 0.007 * rng.nextDouble();
      b.append(String.format(Locale.ROOT, "e%04d,all,%.17g,%.17g%n", i, delta + s * z.sample(), s));
    }
    Path p = tmp.resolve(name);
    Files.writeString(p, b.toString());
    return p;
  }

  private static Map<String, double[]> estimates(Path csv) throws Exception {
    Map<String, double[]> out = new HashMap<>();
    for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
      String[] f = line.split(",");
      out.put(f[0], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
    }
    return out;
  }

  @Test
  void learnedFromTheRunAndFromHistory() throws Exception {
    Path in = input("run.csv", 300, 1);
    Path out = tmp.resolve("run-out");
    JobRunner.run(
        spark(),
        "--input",
        in.toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "estimates",
        "--metric",
        "lift",
        "--learned-prior",
        "mixture",
        "--threshold",
        "0.01");
    Map<String, double[]> est = estimates(in);
    double[] m = new double[300];
    double[] s = new double[300];
    for (int i = 0; i < 300; i++) {
      double[] e = est.get(String.format("e%04d", i));
      m[i] = e[0];
      s[i] = e[1];
    }
    // The job sees the experiments in table order, which is this order: the same fit, bit for bit.
    LearnedPrior mixture = LearnedPrior.fit(m, s, 2);
    List<Row> fits =
        JobRunner.table(spark(), out.toString(), OutputTables.LEARNED_PRIOR)
            .orderBy("model")
            .collectAsList();
    assertEquals(2, fits.size());
    Row mix = fits.get(0);
    assertEquals("mixture", mix.getAs("model"));
    Assertions.assertTrue(mix.<Boolean>getAs("used"));
    assertEquals(mixture.weight()[0], mix.<Double>getAs("weight_1"), 1e-12);
    assertEquals(mixture.mean()[1], mix.<Double>getAs("mean_2"), 1e-12);
    assertEquals(mixture.sd()[1], mix.<Double>getAs("sd_2"), 1e-12);
    assertEquals(300, (int) mix.getAs("n_experiments"));
    List<Row> effects =
        JobRunner.table(spark(), out.toString(), OutputTables.LEARNED_PRIOR_EFFECTS)
            .collectAsList();
    assertEquals(300, effects.size());
    int changed = 0;
    for (Row r : effects) {
      double[] e = est.get(r.<String>getAs("experiment_id"));
      assertEquals(e[0], r.<Double>getAs("effect_mean"), 1e-15);
      NormalMixture post = mixture.posterior(e[0], e[1]);
      assertEquals(post.mean(), r.<Double>getAs("learned_effect_mean"), 1e-12);
      assertEquals(post.upperTail(0.01), r.<Double>getAs("learned_prob_above_threshold"), 1e-12);
      changed += r.getAs("recommendation").equals(r.getAs("learned_recommendation")) ? 0 : 1;
    }
    Assertions.assertTrue(changed > 0, "a spike-and-slab prior changes some decisions");
    try (var memos = Files.list(out.resolve("memos"))) {
      // The first memo; the digest of all of them (memos_combined) is no memo.
      String memo =
          Files.readString(
              memos.filter(f -> !FullPoolingJobTest.isDigest(f)).findFirst().orElseThrow());
      Assertions.assertTrue(
          memo.contains("Under the prior learned across experiments (learned mixture prior"), memo);
    }

    // History: a later run of 5 experiments learns from the first run's decisions.
    Path small = input("small.csv", 5, 2);
    Path out2 = tmp.resolve("small-out");
    String history = out.resolve(OutputTables.EXPERIMENT_DECISIONS).toString();
    Row fit = normalFromHistory(small, out2, history);
    LearnedPrior normal = LearnedPrior.fit(m, s, 1);
    assertEquals(history, fit.getAs("source"));
    assertEquals(normal.mean()[0], fit.<Double>getAs("mean_1"), 1e-12);
    assertEquals(
        5, JobRunner.table(spark(), out2.toString(), OutputTables.LEARNED_PRIOR_EFFECTS).count());

    // The same history as a folder of CSV files (what --output-format csv writes) is read as CSV.
    Path csvHistory = tmp.resolve("decisions-csv");
    JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_DECISIONS)
        .write()
        .option("header", "true")
        .csv(csvHistory.toString());
    Path outCsv = tmp.resolve("small-csv-out");
    Row fitCsv = normalFromHistory(small, outCsv, csvHistory.toString());
    // CSV writes each double's shortest round-trip text, so the fit is the same to the bit.
    assertEquals(fit.<Double>getAs("mean_1"), fitCsv.<Double>getAs("mean_1"));

    // Five experiments alone are too few to learn from.
    Path out3 = tmp.resolve("few-out");
    JobRunner.run(
        spark(),
        "--input",
        small.toString(),
        "--output",
        out3.toString(),
        "--input-kind",
        "estimates",
        "--metric",
        "lift",
        "--learned-prior",
        "normal");
    Row few =
        JobRunner.table(spark(), out3.toString(), OutputTables.LEARNED_PRIOR)
            .collectAsList()
            .get(0);
    Assertions.assertTrue(
        few.<String>getAs("note").startsWith("too few experiments"), few.toString());
    assertEquals(
        0, JobRunner.table(spark(), out3.toString(), OutputTables.LEARNED_PRIOR_EFFECTS).count());
  }

  /** History rows of a metric in another case are named as such, not lumped with other metrics. */
  @Test
  void historyMetricInAnotherCaseIsNamed() {
    java.util.Set<String> run = java.util.Set.of("revenue", "lift");
    assertEquals("metric_case:revenue", LearnedPriorStage.otherMetric("Revenue", run));
    assertEquals("metric_case:lift", LearnedPriorStage.otherMetric(" LIFT ", run));
    assertEquals("other_metric", LearnedPriorStage.otherMetric("clicks", run));
  }

  /** A run of the estimates in {@code in} that learns from {@code history}: its normal fit. */
  private Row normalFromHistory(Path in, Path out, String history) {
    JobRunner.run(
        spark(),
        "--input",
        in.toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "estimates",
        "--metric",
        "lift",
        "--learned-prior",
        "normal",
        "--prior-history",
        history);
    return JobRunner.table(spark(), out.toString(), OutputTables.LEARNED_PRIOR)
        .where("model = 'normal'")
        .collectAsList()
        .get(0);
  }
}
