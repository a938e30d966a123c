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
 * standard error, so even the heavy tau^{1-J} tail of the uniform prior is integrated; {@link
 * AdaptivePanels} locates the u-interval that holds all but 1e-12 of the mass and covers it with
 * 8-point Gauss–Legendre panels, halved until each carries its mass to 1e-10 of the whole. The
 * panels carry the posterior (tau's mean and quantiles, mu's mean and sd are read from them;
 * typically 32 to 160 points); a {@link #NODES}-node {@link GaussRule} of that grid measure carries
 * everything downstream: mu, each theta_j and any weighted sum of them are normal mixtures over the
 * nodes. No Markov chain, no draws.
 */
public final class FullBayesPooling {
  /** Nodes of the Gauss rule that replaces the grid in the mixtures. */
  public static final int NODES = 24;

  /** Equal panels of the grid that carries mu's quantiles where sd(mu) does not exist. */
  static final int HEAVY_TAIL_PANELS = 32;

  private FullBayesPooling() {}

  /**
   * Fits the model.
   *
   * @param y segment estimates
   * @param se their standard errors (> 0)
   * @param tauPrior the prior of tau
   * @param muPrior {m0, s0} of a normal prior on mu, or null for the flat prior
   * @throws IllegalArgumentException as {@link PoolingInputs#variances} for invalid inputs, or with
   *     fewer than 3 segments under the improper uniform prior of tau
   */
  public static HierarchicalPosterior fit(
      double[] y, double[] se, TauPrior tauPrior, double[] muPrior) {
    return fit(y, se, tauPrior, muPrior, true);
  }

  /**
   * {@link #fit}, with the grid itself as the mixture when {@code compress} is false (for tests).
   */
  static HierarchicalPosterior fit(
      double[] y, double[] se, TauPrior tauPrior, double[] muPrior, boolean compress) {
    return fit(y, se, tauPrior, muPrior, compress, 0);
  }

  /**
   * {@link #fit}; {@code panels > 0} replaces the adaptive grid by that many equal panels (a
   * reference for tests: 512 of them agree with 1024 to about 1e-10).
   */
  static HierarchicalPosterior fit(
      double[] y, double[] se, TauPrior tauPrior, double[] muPrior, boolean compress, int panels) {
    double[] v = PoolingInputs.variances(y, se, tauPrior.improper() ? 3 : 1);
    double sumV = 0;
    for (double x : v) {
      sumV += x;
    }
    double c = Math.sqrt(sumV / v.length);
    AdaptivePanels grid =
        AdaptivePanels.locate(
            (us, muHat, muVar) -> logPosterior(y, v, tauPrior, muPrior, c, us, muHat, muVar));
    if (panels > 0) {
      grid.equal(panels);
    } else {
      grid.build(tauPrior.improper() ? Double.NaN : tauPrior.scale() / (c + tauPrior.scale()));
    }
    double[] u = grid.u();
    double[] muHatFine = grid.first();
    double[] muVarFine = grid.second();
    double[] weight = grid.logWeight();
    AdaptivePanels.normalise(weight);
    double[] tau = new double[u.length];
    double tauMean = 0;
    for (int i = 0; i < u.length; i++) {
      tau[i] = tauOf(c, u[i]);
      tauMean += weight[i] * tau[i];
    }
    double tauQ025 = tauOf(c, grid.quantile(weight, 0.025));
    double tauQ975 = tauOf(c, grid.quantile(weight, 0.975));
    // mu's mean and sd from the grid itself, not from the Gauss rule below: V_mu(tau) grows like
    // tau²/J, a pole at u = 1 that no polynomial in u follows, so the rule's second moment of mu
    // can be off by up to a percent when few segments leave tau's tail heavy (J = 3 to 5, in random
    // groups), while the grid's sums agree with a 4096-point grid to 1e-9.
    double[] muMoments = meanAndSd(weight, muHatFine, muVarFine);
    double muSd = muMoments[1];
    int tail = tailExponent(y.length, tauPrior, muPrior);
    if (tail <= 2) {
      tauMean = Double.POSITIVE_INFINITY;
    }
    if (tail <= 3 && muPrior == null) {
      muSd = Double.POSITIVE_INFINITY;
    }
    // Where sd(mu) does not exist, mu's quantiles come from equal panels (see HEAVY_TAIL_PANELS).
    NormalMixture heavyMu =
        panels == 0 && Double.isInfinite(muSd)
            ? fit(y, se, tauPrior, muPrior, false, HEAVY_TAIL_PANELS).mu()
            : null;
    Summary s = new Summary(tauMean, tauQ025, tauQ975, muMoments[0], muSd, heavyMu);
    if (!compress) {
      return posterior(y, v, tau, weight, muHatFine, muVarFine, s);
    }
    return compressed(y, v, muPrior, c, u, weight, grid.lo(), grid.hi(), s);
  }

  /**
   * The posterior over the {@link #NODES}-node Gauss rule of the grid measure in u on [lo, hi]: it
   * integrates every polynomial of degree < 2·NODES in u exactly against the grid (typically 64 to
   * 160 points), and the posterior quantities of theta are smooth in u on [lo, hi], so the mixtures
   * keep their accuracy with a fraction of the components (mu's moments and, for heavy tails,
   * quantiles are read from the grid apart).
   */
  private static HierarchicalPosterior compressed(
      double[] y,
      double[] v,
      double[] muPrior,
      double c,
      double[] u,
      double[] weight,
      double lo,
      double hi,
      Summary s) {
    double[][] rule = GaussRule.pruned(GaussRule.of(u, weight, lo, hi, NODES));
    int m = rule[0].length;
    double[] qTau = new double[m];
    double[] qMu = new double[m];
    double[] qVar = new double[m];
    for (int k = 0; k < m; k++) {
      qTau[k] = tauOf(c, rule[0][k]);
      double[] cond = conditional(y, v, muPrior, qTau[k]);
      qMu[k] = cond[0];
      qVar[k] = cond[1];
    }
    return posterior(y, v, qTau, rule[1], qMu, qVar, s);
  }

  /** tau = c·u/(1-u), the map of the grid. */
  private static double tauOf(double c, double u) {
    return c * u / (1 - u);
  }

  /** The summaries read from the fine grid; {@code heavyMu} is mu | y where sd(mu) is infinite. */
  private record Summary(
      double tauMean,
      double tauQ025,
      double tauQ975,
      double muMean,
      double muSd,
      NormalMixture heavyMu) {}

  /** E[mu | y] and sd(mu | y) = sqrt(E[V_mu] + Var(mu^)) from the grid: {mean, sd}. */
  private static double[] meanAndSd(double[] weight, double[] muHat, double[] muVar) {
    double muMean = 0;
    for (int i = 0; i < weight.length; i++) {
      muMean += weight[i] * muHat[i];
    }
    double muSecond = 0;
    for (int i = 0; i < weight.length; i++) {
      double d = muHat[i] - muMean;
      muSecond += weight[i] * (muVar[i] + d * d);
    }
    return new double[] {muMean, Math.sqrt(muSecond)};
  }

  /**
   * The posterior over the given nodes, with mu's 2.5% and 97.5% points read from its own mixture
   * of mu, or from {@code heavyMu} where sd(mu) is infinite (tau's tail ~ tau^-a, a <= 3, flat mu).
   * There the far tau tail, flat in u up to u = 1, carries much of mu's far quantiles through
   * Phi((x - mu^)/sqrt(V_mu)), which varies on a scale in u far finer than the mass the adaptive
   * grid refines on (the adaptive grid misses by 3.3e-3 of mu's 95% width with 3 segments); {@link
   * #HEAVY_TAIL_PANELS} equal panels (256 points) agree with 2048 panels to 1.2e-10 of that width
   * on those groups.
   */
  private static HierarchicalPosterior posterior(
      double[] y,
      double[] v,
      double[] tau,
      double[] weight,
      double[] muHat,
      double[] muVar,
      Summary s) {
    NormalMixture mu =
        s.heavyMu() != null ? s.heavyMu() : HierarchicalPosterior.muMixture(weight, muHat, muVar);
    return new HierarchicalPosterior(
        y.clone(),
        v,
        tau,
        weight,
        muHat,
        muVar,
        s.tauMean(),
        s.tauQ025(),
        s.tauQ975(),
        s.muMean(),
        s.muSd(),
        mu.quantile(0.025),
        mu.quantile(0.975),
        true);
  }

  /**
   * The exponent a of p(tau | y) ∝ tau^-a as tau → ∞ (Integer.MAX_VALUE for the half-normal prior's
   * Gaussian tail). Each segment's likelihood factor (s_j² + tau²)^-½ gives tau^-J; with mu flat,
   * V_mu^½ ~ tau/√J gives tau back (BDA3 eq. 5.21); the half-Cauchy prior gives tau^-2. E[tau^k |
   * y] exists iff a - k > 1, so the posterior mean of tau needs a > 2 and, with mu flat, the
   * posterior variance of mu (which contains E[V_mu] ~ E[tau²]/J) needs a > 3: under the uniform
   * prior and a flat mu, J >= 4 for E[tau] and J >= 5 for sd(mu).
   */
  static int tailExponent(int segments, TauPrior tauPrior, double[] muPrior) {
    if (tauPrior.kind() == TauPrior.Kind.HALF_NORMAL) {
      return Integer.MAX_VALUE;
    }
    return segments
        - (muPrior == null ? 1 : 0)
        + (tauPrior.kind() == TauPrior.Kind.HALF_CAUCHY ? 2 : 0);
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
   * log p(tau(u_i) | y) + log dtau/du (BDA eq. 5.21) at each u_i, up to a constant; fills mu^ and
   * V_mu per node unless they are null. One pass over the segments per node, and one log per node
   * for sum_j log w_j ({@link LogProduct}): this loop is the fit's cost. It stays one method, the
   * fit's hot loop, whose operations in this order give the bits {@code FullBayesBitsTest} pins.
   */
  private static double[] logPosterior(
      double[] y,
      double[] v,
      TauPrior prior,
      double[] muPrior,
      double c,
      double[] us,
      double[] muHat,
      double[] muVar) {
    int n = us.length;
    double[] out = new double[n];
    // The weights w_j of one point, kept for the quadratic form (one division per segment, not
    // two).
    double[] ws = new double[y.length];
    LogProduct logW = new LogProduct();
    for (int i = 0; i < n; i++) {
      double u = us[i];
      double tau = c * u / (1 - u);
      double t2 = tau * tau;
      double sw = 0;
      double swy = 0;
      logW.reset();
      for (int j = 0; j < y.length; j++) {
        double w = 1 / (v[j] + t2);
        ws[j] = w;
        sw += w;
        swy += w * y[j];
        logW.multiply(w);
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
      // the mantissa is below 2^65 and the other factors are the data's scales, so it stays in
      // range; separate logs where it does not.
      double prod = logW.mantissa();
      long exponent = logW.exponent();
      double dtau = c / ((1 - u) * (1 - u));
      double folded = prod * vmu * dtau * dtau;
      double logs =
          folded > Double.MIN_NORMAL && folded < Double.MAX_VALUE
              ? 0.5 * (Math.log(folded) + exponent * LogProduct.LN2)
              : 0.5 * (Math.log(prod) + exponent * LogProduct.LN2 + Math.log(vmu))
                  + Math.log(c)
                  - 2 * Math.log1p(-u);
      out[i] = prior.logDensity(tau) + logs - 0.5 * q;
      if (muHat != null) {
        muHat[i] = mu;
        muVar[i] = vmu;
      }
    }
    return out;
  }
}
