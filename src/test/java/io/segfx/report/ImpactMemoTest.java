package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The causal-impact memo paragraph, from the record and from a row read by column name. */
class ImpactMemoTest {
  private static ImpactSummary summary(String status, int placebos, long rejected) {
    return new ImpactSummary(
        "s-1",
        status,
        30,
        1.5,
        0.5,
        2.5,
        45,
        15,
        75,
        0.1,
        0.05,
        0.15,
        0.01,
        0.99,
        true,
        0.9,
        0.2,
        false,
        0.0909090909,
        placebos,
        rejected);
  }

  @Test
  void rowAdapterReadsTheSameFieldsAsTheRecord() {
    Map<String, Object> row = new HashMap<>();
    ImpactSummary s = summary("ok", 10, 3);
    row.put("series_id", s.seriesId());
    row.put("status", s.status());
    row.put("n_post", s.nPost());
    row.put("average_mean", s.averageMean());
    row.put("average_q025", s.averageQ025());
    row.put("average_q975", s.averageQ975());
    row.put("cumulative_mean", s.cumulativeMean());
    row.put("cumulative_q025", s.cumulativeQ025());
    row.put("cumulative_q975", s.cumulativeQ975());
    row.put("relative_effect_mean", s.relativeEffectMean());
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
    row.put("rows_rejected", s.rowsRejected());
    assertEquals(s, ImpactSummary.of(row::get));
    row.put("rows_rejected", null);
    assertEquals(0L, ImpactSummary.of(row::get).rowsRejected());
  }

  @Test
  void paragraphStatesIntervalsPlaceboFloorAndQuarantine() {
    String p = ImpactMemo.paragraph(summary("ok", 10, 3));
    assertTrue(p.contains("by 1.5000 on average (95% interval [0.5000, 2.5000])"), p);
    assertTrue(p.contains("cannot go below 1/11 = 0.091)"), p);
    assertTrue(p.contains("3 rows of this series were quarantined"), p);
    assertTrue(ImpactMemo.paragraph(summary("ok", 0, 0)).contains("too short for a placebo refit"));
  }

  @Test
  void seriesNotAnalysedSaysWhy() {
    assertEquals(
        "Series s-1 was not analysed: too few points.",
        ImpactMemo.paragraph(summary("too_few_points", 0, 0)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> summary(null, 0, 0));
    assertEquals("series id and status are required, got s-1, null", e.getMessage());
  }
}
