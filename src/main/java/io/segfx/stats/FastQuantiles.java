package io.segfx.stats;

import io.segfx.util.Checks;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.numbers.gamma.LogBeta;
import org.apache.commons.numbers.gamma.RegularizedBeta;

/**
 * Quantiles of the Student-t and Beta distributions by safeguarded root-finding on their exact
 * CDFs, to about 1e-13 of the quantile's scale: Newton's iteration for the t (Commons Math's
 * incomplete beta), Halley's for the Beta (Commons Numbers' incomplete beta), whose density's
 * log-derivatives are closed forms. Commons Math's generic inverse (a bracketing solver) is
 * accurate but slow, and these are called for every cell or arm of a run. Starting points: the
 * Cornish–Fisher expansion of the t quantile in 1/nu (Abramowitz &amp; Stegun 26.7.5) and, for the
 * Beta, the normal approximation corrected for skewness to first order (Cornish &amp; Fisher 1937),
 * or for a Beta shape a &lt; 1 whose lower quantile lies near 0, the first term of the series
 * {@code I_x(a, b) ~ x^a / (a B(a, b))}. The iteration keeps a bracket and bisects whenever a step
 * would leave it (in log scale near 0, where the bracket can span hundreds of decades); see {@link
 * #solve} for its stops.
 */
public final class FastQuantiles {
  private static final int MAX_ITERATIONS = 200;

  private FastQuantiles() {}

  /** The standard normal p-quantile, sqrt(2) erf^-1(2p - 1). */
  public static double normal(double p) {
    return Math.sqrt(2) * Erf.erfInv(2 * p - 1);
  }

  /**
   * The p-quantile of Student's t with nu degrees of freedom.
   *
   * @throws IllegalArgumentException if p is not in (0, 1) or nu is not positive
   */
  public static double student(double nu, double p) {
    Checks.openUnit("p", p);
    Checks.positive("nu", nu);
    TDistribution t = new TDistribution(null, nu, 1e-14);
    if (nu < 3) {
      return t.inverseCumulativeProbability(p);
    }
    double z = normal(p);
    double z3 = z * z * z;
    double x = z + (z3 + z) / (4 * nu) + (5 * z3 * z * z + 16 * z3 + 3 * z) / (96 * nu * nu);
    double lo = Math.min(x, z) - 10;
    double hi = Math.max(x, z) + 10 + 1000 / nu;
    return solve(t::cumulativeProbability, t::density, null, p, x, lo, hi, false);
  }

  /**
   * The p-quantile of Beta(a, b).
   *
   * @throws IllegalArgumentException if p is not in (0, 1) or a shape is not positive
   */
  public static double beta(double a, double b, double p) {
    Checks.openUnit("p", p);
    Checks.positive("a", a);
    Checks.positive("b", b);
    // Boost's incomplete beta (Commons Numbers; DiDonato & Morris 1992, TOMS 708, and Temme's
    // asymptotics for large shapes): faster than Commons Math's continued fraction on arm
    // posteriors and accurate to ~1e-15; the density with log B(a, b) computed once.
    double logB = LogBeta.value(a, b);
    DoubleUnaryOperator cdf = x -> RegularizedBeta.value(x, a, b);
    DoubleUnaryOperator pdf =
        x ->
            x <= 0 || x >= 1
                ? 0
                : Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logB);
    double s = a + b;
    double mean = a / s;
    double sd = Math.sqrt(a * b / (s * s * (s + 1)));
    // Cornish–Fisher start with the Beta's skewness g, to first order: closer than the plain
    // normal start for the skewed posteriors of low conversion rates.
    double z = normal(p);
    double g = 2 * (b - a) * Math.sqrt(s + 1) / ((s + 2) * Math.sqrt(a * b));
    double x = Math.min(Math.max(mean + sd * (z + g * (z * z - 1) / 6), 1e-300), 1 - 1e-16);
    if (a < 1) {
      // A lower-tail quantile of a shape a < 1 can lie hundreds of decades below the normal
      // start (Beta(0.005, 700): q_0.025 ~ 1e-297). There I_x(a, b) ~ x^a / (a B(a, b)), so
      // x ~ (p a B(a, b))^(1/a), formed in logs (Abramowitz & Stegun 26.5.4, first term).
      double small = Math.exp((Math.log(p) + Math.log(a) + logB) / a);
      if (small < 1e-3) {
        x = Math.max(small, Double.MIN_NORMAL);
      }
    }
    // The density's log-derivatives: f'/f = (a-1)/x - (b-1)/(1-x), and f''/f is that squared plus
    // its own derivative, -(a-1)/x^2 - (b-1)/(1-x)^2.
    Shape shape =
        new Shape() {
          @Override
          public double slope(double t) {
            return (a - 1) / t - (b - 1) / (1 - t);
          }

          @Override
          public double bend(double t, double slope) {
            double u = 1 - t;
            return slope * slope - (a - 1) / (t * t) - (b - 1) / (u * u);
          }
        };
    return solve(cdf, pdf, shape, p, x, 0, 1, true);
  }

  /** The log-derivatives of a density f, which {@link #solve} uses for Halley's step. */
  private interface Shape {
    /** f'(x)/f(x). */
    double slope(double x);

    /** f''(x)/f(x), given {@code slope}, f'(x)/f(x). */
    double bend(double x, double slope);
  }

  /**
   * Safeguarded Newton on cdf(x) = p, or Halley's step where the density's {@code shape} is given.
   * The stop is a step below 1e-13 of the quantile's scale (|x|, or min(x, 1 - x) on the unit
   * interval, where the precision that matters near 1 is that of 1 - x), and never below 2e-16 |x|:
   * the CDFs are accurate to about 1e-14, so smaller steps only bisect through their rounding
   * noise.
   *
   * <p>With the shape, each step is Halley's, {@code h = n / (1 + n F''/(2F'))} from the Newton
   * step {@code n = -(F(x) - p)/F'} (Householder, The Numerical Treatment of a Single Nonlinear
   * Equation, 1970), whose error is cubic: {@code e' ~ (C2^2 - C3) e^3} with {@code C2 = F''/(2F')}
   * and {@code C3 = F'''/(6F')}, taken at x with e ~ h. Where Halley's correction is large (the
   * damping outside [1/2, 2]) Newton's step is taken instead, and either is then checked against
   * the bracket. After a Halley step the iteration also stops when its predicted error, 10 (C2^2 +
   * |C3|) |h|^3, is below the tolerance, provided the step is small against the scale on which the
   * derivatives change ({@code |h| (|C2| + sqrt|C3|) <= 0.01}). That guard bounds the quartic terms
   * for the Beta, whose log-derivatives all scale with 1/x and 1/(1 - x); a shape given for another
   * density must scale alike. A NaN or infinite slope or bend (x underflowing near 0) fails these
   * comparisons, so such a step never stops early. The stop saves the evaluation that would only
   * confirm a converged step.
   */
  private static double solve(
      DoubleUnaryOperator cdf,
      DoubleUnaryOperator pdf,
      Shape shape,
      double p,
      double x,
      double lo,
      double hi,
      boolean unitInterval) {
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      double f = cdf.applyAsDouble(x) - p;
      if (f == 0) {
        return x;
      }
      if (f < 0) {
        lo = Math.max(lo, x);
      } else {
        hi = Math.min(hi, x);
      }
      double d = pdf.applyAsDouble(x);
      double next = x - f / d;
      boolean halley = false;
      double slope = Double.NaN;
      if (shape != null && d > 0) {
        slope = shape.slope(x);
        double n = next - x;
        double damping = 1 + 0.5 * n * slope;
        // Halley's step only where it is a modest correction of Newton's; far from the root the
        // bracket's safeguards below take over either way.
        if (damping >= 0.5 && damping <= 2) {
          next = x + n / damping;
          halley = true;
        }
      }
      if (!(next > lo && next < hi) || d <= 0) {
        // Near 0 on the unit interval the bracket may span hundreds of decades, which halving
        // would need far more than MAX_ITERATIONS steps to cross: bisect the exponent instead.
        next =
            unitInterval && hi < 1e-3 && lo < 0.25 * hi
                ? geometricMidpoint(lo, hi)
                : 0.5 * (lo + hi);
        halley = false;
      }
      double scale = unitInterval ? Math.min(Math.abs(x), 1 - x) : Math.abs(x);
      double tol = Math.max(1e-13 * scale, 2e-16 * Math.abs(x));
      double h = Math.abs(next - x);
      if (h <= tol || hi - lo <= tol) {
        return next;
      }
      if (halley) {
        double c2 = 0.5 * slope;
        double c3 = Math.abs(shape.bend(x, slope)) / 6;
        if (h * (Math.abs(c2) + Math.sqrt(c3)) <= 0.01 && 10 * (c2 * c2 + c3) * h * h * h <= tol) {
          return next;
        }
      }
      x = next;
    }
    return x;
  }

  /** sqrt(lo hi), or hi 2^-64 when lo is 0: the midpoint of the bracket in log scale. */
  private static double geometricMidpoint(double lo, double hi) {
    return lo > 0 ? Math.sqrt(lo) * Math.sqrt(hi) : Math.max(hi * 0x1p-64, Double.MIN_VALUE);
  }
}
