package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Selection against the type-7 definition applied to a fully sorted copy (brute force): exact. */
class QuantilesTest {
  private static double sortedType7(double[] x, double p) {
    double[] s = x.clone();
    Arrays.sort(s);
    double h = (s.length - 1) * p;
    int lo = (int) Math.floor(h);
    return lo == s.length - 1 ? s[lo] : s[lo] + (h - lo) * (s[lo + 1] - s[lo]);
  }

  @Test
  void matchesSortedDefinition() {
    Random r = new Random(31);
    double[] ps = {0, 0.025, 0.25, 0.5, 0.975, 1};
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + r.nextInt(500);
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        // Ties on purpose: a coarse grid half the time.
        x[i] = trial % 2 == 0 ? r.nextGaussian() : r.nextInt(7);
      }
      for (double p : ps) {
        assertEquals(sortedType7(x, p), Quantiles.select(x.clone(), p), 0.0, "n=" + n + " p=" + p);
      }
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> Quantiles.select(new double[0], 0.5));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Quantiles.select(new double[] {1}, 1.5));
    assertEquals("p must be in [0, 1], got 1.5", e.getMessage());
  }
}
