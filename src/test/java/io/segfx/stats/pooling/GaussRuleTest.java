package io.segfx.stats.pooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Gauss rule of a grid measure (moved with {@link GaussRule} from FullBayesPoolingTest,
 * unchanged).
 */
class GaussRuleTest {
  /**
   * The plain three-term Lanczos recurrence against full reorthogonalisation on the grids of 50
   * random groups: the same Gauss rule to 1e-12 (nodes in u, weights).
   */
  @Test
  void lanczosWithoutReorthogonalisationGivesTheSameRule() {
    Random r = new Random(3);
    for (int c = 0; c < 50; c++) {
      int k = 3 + r.nextInt(40);
      double[] y = new double[k];
      double[] se = new double[k];
      double tau = c % 2 == 0 ? 0 : r.nextDouble();
      for (int j = 0; j < k; j++) {
        se[j] = 0.05 + r.nextDouble();
        y[j] = tau * r.nextGaussian() + se[j] * r.nextGaussian();
      }
      HierarchicalPosterior grid = FullBayesPooling.fit(y, se, TauPrior.UNIFORM, null, false);
      double[] u = new double[grid.tau().length];
      double scale = 0;
      for (double v : grid.v()) {
        scale += v;
      }
      scale = Math.sqrt(scale / k);
      for (int i = 0; i < u.length; i++) {
        u[i] = grid.tau()[i] / (scale + grid.tau()[i]);
      }
      double[][] fast =
          GaussRule.of(u, grid.weight(), u[0], u[u.length - 1], FullBayesPooling.NODES, false);
      double[][] safe =
          GaussRule.of(u, grid.weight(), u[0], u[u.length - 1], FullBayesPooling.NODES, true);
      assertTrue(fast != null, "orthogonality kept");
      assertEquals(safe[0].length, fast[0].length);
      for (int i = 0; i < safe[0].length; i++) {
        assertEquals(safe[0][i], fast[0][i], 1e-12);
        assertEquals(safe[1][i], fast[1][i], 1e-12);
      }
    }
  }
}
