package io.segfx.stats;

import io.segfx.util.Checks;
import java.util.Arrays;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.special.Gamma;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Spike-and-slab regression of the counterfactual on many candidate controls (Brodersen et al.
 * 2015, Ann. Appl. Stat. 9:247, section 2.2; George &amp; McCulloch 1997): each candidate column j
 * is in the model when gamma_j = 1, with
 *
 * <pre>
 *   gamma_j ~ Bernoulli(pi),   pi = min(1, expected size / candidates)
 *   beta_gamma | sigma², gamma ~ N(0, sigma² Omega_gamma^-1),   sigma² ~ IG(a0, b0)
 *   y | beta, sigma², gamma ~ N(X_gamma beta_gamma, sigma² I)
 * </pre>
 *
 * The forced columns (intercept, trend, seasons) are always in, with the regression's own slab
 * precision 1/v0. The slab of candidate j has precision Omega_jj = kappa s_j², s_j² the pre-period
 * variance of the column (divisor n) and kappa = {@value #KAPPA}: bsts's {@code SpikeSlabPrior}
 * with its default prior information weight of 0.01 observations, on the diagonal of X'X/n (the
 * diagonal of Zellner's g-prior, g = n/kappa). It makes inclusion invariant to a control's units: a
 * one-sd move of a control shifts the outcome by about 10 noise sd a priori, a weak slab. Including
 * a column costs about ½ log(1 + n/kappa) nats of marginal likelihood (4.6 at n = 100), which is
 * what keeps a candidate without signal out; a slab on raw units (the regression's v0) would make
 * inclusion depend on the units, through Lindley's paradox.
 *
 * <p>With beta and sigma² integrated out, the marginal likelihood of a model is closed form (Murphy
 * 2007, section 7.6.3; Gelman et al., BDA3 section 14.8):
 *
 * <pre>
 *   A = X_g'X_g + Omega_g,   beta_n = A^-1 X_g'y,   a_n = a0 + n/2,   b_n = b0 + (y'y − beta_n' X_g'y)/2
 *   log p(y | gamma) = −n/2 log 2 pi + ½ log|Omega_g| − ½ log|A| + a0 log b0 − a_n log b_n
 *                      + log Gamma(a_n) − log Gamma(a0)
 * </pre>
 *
 * The sampler is collapsed Gibbs (Smith &amp; Kohn 1996; George &amp; McCulloch 1997): each sweep
 * visits the candidates in order and draws gamma_j from its exact conditional
 *
 * <pre>
 *   P(gamma_j = 1 | gamma_-j, y) = 1 / (1 + exp(log p(y | gamma_j=0) − log p(y | gamma_j=1) − logit pi))
 * </pre>
 *
 * starting from the model with no candidate. After {@code burn} sweeps each of {@code draws} kept
 * sweeps adds (Rao–Blackwellised) the conditional inclusion probabilities and the model's exact
 * coefficient moments, and draws (sigma², beta) from the model's posterior and one counterfactual
 * path: the counterfactual is the model-averaged posterior predictive, a mixture over the sampled
 * models. Everything comes from the one stream passed in, so a series' output is deterministic.
 */
public final class SpikeSlab {
  private SpikeSlab() {}

  /** bsts's default prior information weight, in observations. */
  public static final double KAPPA = 0.01;

  /**
   * The prior.
   *
   * @param v0 slab variance scale of the forced columns, as the regression's
   * @param a0 inverse-gamma shape of sigma²
   * @param b0 inverse-gamma scale of sigma²
   * @param expectedSize prior expected number of candidates in the model, &gt; 0
   */
  public record Prior(double v0, double a0, double b0, double expectedSize) {
    public Prior {
      Checks.positive("v0", v0);
      Checks.positive("a0", a0);
      Checks.positive("b0", b0);
      Checks.positive("expected size", expectedSize);
    }
  }

  /**
   * The sampler's output: per column (forced columns too), the posterior inclusion probability (1
   * for forced columns) and the model-averaged coefficient mean and sd (a column out of the model
   * contributes a coefficient of 0); and the counterfactual draws × rows.
   */
  public record Fit(
      double[] inclusion, double[] coefMean, double[] coefSd, double[][] counterfactual) {}

  /**
   * Samples the posterior over models from the first {@code nPre} rows and draws the counterfactual
   * of every row.
   *
   * @param x design rows, pre-period rows first
   * @param y outcomes (rows from nPre on are not read)
   * @param candidate true for the columns the prior may drop
   * @throws IllegalArgumentException if burn &lt; 0 or draws &lt; 1
   */
  public static Fit sample(
      double[][] x,
      double[] y,
      int nPre,
      boolean[] candidate,
      Prior prior,
      int burn,
      int draws,
      UniformRandomProvider rng) {
    return sample(x, y, nPre, candidate, prior, burn, draws, rng, true);
  }

  /**
   * {@link #sample}'s inclusion probabilities and coefficient moments without the counterfactual
   * paths ({@link Fit#counterfactual} is empty): enough for the model-averaged posterior mean
   * x'E[beta], which is the mean of the model-averaged predictive, at a fraction of the cost.
   *
   * @throws IllegalArgumentException if burn &lt; 0 or draws &lt; 1
   */
  public static Fit coefficients(
      double[][] xPre,
      double[] yPre,
      boolean[] candidate,
      Prior prior,
      int burn,
      int draws,
      UniformRandomProvider rng) {
    return sample(xPre, yPre, xPre.length, candidate, prior, burn, draws, rng, false);
  }

  /**
   * The model size below which the prior puts at least 99% of its mass: the 0.99 quantile of
   * Binomial(candidates, pi), pi = min(1, expected size / candidates), the prior's distribution of
   * the number of candidates in the model. The data must identify every model of up to this size,
   * so a pre-period needs that many points for the controls (plus the forced columns and 3 residual
   * degrees of freedom, as the full regression does); larger models, which the prior makes rare,
   * stay proper through the slab's precision.
   *
   * @throws IllegalArgumentException if candidates &lt; 0 or expected size &lt;= 0
   */
  public static int modelSizeBound(int candidates, double expectedSize) {
    Checks.atLeast("candidates", candidates, 0);
    Checks.positive("expected size", expectedSize);
    if (candidates == 0) {
      return 0;
    }
    double pi = Math.min(1, expectedSize / candidates);
    return pi >= 1
        ? candidates
        : new BinomialDistribution(null, candidates, pi).inverseCumulativeProbability(0.99);
  }

  private static Fit sample(
      double[][] x,
      double[] y,
      int nPre,
      boolean[] candidate,
      Prior prior,
      int burn,
      int draws,
      UniformRandomProvider rng,
      boolean paths) {
    Checks.atLeast("burn", burn, 0);
    Checks.atLeast("draws", draws, 1);
    int p = candidate.length;
    double[][] xPre = Arrays.copyOf(x, nPre);
    double[] yPre = Arrays.copyOf(y, nPre);
    Gram g = Gram.of(xPre, yPre, priorPrecision(xPre, candidate, prior.v0()), prior.a0());
    int k = 0;
    for (boolean c : candidate) {
      k += c ? 1 : 0;
    }
    double pi = Math.min(1, prior.expectedSize() / Math.max(1, k));
    double logOdds = pi >= 1 ? Double.POSITIVE_INFINITY : Math.log(pi / (1 - pi));
    boolean[] in = new boolean[p];
    for (int j = 0; j < p; j++) {
      in[j] = !candidate[j];
    }
    Model current = g.model(in, prior.b0());
    double[] inc = new double[p];
    double[] m1 = new double[p];
    double[] m2 = new double[p];
    double[] var = new double[p];
    double[][] cf = new double[paths ? draws : 0][x.length];
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] probs = new double[p];
    for (int it = 0; it < burn + draws; it++) {
      current = sweep(g, current, in, candidate, logOdds, prior.b0(), probs, rng);
      if (it >= burn) {
        int d = it - burn;
        current.moments(g.an, m1, m2, var, probs, inc);
        if (paths) {
          current.draw(x, g.an, rng, z, cf[d]);
        }
      }
    }
    double[] coefMean = new double[p];
    double[] coefSd = new double[p];
    for (int j = 0; j < p; j++) {
      inc[j] /= draws;
      coefMean[j] = m1[j] / draws;
      double between = Math.max(0, m2[j] / draws - coefMean[j] * coefMean[j]);
      coefSd[j] = Math.sqrt(var[j] / draws + between);
    }
    return new Fit(inc, coefMean, coefSd, cf);
  }

  /**
   * The indicator sweep as one step of another Gibbs sampler, whose target changes between steps:
   * the local-level model's, where the target is the outcome less the sampled level path. Each
   * {@link #step} sweeps the candidates in order, drawing gamma_j from its exact conditional given
   * the target (beta and sigma² integrated out, as in {@link #sample}), then draws (sigma², beta)
   * from the chosen model's posterior. Given a fixed target its draws are those of {@link
   * #sample}'s posterior over models.
   */
  public static final class Chain {
    private final double[][] xPre;
    private final boolean[] candidate;
    private final Prior prior;
    private final double[] omega;
    private final double logOdds;
    private final boolean[] in;
    private final double[] probs;

    /**
     * @param xPre the pre-period design rows
     * @param candidate true for the columns the prior may drop; the others are always in
     */
    public Chain(double[][] xPre, boolean[] candidate, Prior prior) {
      this.xPre = xPre;
      this.candidate = candidate.clone();
      this.prior = prior;
      this.omega = priorPrecision(xPre, candidate, prior.v0());
      int k = 0;
      for (boolean c : candidate) {
        k += c ? 1 : 0;
      }
      double pi = Math.min(1, prior.expectedSize() / Math.max(1, k));
      this.logOdds = pi >= 1 ? Double.POSITIVE_INFINITY : Math.log(pi / (1 - pi));
      this.in = new boolean[candidate.length];
      for (int j = 0; j < in.length; j++) {
        in[j] = !candidate[j];
      }
      this.probs = new double[candidate.length];
    }

    /**
     * One sweep given the target {@code y} (one value per pre-period row), then one draw of the
     * coefficients into {@code beta} (0 for a column out of the model).
     *
     * @return the drawn sigma²
     */
    public double step(
        double[] y,
        UniformRandomProvider rng,
        ZigguratSampler.NormalizedGaussian z,
        double[] beta) {
      Gram g = Gram.of(xPre, y, omega, prior.a0());
      Model current =
          sweep(g, g.model(in, prior.b0()), in, candidate, logOdds, prior.b0(), probs, rng);
      return current.drawCoefficients(g.an, rng, z, beta);
    }

    /** The conditional inclusion probability of every column in the last sweep (1 if forced). */
    public double probability(int j) {
      return probs[j];
    }
  }

  /**
   * One sweep of the collapsed Gibbs sampler: visits the candidates in order, draws each gamma_j
   * from its exact conditional given the others (one uniform per candidate), updating {@code in}
   * and {@code probs} (1 for forced columns); returns the model the sweep ends in.
   */
  private static Model sweep(
      Gram g,
      Model current,
      boolean[] in,
      boolean[] candidate,
      double logOdds,
      double b0,
      double[] probs,
      UniformRandomProvider rng) {
    for (int j = 0; j < in.length; j++) {
      if (!candidate[j]) {
        probs[j] = 1;
        continue;
      }
      in[j] = !in[j];
      Model flipped = g.model(in, b0);
      in[j] = !in[j];
      Model with = in[j] ? current : flipped;
      Model without = in[j] ? flipped : current;
      double p1 = conditional(with.logMarginal, without.logMarginal, logOdds, g.omega[j]);
      probs[j] = p1;
      boolean include = rng.nextDouble() < p1;
      if (include != in[j]) {
        in[j] = include;
        current = flipped;
      }
    }
    return current;
  }

  /** P(gamma_j = 1 | rest): 0 for a column constant over the pre-period (s_j² = 0). */
  private static double conditional(double with, double without, double logOdds, double omega) {
    if (!(omega > 0) || with == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    if (logOdds == Double.POSITIVE_INFINITY) {
      return 1;
    }
    return 1 / (1 + Math.exp(without - with - logOdds));
  }

  /**
   * The slab precisions: 1/v0 for forced columns, kappa s_j² (s_j² the pre-period variance, divisor
   * n) for candidates.
   */
  public static double[] priorPrecision(double[][] xPre, boolean[] candidate, double v0) {
    int n = xPre.length;
    double[] omega = new double[candidate.length];
    for (int j = 0; j < omega.length; j++) {
      if (!candidate[j]) {
        omega[j] = 1 / v0;
        continue;
      }
      double mean = 0;
      for (double[] r : xPre) {
        mean += r[j];
      }
      mean /= n;
      double ss = 0;
      for (double[] r : xPre) {
        ss += (r[j] - mean) * (r[j] - mean);
      }
      omega[j] = KAPPA * ss / n;
    }
    return omega;
  }

  /**
   * log p(y | gamma) of the class comment, constants included: −infinity when A is not positive
   * definite.
   *
   * @param omega slab precision of every column ({@link #priorPrecision})
   */
  public static double logMarginal(
      double[][] xPre, double[] yPre, boolean[] in, double[] omega, double a0, double b0) {
    Gram g = Gram.of(xPre, yPre, omega, a0);
    return g.model(in, b0).logMarginal + g.constant(b0);
  }

  /** X'X, X'y, y'y of the pre-period, and a_n. */
  private record Gram(double[][] xtx, double[] xty, double yty, int n, double[] omega, double an) {
    static Gram of(double[][] x, double[] y, double[] omega, double a0) {
      int p = omega.length;
      double[][] xtx = new double[p][p];
      double[] xty = new double[p];
      double yty = 0;
      for (int t = 0; t < y.length; t++) {
        for (int i = 0; i < p; i++) {
          xty[i] += x[t][i] * y[t];
          for (int j = i; j < p; j++) {
            xtx[i][j] += x[t][i] * x[t][j];
          }
        }
        yty += y[t] * y[t];
      }
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < i; j++) {
          xtx[i][j] = xtx[j][i];
        }
      }
      return new Gram(xtx, xty, yty, y.length, omega, a0 + y.length / 2.0);
    }

    /** The terms of log p(y | gamma) that do not depend on gamma. */
    double constant(double b0) {
      double a0 = an - n / 2.0;
      return -n / 2.0 * Math.log(2 * Math.PI)
          + a0 * Math.log(b0)
          + Gamma.logGamma(an)
          - Gamma.logGamma(a0);
    }

    /** The model with the columns {@code in}: its posterior and log marginal up to constants. */
    Model model(boolean[] in, double b0) {
      int m = 0;
      for (boolean b : in) {
        m += b ? 1 : 0;
      }
      int[] cols = new int[m];
      m = 0;
      for (int j = 0; j < in.length; j++) {
        if (in[j]) {
          cols[m++] = j;
        }
      }
      double[][] l = new double[m][m];
      double logOmega = 0;
      for (int a = 0; a < m; a++) {
        for (int b = 0; b <= a; b++) {
          l[a][b] = xtx[cols[a]][cols[b]];
        }
        l[a][a] += omega[cols[a]];
        logOmega += Math.log(omega[cols[a]]);
      }
      if (!cholesky(l)) {
        return new Model(cols, l, new double[m], Double.NaN, Double.NEGATIVE_INFINITY);
      }
      double[] rhs = new double[m];
      for (int a = 0; a < m; a++) {
        rhs[a] = xty[cols[a]];
      }
      double[] beta = backward(l, forward(l, rhs));
      double fit = 0;
      double logDet = 0;
      for (int a = 0; a < m; a++) {
        fit += beta[a] * rhs[a];
        logDet += 2 * Math.log(l[a][a]);
      }
      double bn = b0 + 0.5 * Math.max(0, yty - fit);
      double lm = 0.5 * logOmega - 0.5 * logDet - an * Math.log(bn);
      return new Model(cols, l, beta, bn, lm);
    }
  }

  /**
   * One model's posterior: its columns, the Cholesky factor L of A, beta_n, b_n and log p(y |
   * gamma) up to the constants.
   */
  private record Model(int[] cols, double[][] l, double[] beta, double bn, double logMarginal) {

    /**
     * Adds this model's coefficient moments and the sweep's inclusion probabilities: E[beta_j],
     * E[beta_j]², Var(beta_j) = b_n/(a_n − 1) [A^-1]_jj.
     */
    void moments(double an, double[] m1, double[] m2, double[] var, double[] probs, double[] inc) {
      int m = cols.length;
      for (int j = 0; j < probs.length; j++) {
        inc[j] += probs[j];
      }
      for (int a = 0; a < m; a++) {
        // [A^-1]_aa = |L^-1 e_a|², from one forward solve.
        double[] e = new double[m];
        e[a] = 1;
        double[] u = forward(l, e);
        double d = 0;
        for (int c = a; c < m; c++) {
          d += u[c] * u[c];
        }
        int j = cols[a];
        m1[j] += beta[a];
        m2[j] += beta[a] * beta[a];
        var[j] += bn / (an - 1) * d;
      }
    }

    /**
     * One draw of (sigma², beta) from this model's posterior: beta into {@code out} by column (0
     * for columns out of the model); returns sigma².
     */
    double drawCoefficients(
        double an, UniformRandomProvider rng, ZigguratSampler.NormalizedGaussian z, double[] out) {
      int m = cols.length;
      double s2 = bn / AhrensDieterMarsagliaTsangGammaSampler.of(rng, an, 1).sample();
      double s = Math.sqrt(s2);
      double[] e = new double[m];
      for (int a = 0; a < m; a++) {
        e[a] = z.sample();
      }
      double[] b = backward(l, e);
      java.util.Arrays.fill(out, 0);
      for (int a = 0; a < m; a++) {
        out[cols[a]] = beta[a] + s * b[a];
      }
      return s2;
    }

    /** One draw of (sigma², beta) and of every row's counterfactual into row. */
    void draw(
        double[][] x,
        double an,
        UniformRandomProvider rng,
        ZigguratSampler.NormalizedGaussian z,
        double[] row) {
      int m = cols.length;
      double s2 = bn / AhrensDieterMarsagliaTsangGammaSampler.of(rng, an, 1).sample();
      double s = Math.sqrt(s2);
      double[] e = new double[m];
      for (int a = 0; a < m; a++) {
        e[a] = z.sample();
      }
      // beta = beta_n + sigma L'^-1 e has covariance sigma² A^-1.
      double[] b = backward(l, e);
      for (int a = 0; a < m; a++) {
        b[a] = beta[a] + s * b[a];
      }
      for (int t = 0; t < x.length; t++) {
        double v = 0;
        for (int a = 0; a < m; a++) {
          v += x[t][cols[a]] * b[a];
        }
        row[t] = v + s * z.sample();
      }
    }
  }

  /** In-place lower Cholesky factor of the lower triangle of a; false if not positive definite. */
  private static boolean cholesky(double[][] a) {
    int m = a.length;
    for (int j = 0; j < m; j++) {
      double d = a[j][j];
      for (int k = 0; k < j; k++) {
        d -= a[j][k] * a[j][k];
      }
      if (!(d > 0)) {
        return false;
      }
      double ljj = Math.sqrt(d);
      a[j][j] = ljj;
      for (int i = j + 1; i < m; i++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= a[i][k] * a[j][k];
        }
        a[i][j] = s / ljj;
      }
      for (int i = 0; i < j; i++) {
        a[i][j] = 0;
      }
    }
    return true;
  }

  /** Solves L u = b. */
  private static double[] forward(double[][] l, double[] b) {
    int m = b.length;
    double[] u = new double[m];
    for (int i = 0; i < m; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i][k] * u[k];
      }
      u[i] = s / l[i][i];
    }
    return u;
  }

  /** Solves L' v = u. */
  private static double[] backward(double[][] l, double[] u) {
    int m = u.length;
    double[] v = new double[m];
    for (int i = m - 1; i >= 0; i--) {
      double s = u[i];
      for (int k = i + 1; k < m; k++) {
        s -= l[k][i] * v[k];
      }
      v[i] = s / l[i][i];
    }
    return v;
  }
}
