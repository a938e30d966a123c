package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.config.UsageException;
import io.segfx.io.OutputTables;
import io.segfx.stats.NormalMixture;
import io.segfx.stats.pooling.FullBayesPooling;
import io.segfx.stats.pooling.HierarchicalPosterior;
import io.segfx.stats.pooling.TauPrior;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --pooling full} and the Knapp–Hartung / tau = 0 columns through the job, on the eight
 * schools.
 */
class FullPoolingJobTest extends SharedSparkSession {
  private static final double[] Y = {28, 8, -3, 7, -1, 1, 18, 12};
  private static final double[] SE = {15, 10, 16, 11, 9, 11, 10, 18};
  @TempDir Path tmp;

  private Path input() throws Exception {
    StringBuilder csv = new StringBuilder("segment,estimate,std_error\n");
    for (int j = 0; j < 8; j++) {
      csv.append((char) ('A' + j)).append(',').append(Y[j]).append(',').append(SE[j]).append('\n');
    }
    Path in = tmp.resolve("eight.csv");
    Files.writeString(in, csv.toString());
    return in;
  }

  /** Tables equal the kernel's exact figures (1e-12): pooling row, segment posteriors, decision. */
  @Test
  void fullPoolingTablesAreTheGridPosterior() throws Exception {
    Path out = tmp.resolve("full");
    JobRunner.run(
        spark(),
        "--input",
        input().toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "estimates",
        "--metric",
        "effect",
        "--pooling",
        "full",
        "--tau-prior",
        "half-cauchy:5",
        "--threshold",
        "5");
    HierarchicalPosterior h = FullBayesPooling.fit(Y, SE, new TauPrior("half-cauchy", 5), null);
    Row p =
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_POOLING)
            .collectAsList()
            .get(0);
    NormalMixture mu = h.mu();
    assertEquals("full", p.getAs("method"));
    assertEquals(h.muSd(), p.<Double>getAs("mu_se"), 1e-12);
    assertEquals(h.muMean(), p.<Double>getAs("mu"), 1e-12);
    assertEquals(h.tauMean(), p.<Double>getAs("tau"), 1e-12);
    assertEquals(h.muQ025(), p.<Double>getAs("mu_q025"), 1e-12);
    assertEquals(mu.quantile(0.025), h.muQ025(), 0.0);
    assertEquals(h.tauQ975(), p.<Double>getAs("tau_q975"), 1e-12);
    Assertions.assertTrue(
        p.<String>getAs("prior").contains("tau ~ half-cauchy:5.0"), p.<String>getAs("prior"));
    List<Row> segs =
        JobRunner.table(spark(), out.toString(), OutputTables.SEGMENT_POSTERIORS)
            .orderBy("segment")
            .collectAsList();
    for (int j = 0; j < 8; j++) {
      NormalMixture t = h.theta(j);
      Row s = segs.get(j);
      assertEquals("hierarchical", s.getAs("source"));
      assertEquals(t.mean(), s.<Double>getAs("post_mean"), 1e-12);
      assertEquals(t.sd(), s.<Double>getAs("post_sd"), 1e-12);
      assertEquals(t.quantile(0.025), s.<Double>getAs("q025"), 1e-12);
      assertEquals(t.quantile(0.975), s.<Double>getAs("q975"), 1e-12);
      assertEquals(t.upperTail(0), s.<Double>getAs("prob_positive"), 1e-12);
      assertEquals(t.upperTail(5), s.<Double>getAs("prob_above_threshold"), 1e-12);
      assertEquals(h.weightOnRaw(j), s.<Double>getAs("shrinkage_weight"), 1e-12);
    }
    double[] share = new double[8];
    Arrays.fill(share, 1.0 / 8);
    NormalMixture e = h.linear(share, 0, 0);
    Row d =
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_DECISIONS)
            .collectAsList()
            .get(0);
    assertEquals(0, d.<Integer>getAs("draws"));
    assertEquals(e.mean(), d.<Double>getAs("effect_mean"), 1e-12);
    assertEquals(e.quantile(0.025), d.<Double>getAs("effect_q025"), 1e-12);
    assertEquals(e.upperTail(0), d.<Double>getAs("prob_positive"), 1e-12);
  }

  /**
   * REML on the eight schools: tau = 0 flagged, Knapp–Hartung SE as metafor prints it
   * (3.339072620733).
   */
  @Test
  void remlFlagsTauZeroAndCarriesKnappHartung() throws Exception {
    Path out = tmp.resolve("reml");
    JobRunner.run(
        spark(),
        "--input",
        input().toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "estimates",
        "--metric",
        "effect",
        "--pooling",
        "reml");
    Row p =
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_POOLING)
            .collectAsList()
            .get(0);
    Assertions.assertTrue(p.<Boolean>getAs("tau_zero"));
    assertEquals(3.339072620733, p.<Double>getAs("mu_se_kh"), 1e-9 * 3.34);
    assertEquals(-0.210035371858, p.<Double>getAs("mu_q025_kh"), 1e-9);
    Assertions.assertTrue(Double.isNaN(p.<Double>getAs("tau_q025")));
    // tau = 0: the experiment-level effect is mu itself, so its interval is mu's.
    Row d =
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_DECISIONS)
            .collectAsList()
            .get(0);
    assertEquals(p.<Double>getAs("mu_se"), d.<Double>getAs("effect_sd"), 1e-12);
    try (var memos = Files.list(out.resolve("memos"))) {
      // The first memo; the digest of all of them (memos_combined) is no memo.
      String memo = Files.readString(memos.filter(f -> !isDigest(f)).findFirst().orElseThrow());
      Assertions.assertTrue(memo.contains("tau = 0: no detectable heterogeneity"), memo);
    }
  }

  /**
   * {@code --kh-truncate} on the eight schools (q < 1): metafor's {@code test = "adhoc"} (fixture
   * metafor_adhoc.csv: SE 4.0719191584023, interval [-1.94294206752731, 17.3141755174394]), 1e-9
   * relative as the untruncated figures above; the segment rows are unchanged (Knapp–Hartung only
   * touches experiment_pooling), and the manifest records the setting.
   */
  @Test
  void khTruncateGivesMetaforsAdhocInterval() throws Exception {
    Path out = tmp.resolve("reml-adhoc");
    JobRunner.run(
        spark(),
        "--input",
        input().toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "estimates",
        "--metric",
        "effect",
        "--pooling",
        "reml",
        "--kh-truncate");
    Row p =
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_POOLING)
            .collectAsList()
            .get(0);
    assertEquals(4.0719191584023, p.<Double>getAs("mu_se_kh"), 1e-9 * 4.07);
    assertEquals(p.<Double>getAs("mu_se"), p.<Double>getAs("mu_se_kh"), 1e-12 * 4.07);
    assertEquals(-1.94294206752731, p.<Double>getAs("mu_q025_kh"), 1e-9 * 1.94);
    assertEquals(17.3141755174394, p.<Double>getAs("mu_q975_kh"), 1e-9 * 17.3);
    String manifest = Files.readString(out.resolve("manifest.json"));
    Assertions.assertTrue(
        manifest.contains("\"kh_truncate\" : true") || manifest.contains("\"kh_truncate\":true"),
        manifest);
  }

  @Test
  void badPriorsAreUsageErrors() throws Exception {
    String in = input().toString();
    UsageException e =
        Assertions.assertThrows(
            UsageException.class,
            () ->
                JobRunner.run(
                    spark(),
                    "--input",
                    in,
                    "--output",
                    tmp.resolve("x").toString(),
                    "--input-kind",
                    "estimates",
                    "--metric",
                    "effect",
                    "--pooling",
                    "full",
                    "--tau-prior",
                    "half-cauchy"));
    Assertions.assertTrue(e.getMessage().startsWith("--tau-prior"), e.getMessage());
    e =
        Assertions.assertThrows(
            UsageException.class,
            () ->
                JobRunner.run(
                    spark(),
                    "--input",
                    in,
                    "--output",
                    tmp.resolve("y").toString(),
                    "--input-kind",
                    "estimates",
                    "--metric",
                    "effect",
                    "--pooling",
                    "full",
                    "--min-segments",
                    "2"));
    Assertions.assertTrue(e.getMessage().contains("improper"), e.getMessage());
  }

  /**
   * Three schools under the uniform prior: E[tau] and sd(mu) do not exist (p(tau | y) ~ tau^-2), so
   * the pooling row says Infinity and why, its quantiles stay finite, and the memo prints it.
   */
  @Test
  void momentsThatDoNotExistReachTheTablesAsInfinity() throws Exception {
    Path in = tmp.resolve("three.csv");
    Files.writeString(in, "segment,estimate,std_error\nA,28,15\nB,8,10\nC,-3,16\n");
    Path out = tmp.resolve("three");
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
        "--pooling",
        "full");
    Row p =
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_POOLING)
            .collectAsList()
            .get(0);
    assertEquals(Double.POSITIVE_INFINITY, p.<Double>getAs("mu_se"));
    assertEquals(Double.POSITIVE_INFINITY, p.<Double>getAs("tau"));
    Assertions.assertTrue(
        Double.isFinite(p.<Double>getAs("mu")) && Double.isFinite(p.<Double>getAs("mu_q975")));
    Assertions.assertTrue(
        p.<String>getAs("note").contains("E[tau] and sd(mu) infinite"), p.<String>getAs("note"));
    try (Stream<Path> memos = Files.walk(out.resolve("memos"))) {
      String memo =
          Files.readString(
              memos
                  .filter(Files::isRegularFile)
                  .filter(f -> !isDigest(f))
                  .findFirst()
                  .orElseThrow());
      Assertions.assertTrue(memo.contains("SE Infinity") && memo.contains("infinite"), memo);
    }
  }

  /** Whether {@code f} is the memo digest ({@code memos/all.md} or its fallback name). */
  static boolean isDigest(Path f) {
    try {
      return Files.readString(f).startsWith("# Decision memo digest");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
