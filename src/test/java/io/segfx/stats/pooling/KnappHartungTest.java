package io.segfx.stats.pooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/** Knapp–Hartung, untruncated and truncated ({@code --kh-truncate}), against metafor. */
class KnappHartungTest {
  private static double get(Map<String, String> r, String key) {
    return Double.parseDouble(r.get(key));
  }

  /**
   * metafor's {@code test = "adhoc"} and {@code "knha"} (fixtures/metafor_adhoc.csv, 15 significant
   * digits, make_metafor_adhoc.R) on the BCG trials (q > 1: the two agree) and the eight schools (q
   * < 1: adhoc is the classical SE with the t quantile). At metafor's own (tau², mu) the SE and
   * interval agree to 1e-12 relative (15 printed digits; Commons Math's t quantile to 1e-14);
   * through segfx's REML and DL fits to 1e-8 (REML stops within 1e-10 of tau² + mean(v)).
   */
  @Test
  void matchesMetaforKnhaAndAdhoc() {
    double[][] bcg = Fixtures.bcg();
    Map<String, Map<String, String>> z = new HashMap<>();
    List<Map<String, String>> rows = Fixtures.csv("metafor_adhoc.csv");
    for (Map<String, String> r : rows) {
      if (r.get("test").equals("z")) {
        z.put(r.get("dataset") + r.get("method"), r);
      }
    }
    int checked = 0;
    for (Map<String, String> r : rows) {
      if (r.get("test").equals("z")) {
        continue;
      }
      boolean truncate = r.get("test").equals("adhoc");
      boolean isBcg = r.get("dataset").equals("bcg");
      double[] y = isBcg ? bcg[0] : Fixtures.SCHOOLS_Y;
      double[] se = isBcg ? bcg[1] : Fixtures.SCHOOLS_SE;
      String what = r.get("dataset") + " " + r.get("method") + " " + r.get("test");
      KnappHartung atTheirs = KnappHartung.of(y, se, get(r, "estimate"), get(r, "tau2"), truncate);
      assertEquals(get(r, "se"), atTheirs.se(), 1e-12 * get(r, "se"), what + " se");
      assertEquals(
          get(r, "ci_lb"), atTheirs.q025(), 1e-12 * Math.abs(get(r, "ci_lb")), what + " lb");
      assertEquals(
          get(r, "ci_ub"), atTheirs.q975(), 1e-12 * Math.abs(get(r, "ci_ub")), what + " ub");
      PoolingResult fit =
          r.get("method").equals("REML") ? Reml.fit(y, se) : DerSimonianLaird.fit(y, se);
      KnappHartung ours = KnappHartung.of(y, se, fit.mu(), fit.tau2(), truncate);
      assertEquals(get(r, "se"), ours.se(), 1e-8 * get(r, "se"), what + " se, own fit");
      assertEquals(
          get(r, "ci_lb"), ours.q025(), 1e-8 * Math.abs(get(r, "ci_lb")), what + " lb, own fit");
      assertEquals(
          get(r, "ci_ub"), ours.q975(), 1e-8 * Math.abs(get(r, "ci_ub")), what + " ub, own fit");
      if (truncate) {
        // adhoc's SE is the larger of the knha and the classical (test = "z") SE.
        Map<String, String> classical = z.get(r.get("dataset") + r.get("method"));
        KnappHartung untruncated =
            KnappHartung.of(y, se, get(r, "estimate"), get(r, "tau2"), false);
        assertEquals(
            Math.max(untruncated.se(), get(classical, "se")),
            atTheirs.se(),
            1e-12 * atTheirs.se(),
            what);
      }
      checked++;
    }
    assertEquals(8, checked);
  }

  /**
   * The closed form of the truncation on random groups: SE = max(SE_KH, 1/sqrt(sum w)) exactly as
   * computed from q (8 ulp for the square root and the sums' order), and its interval always
   * contains the normal one mu ± 1.96/sqrt(sum w), since t_{k-1, 0.975} > z_0.975; the untruncated
   * interval is narrower than the normal one exactly when q < (z/t)², as on many of these groups.
   */
  @Test
  void truncatedIntervalNeverNarrowerThanTheNormalOne() {
    Random rnd = new Random(3);
    int narrower = 0;
    for (int g = 0; g < 500; g++) {
      int k = 2 + rnd.nextInt(30);
      double[] y = new double[k];
      double[] se = new double[k];
      for (int j = 0; j < k; j++) {
        se[j] = 0.1 + rnd.nextDouble();
        y[j] = 0.3 * se[j] * rnd.nextGaussian() * (g % 4);
      }
      PoolingResult fit = DerSimonianLaird.fit(y, se);
      double sw = 0;
      double q = 0;
      for (int j = 0; j < k; j++) {
        double w = 1 / (se[j] * se[j] + fit.tau2());
        sw += w;
        q += w * (y[j] - fit.mu()) * (y[j] - fit.mu());
      }
      q /= k - 1;
      double classical = 1 / Math.sqrt(sw);
      KnappHartung kh = KnappHartung.of(y, se, fit.mu(), fit.tau2(), false);
      KnappHartung adhoc = KnappHartung.of(y, se, fit.mu(), fit.tau2(), true);
      double ulp = Math.ulp(1.0);
      assertEquals(Math.sqrt(q) * classical, kh.se(), 8 * ulp * kh.se() + Double.MIN_NORMAL);
      assertEquals(Math.max(kh.se(), classical), adhoc.se(), 8 * ulp * adhoc.se());
      double zHalf = 1.959963984540054 * classical;
      assertTrue(adhoc.q975() - adhoc.q025() >= 2 * zHalf, "group " + g);
      double t = new TDistribution(k - 1).inverseCumulativeProbability(0.975);
      boolean khNarrower = kh.q975() - kh.q025() < 2 * zHalf;
      assertEquals(q < Math.pow(1.959963984540054 / t, 2), khNarrower, "group " + g + " q " + q);
      narrower += khNarrower ? 1 : 0;
    }
    assertTrue(narrower > 50, "groups where the untruncated interval is narrower: " + narrower);
  }
}
