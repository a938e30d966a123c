package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.model.Status;
import java.util.Random;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

/**
 * OLS from exact moments against a brute-force reference: Commons Math's QR-based {@link
 * OLSMultipleLinearRegression} on the full design [1, treated, z]. Tolerance 1e-9 relative: both
 * are exact-arithmetic methods in double precision on well-conditioned designs, whose rounding
 * errors are ~1e-13.
 */
class OlsFitTest {
  private static final double REL = 1e-9;

  private record Data(double[][] z, double[] t, double[] y) {}

  private static Data simulate(Random r, int nc, int nt, int k, double offset, double effect) {
    int n = nc + nt;
    double[][] z = new double[n][k];
    double[] t = new double[n];
    double[] y = new double[n];
    double[] beta = new double[k];
    for (int j = 0; j < k; j++) {
      beta[j] = r.nextGaussian() * 2;
    }
    for (int i = 0; i < n; i++) {
      t[i] = i < nc ? 0 : 1;
      y[i] = offset + effect * t[i] + r.nextGaussian() * (1 + r.nextDouble());
      for (int j = 0; j < k; j++) {
        z[i][j] = r.nextGaussian() * (j + 1) + 0.3 * t[i] + 10 * j;
        y[i] += beta[j] * z[i][j];
      }
    }
    return new Data(z, t, y);
  }

  private static ExactMoments[] arms(Data d, int k) {
    ExactMoments c = new ExactMoments(k + 1);
    ExactMoments t = new ExactMoments(k + 1);
    double[] v = new double[k + 1];
    for (int i = 0; i < d.y().length; i++) {
      System.arraycopy(d.z()[i], 0, v, 0, k);
      v[k] = d.y()[i];
      (d.t()[i] == 0 ? c : t).accept(v);
    }
    return new ExactMoments[] {c, t};
  }

  private static int[] range(int k) {
    int[] z = new int[k];
    for (int i = 0; i < k; i++) {
      z[i] = i;
    }
    return z;
  }

  /** Commons Math reference: coefficient 1 (after the intercept) is the treatment effect. */
  private static double[] reference(Data d, int k, double shift) {
    int n = d.y().length;
    double[][] x = new double[n][k + 1];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = d.t()[i];
      System.arraycopy(d.z()[i], 0, x[i], 1, k);
      y[i] = d.y()[i] - shift;
    }
    OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
    ols.newSampleData(y, x);
    return new double[] {
      ols.estimateRegressionParameters()[1], ols.estimateRegressionParametersStandardErrors()[1]
    };
  }

  @Test
  void matchesBruteForceOnRandomGroups() {
    Random r = new Random(21);
    for (int trial = 0; trial < 60; trial++) {
      int k = r.nextInt(4);
      int nc = 10 + r.nextInt(300);
      int nt = 10 + r.nextInt(300);
      Data d = simulate(r, nc, nt, k, r.nextGaussian() * 100, r.nextGaussian());
      ExactMoments[] a = arms(d, k);
      OlsFit.Result got = OlsFit.fit(a[0], a[1], k, range(k));
      double[] ref = reference(d, k, 0);
      assertEquals(OlsFit.Outcome.OK, got.outcome());
      assertEquals(nc + nt - (k + 2), got.dof());
      assertEquals(
          ref[0], got.estimate(), REL * Math.abs(ref[0]) + 1e-12, "estimate, trial " + trial);
      assertEquals(ref[1], got.stdError(), REL * ref[1], "se, trial " + trial);
    }
  }

  /**
   * y ≈ 1e9 + N(0,1): the reference fits y - 1e9 (exact, Sterbenz), which leaves the treatment
   * coefficient and its SE unchanged; the one-pass fit must agree to 1e-9 relative.
   */
  @Test
  void cancellationCaseAgreesWithShiftedReference() {
    Random r = new Random(22);
    for (int k = 0; k <= 2; k++) {
      Data d = simulate(r, 5000, 5000, k, 1e9, 0.05);
      ExactMoments[] a = arms(d, k);
      OlsFit.Result got = OlsFit.fit(a[0], a[1], k, range(k));
      double[] ref = reference(d, k, 1e9);
      assertEquals(ref[0], got.estimate(), REL * Math.abs(ref[0]), "estimate, k=" + k);
      assertEquals(ref[1], got.stdError(), REL * ref[1], "se, k=" + k);
    }
  }

  @Test
  void sameResultBitForBitWhateverTheSplit() {
    Random r = new Random(23);
    Data d = simulate(r, 400, 380, 2, 50, 0.7);
    ExactMoments[] whole = arms(d, 2);
    OlsFit.Result expected = OlsFit.fit(whole[0], whole[1], 2, range(2));
    for (int trial = 0; trial < 10; trial++) {
      ExactMoments[][] parts = new ExactMoments[5][2];
      for (int p = 0; p < 5; p++) {
        parts[p][0] = new ExactMoments(3);
        parts[p][1] = new ExactMoments(3);
      }
      for (int i = 0; i < d.y().length; i++) {
        int p = r.nextInt(5);
        parts[p][(int) d.t()[i]].accept(new double[] {d.z()[i][0], d.z()[i][1], d.y()[i]});
      }
      ExactMoments c = parts[4][0];
      ExactMoments t = parts[0][1];
      for (int p = 0; p < 4; p++) {
        c.combine(parts[p][0]);
        t.combine(parts[4 - p][1]);
      }
      OlsFit.Result got = OlsFit.fit(c, t, 2, range(2));
      assertEquals(
          Double.doubleToLongBits(expected.estimate()), Double.doubleToLongBits(got.estimate()));
      assertEquals(
          Double.doubleToLongBits(expected.stdError()), Double.doubleToLongBits(got.stdError()));
    }
  }

  /**
   * The Spark stage writes an outcome as the {@link Status} of the same name: every outcome has
   * one, so the mapping cannot fail on a cell.
   */
  @Test
  void everyOutcomeNamesAStatus() {
    for (OlsFit.Outcome o : OlsFit.Outcome.values()) {
      assertEquals(o.name(), Status.valueOf(o.name()).name());
    }
  }

  @Test
  void degenerateCellsCarryAStatus() {
    Random r = new Random(24);
    Data d = simulate(r, 30, 30, 1, 0, 1);
    ExactMoments[] a = arms(d, 1);
    assertEquals(
        OlsFit.Outcome.EMPTY_CONTROL, OlsFit.fit(new ExactMoments(2), a[1], 1, range(1)).outcome());
    assertEquals(OlsFit.Outcome.EMPTY_TREATMENT, OlsFit.fit(a[0], null, 1, range(1)).outcome());

    // n <= p: 2 rows, 3 parameters.
    ExactMoments c = new ExactMoments(2);
    ExactMoments t = new ExactMoments(2);
    c.accept(new double[] {1, 2});
    t.accept(new double[] {3, 4});
    OlsFit.Result few = OlsFit.fit(c, t, 1, range(1));
    assertEquals(OlsFit.Outcome.TOO_FEW_ROWS, few.outcome());
    assertEquals(-1, few.dof());

    // A covariate constant within both arms.
    ExactMoments cc = new ExactMoments(2);
    ExactMoments tc = new ExactMoments(2);
    for (int i = 0; i < 20; i++) {
      cc.accept(new double[] {5, r.nextGaussian()});
      tc.accept(new double[] {5, r.nextGaussian()});
    }
    assertEquals(OlsFit.Outcome.SINGULAR_COVARIATES, OlsFit.fit(cc, tc, 1, range(1)).outcome());

    // Collinear covariates: z2 = 2 z1 + 3.
    ExactMoments cl = new ExactMoments(3);
    ExactMoments tl = new ExactMoments(3);
    for (int i = 0; i < 20; i++) {
      double z = r.nextGaussian();
      (i % 2 == 0 ? cl : tl).accept(new double[] {z, 2 * z + 3, r.nextGaussian()});
    }
    assertEquals(OlsFit.Outcome.SINGULAR_COVARIATES, OlsFit.fit(cl, tl, 2, range(2)).outcome());

    // A perfect fit: y = 2 + 3 t exactly.
    ExactMoments cp = new ExactMoments(1);
    ExactMoments tp = new ExactMoments(1);
    for (int i = 0; i < 5; i++) {
      cp.accept(new double[] {2});
      tp.accept(new double[] {5});
    }
    OlsFit.Result perfect = OlsFit.fit(cp, tp, 0, new int[0]);
    assertEquals(OlsFit.Outcome.ZERO_VARIANCE, perfect.outcome());
    assertEquals(3.0, perfect.estimate(), 0.0);
  }
}
