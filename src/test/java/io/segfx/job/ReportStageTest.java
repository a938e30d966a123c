package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.segfx.config.JobSpec;
import io.segfx.config.SpecLoader;
import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentVerdict;
import io.segfx.model.GuardrailStatus;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.VariantKey;
import io.segfx.model.Verdict;
import io.segfx.report.HtmlReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The report's index rows follow the verdict table, one per (experiment, variant), and its flags
 * say in words what changes the decision.
 */
class ReportStageTest {
  private static DecisionMetrics decision(
      String id, String metric, String variant, String rec, boolean srm) {
    return new DecisionMetrics(
        id,
        metric,
        variant,
        0,
        0.01,
        0.005,
        0.0,
        0.02,
        0.97,
        0.5,
        0.1,
        8.5,
        0.05,
        0.15,
        0.4,
        10,
        9,
        11,
        0.9,
        0.1,
        0.2,
        rec,
        0,
        0,
        0,
        "prior",
        srm ? 0.0001 : 0.5,
        srm);
  }

  private static ExperimentVerdict verdict(String id, String variant) {
    double nan = Double.NaN;
    return new ExperimentVerdict(
        id,
        variant,
        Verdict.LAUNCH,
        "P(profit > 0) = 0.990",
        "m",
        "m",
        1,
        0,
        2,
        nan,
        nan,
        nan,
        0.99,
        5,
        1,
        9,
        0.99,
        0,
        1,
        GuardrailStatus.NONE,
        List.of(),
        0,
        nan);
  }

  private static DecisionAssembly.Tables tables(
      List<DecisionMetrics> decisions,
      List<PriorSensitivity> grid,
      List<BiasSensitivity> bias,
      List<ExperimentVerdict> verdicts) {
    return new DecisionAssembly.Tables(
        List.of(), List.of(), decisions, List.of(), grid, bias, verdicts);
  }

  private static JobSpec spec() {
    return SpecLoader.segmentEffects(
        new String[] {
          "--input", "x.csv", "--output", "out", "--metric", "m", "--threshold", "0.3"
        });
  }

  /**
   * Verdicts given out of order, an experiment with two variants, and one pair with decision rows
   * but no verdict: the index has one row per pair, in (experiment, variant) order, each with its
   * metric rows in table order and the metric's threshold.
   */
  @Test
  void indexRowsFollowTheVerdictTable() {
    List<DecisionMetrics> decisions =
        List.of(
            decision("a", "m", "1", "launch", false),
            decision("a", "n", "1", "launch", false),
            decision("a", "m", "2", "launch", false),
            decision("b", "m", "1", "launch", false),
            decision("c", "m", "1", "launch", false));
    List<ExperimentVerdict> verdicts =
        List.of(verdict("b", "1"), verdict("a", "2"), verdict("a", "1"));
    Map<VariantKey, ExperimentVerdict> byKey = GroupKeys.unique(verdicts, ExperimentVerdict::key);
    List<HtmlReport.IndexRow> rows =
        ReportStage.indexRows(
            spec(),
            tables(decisions, List.of(), List.of(), verdicts),
            byKey,
            Map.of("a", "a.html", "b", "b.html", "c", "c.html"),
            Set.of("a", "b"),
            Set.of("b"),
            Map.of());
    List<String> keys = new ArrayList<>();
    for (HtmlReport.IndexRow r : rows) {
      keys.add(r.experimentId() + "/" + r.variant());
    }
    List<ExperimentVerdict> sorted = new ArrayList<>(verdicts);
    sorted.sort(ExperimentVerdict.ORDER);
    assertEquals(List.of("a/1", "a/2", "b/1", "c/1"), keys);
    for (int i = 0; i < sorted.size(); i++) {
      assertEquals(sorted.get(i), rows.get(i).verdict(), "verdict rows in table order");
    }
    assertNull(rows.get(3).verdict(), "a pair without a verdict keeps its metric rows");
    assertEquals(
        List.of("m", "n"), rows.get(0).metrics().stream().map(x -> x.decision().metric()).toList());
    assertEquals(0.3, rows.get(0).metrics().get(0).threshold(), 0.0, "the metric's threshold");
    assertEquals(List.of(false, false, true, false), rows.stream().map(r -> r.charted()).toList());
    assertEquals(
        Arrays.asList("a.html", "a.html", "b.html", null),
        rows.stream().map(r -> r.page()).toList(),
        "only experiments with a page are linked");
  }

  @Test
  void flagsSayWhatChangesTheDecision() {
    DecisionMetrics base = decision("e", "c", "1", "launch", false);
    List<PriorSensitivity> grid =
        List.of(
            new PriorSensitivity(
                "e", "c", "1", "uniform", new double[] {1, 1}, new double[] {1, 1}, base, true),
            new PriorSensitivity(
                "e",
                "c",
                "1",
                "skeptical",
                new double[] {20, 180},
                new double[] {20, 180},
                decision("e", "c", "1", "collect_more_data", false),
                true),
            // A grid that agrees with itself flags nothing.
            new PriorSensitivity(
                "f", "c", "1", "uniform", new double[] {1, 1}, new double[] {1, 1}, base, false));
    List<BiasSensitivity> bias =
        List.of(
            new BiasSensitivity(
                "g", "c", "1", "none", 0, 0, decision("g", "c", "1", "launch", false)),
            new BiasSensitivity(
                "g",
                "c",
                "1",
                "strong",
                0.1,
                0.02,
                decision("g", "c", "1", "do_not_launch", false)));
    Map<VariantKey, List<String>> flags =
        ReportStage.flags(
            tables(
                List.of(
                    base,
                    decision("f", "c", "1", "launch", false),
                    decision("g", "c", "1", "launch", false),
                    decision("s", "c", "1", "investigate_srm", true),
                    decision("s", "d", "1", "investigate_srm", true)),
                grid,
                bias,
                List.of()));
    assertEquals(
        Map.of(
            new VariantKey("e", "1"),
            List.of("on c, the skeptical prior turns launch into collect more data"),
            new VariantKey("g", "1"),
            List.of("on c, the bias scenario strong turns launch into do not launch"),
            new VariantKey("s", "1"),
            List.of("the arm sizes fail the sample-ratio check (p = 0.000)")),
        flags);
  }

  @Test
  void aGridWithoutADecidedBaselineListsWhatEachPriorGives() {
    DecisionMetrics srm = decision("e", "c", "1", "investigate_srm", false);
    List<PriorSensitivity> grid =
        List.of(
            new PriorSensitivity(
                "e",
                "c",
                "1",
                "uniform",
                new double[] {1, 1},
                new double[] {1, 1},
                decision("e", "c", "1", "launch", false),
                true),
            new PriorSensitivity(
                "e",
                "c",
                "1",
                "skeptical",
                new double[] {20, 180},
                new double[] {20, 180},
                decision("e", "c", "1", "collect_more_data", false),
                true));
    assertEquals(
        List.of(
            "on c, the prior grid disagrees: the uniform prior gives launch, the skeptical prior"
                + " gives collect more data"),
        ReportStage.flags(tables(List.of(srm), grid, List.of(), List.of()))
            .get(new VariantKey("e", "1")));
  }
}
