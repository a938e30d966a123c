package io.segfx.stats.pooling;


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
 * a second pass of {@link #FINE} midpoints on that interval carries the posterior (tau's mean and
 * quantiles are read from it), and a {@link #NODES}-node Gauss rule of that grid measure carries
 * everything downstream: mu, each theta_j and any weighted sum of them are normal mixtures over
 * the nodes. No Markov chain, no draws.
 */
public final class FullBayesPooling {
  /** Midpoints of the first, locating pass. */
  public static final int COARSE = 100;

  /** Midpoints of the grid that carries the posterior. */
  public static final int FINE = 200;

  /** Nodes of the Gauss rule that replaces the grid in the mixtures. */
  public static final int NODES = 24;

  private static final double TAIL = 1e-12;

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
    double[] v = PoolingInputs.variances(y, se, tauPrior.improper() ? 3 : 1);
    double c = 0;
    for (double x : v) {
      c += x;
    }
    c = Math.sqrt(c / v.length);
    double[] coarse = logPosterior(y, v, tauPrior, muPrior, c, 0, 1, COARSE, null, null);
    double[] cum = normalise(coarse);
    int first = 0;
    while (first < COARSE - 1 && cum[first] < TAIL) {
      first++;
    }
    int last = COARSE - 1;
    while (last > 0 && cum[last - 1] > 1 - TAIL) {
      last--;
    }
    double h = 1.0 / COARSE;
    double lo = Math.max(0, (first - 1) * h);
    double hi = Math.min(1, (last + 2) * h);
    double[] muHatFine = new double[FINE];
    double[] muVarFine = new double[FINE];
    double[] weight = logPosterior(y, v, tauPrior, muPrior, c, lo, hi, FINE, muHatFine, muVarFine);
    normalise(weight);
    double hh = (hi - lo) / FINE;
    double[] u = new double[FINE];
    double[] tau = new double[FINE];
    double tauMean = 0;
    for (int i = 0; i < FINE; i++) {
      u[i] = lo + (i + 0.5) * hh;
      tau[i] = c * u[i] / (1 - u[i]);
      tauMean += weight[i] * tau[i];
    }
    double tauQ025 = tauQuantile(weight, lo, hh, c, 0.025);
    double tauQ975 = tauQuantile(weight, lo, hh, c, 0.975);
    // mu's mean and sd from the grid itself, not from the Gauss rule below: V_mu(tau) grows like
    // tau²/J, a pole at u = 1 that no polynomial in u follows, so the rule's second moment of mu
    // can be off by up to a percent when few segments leave tau's tail heavy (J = 3 to 5, in random
    // groups), while the grid's midpoint sums hold to O(h²).
    double muMean = 0;
    for (int i = 0; i < FINE; i++) {
      muMean += weight[i] * muHatFine[i];
    }
    double muSecond = 0;
    for (int i = 0; i < FINE; i++) {
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
    if (!compress) {
      return new HierarchicalPosterior(y.clone(), v, tau, weight, muHatFine, muVarFine, tauMean, tauQ025, tauQ975, muMean, muSd);
    }
    // Gauss quadrature of the grid measure in u (Golub & Welsch 1969; Gautschi 2004, Orthogonal
    // Polynomials, section 2.2.3, Lanczos): NODES nodes integrate every polynomial of degree
    // < 2·NODES in u exactly against the 200-point grid, and the posterior quantities are smooth
    // in u on [lo, hi], so the mixtures keep their accuracy with a tenth of the components.
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
    return new HierarchicalPosterior(y.clone(), v, qTau, rule[1], qMu, qVar, tauMean, tauQ025, tauQ975, muMean, muSd);
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

  /** The p-quantile of tau from grid weights, the density constant in u within each cell. */
  private static double tauQuantile(double[] weight, double lo, double h, double c, double p) {
    double acc = 0;
    for (int i = 0; i < weight.length; i++) {
      if (acc + weight[i] >= p) {
        double u = lo + h * (i + (p - acc) / weight[i]);
        return c * u / (1 - u);
      }
      acc += weight[i];
    }
    double u = lo + h * weight.length;
    return c * u / (1 - u);
  }

  /**
   * The n-node Gauss rule of the discrete measure sum_i w_i delta(x_i) (weights summing to 1):
   * {nodes, weights}; fewer nodes when the measure has fewer points of support.
   *
   * <p>The Jacobi matrix comes from the Lanczos three-term recurrence on diag(x) started at
   * sqrt(w) (Gautschi 2004, section 2.2.3). On our grids (200 smooth, dense points, at most 24 steps)
   * no Ritz value converges, so the Lanczos vectors stay orthogonal to about 1e-14 without
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
      } else {
        double[] prev = k > 0 ? q[k - 1] : null;
        double bPrev = k > 0 ? beta[k - 1] : 0;
        for (int i = 0; i < len; i++) {
          z[i] -= a * qk[i] + (prev == null ? 0 : bPrev * prev[i]);
        }
      }
      double b = 0;
      for (double zi : z) {
        b += zi * zi;
      }
      b = Math.sqrt(b);
      if (k == n - 1 || b < 1e-13) {
        break;
      }
      beta[k] = b;
      q[k + 1] = new double[len];
      for (int i = 0; i < len; i++) {
        q[k + 1][i] = z[i] / b;
      }
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
   * log p(tau_i | y) + log dtau/du at the midpoints of n cells on [lo, hi] in u (plus log h);
   * fills mu^ and V_mu per node when asked.
   */
  private static double[] logPosterior(
      double[] y, double[] v, TauPrior prior, double[] muPrior, double c, double lo, double hi, int n, double[] muHat, double[] muVar) {
    double[] out = new double[n];
    double h = (hi - lo) / n;
    for (int i = 0; i < n; i++) {
      double u = lo + (i + 0.5) * h;
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
        sw += w;
        swy += w * y[j];
        int ex = Math.getExponent(w);
        exponent += ex;
        prod *= w * powerOfTwo(-ex);
        if ((j & 63) == 63) {
          int pe = Math.getExponent(prod);
          exponent += pe;
          prod *= powerOfTwo(-pe);
        }
      }
      double logw = Math.log(prod) + exponent * LN2;
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
        q += d * d / (v[j] + t2);
      }
      if (muPrior != null) {
        double d = mu - muPrior[0];
        q += d * d / (muPrior[1] * muPrior[1]);
      }
      double jacobian = Math.log(c) - 2 * Math.log1p(-u);
      out[i] = prior.logDensity(tau) + 0.5 * Math.log(vmu) + 0.5 * logw - 0.5 * q + jacobian;
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
