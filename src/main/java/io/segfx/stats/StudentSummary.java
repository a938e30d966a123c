package io.segfx.stats;

import io.segfx.util.Checks;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Exact summaries of a location–scale Student-t posterior {@code m + s T_nu}: mean m (nu > 1), sd
 * {@code s sqrt(nu/(nu-2))} (nu > 2), central 95% interval {@code m ± s t_{nu,0.975}} and {@code
 * P(X > t) = 1 - F_nu((t - m)/s)} (Commons Math's regularised incomplete beta).
 */
public record StudentSummary(
    double mean,
    double sd,
    double q025,
    double q975,
    double probPositive,
    double probAboveThreshold)
    implements Serializable {

  /**
   * Summarises {@code m + s T_nu}.
   *
   * @throws IllegalArgumentException if s or nu is not positive
   */
  public static StudentSummary of(double m, double s, double nu, double threshold) {
    Checks.positive("scale", s);
    Student student = student(Checks.positive("dof", nu));
    TDistribution t = student.t();
    double q = student.q975();
    return new StudentSummary(
        nu > 1 ? m : Double.NaN,
        nu > 2 ? s * Math.sqrt(nu / (nu - 2)) : Double.POSITIVE_INFINITY,
        m - q * s,
        m + q * s,
        1 - t.cumulativeProbability(-m / s),
        1 - t.cumulativeProbability((threshold - m) / s));
  }

  /** Entries of {@link #BY_DOF} at which it starts afresh (a run's cells share a few thousand). */
  private static final int MAX_CACHED = 1 << 14;

  /**
   * The distribution and its 0.975 quantile by degrees of freedom, shared by every summary with the
   * same nu: both are functions of nu alone, so a cached entry is the one that would be computed
   * (the quantile's root-finding is most of a summary's cost, and cells of a run share few dof).
   * Thread-safe; {@link TDistribution} without a random generator holds no mutable state.
   */
  private static final Map<Double, Student> BY_DOF = new ConcurrentHashMap<>();

  private record Student(TDistribution t, double q975) {}

  private static Student student(double nu) {
    Student s = BY_DOF.get(nu);
    if (s == null) {
      if (BY_DOF.size() >= MAX_CACHED) {
        BY_DOF.clear();
      }
      s = new Student(new TDistribution(null, nu, 1e-14), FastQuantiles.student(nu, 0.975));
      BY_DOF.putIfAbsent(nu, s);
    }
    return s;
  }
}
