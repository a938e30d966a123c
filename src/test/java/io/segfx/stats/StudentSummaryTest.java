package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;
import org.junit.jupiter.api.Test;

/**
 * {@link StudentSummary} against the Student-t's closed forms, and the same record whether its
 * distribution and quantile come fresh or from the per-dof cache (filled past its bound in
 * between).
 */
class StudentSummaryTest {
  private static final double[] DOF = {2.5, 3, 7, 29, 250.5, 901, 1e6};

  @Test
  void matchesClosedForms() {
    for (double nu : DOF) {
      double m = 0.3;
      double s = 1.7;
      StudentSummary x = StudentSummary.of(m, s, nu, 0.5);
      // t_{nu, 0.975} from Commons Math's own inverse (a bracketing solver on the same CDF): the
      // quantile is solved to ~1e-15 relative here, the reference to its default accuracy 1e-9
      // absolute, so 1e-8 relative covers both.
      double q = new TDistribution(nu).inverseCumulativeProbability(0.975);
      assertEquals(m + q * s, x.q975(), 1e-8 * q * s, "nu=" + nu);
      assertEquals(m - q * s, x.q025(), 1e-8 * q * s, "nu=" + nu);
      // P(T > t) = I_{nu/(nu+t^2)}(nu/2, 1/2) / 2 for t > 0 (Abramowitz & Stegun 26.7.1); the
      // incomplete beta's continued fraction agrees to ~1e-14 absolute.
      double t = m / s;
      double upper = 0.5 * Beta.regularizedBeta(nu / (nu + t * t), nu / 2, 0.5, 1e-15);
      assertEquals(1 - upper, x.probPositive(), 1e-13, "nu=" + nu);
      double sd = nu > 2 ? s * Math.sqrt(nu / (nu - 2)) : Double.POSITIVE_INFINITY;
      assertEquals(sd, x.sd(), 1e-15 * sd, "nu=" + nu);
    }
  }

  @Test
  void cachedAndFreshSummariesAreTheSame() {
    StudentSummary[] first = new StudentSummary[DOF.length];
    for (int i = 0; i < DOF.length; i++) {
      first[i] = StudentSummary.of(-1.25, 0.4, DOF[i], 0.1);
    }
    // Past the cache's bound (2^14 entries) it starts afresh: later calls recompute.
    for (int i = 0; i < (1 << 14) + 100; i++) {
      StudentSummary.of(0, 1, 3 + i * 0.5, 0);
    }
    for (int i = 0; i < DOF.length; i++) {
      assertEquals(first[i], StudentSummary.of(-1.25, 0.4, DOF[i], 0.1), "nu=" + DOF[i]);
      assertEquals(first[i], StudentSummary.of(-1.25, 0.4, DOF[i], 0.1), "nu=" + DOF[i]);
    }
  }
}
