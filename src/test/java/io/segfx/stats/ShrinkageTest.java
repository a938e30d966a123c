package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.testing.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShrinkageTest {
  /**
   * The notebook's section-9 shrinkage (shared fixture, deterministic): shrunk estimate, weight on
   * raw and plug-in posterior sd for all 18 segments, to 1e-9 relative.
   */
  @Test
  void reproducesSection9() {
    double mu = 1.1194577592887442;
    double tau2 = 0.40227517730335716;
    for (Map<String, String> row : Fixtures.csv("seed_section9_expected.csv")) {
      Shrinkage.Posterior p =
          Shrinkage.posterior(
              Double.parseDouble(row.get("raw_estimate")), Double.parseDouble(row.get("raw_se")), mu, 0.1, tau2);
      double shrunk = Double.parseDouble(row.get("shrunk_estimate"));
      double weight = Double.parseDouble(row.get("shrinkage_weight_on_raw"));
      double sd = Double.parseDouble(row.get("posterior_sd"));
      assertEquals(shrunk, p.mean(), 1e-9 * Math.abs(shrunk), row.get("segment"));
      assertEquals(weight, p.weightOnRaw(), 1e-9 * weight, row.get("segment"));
      assertEquals(sd, p.sd(), 1e-9 * sd, row.get("segment"));
    }
  }

  @Test
  void completePoolingWhenTauIsZero() {
    Shrinkage.Posterior p = Shrinkage.posterior(3.0, 0.5, 1.0, 0.2, 0.0);
    assertEquals(1.0, p.mean(), 0.0);
    assertEquals(0.2, p.sd(), 0.0);
    assertEquals(0.0, p.weightOnRaw(), 0.0);
    Shrinkage.Posterior own = Shrinkage.unpooled(3.0, 0.5);
    assertEquals(1.0, own.weightOnRaw(), 0.0);
  }
}
