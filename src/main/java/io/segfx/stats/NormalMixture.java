package io.segfx.stats;

import io.segfx.util.Checks;
import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.numbers.gamma.Erfcx;

/**
 * A finite mixture of normals {@code sum_i w_i N(m_i, s_i^2)} (weights summing to 1): the exact
 * posterior of any linear function of the effects of a normal hierarchical model once tau is
 * integrated over a grid (Gelman et al., Bayesian Data Analysis, 3rd ed., section 5.4).
 *
 * <pre>
 *   E[X]          = sum w_i m_i
 *   Var[X]        = sum w_i (s_i^2 + m_i^2) - E[X]^2
 *   P(X > t)      = sum w_i Phi((m_i - t) / s_i)
 *   E[max(X, 0)]  = sum w_i (m_i Phi(m_i / s_i) + s_i phi(m_i / s_i))     (normal partial expectation)
 *   quantile q_p  : the root of g(q) = P(X <= q) - p by safeguarded Halley iteration from a
 *                   Cornish-Fisher start (see start),
 *                   q - (g / g') / (1 - c), c = g g'' / (2 g'^2) (Newton's step where |c| >= 1/2),
 *                   with g' = sum w_i phi(z_i) / s_i (the density),
 *                   g'' = -sum w_i z_i phi(z_i) / s_i^2, z_i = (q - m_i) / s_i
 *                   (Halley's method, cubically convergent: W. Gander, On Halley's iteration
 *                   method, American Mathematical Monthly 92, 1985, 131-134); it stops when the
 *                   step d is below tolerance, or when d < 1e-3 min s_i and the predicted error
 *                   of the next iterate, 10 (|g''²/(4g'²)| + |g'''/(6g')|) d³, is, with
 *                   g''' = sum w_i (z_i² - 1) phi(z_i) / s_i^3
 * </pre>
 */
public final class NormalMixture {
  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

  private static final double INV_SQRT2 = 1 / Math.sqrt(2.0);

  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  private final double[] w;
  private final double[] m;
  private final double[] s;

  /** A mixture of the given weights, means and standard deviations (arrays are not copied). */
  public NormalMixture(double[] weights, double[] means, double[] sds) {
    Checks.sameLength("weights", weights.length, "means", means.length);
    Checks.sameLength("weights", weights.length, "sds", sds.length);
    this.w = weights;
    this.m = means;
    this.s = sds;
  }

  /** The mixture of {@code a X + b}. */
  public NormalMixture affine(double a, double b) {
    double[] mm = new double[m.length];
    double[] ss = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      mm[i] = a * m[i] + b;
      ss[i] = Math.abs(a) * s[i];
    }
    return new NormalMixture(w, mm, ss);
  }

  /** The mixture of {@code X + Y} with Y ~ N(mean, var) independent of X. */
  public NormalMixture plusIndependent(double mean, double var) {
    double[] mm = new double[m.length];
    double[] ss = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      mm[i] = m[i] + mean;
      ss[i] = Math.sqrt(s[i] * s[i] + var);
    }
    return new NormalMixture(w, mm, ss);
  }

  /** The weights (not copied; for tests). */
  double[] weights() {
    return w;
  }

  /** The components' means (not copied; for tests). */
  double[] means() {
    return m;
  }

  /** The components' standard deviations (not copied; for tests). */
  double[] sds() {
    return s;
  }

  public double mean() {
    double e = 0;
    for (int i = 0; i < w.length; i++) {
      e += w[i] * m[i];
    }
    return e;
  }

  public double sd() {
    double mean = mean();
    double v = 0;
    for (int i = 0; i < w.length; i++) {
      double d = m[i] - mean;
      v += w[i] * (s[i] * s[i] + d * d);
    }
    return Math.sqrt(v);
  }

  /** The density at x. */
  public double density(double x) {
    double d = 0;
    for (int i = 0; i < w.length; i++) {
      if (s[i] > 0) {
        double z = (x - m[i]) / s[i];
        d += w[i] * Math.exp(-0.5 * z * z) / (s[i] * SQRT_2PI);
      }
    }
    return d;
  }

  /** P(X > t). */
  public double upperTail(double t) {
    double p = 0;
    for (int i = 0; i < w.length; i++) {
      if (s[i] == 0) {
        p += m[i] > t ? w[i] : 0;
      } else {
        double z = (t - m[i]) / s[i];
        double tail = smallerTail(z, Math.exp(-0.5 * z * z));
        p += w[i] * (z >= 0 ? tail : 1 - tail);
      }
    }
    return p;
  }

  /**
   * Phi(-|z|) = ½ erfc(|z|/√2) = ½ exp(-z²/2) erfcx(|z|/√2), given {@code e = exp(-z²/2)}: the
   * exponential the density needs anyway, and the scaled erfcx (Commons Numbers) instead of erfc,
   * whose double-double exp(-x²) allocates on every call where the JIT cannot remove it (C1). Below
   * |z|/√2 = {@value #ERF_BRANCH}, where erfc(x) = 1 - erf(x) lies in (0.479, 1] and loses nothing
   * to cancellation, erfc itself: Commons Numbers computes erfcx there as erf(x) and expm1(x²)
   * combined, a second function call and a library expm1 for a value erfc gives from one rational
   * function. Absolute error about 2e-16; relative error in the far tail about z²·1e-16 (z = 9:
   * 1e-14).
   */
  private static double smallerTail(double z, double e) {
    double x = Math.abs(z) * INV_SQRT2;
    return x < ERF_BRANCH ? 0.5 * Erfc.value(x) : 0.5 * e * Erfcx.value(x);
  }

  /** The argument below which {@link #smallerTail} takes erfc itself (see there). */
  private static final double ERF_BRANCH = 0.5;

  /**
   * P(X - q B <= 0) and its first three derivatives in q, into {@code out} = {cdf, slope,
   * curvature, third, rate}, for B ~ N(mb, vb) independent of X: each component gives X - q B ~
   * N(m_i - q mb, s_i² + q² vb), so
   *
   * <pre>
   *   F(q)    = sum w_i Φ(z_i),   z_i = (q mb - m_i) / S_i,   S_i = sqrt(s_i² + q² vb),
   *   F'(q)   = sum w_i φ(z_i) z_i',                   z_i'   = A_i / S_i³,   A_i = mb s_i² + m_i q vb,
   *   F''(q)  = sum w_i φ(z_i) (z_i'' - z_i z_i'²),    z_i''  = m_i vb / S_i³ - 3 A_i q vb / S_i⁵,
   *   F'''(q) = sum w_i φ(z_i) (z_i''' - 3 z_i z_i' z_i'' + (z_i² - 1) z_i'³),
   *             z_i''' = -6 m_i q vb² / S_i⁵ - 3 A_i vb / S_i⁵ + 15 A_i q² vb² / S_i⁷,
   * </pre>
   *
   * and rate = max |z_i'| over the weighted components: 1 / rate is the narrowest component's width
   * in q, over which the derivatives change appreciably; a weighted point mass (S_i = 0, a step in
   * F) makes it infinite. For a positive baseline B, F is P(X / B <= q), the distribution function
   * of the ratio ({@link RelativeEffects}).
   */
  void belowRatio(double q, double mb, double vb, double[] out) {
    double cdf = 0;
    double slope = 0;
    double curvature = 0;
    double third = 0;
    double rate = 0;
    double qvb = q * vb;
    for (int i = 0; i < w.length; i++) {
      double s2 = s[i] * s[i];
      double v = s2 + q * qvb;
      double d = q * mb - m[i];
      if (v > 0) {
        double inv = 1 / Math.sqrt(v);
        double z = d * inv;
        double e = Math.exp(-0.5 * z * z);
        double tail = smallerTail(z, e);
        cdf += w[i] * (z >= 0 ? 1 - tail : tail);
        double inv2 = inv * inv;
        double inv3 = inv2 * inv;
        double a = mb * s2 + m[i] * qvb;
        double z1 = a * inv3;
        double z2 = (m[i] * vb - 3 * a * qvb * inv2) * inv3;
        double z3 =
            (-6 * m[i] * q * vb * vb - 3 * a * vb + 15 * a * qvb * qvb * inv2) * inv2 * inv3;
        double phi = w[i] * e * INV_SQRT_2PI;
        slope += phi * z1;
        curvature += phi * (z2 - z * z1 * z1);
        third += phi * (z3 - 3 * z * z1 * z2 + (z * z - 1) * z1 * z1 * z1);
        if (w[i] > 0) {
          rate = Math.max(rate, Math.abs(z1));
        }
      } else {
        if (d >= 0) {
          cdf += w[i];
        }
        if (w[i] > 0) {
          rate = Double.POSITIVE_INFINITY;
        }
      }
    }
    out[0] = cdf;
    out[1] = slope;
    out[2] = curvature;
    out[3] = third;
    out[4] = rate;
  }

  /** E[max(X, 0)]. */
  public double positivePart() {
    double e = 0;
    for (int i = 0; i < w.length; i++) {
      if (s[i] == 0) {
        e += w[i] * Math.max(m[i], 0);
      } else {
        double z = m[i] / s[i];
        // m Phi(m/s) + s phi(m/s), with Phi(z) = P(Z > -z).
        e +=
            w[i]
                * (m[i] * NormalSummary.upperTail(0, 1, -z)
                    + s[i] * Math.exp(-0.5 * z * z) / SQRT_2PI);
      }
    }
    return e;
  }

  /** Skewness and excess kurtosis up to which {@link #start} applies the Cornish–Fisher terms. */
  private static final double CF_SKEW = 2;

  private static final double CF_KURTOSIS = 4;

  /**
   * The iteration's starting point: the Cornish–Fisher expansion of the p-quantile from the
   * mixture's first four moments (Cornish &amp; Fisher 1937; Abramowitz &amp; Stegun 26.2.51),
   *
   * <pre>
   *   q ≈ E[X] + sd · (z + (z² − 1) γ1/6 + (z³ − 3z) γ2/24 − (2z³ − 5z) γ1²/36),   z = Φ⁻¹(p),
   *   with d_i = m_i − E[X]: μ2 = Σ w_i (d_i² + s_i²), μ3 = Σ w_i (d_i³ + 3 d_i s_i²),
   *   μ4 = Σ w_i (d_i⁴ + 6 d_i² s_i² + 3 s_i⁴), γ1 = μ3 / μ2^(3/2), γ2 = μ4 / μ2² − 3,
   * </pre>
   *
   * where |γ1| ≤ 2 and |γ2| ≤ 4, else the normal approximation E[X] + z sd (the expansion is then
   * not an approximation, and can even fall on the wrong side of the mean). On full-Bayes segment
   * posteriors, which are near normal, the closer start saves Halley about one evaluation of the
   * mixture per quantile; on strongly non-normal mixtures it changes nothing.
   */
  private double start(double p) {
    double mu = mean();
    double m2 = 0;
    double m3 = 0;
    double m4 = 0;
    for (int i = 0; i < w.length; i++) {
      double d = m[i] - mu;
      double d2 = d * d;
      double s2 = s[i] * s[i];
      m2 += w[i] * (d2 + s2);
      m3 += w[i] * d * (d2 + 3 * s2);
      m4 += w[i] * (d2 * d2 + 6 * d2 * s2 + 3 * s2 * s2);
    }
    double sd = Math.sqrt(m2);
    double z = FastQuantiles.normal(p);
    double g1 = m3 / (m2 * sd);
    double g2 = m4 / (m2 * m2) - 3;
    if (Math.abs(g1) <= CF_SKEW && Math.abs(g2) <= CF_KURTOSIS) {
      double z2 = z * z;
      z += (z2 - 1) * g1 / 6 + (z2 - 3) * z * g2 / 24 - (2 * z2 - 5) * z * g1 * g1 / 36;
    }
    return mu + z * sd;
  }

  /**
   * The p-quantile, 0 < p < 1, to 1e-14 of the mixture's spread (the width of the union of the
   * components' ±9 sd ranges).
   */
  public double quantile(double p) {
    // Reciprocal sds once, so the iterations multiply where they would divide four times.
    double[] inv = new double[w.length];
    double[] range = range(inv);
    double lo = range[0];
    double hi = range[1];
    double sMin = range[2];
    double x = start(p);
    x = Math.min(Math.max(x, lo), hi);
    double tol = 1e-14 * Math.max(hi - lo, Double.MIN_NORMAL);
    double lastStep = hi - lo;
    double stepBeforeLast = hi - lo;
    double[] g = new double[4];
    for (int it = 0; it < 200 && hi - lo > tol; it++) {
      evaluate(x, inv, g);
      double dens = g[1];
      double slope = g[2];
      double f = g[0] - p;
      // An exact root would otherwise leave the step on the bracket's edge and fall back to
      // some 40 bisections.
      if (f == 0) {
        return x;
      }
      if (f > 0) {
        hi = x;
      } else {
        lo = x;
      }
      // Halley's step is Newton's divided by 1 - c, c = g g'' / (2 g'^2). Near a narrow component
      // g'' can dwarf g'^2 and shrink the step far below the distance to the root (a false
      // convergence), so Halley only while |c| < 1/2, Newton otherwise.
      double newton = f / dens;
      double c = f * slope / (2 * dens * dens);
      boolean halley = Math.abs(c) < 0.5;
      double next = dens > 0 ? x - (halley ? newton / (1 - c) : newton) : Double.NaN;
      // The step while it stays inside the bracket and is under half the step before last, else
      // bisection (as rtsafe in Press et al., Numerical Recipes, 3rd ed., section 9.4): steps that
      // bounce between the bracket's ends, shrinking it by little each time, cannot cycle.
      if (!(next > lo && next < hi) || Math.abs(next - x) > 0.5 * stepBeforeLast) {
        next = 0.5 * (lo + hi);
        halley = false;
      }
      stepBeforeLast = lastStep;
      lastStep = Math.abs(next - x);
      if (lastStep <= tol || (halley && halleyDone(g, lastStep, sMin, tol))) {
        return next;
      }
      x = next;
    }
    return x;
  }

  /**
   * The union of the weighted components' ±9 sd ranges and the narrowest such sd, {lo, hi, sMin};
   * fills {@code inv} with the reciprocal sds (0 for a point mass).
   */
  private double[] range(double[] inv) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double sMin = Double.POSITIVE_INFINITY;
    for (int i = 0; i < w.length; i++) {
      inv[i] = s[i] > 0 ? 1 / s[i] : 0;
      if (w[i] > 0) {
        lo = Math.min(lo, m[i] - 9 * s[i]);
        hi = Math.max(hi, m[i] + 9 * s[i]);
        sMin = Math.min(sMin, s[i]);
      }
    }
    return new double[] {lo, hi, sMin};
  }

  /**
   * One pass for P(X <= x), the density g', its slope g'' and g''' into {@code g} (one exponential
   * per component serves the tail and the density).
   */
  private void evaluate(double x, double[] inv, double[] g) {
    double cdf = 0;
    double dens = 0;
    double slope = 0;
    double third = 0;
    for (int i = 0; i < w.length; i++) {
      if (s[i] > 0) {
        double r = inv[i];
        double z = (x - m[i]) * r;
        double e = Math.exp(-0.5 * z * z);
        double tail = smallerTail(z, e);
        cdf += w[i] * (z >= 0 ? 1 - tail : tail);
        double phi = w[i] * e * r * INV_SQRT_2PI;
        dens += phi;
        slope -= phi * z * r;
        third += phi * (z * z - 1) * r * r;
      } else if (m[i] <= x) {
        cdf += w[i];
      }
    }
    g[0] = cdf;
    g[1] = dens;
    g[2] = slope;
    g[3] = third;
  }

  /**
   * Whether a Halley step d = {@code step} already lands within tol of the root. Halley's error is
   * e' = K e³ + O(e⁴), K = g''²/(4g'²) - g'''/(6g') near the root (Gander 1985); x's error is about
   * the step d just taken. Where d is under 1e-3 of the narrowest component's sd, g', g'' and g'''
   * change by under a percent between x and the root, so K at x stands for K there, and when 10 |K|
   * d³ (each term of K bounded apart) is below tol, the step is returned without one more
   * evaluation that could only confirm it.
   */
  private static boolean halleyDone(double[] g, double step, double sMin, double tol) {
    if (!(step < 1e-3 * sMin)) {
      return false;
    }
    double dens = g[1];
    double slope = g[2];
    double third = g[3];
    double k = Math.abs(slope * slope / (4 * dens * dens)) + Math.abs(third / (6 * dens));
    return 10 * k * step * step * step <= tol;
  }
}
