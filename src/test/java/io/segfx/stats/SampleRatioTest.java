package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

/** Against Commons Math's ChiSquareTest (an independent implementation): 1e-12 absolute. */
class SampleRatioTest {
  @Test
  void matchesChiSquareTest() {
    long[][] obs = {{5000, 4000}, {5000, 5050}, {3400, 3300, 3300}, {100, 130, 90}};
    double[][] w = {{1, 1}, {1, 1}, {34, 33, 33}, {1, 2, 1}};
    for (int i = 0; i < obs.length; i++) {
      double wsum = 0;
      long total = 0;
      for (int j = 0; j < obs[i].length; j++) {
        wsum += w[i][j];
        total += obs[i][j];
      }
      double[] expected = new double[obs[i].length];
      for (int j = 0; j < expected.length; j++) {
        expected[j] = total * w[i][j] / wsum;
      }
      assertEquals(
          new ChiSquareTest().chiSquareTest(expected, obs[i]),
          SampleRatio.pValue(obs[i], w[i]),
          1e-12);
    }
    assertEquals(Double.NaN, SampleRatio.pValue(new long[] {0, 0}, new double[] {1, 1}));
  }
}
