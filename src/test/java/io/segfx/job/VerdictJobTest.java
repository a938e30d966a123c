package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segfx.config.UsageException;
import io.segfx.io.OutputTables;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.GuardrailStatus;
import io.segfx.model.Verdict;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One verdict per experiment and variant, end to end: cost, value metric and guardrails. */
class VerdictJobTest extends SharedSparkSession {
  @TempDir Path tmp;

  private static final double USERS = 1000;
  private static final double COST = 100;

  /**
   * Unit rows of three experiments without segments: revenue = 10 + lift_e arm + x + noise, orders
   * = 2 + drop_e arm + noise, with a pre-period covariate x.
   */
  private Path units(double[] revenueLift, double[] ordersLift) throws IOException {
    Random rng = new Random(7);
    StringBuilder b = new StringBuilder("experiment_id,arm,x,revenue,orders\n");
    for (int e = 0; e < revenueLift.length; e++) {
      for (int i = 0; i < 4000; i++) {
        int arm = i % 2;
        double x = rng.nextGaussian();
        double revenue = 10 + revenueLift[e] * arm + x + rng.nextGaussian();
        double orders = 2 + ordersLift[e] * arm + 0.5 * rng.nextGaussian();
        b.append(
            String.format(Locale.ROOT, "e%d,%d,%.17g,%.17g,%.17g%n", e, arm, x, revenue, orders));
      }
    }
    Path p = tmp.resolve("units.csv");
    Files.writeString(p, b);
    return p;
  }

  private List<String> args(Path input, String out, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--input",
                input.toString(),
                "--output",
                out,
                "--metric",
                "revenue,orders",
                "--covariates",
                "x",
                "--pooling",
                "moments",
                "--draws",
                "4000",
                "--users",
                String.valueOf(USERS),
                "--cost",
                String.valueOf(COST)));
    a.addAll(List.of(more));
    return a;
  }

  private Map<String, Row> decisions(String out, String metric) {
    Map<String, Row> m = new HashMap<>();
    for (Row r :
        JobRunner.table(spark(), out, OutputTables.EXPERIMENT_DECISIONS)
            .where("metric = '" + metric + "'")
            .collectAsList()) {
      m.put(r.getAs("experiment_id"), r);
    }
    return m;
  }

  /**
   * With values on two metrics the profit is users × (1 × E[revenue effect] + 5 × E[orders effect])
   * − cost, the cost charged once. Without segments each metric's posterior mean is its OLS
   * estimate, which is linear in the outcome, so the derived metric's mean equals the weighted sum
   * of the per-metric means up to the rounding of each row's weighted sum (1e-9 relative is far
   * above that and far below any real difference). The per-metric rows each subtract the cost, so
   * their profits summed differ from the verdict's by the cost once more.
   */
  @Test
  void costIsChargedOnceOnTheValueWeightedSum() throws IOException {
    Path in = units(new double[] {0.3, 0.0, -0.2}, new double[] {0.05, -0.02, 0.0});
    String out = tmp.resolve("two").toString();
    List<ExperimentVerdict> verdicts =
        JobRunner.run(
                spark(),
                args(in, out, "--value-per-unit", "revenue=1,orders=5").toArray(new String[0]))
            .verdicts();
    Map<String, Row> revenue = decisions(out, "revenue");
    Map<String, Row> orders = decisions(out, "orders");
    assertEquals(3, verdicts.size());
    for (ExperimentVerdict v : verdicts) {
      assertEquals("oec", v.valueMetric());
      double er = revenue.get(v.experimentId()).getAs("effect_mean");
      double eo = orders.get(v.experimentId()).getAs("effect_mean");
      double expected = USERS * (1 * er + 5 * eo) - COST;
      assertEquals(expected, v.expectedProfit(), 1e-9 * Math.abs(USERS * (er + 5 * eo)) + 1e-9);
      double perMetric =
          (double) revenue.get(v.experimentId()).getAs("expected_profit")
              + (double) orders.get(v.experimentId()).getAs("expected_profit");
      assertEquals(perMetric + COST, v.expectedProfit(), 1e-6 * USERS);
    }
  }

  /** One number for --value-per-unit values the primary metric only: its own row's profit. */
  @Test
  void aSingleValueAppliesToThePrimaryMetric() throws IOException {
    Path in = units(new double[] {0.3, 0.0, -0.2}, new double[] {0.05, -0.02, 0.0});
    String out = tmp.resolve("one").toString();
    List<ExperimentVerdict> verdicts =
        JobRunner.run(
                spark(),
                args(in, out, "--value-per-unit", "2", "--primary-metric", "orders")
                    .toArray(new String[0]))
            .verdicts();
    Map<String, Row> orders = decisions(out, "orders");
    for (ExperimentVerdict v : verdicts) {
      assertEquals("orders", v.valueMetric());
      double eo = orders.get(v.experimentId()).getAs("effect_mean");
      assertEquals(USERS * 2 * eo - COST, v.expectedProfit(), 1e-9 * USERS);
      assertEquals((double) orders.get(v.experimentId()).getAs("effect_mean"), v.effectMean());
    }
  }

  /**
   * Experiment e0 is clearly profitable on revenue (lift 0.3 against sd about 1.4/sqrt(2000)) while
   * its orders drop by 0.1 (sd 0.5/sqrt(1000) per arm mean): without a guardrail it launches; with
   * orders>=0 the guardrail is violated and the verdict is investigate, naming it.
   */
  @Test
  void aBrokenGuardrailTurnsAProfitableLaunchIntoInvestigate() throws IOException {
    Path in = units(new double[] {0.3, 0.3, 0.3}, new double[] {-0.1, 0.0, 0.05});
    String free = tmp.resolve("free").toString();
    String guarded = tmp.resolve("guarded").toString();
    List<ExperimentVerdict> without =
        JobRunner.run(
                spark(),
                args(in, free, "--value-per-unit", "revenue=1,orders=0").toArray(new String[0]))
            .verdicts();
    List<ExperimentVerdict> with =
        JobRunner.run(
                spark(),
                args(
                        in,
                        guarded,
                        "--value-per-unit",
                        "revenue=1,orders=0",
                        "--guardrail",
                        "orders>=0")
                    .toArray(new String[0]))
            .verdicts();
    assertEquals(Verdict.LAUNCH, without.get(0).verdict());
    assertEquals(GuardrailStatus.NONE, without.get(0).guardrailStatus());
    ExperimentVerdict e0 = with.get(0);
    assertEquals(Verdict.INVESTIGATE, e0.verdict());
    assertEquals(GuardrailStatus.VIOLATED, e0.guardrailStatus());
    assertEquals(List.of("orders>=0"), e0.guardrailsViolated());
    Assertions.assertTrue(e0.reason().contains("orders>=0"), e0.reason());
    // e2's orders rise: the guardrail holds and the launch stands.
    assertEquals(Verdict.LAUNCH, with.get(2).verdict());
    assertEquals(GuardrailStatus.OK, with.get(2).guardrailStatus());
    // The profit is the same with and without the guardrail: it only vetoes.
    assertEquals(without.get(0).expectedProfit(), e0.expectedProfit());
    assertNotEquals(without.get(0).verdict(), e0.verdict());
  }

  @Test
  void verdictOptionsNamingNoMetricAreRefused() throws IOException {
    Path in = units(new double[] {0.3}, new double[] {0.0});
    String out = tmp.resolve("typo").toString();
    UsageException g =
        assertThrows(
            UsageException.class,
            () ->
                JobRunner.run(
                    spark(),
                    args(in, out, "--value-per-unit", "1", "--guardrail", "ordrs>=0")
                        .toArray(new String[0])));
    assertEquals(
        "--guardrail ordrs>=0 names metric 'ordrs', which is not a --metric (metrics: revenue,"
            + " orders)",
        g.getMessage());
    UsageException f =
        assertThrows(
            UsageException.class,
            () ->
                JobRunner.run(
                    spark(),
                    args(in, out, "--value-per-unit", "1", "--guardrail", "orders=>0")
                        .toArray(new String[0])));
    Assertions.assertTrue(
        f.getMessage().startsWith("--guardrail: guardrail 'orders=>0' is not"), f.getMessage());
    UsageException p =
        assertThrows(
            UsageException.class,
            () ->
                JobRunner.run(
                    spark(),
                    args(in, out, "--value-per-unit", "1", "--primary-metric", "revenu")
                        .toArray(new String[0])));
    Assertions.assertTrue(
        p.getMessage().startsWith("--primary-metric names metric 'revenu'"), p.getMessage());
    UsageException o =
        assertThrows(
            UsageException.class,
            () ->
                JobRunner.run(
                    spark(),
                    args(in, out, "--value-per-unit", "revenue=1,orders=5", "--covariates", "oec")
                        .toArray(new String[0])));
    Assertions.assertTrue(
        o.getMessage().startsWith("column 'oec' is also the name"), o.getMessage());
  }
}
