package io.segfx.stats.pooling;

import io.segfx.stats.NormalMixture;

/**
 * Fully Bayesian pooling of one experiment's segment estimates by grid marginalisation, as in
 * Gelman et al., Bayesian Data Analysis (3rd ed.), section 5.4: {@code y_j ~ N(theta_j, s_j²)},
 * {@code theta_j ~ N(mu, tau²)}, mu flat (or N(m0, s0²)), tau from a {@link TauPrior}.
 *
 * <pre>
 *   w_j(tau) = 1 / (s_j² + tau²),  V_mu = 1 / (sum w_j [+ 1/s0²]),  mu^ = V_mu (sum w_j y_j [+ m0/s0²])
 *   log p(tau | y) = log p(tau) + ½ log V_mu + ½ sum log w_j - ½ (sum w_j (y_j - mu^)² [+ (mu^ - m0)²/s0²])   (BDA eq. 5.21)
 *   mu | tau, y ~ N(mu^, V_mu)                                                                                (BDA eq. 5.20)
 *   theta_j | mu, tau, y ~ N(V_j (y_j/s_j² + mu/tau²), V_j),  V_j = 1/(1/s_j² + 1/tau²)                      (BDA eq. 5.17)
 * </pre>
 *
 * The grid is adaptive: tau = c·u/(1-u) maps u in (0, 1) onto [0, ∞) with c the root-mean-square
 * standard error, so even the heavy tau^{1-J} tail of the uniform prior is integrated; a first
 * pass of {@link #COARSE} midpoints finds the u-interval that holds all but 1e-12 of the mass, and
 * on that interval 8-point Gauss-Legendre panels, halved until each carries its mass to
 * {@link #PANEL_TOL} of the whole, carry the posterior (tau's mean and quantiles, mu's mean and
 * sd are read from it; typically 32 to 160 points); a {@link #NODES}-node Gauss rule of that grid
 * measure carries everything downstream: mu, each theta_j and any weighted sum of them are normal
 * mixtures over the nodes. No Markov chain, no draws.
 */
public final class FullBayesPooling {
  /** Midpoints of the first, locating pass. */
  public static final int COARSE = 100;

  /** Equal panels the adaptive fine pass starts from. */
  public static final int START_PANELS = 2;

  /** A panel is halved while its 8-point mass and its halves' differ by more than this share. */
  public static final double PANEL_TOL = 1e-10;

  /** At most this many halvings of a starting panel. */
  public static final int MAX_DEPTH = 6;

  /** Points per panel. */
  public static final int PANEL_POINTS = 8;

  /** The 8-point Gauss-Legendre rule on [-1, 1], nodes ascending (Golub-Welsch in Commons Math). */
  private static final double[] LEGENDRE_T = new double[PANEL_POINTS];

  private static final double[] LEGENDRE_W = new double[PANEL_POINTS];

  static {
    org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator rule =
        new org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory().legendreHighPrecision(PANEL_POINTS);
    for (int k = 0; k < PANEL_POINTS; k++) {
      LEGENDRE_T[k] = rule.getPoint(k);
      LEGENDRE_W[k] = rule.getWeight(k);
    }
  }

  /** Nodes of the Gauss rule that replaces the grid in the mixtures. */
  public static final int NODES = 24;

  private static final double TAIL = 1e-12;

  /**
   * Where the coarse pass finds all but {@link #TAIL} of the mass within fewer cells than this, it
   * is repeated on the cells it found, up to {@link #MAX_ZOOMS} times: such a peak is narrower
   * than the adaptive panels resolve at {@link #MAX_DEPTH}. It happens when tau is 1e4 or more
   * times the standard errors (the mass then sits within 1e-4 of u = 1; E[tau] was 17% off with
   * 50 segments at 1e5) or a half-normal or half-Cauchy scale is far below them (near u = 0).
   */
  static final int ZOOM_CELLS = 8;

  static final int MAX_ZOOMS = 6;

  private static final double LN2 = Math.log(2);

  private FullBayesPooling() {}

  /**
   * Fits the model.
   *
   * @param y segment estimates
   * @param se their standard errors (> 0)
   * @param tauPrior the prior of tau
   * @param muPrior {m0, s0} of a normal prior on mu, or null for the flat prior
   */
  public static HierarchicalPosterior fit(double[] y, double[] se, TauPrior tauPrior, double[] muPrior) {
    return fit(y, se, tauPrior, muPrior, true);
  }

  /** {@link #fit}, with the grid itself as the mixture when {@code compress} is false (for tests). */
  static HierarchicalPosterior fit(double[] y, double[] se, TauPrior tauPrior, double[] muPrior, boolean compress) {
    return fit(y, se, tauPrior, muPrior, compress, 0);
  }

  /**
   * {@link #fit}; {@code panels > 0} replaces the adaptive grid by that many equal panels (a
   * reference for tests: 512 of them agree with 1024 to about 1e-10).
   */
  static HierarchicalPosterior fit(double[] y, double[] se, TauPrior tauPrior, double[] muPrior, boolean compress, int panels) {
    double[] v = PoolingInputs.variances(y, se, tauPrior.improper() ? 3 : 1);
    double c = 0;
    for (double x : v) {
      c += x;
    }
    c = Math.sqrt(c / v.length);
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
      double[] coarse = logPosterior(y, v, tauPrior, muPrior, c, coarseU, null, null);
      // The coarse pass's largest log density and its mass in exp(l - offset) units (midpoint
      // sum): the scale of the adaptive pass's tolerance.
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
    Panels grid = new Panels(y, v, tauPrior, muPrior, c, offset);
    if (panels > 0) {
      grid.equal(lo, hi, panels);
    } else {
      grid.build(lo, hi, coarseMass);
    }
    double[] u = grid.u();
    double[] muHatFine = grid.muHat();
    double[] muVarFine = grid.muVar();
    double[] weight = grid.logWeight();
    double[] panelLo = grid.panelLo();
    double[] panelWidth = grid.panelWidth();
    int n = u.length;
    normalise(weight);
    double[] tau = new double[n];
    double tauMean = 0;
    for (int i = 0; i < n; i++) {
      tau[i] = c * u[i] / (1 - u[i]);
      tauMean += weight[i] * tau[i];
    }
    double tauQ025 = tauQuantile(weight, panelLo, panelWidth, c, 0.025);
    double tauQ975 = tauQuantile(weight, panelLo, panelWidth, c, 0.975);
    // mu's mean and sd from the grid itself, not from the Gauss rule below: V_mu(tau) grows like
    // tau²/J, a pole at u = 1 that no polynomial in u follows, so the rule's second moment of mu
    // can be off by up to a percent when few segments leave tau's tail heavy (J = 3 to 5, in random
    // groups), while the grid's sums agree with a 4096-point grid to 1e-9.
    double muMean = 0;
    for (int i = 0; i < n; i++) {
      muMean += weight[i] * muHatFine[i];
    }
    double muSecond = 0;
    for (int i = 0; i < n; i++) {
      double d = muHatFine[i] - muMean;
      muSecond += weight[i] * (muVarFine[i] + d * d);
    }
    double muSd = Math.sqrt(muSecond);
    int tail = tailExponent(y.length, tauPrior, muPrior);
    if (tail <= 2) {
      tauMean = Double.POSITIVE_INFINITY;
    }
    if (tail <= 3 && muPrior == null) {
      muSd = Double.POSITIVE_INFINITY;
    }
    // Where sd(mu) does not exist, mu's quantiles come from equal panels (see HEAVY_TAIL_PANELS).
    NormalMixture heavyMu =
        panels == 0 && Double.isInfinite(muSd) ? fit(y, se, tauPrior, muPrior, false, HEAVY_TAIL_PANELS).mu() : null;
    if (!compress) {
      return posterior(y, v, tau, weight, muHatFine, muVarFine, tauMean, tauQ025, tauQ975, muMean, muSd, heavyMu);
    }
    // Gauss quadrature of the grid measure in u (Golub & Welsch 1969; Gautschi 2004, Orthogonal
    // Polynomials, section 2.2.3, Lanczos): NODES nodes integrate every polynomial of degree
    // < 2·NODES in u exactly against the grid (typically 64 to 160 points), and the posterior
    // quantities of theta are smooth in u on [lo, hi], so the mixtures keep their accuracy with a
    // fraction of the components (mu's moments and, for heavy tails, quantiles are read apart).
    double[][] rule = prune(gauss(u, weight, lo, hi, NODES));
    int m = rule[0].length;
    double[] qTau = new double[m];
    double[] qMu = new double[m];
    double[] qVar = new double[m];
    for (int k = 0; k < m; k++) {
      qTau[k] = c * rule[0][k] / (1 - rule[0][k]);
      double[] cond = conditional(y, v, muPrior, qTau[k]);
      qMu[k] = cond[0];
      qVar[k] = cond[1];
    }
    return posterior(y, v, qTau, rule[1], qMu, qVar, tauMean, tauQ025, tauQ975, muMean, muSd, heavyMu);
  }

  /** Equal panels of the grid that carries mu's quantiles where sd(mu) does not exist. */
  static final int HEAVY_TAIL_PANELS = 32;

  /**
   * The posterior over the given nodes, with mu's 2.5% and 97.5% points read from its own mixture
   * of mu, or from {@code heavyMu} where sd(mu) is infinite (tau's tail ~ tau^-a, a <= 3, flat mu).
   * There the far tau tail, flat in u up to u = 1, carries much of mu's far quantiles through
   * Phi((x - mu^)/sqrt(V_mu)), which varies on a scale in u far finer than the mass the adaptive
   * grid refines on (it missed by 3.3e-3 of mu's 95% width with 3 segments);
   * {@link #HEAVY_TAIL_PANELS} equal panels (256 points) agree with 2048 panels to 1.2e-10 of that
   * width on those groups.
   */
  private static HierarchicalPosterior posterior(
      double[] y, double[] v, double[] tau, double[] weight, double[] muHat, double[] muVar, double tauMean,
      double tauQ025, double tauQ975, double muMean, double muSd, NormalMixture heavyMu) {
    NormalMixture mu = heavyMu != null ? heavyMu : HierarchicalPosterior.muMixture(weight, muHat, muVar);
    return new HierarchicalPosterior(
        y.clone(), v, tau, weight, muHat, muVar, tauMean, tauQ025, tauQ975, muMean, muSd, mu.quantile(0.025), mu.quantile(0.975), true);
  }

  /**
   * The exponent a of p(tau | y) ∝ tau^-a as tau → ∞ (Integer.MAX_VALUE for the half-normal prior's
   * Gaussian tail). Each segment's likelihood factor (s_j² + tau²)^-½ gives tau^-J; with mu flat,
   * V_mu^½ ~ tau/√J gives tau back (BDA3 eq. 5.21); the half-Cauchy prior gives tau^-2. E[tau^k | y]
   * exists iff a - k > 1, so the posterior mean of tau needs a > 2 and, with mu flat, the posterior
   * variance of mu (which contains E[V_mu] ~ E[tau²]/J) needs a > 3: under the uniform prior and a
   * flat mu, J >= 4 for E[tau] and J >= 5 for sd(mu).
   */
  static int tailExponent(int segments, TauPrior tauPrior, double[] muPrior) {
    if (tauPrior.kind().equals("half-normal")) {
      return Integer.MAX_VALUE;
    }
    return segments - (muPrior == null ? 1 : 0) + (tauPrior.kind().equals("half-cauchy") ? 2 : 0);
  }

  /**
   * Drops nodes whose weight is below 1e-15 of the total (the outermost Gauss nodes of a peaked
   * measure often are): they change no printed figure and cost as much as any other component.
   */
  private static double[][] prune(double[][] rule) {
    int keep = 0;
    for (double w : rule[1]) {
      keep += w >= 1e-15 ? 1 : 0;
    }
    if (keep == rule[1].length || keep == 0) {
      return rule;
    }
    double[] x = new double[keep];
    double[] w = new double[keep];
    double sum = 0;
    int k = 0;
    for (int i = 0; i < rule[1].length; i++) {
      if (rule[1][i] >= 1e-15) {
        x[k] = rule[0][i];
        w[k++] = rule[1][i];
        sum += rule[1][i];
      }
    }
    for (int i = 0; i < keep; i++) {
      w[i] /= sum;
    }
    return new double[][] {x, w};
  }

  /** mu^ and V_mu at tau (BDA eq. 5.20, with the normal prior of mu as one more observation). */
  static double[] conditional(double[] y, double[] v, double[] muPrior, double tau) {
    double sw = 0;
    double swy = 0;
    for (int j = 0; j < y.length; j++) {
      double w = 1 / (v[j] + tau * tau);
      sw += w;
      swy += w * y[j];
    }
    if (muPrior != null) {
      double p0 = 1 / (muPrior[1] * muPrior[1]);
      sw += p0;
      swy += p0 * muPrior[0];
    }
    return new double[] {swy / sw, 1 / sw};
  }

  /**
   * The p-quantile of tau from the panel weights: in the panel where the cumulative mass reaches p,
   * the density is the degree-7 polynomial through its 8 Gauss-Legendre points, in Legendre form
   * c_k = (2k+1)/2 sum_i w_i P_k(t_i) (exact by the rule's discrete orthogonality), whose integral
   * from -1 is c_0 (x + 1) + sum_k c_k (P_{k+1}(x) - P_{k-1}(x)) / (2k + 1) (Abramowitz & Stegun
   * 22.13.1 / 8.5.3); the crossing of p is found by Newton's method on that polynomial, bracketed.
   */
  private static double tauQuantile(double[] weight, double[] panelLo, double[] panelWidth, double c, double p) {
    int panels = weight.length / PANEL_POINTS;
    double acc = 0;
    int panel = panels - 1;
    for (int q = 0; q < panels; q++) {
      double mass = 0;
      for (int k = 0; k < PANEL_POINTS; k++) {
        mass += weight[q * PANEL_POINTS + k];
      }
      if (acc + mass >= p || q == panels - 1) {
        panel = q;
        break;
      }
      acc += mass;
    }
    double[] coef = new double[PANEL_POINTS];
    double[] leg = new double[PANEL_POINTS + 1];
    for (int k = 0; k < PANEL_POINTS; k++) {
      legendre(LEGENDRE_T[k], leg);
      double wk = weight[panel * PANEL_POINTS + k];
      for (int d = 0; d < PANEL_POINTS; d++) {
        coef[d] += (2 * d + 1) / 2.0 * wk * leg[d];
      }
    }
    double target = p - acc;
    double a = -1;
    double b = 1;
    // Newton on the polynomial CDF (its derivative is the density polynomial sum c_k P_k), kept
    // inside the bracket by bisection; the density interpolant may dip below 0 near an empty end,
    // where bisection alone decides.
    double x = Math.min(Math.max(2 * target / (2 * coef[0]) - 1, -1), 1);
    for (int it = 0; it < 100 && b - a > 1e-15; it++) {
      legendre(x, leg);
      double f = coef[0] * (x + 1) - target;
      double dens = coef[0];
      for (int d = 1; d < PANEL_POINTS; d++) {
        f += coef[d] * (leg[d + 1] - leg[d - 1]) / (2 * d + 1);
        dens += coef[d] * leg[d];
      }
      if (f < 0) {
        a = x;
      } else {
        b = x;
      }
      double next = x - f / dens;
      if (!(dens > 0 && next > a && next < b)) {
        next = 0.5 * (a + b);
      }
      if (Math.abs(next - x) <= 1e-15) {
        x = next;
        break;
      }
      x = next;
    }
    double u = panelLo[panel] + panelWidth[panel] * (0.5 + 0.5 * x);
    return c * u / (1 - u);
  }

  /** P_0(x) .. P_{out.length-1}(x) by Bonnet's recurrence (k+1) P_{k+1} = (2k+1) x P_k - k P_{k-1}. */
  private static void legendre(double x, double[] out) {
    out[0] = 1;
    out[1] = x;
    for (int k = 1; k + 1 < out.length; k++) {
      out[k + 1] = ((2 * k + 1) * x * out[k] - k * out[k - 1]) / (k + 1);
    }
  }

  /**
   * The n-node Gauss rule of the discrete measure sum_i w_i delta(x_i) (weights summing to 1):
   * {nodes, weights}; fewer nodes when the measure has fewer points of support.
   *
   * <p>The Jacobi matrix comes from the Lanczos three-term recurrence on diag(x) started at
   * sqrt(w) (Gautschi 2004, section 2.2.3). On our grids (32 to a few hundred smooth points, at most
   * 24 steps; none of W50's 10,000 real groups needed the fallback) no Ritz value converges, so the
   * Lanczos vectors stay orthogonal to about 1e-14 without
   * reorthogonalisation; the last vector is checked against all earlier ones, and if orthogonality
   * is lost beyond 1e-9 the recurrence is redone with full (twice) reorthogonalisation.
   */
  static double[][] gauss(double[] x, double[] w, double lo, double hi, int n) {
    double[][] fast = gauss(x, w, lo, hi, n, false);
    return fast != null ? fast : gauss(x, w, lo, hi, n, true);
  }

  /** {@link #gauss}; without reorthogonalisation returns null when the check fails. */
  static double[][] gauss(double[] x, double[] w, double lo, double hi, int n, boolean reorthogonalise) {
    int len = x.length;
    // Work on [-1, 1] for conditioning.
    double[] t = new double[len];
    for (int i = 0; i < len; i++) {
      t[i] = (2 * x[i] - lo - hi) / (hi - lo);
    }
    double[][] q = new double[n + 1][];
    double[] alpha = new double[n];
    double[] beta = new double[n];
    q[0] = new double[len];
    for (int i = 0; i < len; i++) {
      q[0][i] = Math.sqrt(w[i]);
    }
    int m = 0;
    for (int k = 0; k < n; k++) {
      double[] z = new double[len];
      double[] qk = q[k];
      double a = 0;
      for (int i = 0; i < len; i++) {
        z[i] = t[i] * qk[i];
        a += qk[i] * z[i];
      }
      alpha[k] = a;
      m = k + 1;
      if (reorthogonalise) {
        for (int pass = 0; pass < 2; pass++) {
          for (int j = 0; j <= k; j++) {
            double d = 0;
            for (int i = 0; i < len; i++) {
              d += q[j][i] * z[i];
            }
            for (int i = 0; i < len; i++) {
              z[i] -= d * q[j][i];
            }
          }
        }
      }
      double b = 0;
      if (reorthogonalise) {
        for (double zi : z) {
          b += zi * zi;
        }
      } else {
        // The three-term recurrence and the new vector's norm in one pass.
        double[] prev = k > 0 ? q[k - 1] : qk;
        double bPrev = k > 0 ? beta[k - 1] : 0;
        for (int i = 0; i < len; i++) {
          double zi = z[i] - (a * qk[i] + bPrev * prev[i]);
          z[i] = zi;
          b += zi * zi;
        }
      }
      b = Math.sqrt(b);
      if (k == n - 1 || b < 1e-13) {
        break;
      }
      beta[k] = b;
      double inv = 1 / b;
      for (int i = 0; i < len; i++) {
        z[i] *= inv;
      }
      q[k + 1] = z;
    }
    if (!reorthogonalise) {
      for (int j = 0; j < m - 1; j++) {
        double d = 0;
        for (int i = 0; i < len; i++) {
          d += q[j][i] * q[m - 1][i];
        }
        if (Math.abs(d) > 1e-9) {
          return null;
        }
      }
    }
    double[] nodes = java.util.Arrays.copyOf(alpha, m);
    double[] off = java.util.Arrays.copyOf(beta, m);
    double[] weights = jacobiEigen(nodes, off);
    sortByNode(nodes, weights);
    double sum = 0;
    for (int k = 0; k < m; k++) {
      nodes[k] = Math.min(Math.max(lo + (nodes[k] + 1) * (hi - lo) / 2, lo), hi);
      sum += weights[k];
    }
    for (int k = 0; k < m; k++) {
      weights[k] /= sum;
    }
    return new double[][] {nodes, weights};
  }

  /** 2^k for the normal exponents k in [-1022, 1023], exactly. */
  private static double powerOfTwo(int k) {
    return k >= -1022 && k <= 1023 ? Double.longBitsToDouble((long) (k + 1023) << 52) : Math.scalb(1.0, k);
  }

  /**
   * sqrt(a^2 + b^2) without the cost of {@link Math#hypot} (a third of the QL's time) where the
   * squares can neither overflow nor underflow; Math.hypot's scaling elsewhere.
   */
  static double hypot(double a, double b) {
    double big = Math.max(Math.abs(a), Math.abs(b));
    if (big > 1e150 || big < 1e-150) {
      return Math.hypot(a, b);
    }
    return Math.sqrt(a * a + b * b);
  }

  /** Insertion sort of the (node, weight) pairs by node: QL leaves them in no particular order. */
  private static void sortByNode(double[] x, double[] w) {
    for (int i = 1; i < x.length; i++) {
      double xi = x[i];
      double wi = w[i];
      int k = i - 1;
      while (k >= 0 && x[k] > xi) {
        x[k + 1] = x[k];
        w[k + 1] = w[k];
        k--;
      }
      x[k + 1] = xi;
      w[k + 1] = wi;
    }
  }

  /**
   * Golub–Welsch (1969): the eigenvalues of the symmetric tridiagonal Jacobi matrix (diagonal
   * {@code d}, off-diagonal {@code e[i]} between rows i and i+1, {@code e[n-1]} ignored) are the Gauss
   * nodes, and the squared first components of its unit eigenvectors the weights. Implicit QL with
   * Wilkinson shifts (Wilkinson & Reinsch, Handbook for Automatic Computation II, procedure tql2;
   * Press et al., Numerical Recipes 3rd ed., section 11.4), applying each plane rotation only to the
   * first row of the eigenvector matrix: O(n²) instead of O(n³) and no n×n matrix.
   *
   * @param d diagonal, overwritten by the eigenvalues (nodes)
   * @param e off-diagonal, destroyed
   * @return the weights, in the order of {@code d}
   */
  static double[] jacobiEigen(double[] d, double[] e) {
    int n = d.length;
    double[] z = new double[n];
    z[0] = 1;
    if (n > 0) {
      e[n - 1] = 0;
    }
    for (int l = 0; l < n; l++) {
      int iter = 0;
      int m;
      do {
        for (m = l; m < n - 1; m++) {
          double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
          if (Math.abs(e[m]) <= 0x1p-53 * dd) {
            break;
          }
        }
        if (m != l) {
          if (iter++ == 60) {
            throw new ArithmeticException("Gauss rule: QL did not converge");
          }
          double g = (d[l + 1] - d[l]) / (2 * e[l]);
          double r = hypot(g, 1);
          g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
          double s = 1;
          double c = 1;
          double p = 0;
          int i;
          boolean deflated = false;
          for (i = m - 1; i >= l; i--) {
            double f = s * e[i];
            double b = c * e[i];
            r = hypot(f, g);
            e[i + 1] = r;
            if (r == 0) {
              d[i + 1] -= p;
              e[m] = 0;
              deflated = true;
              break;
            }
            s = f / r;
            c = g / r;
            g = d[i + 1] - p;
            r = (d[i] - g) * s + 2 * c * b;
            p = s * r;
            d[i + 1] = g + p;
            g = c * r - b;
            double zf = z[i + 1];
            z[i + 1] = s * z[i] + c * zf;
            z[i] = c * z[i] - s * zf;
          }
          if (deflated) {
            continue;
          }
          d[l] -= p;
          e[l] = g;
          e[m] = 0;
        }
      } while (m != l);
    }
    double[] w = new double[n];
    for (int k = 0; k < n; k++) {
      w[k] = z[k] * z[k];
    }
    return w;
  }

  /**
   * The adaptive Gauss-Legendre grid in u: from {@link #START_PANELS} equal panels on [lo, hi], a
   * panel whose 8-point value of the mass differs from the sum of its halves' 8-point values by
   * more than {@link #PANEL_TOL} of the whole mass is replaced by its halves, recursively (as
   * adaptive quadrature by bisection: Davis & Rabinowitz, Methods of Numerical Integration, 2nd ed.,
   * section 6.2); an accepted panel contributes its halves' 16 nodes, the more accurate pair. The
   * nodes come out in increasing u, 8 per panel.
   */
  private static final class Panels {
    private final double[] y;
    private final double[] v;
    private final TauPrior prior;
    private final double[] muPrior;
    private final double c;
    private final double offset;
    private double tol;
    /** The accepted panels, in increasing u. */
    private final java.util.List<Panel> accepted = new java.util.ArrayList<>();

    Panels(double[] y, double[] v, TauPrior prior, double[] muPrior, double c, double offset) {
      this.y = y;
      this.v = v;
      this.prior = prior;
      this.muPrior = muPrior;
      this.c = c;
      this.offset = offset;
    }

    void build(double lo, double hi, double mass) {
      tol = PANEL_TOL * mass;
      double w = (hi - lo) / START_PANELS;
      double start = lo;
      // A half-normal or half-Cauchy scale S far below the map's scale c puts a spike of mass at
      // tau <~ S, within u ~ S/c of 0, which the 8 and 16 nodes of the first panel step over: the
      // half-Cauchy's tau^-2 tail spreads the rest over many coarse cells, so no zoom finds it
      // (E[tau] was 4% off at S = 1e-4 c and 28 times too large at 1e-6 c). Panels growing
      // geometrically by 4 from u(S)/16 cover it first.
      double us = prior.improper() ? Double.NaN : prior.scale() / (c + prior.scale());
      if (lo == 0 && us < w / 16) {
        for (double b = us / 16; b < w / 4; b *= 4) {
          refine(evaluate(start, b), 0);
          start = b;
        }
        w = (hi - start) / START_PANELS;
      }
      for (int q = 0; q < START_PANELS; q++) {
        double a = start + q * w;
        Panel whole = evaluate(a, a + w);
        refine(whole, 0);
      }
    }

    /** {@code panels} equal panels on [lo, hi], no refinement. */
    void equal(double lo, double hi, int panels) {
      double w = (hi - lo) / panels;
      for (int q = 0; q < panels; q++) {
        append(evaluate(lo + q * w, lo + (q + 1) * w));
      }
    }

    /** log density, mu^ and V_mu at the 8 nodes of [a, b]. */
    private Panel evaluate(double a, double b) {
      double[] at = new double[PANEL_POINTS];
      for (int k = 0; k < PANEL_POINTS; k++) {
        at[k] = a + (b - a) * (0.5 + 0.5 * LEGENDRE_T[k]);
      }
      double[] mh = new double[PANEL_POINTS];
      double[] mv = new double[PANEL_POINTS];
      double[] l = logPosterior(y, v, prior, muPrior, c, at, mh, mv);
      double mass = 0;
      for (int k = 0; k < PANEL_POINTS; k++) {
        l[k] += Math.log(0.5 * (b - a) * LEGENDRE_W[k]);
        mass += Math.exp(l[k] - offset);
      }
      return new Panel(a, b, at, l, mh, mv, mass);
    }

    private void refine(Panel whole, int depth) {
      double mid = 0.5 * (whole.a + whole.b);
      Panel left = evaluate(whole.a, mid);
      Panel right = evaluate(mid, whole.b);
      if (depth >= MAX_DEPTH || Math.abs(left.mass + right.mass - whole.mass) <= tol) {
        append(left);
        append(right);
      } else {
        refine(left, depth + 1);
        refine(right, depth + 1);
      }
    }

    private void append(Panel p) {
      accepted.add(p);
    }

    /** One component of every accepted panel, end to end (8 values per panel). */
    private double[] flatten(java.util.function.Function<Panel, double[]> part) {
      double[] out = new double[accepted.size() * PANEL_POINTS];
      for (int q = 0; q < accepted.size(); q++) {
        System.arraycopy(part.apply(accepted.get(q)), 0, out, q * PANEL_POINTS, PANEL_POINTS);
      }
      return out;
    }

    double[] u() {
      return flatten(Panel::u);
    }

    double[] logWeight() {
      return flatten(Panel::logWeight);
    }

    double[] muHat() {
      return flatten(Panel::muHat);
    }

    double[] muVar() {
      return flatten(Panel::muVar);
    }

    double[] panelLo() {
      return accepted.stream().mapToDouble(Panel::a).toArray();
    }

    double[] panelWidth() {
      return accepted.stream().mapToDouble(p -> p.b() - p.a()).toArray();
    }
  }

  /** One panel's nodes and values, and its 8-point mass in exp(l - offset) units. */
  private record Panel(double a, double b, double[] u, double[] logWeight, double[] muHat, double[] muVar, double mass) {}

  /**
   * log p(tau_i | y) + log dtau/du at the midpoints of n cells on [lo, hi] in u (plus log h);
   * fills mu^ and V_mu per node when asked.
   */
  private static double[] logPosterior(
      double[] y, double[] v, TauPrior prior, double[] muPrior, double c, double[] us, double[] muHat, double[] muVar) {
    int n = us.length;
    double[] out = new double[n];
    // The weights w_j of one point, kept for the quadratic form (one division per segment, not two).
    double[] ws = new double[y.length];
    for (int i = 0; i < n; i++) {
      double u = us[i];
      double tau = c * u / (1 - u);
      double t2 = tau * tau;
      double sw = 0;
      double swy = 0;
      // sum_j log w_j as the log of a product of the factors' mantissas (in [1, 2), so 64 of them
      // stay below 2^64) with their binary exponents summed apart (exact bit operations): one log
      // per grid point instead of one per segment, no overflow.
      double prod = 1;
      long exponent = 0;
      for (int j = 0; j < y.length; j++) {
        double w = 1 / (v[j] + t2);
        ws[j] = w;
        sw += w;
        swy += w * y[j];
        // w's binary exponent and its mantissa in [1, 2) straight from the bits (w > 0); a
        // subnormal w (exponent field 0) goes through the general path.
        long bits = Double.doubleToRawLongBits(w);
        int ex = (int) (bits >>> 52) - 1023;
        if (ex > -1023) {
          exponent += ex;
          prod *= Double.longBitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        } else {
          ex = Math.getExponent(w);
          exponent += ex;
          prod *= w * powerOfTwo(-ex);
        }
        if ((j & 63) == 63) {
          int pe = Math.getExponent(prod);
          exponent += pe;
          prod *= powerOfTwo(-pe);
        }
      }
      if (muPrior != null) {
        double p0 = 1 / (muPrior[1] * muPrior[1]);
        sw += p0;
        swy += p0 * muPrior[0];
      }
      double vmu = 1 / sw;
      double mu = swy * vmu;
      double q = 0;
      for (int j = 0; j < y.length; j++) {
        double d = y[j] - mu;
        q += d * d * ws[j];
      }
      if (muPrior != null) {
        double d = mu - muPrior[0];
        q += d * d / (muPrior[1] * muPrior[1]);
      }
      // ½ log V_mu + ½ sum log w_j + log dtau/du (dtau/du = c / (1 - u)²) as one log of a product:
      // prod < 2^64 and the other factors are the data's scales, so it stays in range; separate
      // logs where it does not.
      double dtau = c / ((1 - u) * (1 - u));
      double folded = prod * vmu * dtau * dtau;
      double logs =
          folded > Double.MIN_NORMAL && folded < Double.MAX_VALUE
              ? 0.5 * (Math.log(folded) + exponent * LN2)
              : 0.5 * (Math.log(prod) + exponent * LN2 + Math.log(vmu)) + Math.log(c) - 2 * Math.log1p(-u);
      out[i] = prior.logDensity(tau) + logs - 0.5 * q;
      if (muHat != null) {
        muHat[i] = mu;
        muVar[i] = vmu;
      }
    }
    return out;
  }

  /** Turns log weights into normalised weights in place; returns the cumulative sums. */
  private static double[] normalise(double[] logw) {
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
}
