package io.segfx.stats.pooling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.junit.jupiter.api.Test;

/** The written-out rule against an independent computation of it, and against its defining sums. */
class LegendreRuleTest {
  /**
   * Bit for bit the doubles of Commons Math's high-precision rule (Golub–Welsch in BigDecimal): the
   * pooling goldens were produced with those.
   */
  @Test
  void equalsTheHighPrecisionRuleOfCommonsMath() {
    GaussIntegrator rule = new GaussIntegratorFactory().legendreHighPrecision(LegendreRule.POINTS);
    for (int k = 0; k < LegendreRule.POINTS; k++) {
      assertEquals(rule.getPoint(k), LegendreRule.node(k), 0.0, "node " + k);
      assertEquals(rule.getWeight(k), LegendreRule.weight(k), 0.0, "weight " + k);
    }
  }

  /**
   * An 8-point Gauss rule integrates x^d exactly for d <= 15: sum_k w_k t_k^d = 2 / (d + 1) for
   * even d and 0 for odd d. Tolerance 4e-16: the sums of eight products of doubles, each within
   * half an ulp of its exact value.
   */
  @Test
  void integratesPolynomialsUpToDegree15() {
    for (int d = 0; d <= 15; d++) {
      double sum = 0;
      for (int k = 0; k < LegendreRule.POINTS; k++) {
        sum += LegendreRule.weight(k) * Math.pow(LegendreRule.node(k), d);
      }
      assertEquals(d % 2 == 0 ? 2.0 / (d + 1) : 0.0, sum, 4e-16, "degree " + d);
    }
  }
}
