package io.segfx.stats.pooling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An adaptive Gauss–Legendre grid on u in (0, 1) for a log density known pointwise, which carries
 * two more values per node (mu^ and V_mu in {@link FullBayesPooling}). In three steps:
 *
 * <ol>
 *   <li>{@link #locate}: a pass of {@link #COARSE} midpoints finds the u-interval [lo, hi] that
 *       holds all but {@link #TAIL} of the mass, zooming in where the mass sits in too few cells;
 *   <li>{@link #build}: from {@link #START_PANELS} equal panels on [lo, hi], a panel whose 8-point
 *       value of the mass differs from the sum of its halves' 8-point values by more than {@link
 *       #PANEL_TOL} of the whole mass is replaced by its halves, recursively (adaptive quadrature
 *       by bisection: Davis &amp; Rabinowitz, Methods of Numerical Integration, 2nd ed., section
 *       6.2); an accepted panel contributes its halves' 16 nodes, the more accurate pair;
 *   <li>{@link #quantile}: a point of the distribution, from the panel it falls in.
 * </ol>
 *
 * The nodes come out in increasing u, 8 per panel.
 */
final class AdaptivePanels {
  /** Midpoints of the first, locating pass. */
  static final int COARSE = 100;

  /** Equal panels the adaptive fine pass starts from. */
  static final int START_PANELS = 2;

  /** A panel is halved while its 8-point mass and its halves' differ by more than this share. */
  static final double PANEL_TOL = 1e-10;

  /** At most this many halvings of a starting panel. */
  static final int MAX_DEPTH = 6;

  /** The mass the located interval may leave out on each side. */
  static final double TAIL = 1e-12;

  /**
   * Where the coarse pass finds all but {@link #TAIL} of the mass within fewer cells than this, it
   * is repeated on the cells it found, up to {@link #MAX_ZOOMS} times: such a peak is narrower than
   * the adaptive panels resolve at {@link #MAX_DEPTH}. In full-Bayes pooling it happens when tau is
   * 1e4 or more times the standard errors (the mass then sits within 1e-4 of u = 1; E[tau] is 17%
   * off with 50 segments at 1e5 without it) or a half-normal or half-Cauchy scale is far below them
   * (near u = 0).
   */
  static final int ZOOM_CELLS = 8;

  static final int MAX_ZOOMS = 6;

  private static final int POINTS = LegendreRule.POINTS;

  /** A log density in u, which also fills two values carried per node when they are asked for. */
  @FunctionalInterface
  interface LogDensity {
    /**
     * The log density at each of {@code u}; fills {@code first[i]} and {@code second[i]} unless
     * they are null.
     */
    double[] at(double[] u, double[] first, double[] second);
  }

  private final LogDensity density;
  private final double lo;
  private final double hi;

  /** The coarse pass's largest log density: node masses are exp(l - offset). */
  private final double offset;

  /** The coarse pass's mass in exp(l - offset) units (midpoint sum): the scale of the tolerance. */
  private final double mass;

  /** The accepted panels, in increasing u. */
  private final List<Panel> accepted = new ArrayList<>();

  private AdaptivePanels(LogDensity density, double lo, double hi, double offset, double mass) {
    this.density = density;
    this.lo = lo;
    this.hi = hi;
    this.offset = offset;
    this.mass = mass;
  }

  /** The coarse, locating pass (with its zooms) over (0, 1); no panels yet. */
  static AdaptivePanels locate(LogDensity density) {
    double[] coarseU = new double[COARSE];
    double lo = 0;
    double hi = 1;
    double offset;
    double coarseMass;
    for (int zoom = 0; ; zoom++) {
      double width = hi - lo;
      for (int i = 0; i < COARSE; i++) {
        coarseU[i] = lo + width * (i + 0.5) / COARSE;
      }
      double[] coarse = density.at(coarseU, null, null);
      offset = Double.NEGATIVE_INFINITY;
      for (double x : coarse) {
        offset = Math.max(offset, x);
      }
      coarseMass = 0;
      for (double x : coarse) {
        coarseMass += Math.exp(x - offset) * width / COARSE;
      }
      double[] cum = normalise(coarse);
      int first = 0;
      while (first < COARSE - 1 && cum[first] < TAIL) {
        first++;
      }
      int last = COARSE - 1;
      while (last > 0 && cum[last - 1] > 1 - TAIL) {
        last--;
      }
      double h = width / COARSE;
      double nextLo = Math.max(lo, lo + (first - 1) * h);
      double nextHi = Math.min(hi, lo + (last + 2) * h);
      lo = nextLo;
      hi = nextHi;
      if (last - first + 1 >= ZOOM_CELLS || zoom == MAX_ZOOMS) {
        break;
      }
    }
    return new AdaptivePanels(density, lo, hi, offset, coarseMass);
  }

  /** The located interval's lower end in u. */
  double lo() {
    return lo;
  }

  /** The located interval's upper end in u. */
  double hi() {
    return hi;
  }

  /**
   * The adaptive panels on [lo, hi].
   *
   * @param spike u of a narrow peak of mass near u = 0 that the first panels must resolve (the u of
   *     a proper prior's scale), NaN for none
   */
  void build(double spike) {
    double tol = PANEL_TOL * mass;
    double w = (hi - lo) / START_PANELS;
    double start = lo;
    // A half-normal or half-Cauchy scale S far below the map's scale c puts a spike of mass at
    // tau <~ S, within u ~ S/c of 0, which the 8 and 16 nodes of the first panel step over: the
    // half-Cauchy's tau^-2 tail spreads the rest over many coarse cells, so no zoom finds it
    // (E[tau] is 4% off at S = 1e-4 c and 28 times too large at 1e-6 c without these panels).
    // Panels growing geometrically by 4 from u(S)/16 cover it first.
    if (lo == 0 && spike < w / 16) {
      for (double b = spike / 16; b < w / 4; b *= 4) {
        refine(evaluate(start, b), 0, tol);
        start = b;
      }
      w = (hi - start) / START_PANELS;
    }
    for (int q = 0; q < START_PANELS; q++) {
      double a = start + q * w;
      Panel whole = evaluate(a, a + w);
      refine(whole, 0, tol);
    }
  }

  /** {@code panels} equal panels on [lo, hi], no refinement (a reference for tests). */
  void equal(int panels) {
    double w = (hi - lo) / panels;
    for (int q = 0; q < panels; q++) {
      accepted.add(evaluate(lo + q * w, lo + (q + 1) * w));
    }
  }

  /** Log density, carried values and 8-point mass of [a, b]. */
  private Panel evaluate(double a, double b) {
    double[] at = new double[POINTS];
    for (int k = 0; k < POINTS; k++) {
      at[k] = a + (b - a) * (0.5 + 0.5 * LegendreRule.node(k));
    }
    double[] first = new double[POINTS];
    double[] second = new double[POINTS];
    double[] l = density.at(at, first, second);
    double m = 0;
    for (int k = 0; k < POINTS; k++) {
      l[k] += Math.log(0.5 * (b - a) * LegendreRule.weight(k));
      m += Math.exp(l[k] - offset);
    }
    return new Panel(a, b, at, l, first, second, m);
  }

  private void refine(Panel whole, int depth, double tol) {
    double mid = 0.5 * (whole.a + whole.b);
    Panel left = evaluate(whole.a, mid);
    Panel right = evaluate(mid, whole.b);
    if (depth >= MAX_DEPTH || Math.abs(left.mass + right.mass - whole.mass) <= tol) {
      accepted.add(left);
      accepted.add(right);
    } else {
      refine(left, depth + 1, tol);
      refine(right, depth + 1, tol);
    }
  }

  /** One component of every accepted panel, end to end (8 values per panel). */
  private double[] flatten(Function<Panel, double[]> part) {
    double[] out = new double[accepted.size() * POINTS];
    for (int q = 0; q < accepted.size(); q++) {
      System.arraycopy(part.apply(accepted.get(q)), 0, out, q * POINTS, POINTS);
    }
    return out;
  }

  /** The nodes in u. */
  double[] u() {
    return flatten(Panel::u);
  }

  /** The log of each node's mass: log density plus log of its panel's rule weight. */
  double[] logWeight() {
    return flatten(Panel::logWeight);
  }

  /** The first carried value at each node. */
  double[] first() {
    return flatten(Panel::first);
  }

  /** The second carried value at each node. */
  double[] second() {
    return flatten(Panel::second);
  }

  /**
   * The p-quantile in u, from the nodes' normalised masses {@code weight} (in the order of {@link
   * #u}): the panel where the cumulative mass reaches p, then the point within it where the panel's
   * interpolated density reaches the rest ({@link LegendreRule#invert}).
   */
  double quantile(double[] weight, double p) {
    int panels = weight.length / POINTS;
    double acc = 0;
    int panel = panels - 1;
    for (int q = 0; q < panels; q++) {
      double m = 0;
      for (int k = 0; k < POINTS; k++) {
        m += weight[q * POINTS + k];
      }
      if (acc + m >= p || q == panels - 1) {
        panel = q;
        break;
      }
      acc += m;
    }
    double x = LegendreRule.invert(weight, panel * POINTS, p - acc);
    Panel at = accepted.get(panel);
    return at.a() + (at.b() - at.a()) * (0.5 + 0.5 * x);
  }

  /** Turns log weights into normalised weights in place; returns the cumulative sums. */
  static double[] normalise(double[] logw) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : logw) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (int i = 0; i < logw.length; i++) {
      logw[i] = Math.exp(logw[i] - max);
      sum += logw[i];
    }
    double[] cum = new double[logw.length];
    double acc = 0;
    for (int i = 0; i < logw.length; i++) {
      logw[i] /= sum;
      acc += logw[i];
      cum[i] = acc;
    }
    return cum;
  }

  /** One panel's nodes and values, and its 8-point mass in exp(l - offset) units. */
  private record Panel(
      double a,
      double b,
      double[] u,
      double[] logWeight,
      double[] first,
      double[] second,
      double mass) {}
}
