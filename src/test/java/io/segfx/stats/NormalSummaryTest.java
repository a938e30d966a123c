package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** Against Commons Math's NormalDistribution (an independent implementation); 1e-12 absolute. */
class NormalSummaryTest {
  @Test
  void matchesCommonsMath() {
    double[][] cases = {
      {0.3, 0.2, 0.25}, {-1.5, 3.0, 0.0}, {0.0105, 0.0064, 0.005}, {10, 1e-3, 10.002}
    };
    for (double[] c : cases) {
      NormalSummary s = NormalSummary.of(c[0], c[1], c[2]);
      NormalDistribution n = new NormalDistribution(c[0], c[1]);
      assertEquals(
          n.inverseCumulativeProbability(0.025), s.q025(), 1e-12 * Math.max(1, Math.abs(c[0])));
      assertEquals(
          n.inverseCumulativeProbability(0.975), s.q975(), 1e-12 * Math.max(1, Math.abs(c[0])));
      assertEquals(1 - n.cumulativeProbability(0), s.probPositive(), 1e-12);
      assertEquals(1 - n.cumulativeProbability(c[2]), s.probAboveThreshold(), 1e-12);
    }
    assertEquals(
        1.959963984540054, new NormalDistribution().inverseCumulativeProbability(0.975), 1e-15);
  }

  @Test
  void pointMass() {
    NormalSummary s = NormalSummary.of(0.5, 0.0, 1.0);
    assertEquals(1.0, s.probPositive(), 0.0);
    assertEquals(0.0, s.probAboveThreshold(), 0.0);
    assertEquals(0.5, s.q025(), 0.0);
  }
}
