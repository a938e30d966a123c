package io.segfx.stats.pooling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;

/**
 * The Gauss rule's eigen step (moved with {@link JacobiEigen} from FullBayesPoolingTest,
 * unchanged).
 */
class JacobiEigenTest {
  /**
   * The first-row QL (Golub–Welsch) against Commons Math's full eigendecomposition of random
   * symmetric tridiagonal matrices: eigenvalues and squared first eigenvector components to 1e-12
   * (both are backward stable; the matrices have norm about 1).
   */
  @Test
  void jacobiEigenMatchesAFullEigendecomposition() {
    Random r = new Random(11);
    for (int c = 0; c < 200; c++) {
      int n = 1 + r.nextInt(30);
      double[] d = new double[n];
      double[] e = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = r.nextGaussian();
        e[i] = i < n - 1 ? (c % 5 == 0 && i % 3 == 0 ? 0 : r.nextGaussian()) : 0;
      }
      EigenDecomposition full =
          new EigenDecomposition(d.clone(), Arrays.copyOf(e, Math.max(n - 1, 0)));
      double[] nodes = d.clone();
      double[] w = JacobiEigen.solve(nodes, e.clone());
      double[] ev = full.getRealEigenvalues();
      double[][] ref = new double[n][];
      double[][] got = new double[n][];
      for (int k = 0; k < n; k++) {
        double f = full.getEigenvector(k).getEntry(0);
        ref[k] = new double[] {ev[k], f * f};
        got[k] = new double[] {nodes[k], w[k]};
      }
      Comparator<double[]> byValue = Comparator.comparingDouble(x -> x[0]);
      Arrays.sort(ref, byValue);
      Arrays.sort(got, byValue);
      for (int k = 0; k < n; k++) {
        assertEquals(ref[k][0], got[k][0], 1e-12, "eigenvalue " + k + " of case " + c);
        // Repeated eigenvalues (a zero off-diagonal) leave the split of weight between them free.
        if (k == 0
            || Math.abs(ref[k][0] - ref[k - 1][0]) > 1e-8
                && (k == n - 1 || Math.abs(ref[k + 1][0] - ref[k][0]) > 1e-8)) {
          assertEquals(ref[k][1], got[k][1], 1e-12, "weight " + k + " of case " + c);
        }
      }
    }
  }

  /** The QL's hypot against Math.hypot: within 2 ulps, and exact at the scaled extremes. */
  @Test
  void hypotMatchesTheLibrary() {
    Random r = new Random(2);
    for (int i = 0; i < 100_000; i++) {
      double a = r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
      double b = r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
      double h = Math.hypot(a, b);
      assertEquals(h, JacobiEigen.hypot(a, b), 2 * Math.ulp(h));
    }
    assertEquals(0.0, JacobiEigen.hypot(0, 0));
    assertEquals(Math.hypot(3e200, 4e200), JacobiEigen.hypot(3e200, 4e200));
    assertEquals(Math.hypot(3e-200, 4e-200), JacobiEigen.hypot(3e-200, 4e-200));
  }
}
