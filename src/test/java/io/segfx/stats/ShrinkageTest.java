package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.stats.pooling.DerSimonianLaird;
import io.segfx.stats.pooling.HierarchicalPosterior;
import io.segfx.stats.pooling.MomentsPooling;
import io.segfx.stats.pooling.PoolingResult;
import io.segfx.stats.pooling.Reml;
import io.segfx.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShrinkageTest {
  /**
   * The notebook's section-9 shrinkage (shared fixture, deterministic): shrunk estimate, weight on
   * raw and posterior sd for all 18 segments, to 1e-9 relative. The notebook treats mu^ as known
   * (its sd is the plug-in sqrt(1/(1/s² + 1/tau²))), which is the BLUP variance with SE(mu^) = 0;
   * with mu^'s own variance the sd is the notebook's plus B² Var(mu^) in variance, checked below at
   * the notebook's tau² against the same fixture.
   */
  @Test
  void reproducesSection9() {
    double mu = 1.1194577592887442;
    double tau2 = 0.40227517730335716;
    double muSe = 0.1;
    for (Map<String, String> row : Fixtures.csv("seed_section9_expected.csv")) {
      double y = Double.parseDouble(row.get("raw_estimate"));
      double se = Double.parseDouble(row.get("raw_se"));
      Shrinkage.Posterior known = Shrinkage.posterior(y, se, mu, 0, tau2);
      double shrunk = Double.parseDouble(row.get("shrunk_estimate"));
      double weight = Double.parseDouble(row.get("shrinkage_weight_on_raw"));
      double sd = Double.parseDouble(row.get("posterior_sd"));
      assertEquals(shrunk, known.mean(), 1e-9 * Math.abs(shrunk), row.get("segment"));
      assertEquals(weight, known.weightOnRaw(), 1e-9 * weight, row.get("segment"));
      assertEquals(sd, known.sd(), 1e-9 * sd, row.get("segment"));
      Shrinkage.Posterior p = Shrinkage.posterior(y, se, mu, muSe, tau2);
      double b = 1 - weight;
      assertEquals(shrunk, p.mean(), 1e-9 * Math.abs(shrunk), row.get("segment"));
      assertEquals(
          Math.sqrt(sd * sd + b * b * muSe * muSe), p.sd(), 1e-9 * p.sd(), row.get("segment"));
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

  @Test
  void rejectsNegativeMuSeWithTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Shrinkage.posterior(1, 1, 0, -0.5, 1));
    assertTrue(e.getMessage().contains("mu_se") && e.getMessage().contains("-0.5"), e.getMessage());
  }

  /**
   * metafor's {@code blup.rma.uni} (fixtures/metafor_blup.csv, printed to 15 significant digits by
   * make_metafor_blup.R): BLUPs and their standard errors for the BCG trials (tau^2 > 0) and the
   * eight schools (tau^2 = 0), REML and DL, under metafor's default {@code test = "z"}. At
   * metafor's own (tau^2, mu^, SE(mu^)) the formula agrees to 1e-13 relative (15 printed digits, a
   * few roundings); through segfx's own fits to 1e-8 (of the sd, for the means too, which may be
   * near 0): REML here stops within 1e-10 of tau^2 + mean(v), metafor (threshold 1e-12) within
   * 1e-12, and the BLUP moves with tau^2 at most by O(1) per unit of tau^2 on these data.
   */
  @Test
  void matchesMetaforBlupUnderTestZ() {
    double[][] bcg = Fixtures.bcg();
    int rows = 0;
    for (Map<String, String> r : Fixtures.csv("metafor_blup.csv")) {
      if (!r.get("test").equals("z")) {
        continue;
      }
      boolean isBcg = r.get("dataset").equals("bcg");
      double[] y = isBcg ? bcg[0] : Fixtures.SCHOOLS_Y;
      double[] se = isBcg ? bcg[1] : Fixtures.SCHOOLS_SE;
      int i = Integer.parseInt(r.get("study")) - 1;
      String what = r.get("dataset") + " " + r.get("method") + " study " + (i + 1);
      double pred = Double.parseDouble(r.get("pred"));
      double sd = Double.parseDouble(r.get("se"));
      Shrinkage.Posterior atTheirs =
          Shrinkage.posterior(
              y[i],
              se[i],
              Double.parseDouble(r.get("mu")),
              Double.parseDouble(r.get("mu_se")),
              Double.parseDouble(r.get("tau2")));
      assertEquals(
          pred,
          atTheirs.mean(),
          1e-13 * Math.max(Math.abs(pred), sd),
          what + " pred at metafor's fit");
      assertEquals(sd, atTheirs.sd(), 1e-13 * sd, what + " se at metafor's fit");
      PoolingResult fit =
          r.get("method").equals("REML") ? Reml.fit(y, se) : DerSimonianLaird.fit(y, se);
      Shrinkage.Posterior ours = Shrinkage.posterior(y[i], se[i], fit.mu(), fit.muSe(), fit.tau2());
      assertEquals(pred, ours.mean(), 1e-8 * sd, what + " pred");
      assertEquals(sd, ours.sd(), 1e-8 * sd, what + " se");
      rows++;
    }
    assertEquals(2 * (13 + 8), rows);
  }

  /**
   * Under {@code test = "knha"} metafor's blup uses the Knapp–Hartung variance of mu^ as Var(mu^)
   * (and t(k - 1) quantiles). segfx's segment posteriors use the classical 1/sum w (above); this
   * records metafor's choice: the same formula with SE(mu^) = SE_KH reproduces its knha column
   * (1e-13 relative, as above).
   */
  @Test
  void metaforKnhaBlupIsTheSameFormulaWithTheKnappHartungVariance() {
    double[][] bcg = Fixtures.bcg();
    for (Map<String, String> r : Fixtures.csv("metafor_blup.csv")) {
      if (!r.get("test").equals("knha")) {
        continue;
      }
      boolean isBcg = r.get("dataset").equals("bcg");
      double[] y = isBcg ? bcg[0] : Fixtures.SCHOOLS_Y;
      double[] se = isBcg ? bcg[1] : Fixtures.SCHOOLS_SE;
      int i = Integer.parseInt(r.get("study")) - 1;
      double sd = Double.parseDouble(r.get("se"));
      Shrinkage.Posterior p =
          Shrinkage.posterior(
              y[i],
              se[i],
              Double.parseDouble(r.get("mu")),
              Double.parseDouble(r.get("mu_se")),
              Double.parseDouble(r.get("tau2")));
      assertEquals(
          sd, p.sd(), 1e-13 * sd, r.get("dataset") + " " + r.get("method") + " " + r.get("study"));
    }
  }

  /**
   * Continuity at tau^2 = 0 (issue #18): tau^2 = 1e-12 against 0 on random groups. To first order
   * the variance changes by tau^2 (1 - 2 Var(mu^)/s_j²), so the sd changes by at most tau^2
   * (1/Var(mu^) + 2/s_j²)/2 relative; asserted with that bound (about 1e-11 here), far inside the
   * 1e-6 the issue asks for. The plug-in sd it replaces jumped from SE(mu^) to about tau = 1e-6.
   */
  @Test
  void continuousAsTauGoesToZero() {
    Random rnd = new Random(18);
    for (int g = 0; g < 200; g++) {
      int k = 3 + rnd.nextInt(30);
      double scale = Math.pow(10, -2 + 4 * rnd.nextDouble());
      double[] y = new double[k];
      double[] se = new double[k];
      for (int j = 0; j < k; j++) {
        se[j] = scale * (0.2 + rnd.nextDouble());
        y[j] = se[j] * rnd.nextGaussian();
      }
      double tau2 = 1e-12 * scale * scale;
      PoolingResult at0 = DerSimonianLaird.fit(y, se);
      double mu = at0.mu();
      double muSe = at0.muSe();
      for (int j = 0; j < k; j++) {
        Shrinkage.Posterior zero = Shrinkage.posterior(y[j], se[j], mu, muSe, 0);
        Shrinkage.Posterior tiny = Shrinkage.posterior(y[j], se[j], mu, muSe, tau2);
        double v = se[j] * se[j];
        double bound = tau2 * (1 / (muSe * muSe) + 2 / v) / 2 + 1e-15;
        assertEquals(zero.sd(), tiny.sd(), bound * zero.sd(), "group " + g + " segment " + j);
        assertEquals(zero.mean(), tiny.mean(), tau2 / v * Math.abs(y[j] - mu) + 1e-15 * scale);
      }
    }
  }

  /**
   * Issue #18's case through the estimators: two inputs differing by 1e-8 (relative) on either side
   * of Q = k - 1, where DL's tau^2 is 0 for one and about 1e-8 for the other. The segment sds agree
   * to 1e-6 relative (the first-order bound of {@link #continuousAsTauGoesToZero} gives about 6e-8
   * here); the plug-in sds differed by a factor of several thousand.
   */
  @Test
  void inputsOneEMinus8ApartAcrossQEqualsKMinus1GiveNearlyEqualSds() {
    double[] z = {-1.2, -0.4, 0.1, 0.3, 0.5, 0.7};
    double[] se = {1, 1, 1, 1, 1, 1};
    int k = z.length;
    double mean = 0;
    for (double x : z) {
      mean += x / k;
    }
    double ss = 0;
    for (double x : z) {
      ss += (x - mean) * (x - mean);
    }
    // Scale the spread so that Q = sum (y - ybar)² / s² sits at k - 1, then 1e-8 either side.
    double c = Math.sqrt((k - 1) / ss);
    double[] below = new double[k];
    double[] above = new double[k];
    for (int j = 0; j < k; j++) {
      below[j] = (z[j] - mean) * c * (1 - 1e-8);
      above[j] = (z[j] - mean) * c * (1 + 1e-8);
    }
    PoolingResult f0 = DerSimonianLaird.fit(below, se);
    PoolingResult f1 = DerSimonianLaird.fit(above, se);
    assertEquals(0.0, f0.tau2(), 0.0);
    assertTrue(f1.tau2() > 0 && f1.tau2() < 1e-7, "tau2 " + f1.tau2());
    for (int j = 0; j < k; j++) {
      Shrinkage.Posterior p0 = Shrinkage.posterior(below[j], se[j], f0.mu(), f0.muSe(), f0.tau2());
      Shrinkage.Posterior p1 = Shrinkage.posterior(above[j], se[j], f1.mu(), f1.muSe(), f1.tau2());
      assertEquals(p0.sd(), p1.sd(), 1e-6 * p0.sd(), "segment " + j);
      assertEquals(p0.mean(), p1.mean(), 1e-6 * p0.sd(), "segment " + j);
    }
  }

  /**
   * The segment rows and stage 3's relative-effect figures describe one posterior: the one-node
   * {@link HierarchicalPosterior#plugIn} gives theta_j the same mean and sd, to rounding: it forms
   * 1 - B by subtraction, which costs up to one ulp of 1 in 1 - B, so s_j² ulp(1) in the variance,
   * and tau enters as sqrt(tau²)²; hence 8 ulp + s_j² ulp(1)/sd² relative. Its experiment-level
   * effect is the unit-weighted sum of these segments with the covariance mu^ induces, whose
   * variance is between the sum of the segment variances (independent) and the square of the sum of
   * the sds (perfectly correlated). Under all three empirical-Bayes estimators.
   */
  @Test
  void agreesWithTheStageThreeHierarchy() {
    Random rnd = new Random(7);
    for (int g = 0; g < 100; g++) {
      int k = 3 + rnd.nextInt(20);
      double[] y = new double[k];
      double[] se = new double[k];
      double[] a = new double[k];
      for (int j = 0; j < k; j++) {
        se[j] = 0.2 + rnd.nextDouble() * 3;
        y[j] = rnd.nextGaussian() * (g % 3) + se[j] * rnd.nextGaussian();
        a[j] = 1.0 / k;
      }
      for (PoolingResult fit :
          List.of(DerSimonianLaird.fit(y, se), Reml.fit(y, se), MomentsPooling.fit(y, se, 0))) {
        HierarchicalPosterior h =
            HierarchicalPosterior.plugIn(y, se, fit.mu(), fit.muSe(), fit.tau2());
        double sumVar = 0;
        double sumSd = 0;
        for (int j = 0; j < k; j++) {
          Shrinkage.Posterior p =
              Shrinkage.posterior(y[j], se[j], fit.mu(), fit.muSe(), fit.tau2());
          NormalMixture t = h.theta(j);
          double ulp = Math.ulp(1.0);
          double rel = 8 * ulp + se[j] * se[j] * ulp / (p.sd() * p.sd());
          assertEquals(
              t.mean(),
              p.mean(),
              rel * (Math.abs(y[j]) + Math.abs(fit.mu()) + p.sd()),
              fit.method());
          assertEquals(t.sd(), p.sd(), rel * p.sd(), fit.method());
          sumVar += a[j] * a[j] * p.sd() * p.sd();
          sumSd += a[j] * p.sd();
        }
        double effectSd = h.linear(a, 0, 0).sd();
        assertTrue(
            effectSd * effectSd >= sumVar * (1 - 1e-14) && effectSd <= sumSd * (1 + 1e-14),
            fit.method());
      }
    }
  }
}
