package io.segfx.stats;

/**
 * The relative-effect figures the three decision paths share: the control level's mean, and the
 * quantiles of the relative effect {@code X / B} where the effect X has a normal-mixture posterior
 * (one normal in the closed form) and the control level B is normal, independent of X.
 *
 * <p>For B &gt; 0 the event {@code X / B <= q} is {@code X - q B <= 0}, and X - q B is again a
 * normal mixture, so (Fieller, "Some problems in interval estimation", JRSS B 16, 1954, 175–185)
 *
 * <pre>
 *   F(q) = P(X - q B <= 0) = sum_i w_i Φ((q mb - m_i) / sqrt(s_i² + q² sb²))
 * </pre>
 *
 * ({@link NormalMixture#belowRatio}), and the p-quantile is the root of F(q) = p. F runs from
 * Φ(-mb/sb) at -∞ to Φ(mb/sb) at +∞ and increases on the branch that holds the quantiles when mb/sb
 * exceeds |Φ⁻¹(p)|; for one normal component the root is the end of Fieller's interval. Where the
 * normal control level puts p or more of its mass below 0 (mb/sb &lt;= |Φ⁻¹(p)|) the ratio has no
 * such quantile and the result is NaN, as it is without a control level (mb NaN).
 *
 * <p>The root: Newton's iteration on F, with F' in closed form, from the delta-method normal
 * approximation {@code r0 + Φ⁻¹(p) s_r}, {@code r0 = E[X] / mb}, {@code s_r = sqrt(sd(X)² + r0²
 * sb²) / mb} (Stuart &amp; Ord, Kendall's Advanced Theory of Statistics vol. 1, 10.5–10.6). Each
 * iterate closes a bracket by the sign of F - p; a step that would leave the bracket bisects it, or
 * while it is open on one side (or would go further than the next step-out) steps out by doubling
 * multiples of s_r (rtsafe, Press et al., Numerical Recipes 3rd ed., section 9.4). It stops at a
 * Newton step below 1e-13 of max(|q|, s_r), also one that lands on the bracket's end, or at a step
 * whose predicted error from F', F'' and F''' is below a tenth of that (see newtonDone); F itself
 * is accurate to about 2e-16 absolute.
 */
public final class RelativeEffects {
  private static final int MAX_ITERATIONS = 200;

  private RelativeEffects() {}

  /**
   * An experiment-level effect's relative figures, as {@link DecisionFigures} carries them.
   *
   * @param mean E[E / B]
   * @param controlMean E[B]
   * @param q025 2.5% quantile of E / B
   * @param q975 97.5% quantile of E / B
   * @param probAbove P(E / B > r)
   */
  public record Figures(
      double mean, double controlMean, double q025, double q975, double probAbove) {
    /** No control level: every figure NaN. */
    public static final Figures NONE =
        new Figures(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Figures with the quantiles of X / B, X ~ {@code x}, B ~ N(mb, sb²) ({@link #quantile}). */
    static Figures of(NormalMixture x, double mean, double mb, double sb, double probAbove) {
      return new Figures(
          mean, mb, quantile(x, mb, sb, 0.025), quantile(x, mb, sb, 0.975), probAbove);
    }
  }

  /**
   * The p-quantile of {@code X / B} for X ~ the mixture {@code x} and B ~ N(mb, sb²); NaN where the
   * class comment says.
   *
   * @param p in (0, 1)
   */
  public static double quantile(NormalMixture x, double mb, double sb, double p) {
    return quantile(x, mb, sb, p, Double.NaN);
  }

  /**
   * {@link #quantile(NormalMixture, double, double, double)} given {@code qx}, the p-quantile of X
   * itself when known (NaN otherwise): the start becomes {@code r0 + z_x s_r} with X's own
   * standardised quantile {@code z_x = (qx - E[X]) / sd(X)} for Φ⁻¹(p), which is the root when B is
   * a point mass. The root is the same to the iteration's tolerance; only fewer steps reach it.
   */
  public static double quantile(NormalMixture x, double mb, double sb, double p, double qx) {
    if (!(mb > 0) || !(sb >= 0) || !(p > 0 && p < 1)) {
      return Double.NaN;
    }
    double zp = FastQuantiles.normal(p);
    if (sb > 0 && !(Math.abs(zp) < mb / sb)) {
      return Double.NaN;
    }
    double r0 = x.mean() / mb;
    double sd = x.sd();
    double spread = Math.sqrt(sd * sd + r0 * r0 * sb * sb) / mb;
    if (!(spread > 0)) {
      // Both X and B are point masses: so is the ratio.
      return r0;
    }
    double vb = sb * sb;
    double[] g = new double[5];
    // The bracket [lo, hi] starts unbounded and closes on each iterate by the sign of F(q) - p,
    // which is single-signed on each side of the root where the quantile exists.
    double lo = Double.NEGATIVE_INFINITY;
    double hi = Double.POSITIVE_INFINITY;
    double zx = qx - x.mean();
    double q = r0 + (sd > 0 && Double.isFinite(zx) ? zx / sd : zp) * spread;
    double step = spread;
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      x.belowRatio(q, mb, vb, g);
      double f = g[0] - p;
      if (f == 0) {
        return q;
      }
      if (f < 0) {
        lo = q;
      } else {
        hi = q;
      }
      double next = q - f / g[1];
      double tol = 1e-13 * Math.max(Math.abs(q), spread);
      if (Math.abs(next - q) <= tol && next >= lo && next <= hi) {
        // A Newton step this small is convergence, even when it lands on the bracket's end
        // (F(q) - p is rounding noise there): bisecting would only shrink the bracket to tol.
        return next;
      }
      if (next > lo && next < hi && newtonDone(g, Math.abs(next - q), tol)) {
        return next;
      }
      boolean open = Double.isInfinite(lo) || Double.isInfinite(hi);
      if (!(next > lo && next < hi) || (open && Math.abs(next - q) > step)) {
        // Outside the bracket (or a flat or falling F): bisect a closed bracket, else step out
        // from its finite end by doubling multiples of s_r. While the bracket is open a Newton
        // step longer than the next step-out is not trusted either: from F's flat far tail it
        // would land anywhere, and bisecting back from there would not end.
        if (Double.isInfinite(lo)) {
          next = hi - step;
          step *= 2;
        } else if (Double.isInfinite(hi)) {
          next = lo + step;
          step *= 2;
        } else {
          next = 0.5 * (lo + hi);
        }
      }
      tol = 1e-13 * Math.max(Math.abs(next), spread);
      if (Math.abs(next - q) <= tol || hi - lo <= tol) {
        return next;
      }
      q = next;
    }
    return Double.NaN;
  }

  /**
   * Whether the Newton step d = {@code step} just taken from q lands within tol of the root, so
   * that the evaluation which would only confirm it is saved. With e = q - root, Newton's next
   * error is e' = C2 e² + C3 e³ + O(e⁴), C2 = F''/(2F'), |C3| <= F''²/(2F'²) + |F'''|/(3F') (from
   * the Taylor expansions of F and F' about the root), and e is about d. Where d is under 1e-3 of
   * the narrowest component's width in q (1 / rate, {@link NormalMixture#belowRatio}; a step in F
   * makes it 0), F', F'' and F''' change little between q and the root, so their values at q stand
   * for those there, and the step is returned when 10 (|C2| d² + |C3| d³) <= tol. The cubic term
   * keeps the bound where F'' vanishes (an inflection of F near the root), as {@link
   * NormalMixture#quantile} bounds its Halley steps by the next derivative too.
   */
  private static boolean newtonDone(double[] g, double step, double tol) {
    double slope = g[1];
    if (!(slope > 0) || !(step * g[4] < 1e-3)) {
      return false;
    }
    double c2 = Math.abs(g[2] / (2 * slope));
    double c3 = 2 * c2 * c2 + Math.abs(g[3] / (3 * slope));
    return 10 * (c2 + c3 * step) * step * step <= tol;
  }

  /** The p-quantile of {@code X / B} for X ~ N(m, s²) and B ~ N(mb, sb²). */
  public static double quantile(double m, double s, double mb, double sb, double p) {
    return quantile(
        new NormalMixture(new double[] {1}, new double[] {m}, new double[] {s}), mb, sb, p);
  }

  /**
   * The exact posterior mean of a segment's control level, or NaN where there is none (no baseline,
   * or a Student-t with dof &lt;= 1): {@code a0 / (a0 + b0)} for a Beta–Binomial lift, m0 for a
   * difference of NIG arm means, and the baseline's own mean ({@code a / (a + b)}, m) otherwise.
   */
  public static double baselineMean(SegmentDraw d) {
    double[] p = d.effect();
    switch (d.effectKind()) {
      case BETA_DIFF:
        return p[2] / (p[2] + p[3]);
      case STUDENT_DIFF:
        return p[5] > 1 ? p[3] : Double.NaN;
      default:
        break;
    }
    double[] q = d.baseline();
    return switch (d.baselineKind()) {
      case BETA -> q[0] / (q[0] + q[1]);
      case STUDENT -> q[2] > 1 ? q[0] : Double.NaN;
      case NORMAL -> q[0];
      default -> Double.NaN;
    };
  }
}
