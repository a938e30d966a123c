package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.report.ImpactTable.Cell;
import io.segfx.report.ImpactTable.Column;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The causal-impact summary row, CausalImpact's table built from it, and our paragraph. The table's
 * expected figures are worked by hand from the inputs below (exact in binary: every input is a
 * small dyadic or integer), so they are compared exactly.
 */
class ImpactMemoTest {
  static ImpactSummary summary(String status, int placebos, double placeboP, long rejected) {
    return new ImpactSummary(
        "s-1",
        status,
        40,
        30,
        1.5,
        0.5,
        0.5,
        2.5,
        45,
        15,
        15,
        75,
        0.25,
        0.0625,
        0.125,
        0.375,
        0.01,
        0.99,
        true,
        0.9,
        0.2,
        false,
        placeboP,
        placebos,
        20458,
        rejected,
        0,
        Double.NaN,
        0,
        0);
  }

  /** A series whose pre-period residuals have lag-1 autocorrelation r1, flagged. */
  private static ImpactSummary drifting(double r1) {
    ImpactSummary s = summary("ok", 10, 1.0 / 11, 0);
    return new ImpactSummary(
        s.seriesId(),
        s.status(),
        s.nPre(),
        s.nPost(),
        s.averageMean(),
        s.averageSd(),
        s.averageQ025(),
        s.averageQ975(),
        s.cumulativeMean(),
        s.cumulativeSd(),
        s.cumulativeQ025(),
        s.cumulativeQ975(),
        s.relativeEffectMean(),
        s.relativeEffectSd(),
        s.relativeEffectQ025(),
        s.relativeEffectQ975(),
        s.tailAreaP(),
        s.probCausalEffect(),
        s.significant(),
        s.preR2(),
        r1,
        true,
        s.placeboP(),
        s.placebos(),
        s.interventionTime(),
        s.rowsRejected(),
        s.pointsNeeded(),
        s.duplicateTime(),
        s.duplicateRows(),
        s.duplicatedTimes());
  }

  private static ImpactTable table(ImpactSummary s) {
    return new ImpactTable(s, 300);
  }

  @Test
  void rowAdapterReadsTheSameFieldsAsTheRecord() {
    Map<String, Object> row = new HashMap<>();
    ImpactSummary s = summary("ok", 10, 1.0 / 11, 3);
    row.put("series_id", s.seriesId());
    row.put("status", s.status());
    row.put("n_pre", s.nPre());
    row.put("n_post", s.nPost());
    row.put("average_mean", s.averageMean());
    row.put("average_sd", s.averageSd());
    row.put("average_q025", s.averageQ025());
    row.put("average_q975", s.averageQ975());
    row.put("cumulative_mean", s.cumulativeMean());
    row.put("cumulative_sd", s.cumulativeSd());
    row.put("cumulative_q025", s.cumulativeQ025());
    row.put("cumulative_q975", s.cumulativeQ975());
    row.put("relative_effect_mean", s.relativeEffectMean());
    row.put("relative_effect_sd", s.relativeEffectSd());
    row.put("relative_effect_q025", s.relativeEffectQ025());
    row.put("relative_effect_q975", s.relativeEffectQ975());
    row.put("tail_area_p", s.tailAreaP());
    row.put("prob_causal_effect", s.probCausalEffect());
    row.put("significant", s.significant());
    row.put("pre_r2", s.preR2());
    row.put("pre_residual_autocorrelation", s.preResidualAutocorrelation());
    row.put("residual_drift_flag", s.residualDriftFlag());
    row.put("placebo_p", s.placeboP());
    row.put("placebos", s.placebos());
    row.put("intervention_time", s.interventionTime());
    row.put("rows_rejected", s.rowsRejected());
    row.put("points_needed", null);
    row.put("duplicate_time", Double.NaN);
    row.put("duplicate_rows", 0);
    row.put("duplicated_times", 0);
    assertEquals(s, ImpactSummary.of(row::get));
    row.put("points_needed", 44);
    row.put("duplicate_time", 82.0);
    row.put("duplicate_rows", 2);
    row.put("duplicated_times", 3);
    ImpactSummary d = ImpactSummary.of(row::get);
    assertEquals(44, d.pointsNeeded());
    assertEquals(82.0, d.duplicateTime(), 0.0);
    assertEquals(2, d.duplicateRows());
    assertEquals(3, d.duplicatedTimes());
    row.put("rows_rejected", null);
    row.put("relative_effect_sd", null);
    assertEquals(0L, ImpactSummary.of(row::get).rowsRejected());
    assertTrue(Double.isNaN(ImpactSummary.of(row::get).relativeEffectSd()));
  }

  /**
   * Actual 300 over 30 points (10 each); effect 1.5 (sd 0.5) [0.5, 2.5] per point, 45 (sd 15) [15,
   * 75] in total: prediction 8.5 (0.5) [7.5, 9.5] and 255 (15) [225, 285]. The relative effect is
   * the same in both columns.
   */
  @Test
  void tableIsActualMinusEffectWithTheIntervalReversed() {
    ImpactTable t = table(summary("ok", 10, 1.0 / 11, 0));
    assertEquals(10.0, t.actual(Column.AVERAGE), 0.0);
    assertEquals(300.0, t.actual(Column.CUMULATIVE), 0.0);
    assertEquals(new Cell(8.5, 0.5, 7.5, 9.5), t.prediction(Column.AVERAGE));
    assertEquals(new Cell(255, 15, 225, 285), t.prediction(Column.CUMULATIVE));
    assertEquals(new Cell(1.5, 0.5, 0.5, 2.5), t.absolute(Column.AVERAGE));
    assertEquals(new Cell(45, 15, 15, 75), t.absolute(Column.CUMULATIVE));
    Cell rel = new Cell(0.25, 0.0625, 0.125, 0.375);
    assertEquals(rel, t.relative(Column.AVERAGE));
    assertEquals(rel, t.relative(Column.CUMULATIVE));
  }

  @Test
  void pageTablePrintsEveryCell() {
    StringBuilder b = new StringBuilder();
    ImpactPages.summaryTable(b, table(summary("ok", 10, 1.0 / 11, 0)));
    String html = b.toString();
    for (String s :
        List.of(
            "<td class=\"l\">Actual</td><td>10.0000</td><td>300.0000</td>",
            "<td class=\"l\">Prediction (sd)</td><td>8.5000 (0.5000)</td><td>255.0000"
                + " (15.0000)</td>",
            "<td class=\"l\">95% CI</td><td>[7.5000, 9.5000]</td><td>[225.0000, 285.0000]</td>",
            "<td class=\"l\">Absolute effect (sd)</td><td>1.5000 (0.5000)</td>"
                + "<td>45.0000 (15.0000)</td>",
            "<td class=\"l\">95% CI</td><td>[0.5000, 2.5000]</td><td>[15.0000, 75.0000]</td>",
            // 6.25% rounds half-up to one decimal, as Formatter does.
            "<td class=\"l\">Relative effect (sd)</td><td>+25.0% (6.3%)</td><td>+25.0% (6.3%)</td>",
            "<td>[+12.5%, +37.5%]</td><td>[+12.5%, +37.5%]</td>",
            "tail-area probability p</td><td colspan=\"2\">0.0100</td>",
            "probability of a causal effect</td><td colspan=\"2\">0.990</td>")) {
      assertTrue(html.contains(s), "lacks " + s + " in\n" + html);
    }
  }

  @Test
  void paragraphSaysWhatItMeansAndWhatCouldInvalidateIt() {
    String p = ImpactMemo.paragraph(table(summary("ok", 10, 1.0 / 11, 3)), ImpactTime.DATES);
    for (String s :
        List.of(
            "From 2026-01-05, over 30 post-intervention points, series s-1 averaged 10.0000 where"
                + " its controls predict 8.5000 without the intervention (95% interval [7.5000,"
                + " 9.5000])",
            "1.5000 on average (95% interval [0.5000, 2.5000]), 45.0000 in total ([15.0000,"
                + " 75.0000]) or +25.0% of the prediction ([+12.5%, +37.5%])",
            "probability of a causal effect is 0.990; the interval of the total excludes 0",
            "R² = 0.900",
            // 1.96/sqrt(40) = 0.3099
            "autocorrelation 0.2000, within the noise band ±0.3099",
            "placebo p = 0.091 (with 10 placebos it cannot go below 1/11 = 0.091): none showed an"
                + " effect this large",
            "3 rows of this series were quarantined",
            "spill-over")) {
      assertTrue(p.contains(s), "lacks " + s + " in\n" + p);
    }
    String numbers =
        ImpactMemo.paragraph(table(summary("ok", 0, Double.NaN, 0)), ImpactTime.NUMBERS);
    // An integer time prints as the integer, not as 20,458 or 20458.0000.
    assertTrue(numbers.startsWith("From 20458, over 30"), numbers);
    assertTrue(numbers.contains("too short for placebo refits"), numbers);
    // placebo p = 4/11: 3 of 10 placebos were as large.
    ImpactSummary common = summary("ok", 10, 4.0 / 11, 0);
    assertEquals(3, common.placebosAsLarge());
    assertEquals(List.of("3 of 10 placebos as large"), common.flags());
    assertTrue(
        ImpactMemo.paragraph(table(drifting(0.4)), ImpactTime.NUMBERS)
            .contains("0.4000, beyond the noise band ±0.3099: they drift, so the intervals are"));
    assertTrue(
        ImpactMemo.paragraph(table(drifting(-0.4)), ImpactTime.NUMBERS)
            .contains("-0.4000, beyond the noise band ±0.3099: they alternate"));
    assertEquals(List.of("residual drift"), drifting(0.4).flags());
    assertTrue(
        ImpactMemo.paragraph(table(common), ImpactTime.NUMBERS)
            .contains("3 showed an effect at least this large without any intervention"));
    assertTrue(
        ImpactMemo.paragraph(table(summary("ok", 10, 1.0 / 11, 1)), ImpactTime.NUMBERS)
            .contains(" 1 row of this series was quarantined (see rejected_rows)"));
  }

  /** A refusal with the details it carries: its status, and what to fix. */
  private static ImpactSummary refused(
      String status, int nPre, int needed, double dupTime, int dupRows, int dupTimes) {
    double n = Double.NaN;
    return new ImpactSummary(
        "s-1", status, nPre, 30, n, n, n, n, n, n, n, n, n, n, n, n, n, n, false, n, n, false, n, 0,
        82, 0, needed, dupTime, dupRows, dupTimes);
  }

  @Test
  void seriesNotAnalysedSaysWhy() {
    assertEquals(
        "Series s-1 was not analysed: too few points.",
        ImpactMemo.paragraph(table(summary("too_few_points", 0, Double.NaN, 0)), ImpactTime.DATES));
    assertEquals(
        "Series s-1 was not analysed: too few points. The fit needs 44 pre-period points and the"
            + " series has 30 before 82, 14 short: give it a longer pre-period or fewer controls"
            + " or seasons (--control-prior spike-slab counts the controls by the model size its"
            + " prior expects, not one by one).",
        ImpactMemo.paragraph(
            table(refused("too_few_points", 30, 44, Double.NaN, 0, 0)), ImpactTime.NUMBERS));
    assertEquals(
        "Series s-1 was not analysed: duplicate times. Time 17 occurs in 3 rows, the first of 2"
            + " times that occur more than once; the model needs one row per time point, so"
            + " remove or aggregate the duplicates.",
        ImpactMemo.paragraph(
            table(refused("duplicate_times", 30, 4, 17, 3, 2)), ImpactTime.NUMBERS));
    // A date column's duplicate prints as the date.
    double day = java.time.LocalDate.parse("2026-01-05").toEpochDay();
    assertTrue(
        ImpactMemo.paragraph(table(refused("duplicate_times", 30, 4, day, 2, 1)), ImpactTime.DATES)
            .contains(
                "Time 2026-01-05 occurs in 2 rows, the only time that occurs more than once;"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> summary(null, 0, 0, 0));
    assertEquals("series id and status are required, got s-1, null", e.getMessage());
  }
}
