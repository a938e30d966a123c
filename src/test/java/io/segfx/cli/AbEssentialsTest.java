package io.segfx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.io.OutputTables;
import io.segfx.stats.pooling.PoolingResult;
import io.segfx.stats.pooling.Reml;
import io.segfx.testing.Fixtures;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed notebook's sections 3, 4, 5, 6 and 11 through the CLI, and the SRM guard and the
 * aggregated input kinds. Monte Carlo comparisons with the notebook's printed numbers allow 4
 * standard errors of both runs combined (the notebook's draw counts: 80,000 in section 3, 60,000 in
 * section 4, 50,000 in sections 5 and 6) plus 5e-5 for its rounding to 4 decimals.
 */
class AbEssentialsTest extends SharedSparkSession {
  @TempDir Path tmp;

  private int cli(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SegfxMain.run(
            args,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    Assertions.assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return code;
  }

  private Path csv(String name, String... lines) throws Exception {
    Path p = tmp.resolve(name + ".csv");
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  private Row first(Path out, String table) {
    return JobRunner.table(spark(), out.toString(), table).first();
  }

  private static void near(double expected, Object actual, double tol, String what) {
    assertEquals(expected, ((Number) actual).doubleValue(), tol, what);
  }

  /** Tolerance for a probability printed by the notebook from {@code notebookDraws} draws. */
  private static double probTol(double p, int notebookDraws, int ourDraws) {
    return 4 * Math.sqrt(p * (1 - p) * (1.0 / notebookDraws + 1.0 / ourDraws)) + 5e-5;
  }

  @Test
  void section3And11FromCounts() throws Exception {
    Path in = csv("s3", "arm,n,conversions", "0,5200,593", "1,5100,635");
    Path out = tmp.resolve("s3-out");
    int d = 40_000;
    cli(
        "segment-effects",
        "--input",
        in.toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "counts",
        "--metric",
        "converted:binary",
        "--threshold",
        "0.005",
        "--relative-threshold",
        "0.05",
        "--users",
        "900000",
        "--value-per-unit",
        "38",
        "--cost",
        "180000",
        "--draws",
        String.valueOf(d));
    Row r = first(out, OutputTables.EXPERIMENT_DECISIONS);
    double sd = 0.0064;
    double meanTol = 4 * sd * Math.sqrt(1.0 / 80_000 + 1.0 / d) + 5e-5;
    near(0.0105, r.getAs("effect_mean"), meanTol, "lift mean");
    near(-0.0021, r.getAs("effect_q025"), 2 * meanTol, "q025");
    near(0.0229, r.getAs("effect_q975"), 2 * meanTol, "q975");
    near(0.9487, r.getAs("prob_positive"), probTol(0.9487, 80_000, d), "P(lift > 0)");
    near(0.8062, r.getAs("prob_above_threshold"), probTol(0.8062, 80_000, d), "P(lift > 0.005)");
    near(
        0.7682,
        r.getAs("prob_relative_above_threshold"),
        probTol(0.7682, 80_000, d),
        "P(rel > 5%)");
    // Section 11: profit = 900,000 x lift x 38 - 180,000; sd of profit = 34,200,000 x sd(lift).
    double profitTol = 4 * 34_200_000 * sd * Math.sqrt(1.0 / 80_000 + 1.0 / d);
    near(178_248.7127, r.getAs("expected_profit"), profitTol, "expected profit");
    near(0.7944, r.getAs("prob_profit_positive"), probTol(0.7944, 80_000, d), "P(profit > 0)");
    near(25_429.2816, r.getAs("expected_loss_launch"), profitTol, "expected loss of launching");
    near(203_677.9943, r.getAs("expected_loss_wait"), profitTol, "expected loss of waiting");
    assertEquals("collect_more_data", r.getAs("recommendation"));
    Assertions.assertTrue(((String) r.getAs("prior")).contains("beta(1,1) control"), r.toString());
    // The lift's mean is exact, not the draws' average (issue #18): E[p1] - E[p0] = 636/5102 -
    // 594/5202 (1e-12 relative: two divisions and a subtraction of similar terms), the very value
    // segment_estimates prints for the one segment (bit for bit), and profit's mean its affine
    // image; its Monte Carlo SE is 0.
    double lift = 636.0 / 5102 - 594.0 / 5202;
    near(lift, r.getAs("effect_mean"), 1e-12 * lift, "exact lift mean");
    assertEquals(
        (double) first(out, OutputTables.SEGMENT_ESTIMATES).getAs("estimate"),
        (double) r.getAs("effect_mean"),
        0.0);
    near(
        34_200_000 * lift - 180_000,
        r.getAs("expected_profit"),
        1e-12 * 34_200_000 * lift,
        "exact expected profit");
    near(0.0, r.getAs("mc_se_effect_mean"), 0.0, "no Monte Carlo error in the mean");

    // Exact arm posteriors: Beta(594, 4608) and Beta(636, 4466) (Commons Math, 1e-12).
    Map<String, Row> arms = new HashMap<>();
    for (Row a :
        JobRunner.table(spark(), out.toString(), OutputTables.ARM_POSTERIORS)
            .where("level = 'experiment'")
            .collectAsList()) {
      arms.put(a.getAs("arm"), a);
    }
    BetaDistribution c = new BetaDistribution(594, 4608);
    near(594.0 / 5202, arms.get("0").getAs("mean"), 1e-12, "control mean");
    near(c.inverseCumulativeProbability(0.025), arms.get("0").getAs("q025"), 1e-9, "control q025");
    near(
        new BetaDistribution(636, 4466).inverseCumulativeProbability(0.975),
        arms.get("1").getAs("q975"),
        1e-9,
        "treatment q975");
    // The notebook's summary of p_control: mean 0.1142, q025 0.1057, q975 0.1230.
    near(0.1142, arms.get("0").getAs("mean"), 5e-5, "notebook p_control mean");
    near(0.1057, arms.get("0").getAs("q025"), 5e-5, "notebook p_control q025");
  }

  @Test
  void section4PriorGrid() throws Exception {
    Path in = csv("s4", "arm,n,conversions", "0,180,22", "1,175,23");
    String grid = "uniform=1,1;skeptical=20,180;optimistic_treatment=20,180|28,172";
    Path out = tmp.resolve("s4-out");
    int d = 60_000;
    cli(
        "segment-effects",
        "--input",
        in.toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "counts",
        "--metric",
        "converted:binary",
        "--prior-grid",
        grid,
        "--draws",
        String.valueOf(d));
    Map<String, Row> rows = new HashMap<>();
    for (Row r :
        JobRunner.table(spark(), out.toString(), OutputTables.PRIOR_SENSITIVITY).collectAsList()) {
      rows.put(r.getAs("prior"), r);
    }
    double[][] printed = {
      {0.0092, 0.0356, -0.0614, 0.0791, 0.6035},
      {0.0041, 0.0229, -0.0407, 0.0490, 0.5721},
      {0.0254, 0.0239, -0.0213, 0.0723, 0.8560}
    };
    String[] names = {"uniform", "skeptical", "optimistic_treatment"};
    for (int i = 0; i < 3; i++) {
      Row r = rows.get(names[i]);
      double sd = printed[i][1];
      double tol = 4 * sd * Math.sqrt(2.0 / d) + 5e-5;
      near(printed[i][0], r.getAs("mean"), tol, names[i] + " mean");
      near(printed[i][1], r.getAs("sd"), tol, names[i] + " sd");
      near(printed[i][2], r.getAs("q025"), 2.5 * tol, names[i] + " q025");
      near(printed[i][3], r.getAs("q975"), 2.5 * tol, names[i] + " q975");
      near(
          printed[i][4], r.getAs("prob_positive"), probTol(printed[i][4], d, d), names[i] + " P>0");
      assertEquals(false, r.getAs("decision_changes"));
    }
    // Each prior's mean lift is the exact difference of Beta means (1e-12 relative, as in section
    // 3):
    // uniform (1+23)/(2+175) - (1+22)/(2+180); skeptical and optimistic add 20,180 (control) and
    // 20,180 or 28,172 (treatment) to the counts.
    double[] exact = {24.0 / 177 - 23.0 / 182, 43.0 / 375 - 42.0 / 380, 51.0 / 375 - 42.0 / 380};
    for (int i = 0; i < 3; i++) {
      near(
          exact[i],
          rows.get(names[i]).getAs("mean"),
          1e-12 * Math.abs(exact[i]),
          names[i] + " exact mean");
    }
    // A lower launch bar (0.8) lets the optimistic prior alone launch: the decision depends on the
    // prior.
    Path out2 = tmp.resolve("s4-out2");
    cli(
        "segment-effects",
        "--input",
        in.toString(),
        "--output",
        out2.toString(),
        "--input-kind",
        "counts",
        "--metric",
        "converted:binary",
        "--prior-grid",
        grid,
        "--launch-probability",
        "0.8");
    for (Row r :
        JobRunner.table(spark(), out2.toString(), OutputTables.PRIOR_SENSITIVITY).collectAsList()) {
      assertEquals(true, r.getAs("decision_changes"));
      assertEquals(
          r.getAs("prior").equals("optimistic_treatment") ? "launch" : "collect_more_data",
          r.getAs("recommendation"));
    }
  }

  /**
   * Section 5 (no covariates: NIG posterior per arm; notebook mean 1.3457, sd 0.3393) and section 6
   * (conjugate regression with pre_value: exact t marginal; notebook 1.0392, sd 0.3125, interval
   * [0.4243, 1.6511]) on the notebook's own rows (regenerated with numpy; see the fixture script).
   */
  @Test
  void sections5And6() {
    String in = Fixtures.path("seed_section5_units.csv").toString();
    Path out5 = tmp.resolve("s5");
    int d = 50_000;
    cli(
        "segment-effects",
        "--input",
        in,
        "--output",
        out5.toString(),
        "--arm-col",
        "A",
        "--metric",
        "Y",
        "--draws",
        String.valueOf(d));
    Row r = first(out5, OutputTables.EXPERIMENT_DECISIONS);
    double tol = 4 * 0.3393 * Math.sqrt(2.0 / d) + 5e-5;
    near(1.3457, r.getAs("effect_mean"), tol, "section 5 mean");
    near(0.3393, r.getAs("effect_sd"), tol, "section 5 sd");
    near(0.6827, r.getAs("effect_q025"), 2.5 * tol, "section 5 q025");
    near(2.0118, r.getAs("effect_q975"), 2.5 * tol, "section 5 q975");
    Row p5 = first(out5, OutputTables.SEGMENT_POSTERIORS);
    assertEquals("draws", p5.getAs("source"));

    Path out6 = tmp.resolve("s6");
    cli(
        "segment-effects",
        "--input",
        in,
        "--output",
        out6.toString(),
        "--arm-col",
        "A",
        "--metric",
        "Y",
        "--covariates",
        "pre_value",
        "--draws",
        "2000");
    Row e = first(out6, OutputTables.SEGMENT_ESTIMATES);
    double t6 = 4 * 0.3125 / Math.sqrt(d) + 5e-5;
    near(1.0392, e.getAs("bayes_mean"), t6, "section 6 mean (exact t vs notebook draws)");
    near(0.3125, e.getAs("bayes_sd"), t6, "section 6 sd");
    near(0.4243, e.getAs("bayes_q025"), 2.5 * t6, "section 6 q025");
    near(1.6511, e.getAs("bayes_q975"), 2.5 * t6, "section 6 q975");
    // With the notebook's weak prior the posterior mean is the OLS estimate to ~1e-6.
    near((double) e.getAs("estimate"), e.getAs("bayes_mean"), 1e-5, "weak prior ~ OLS");
    Row p6 = first(out6, OutputTables.SEGMENT_POSTERIORS);
    assertEquals("student_t", p6.getAs("source"));
    near(
        (double) e.getAs("bayes_q975"),
        p6.getAs("q975"),
        1e-12,
        "the segment posterior is the exact t");
  }

  @Test
  void sampleRatioMismatchFlagsAndDoesNotFlag() throws Exception {
    Path in =
        csv(
            "srm",
            "experiment_id,segment,arm,n,conversions",
            "bad,a,0,2500,250",
            "bad,a,1,2000,240",
            "bad,b,0,2500,260",
            "bad,b,1,2000,230",
            "bad,c,0,2500,255",
            "bad,c,1,2000,235",
            "good,a,0,2500,250",
            "good,a,1,2510,260",
            "good,b,0,2500,250",
            "good,b,1,2490,270",
            "good,c,0,2500,240",
            "good,c,1,2505,262");
    Path out = tmp.resolve("srm-out");
    cli(
        "segment-effects",
        "--input",
        in.toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "counts",
        "--metric",
        "c:binary");
    Map<String, Row> dec = new HashMap<>();
    for (Row r :
        JobRunner.table(spark(), out.toString(), OutputTables.EXPERIMENT_DECISIONS)
            .collectAsList()) {
      dec.put(r.getAs("experiment_id"), r);
    }
    assertEquals(true, dec.get("bad").getAs("srm_flag"));
    assertEquals("investigate_srm", dec.get("bad").getAs("recommendation"));
    Assertions.assertTrue((double) dec.get("bad").getAs("srm_p_value") < 1e-10);
    assertEquals(false, dec.get("good").getAs("srm_flag"));
    Assertions.assertTrue((double) dec.get("good").getAs("srm_p_value") > 0.5);
    for (Row e :
        JobRunner.table(spark(), out.toString(), OutputTables.SEGMENT_ESTIMATES).collectAsList()) {
      assertEquals(e.getAs("experiment_id").equals("bad"), e.getAs("srm_flag"), e.toString());
    }
    // The same counts are no mismatch when the design was 5:4.
    Path out2 = tmp.resolve("srm-out2");
    cli(
        "segment-effects",
        "--input",
        in.toString(),
        "--output",
        out2.toString(),
        "--input-kind",
        "counts",
        "--metric",
        "c:binary",
        "--expected-split",
        "5/4");
    for (Row r :
        JobRunner.table(spark(), out2.toString(), OutputTables.EXPERIMENT_DECISIONS)
            .collectAsList()) {
      assertEquals(r.getAs("experiment_id").equals("good"), r.getAs("srm_flag"), r.toString());
    }
  }

  /** Estimates input: the BCG trials pool to the published REML result (metafor). */
  @Test
  void estimatesInputPoolsBcg() throws Exception {
    StringBuilder b = new StringBuilder("segment,estimate,std_error\n");
    for (Map<String, String> row : Fixtures.csv("bcg_trials.csv")) {
      b.append("trial-")
          .append(row.get("trial"))
          .append(',')
          .append(row.get("log_rr"))
          .append(',')
          .append(row.get("se_log_rr"))
          .append('\n');
    }
    b.append("bad-se,0.5,0\n").append("trial-1,0.1,0.2\n");
    Path in = tmp.resolve("bcg.csv");
    Files.writeString(in, b.toString());
    Path out = tmp.resolve("bcg-out");
    cli(
        "segment-effects",
        "--input",
        in.toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "estimates",
        "--metric",
        "log_rr",
        "--pooling",
        "reml");
    JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(2, m.get("rejected_by_reason").get("duplicate:segment").asLong());
    assertEquals(1, m.get("rejected_by_reason").get("not_positive:std_error").asLong());
    assertEquals(15, m.get("rows_read").asLong());
    Row pool = first(out, OutputTables.EXPERIMENT_POOLING);
    // trial-1 appears twice and is quarantined, so pool the other 12 and check against a direct
    // fit.
    List<Map<String, String>> rows = Fixtures.csv("bcg_trials.csv");
    double[] y = new double[12];
    double[] se = new double[12];
    for (int i = 1; i < 13; i++) {
      y[i - 1] = Double.parseDouble(rows.get(i).get("log_rr"));
      se[i - 1] = Double.parseDouble(rows.get(i).get("se_log_rr"));
    }
    PoolingResult ref = Reml.fit(y, se);
    near(ref.mu(), pool.getAs("mu"), 1e-12, "mu");
    near(ref.tau(), pool.getAs("tau"), 1e-12, "tau");
    assertEquals(12, (int) pool.getAs("n_segments"));

    // All 13 trials: metafor's published REML, mu -0.7145 (SE 0.1798), tau2 0.3132.
    StringBuilder all = new StringBuilder("segment,estimate,std_error\n");
    for (Map<String, String> row : rows) {
      all.append("t")
          .append(row.get("trial"))
          .append(',')
          .append(row.get("log_rr"))
          .append(',')
          .append(row.get("se_log_rr"))
          .append('\n');
    }
    Path in2 = tmp.resolve("bcg13.csv");
    Files.writeString(in2, all.toString());
    Path out2 = tmp.resolve("bcg13-out");
    cli(
        "segment-effects",
        "--input",
        in2.toString(),
        "--output",
        out2.toString(),
        "--input-kind",
        "estimates",
        "--metric",
        "log_rr",
        "--pooling",
        "reml");
    Row p13 = first(out2, OutputTables.EXPERIMENT_POOLING);
    near(-0.7145, p13.getAs("mu"), 5e-5, "published mu");
    near(0.1798, p13.getAs("mu_se"), 5e-5, "published SE");
    near(Math.sqrt(0.3132), p13.getAs("tau"), 1e-4, "published tau");
  }

  @Test
  void countsInputValidation() throws Exception {
    Path in =
        csv(
            "counts",
            "experiment_id,segment,arm,n,conversions",
            "e,a,0,100,10",
            "e,a,1,100,12",
            "e,b,0,-5,1",
            "e,b,1,10.5,1",
            "e,c,0,10,11",
            "e,c,1,,1",
            "e,d,0,10,-1",
            "e,d,1,10,2.5");
    Path out = tmp.resolve("counts-out");
    cli(
        "segment-effects",
        "--input",
        in.toString(),
        "--output",
        out.toString(),
        "--input-kind",
        "counts",
        "--metric",
        "c:binary");
    JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    Map<String, Long> got = new HashMap<>();
    m.get("rejected_by_reason")
        .fields()
        .forEachRemaining(e -> got.put(e.getKey(), e.getValue().asLong()));
    assertEquals(
        Map.of(
            "negative:n",
            1L,
            "not_integer:n",
            1L,
            "exceeds_n:conversions",
            1L,
            "null:n",
            1L,
            "negative:conversions",
            1L,
            "not_integer:conversions",
            1L),
        got);
    assertEquals(8, m.get("rows_read").asLong());
    assertEquals(2, m.get("rows_used").asLong());
    Path cont = csv("cont", "arm,n,sum,sum_sq", "0,100,1000,10100", "1,100,1100,12200", "1,10,5,1");
    Path out2 = tmp.resolve("cont-out");
    cli(
        "segment-effects",
        "--input",
        cont.toString(),
        "--output",
        out2.toString(),
        "--input-kind",
        "counts",
        "--metric",
        "revenue");
    JsonNode m2 = new ObjectMapper().readTree(out2.resolve("manifest.json").toFile());
    assertEquals(1, m2.get("rejected_by_reason").get("inconsistent:sum_sq").asLong());
    Row e = first(out2, OutputTables.SEGMENT_ESTIMATES);
    // Means 10 and 11; centred sums of squares 10100 - 100 x 10^2 = 100 and 12200 - 100 x 11^2 =
    // 100,
    // so the classical two-sample SE has sigma^2 = (100 + 100)/(200 - 2).
    near(1.0, e.getAs("estimate"), 1e-12, "difference of means");
    near(Math.sqrt(200.0 / 198 * (2.0 / 100)), e.getAs("std_error"), 1e-12, "two-sample SE");
  }
}
