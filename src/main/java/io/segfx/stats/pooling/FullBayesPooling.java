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
 * a second pass of {@link #FINE} midpoints on that interval carries the posterior. Everything
 * downstream (mu, each theta_j, any weighted sum of them) is then an exact normal mixture over the
 * grid: no Markov chain, no draws.
 */
public final class FullBayesPooling {
  /** Midpoints of the first, locating pass. */
  public static final int COARSE = 400;

  /** Midpoints of the grid that carries the posterior. */
  public static final int FINE = 200;

  private static final double TAIL = 1e-12;

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
    double[] muHat = new double[FINE];
    double[] muVar = new double[FINE];
    double[] fine = logPosterior(y, v, tauPrior, muPrior, c, lo, hi, FINE, muHat, muVar);
    double[] tau = new double[FINE];
    double hh = (hi - lo) / FINE;
    for (int i = 0; i < FINE; i++) {
      double u = lo + (i + 0.5) * hh;
      tau[i] = c * u / (1 - u);
    }
    double[] weight = fine.clone();
    normalise(weight);
    return new HierarchicalPosterior(y.clone(), v, tau, weight, muHat, muVar, c, lo, hi);
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
      double logw = 0;
      for (int j = 0; j < y.length; j++) {
        double w = 1 / (v[j] + t2);
        sw += w;
        swy += w * y[j];
        logw += Math.log(w);
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

  /** The mixture of mu | y. */
  static NormalMixture mu(HierarchicalPosterior p) {
    double[] sd = new double[p.tau().length];
    for (int i = 0; i < sd.length; i++) {
      sd[i] = Math.sqrt(p.muVar()[i]);
    }
    return new NormalMixture(p.weight(), p.muHat(), sd);
  }
}
