package io.segfx.stats;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The local-level counterfactual model of Google's CausalImpact (Brodersen et al. 2015, Ann. Appl.
 * Stat. 9:247): on the standardised outcome,
 *
 * <pre>
 *   y_t = mu_t + x_t' beta + e_t,   e_t ~ N(0, s2e)          (x without intercept: mu carries the level)
 *   mu_{t+1} = mu_t + eta_t,        eta_t ~ N(0, s2eta)       (random walk)
 * </pre>
 *
 * with the regressors centred and scaled on the pre-period as CausalImpact does, fitted on the
 * pre-period by a Gibbs sampler: the level path by forward filtering, backward sampling (Carter
 * &amp; Kohn 1994; Frühwirth-Schnatter 1994) given (beta, s2e, s2eta); beta and s2e jointly from
 * their conjugate normal–inverse-gamma conditional given the level, with CausalImpact's prior on
 * s2e (expected R² 0.8 worth 50 observations); s2eta from its inverse-gamma conditional with
 * CausalImpact's prior (sd guess 0.01 of the outcome's sd, weight 32 observations). Each kept draw
 * then forecasts the post-period: the level continues its random walk, plus the regression and the
 * observation noise. Everything is drawn from one stream, so a series' draws are deterministic.
 */
public final class LocalLevelModel {
  private LocalLevelModel() {}

  /**
   * Kalman filter and Rauch–Tung–Striebel smoother of the local-level model for observations r:
   * {smoothed means, smoothed variances} of mu_1..n (Durbin &amp; Koopman 2012, sections 2.2–2.4).
   */
  public static double[][] smooth(double[] r, double s2e, double s2eta, double m0, double p0) {
    int n = r.length;
    double[] m = new double[n];
    double[] c = new double[n];
    filter(r, s2e, s2eta, m0, p0, m, c);
    double[] sm = new double[n];
    double[] sv = new double[n];
    sm[n - 1] = m[n - 1];
    sv[n - 1] = c[n - 1];
    for (int t = n - 2; t >= 0; t--) {
      double p = c[t] + s2eta;
      double j = c[t] / p;
      sm[t] = m[t] + j * (sm[t + 1] - m[t]);
      sv[t] = c[t] + j * j * (sv[t + 1] - p);
    }
    return new double[][] {sm, sv};
  }

  /** Filtered means m_t and variances c_t of mu_t given r_1..r_t. */
  static void filter(
      double[] r, double s2e, double s2eta, double m0, double p0, double[] m, double[] c) {
    double a = m0;
    double p = p0;
    for (int t = 0; t < r.length; t++) {
      double f = p + s2e;
      double k = p / f;
      m[t] = a + k * (r[t] - a);
      c[t] = p * (1 - k);
      a = m[t];
      p = c[t] + s2eta;
    }
  }

  /** One forward-filtering backward-sampling draw of mu_1..n into out. */
  public static void sample(
      double[] r,
      double s2e,
      double s2eta,
      double m0,
      double p0,
      ZigguratSampler.NormalizedGaussian z,
      double[] m,
      double[] c,
      double[] out) {
    int n = r.length;
    filter(r, s2e, s2eta, m0, p0, m, c);
    out[n - 1] = m[n - 1] + Math.sqrt(c[n - 1]) * z.sample();
    for (int t = n - 2; t >= 0; t--) {
      double p = c[t] + s2eta;
      double mean = m[t] + c[t] / p * (out[t + 1] - m[t]);
      double var = c[t] * s2eta / p;
      out[t] = mean + Math.sqrt(var) * z.sample();
    }
  }

  /**
   * Posterior predictive draws of the counterfactual at every row (pre rows: the fitted level plus
   * regression plus noise; post rows: the forecast), in the outcome's units: draws × rows.
   *
   * @param x regressors of all rows (no intercept column; may have zero columns)
   * @param y outcomes (post rows ignored)
   * @param nPre the first nPre rows are the pre-period
   */
  public static double[][] counterfactualDraws(
      double[][] x,
      double[] y,
      int nPre,
      int burn,
      int draws,
      double v0,
      UniformRandomProvider rng) {
    return draws(x, y, nPre, burn, draws, v0, rng).counterfactual();
  }

  /**
   * The counterfactual draws with the posterior mean and sd of each regression coefficient over the
   * kept draws, in the outcome's units per unit of the regressor.
   *
   * @param counterfactual draws × rows
   */
  public record Draws(
      double[][] counterfactual, double[] coefMean, double[] coefSd, double[] inclusion) {}

  /** {@link #counterfactualDraws} with the coefficients' posterior moments. */
  public static Draws draws(
      double[][] x,
      double[] y,
      int nPre,
      int burn,
      int draws,
      double v0,
      UniformRandomProvider rng) {
    return draws(x, y, nPre, burn, draws, v0, null, 0, rng);
  }

  /**
   * {@link #draws} with a spike-and-slab prior on the regressors marked {@code candidate} (null:
   * the normal prior on all): each Gibbs iteration's regression step becomes {@link
   * SpikeSlab.Chain}'s sweep over the inclusion indicators given the level path, on the
   * standardised outcome less the level, with this model's observation-noise prior, as bsts samples
   * a local level with a spike-and-slab regression. {@link Draws#inclusion} averages the sweeps'
   * conditional inclusion probabilities (Rao–Blackwellised); coefficients out of the model count as
   * 0.
   */
  public static Draws draws(
      double[][] x,
      double[] y,
      int nPre,
      int burn,
      int draws,
      double v0,
      boolean[] candidate,
      double expectedSize,
      UniformRandomProvider rng) {
    int n = x.length;
    double mean = 0;
    for (int t = 0; t < nPre; t++) {
      mean += y[t];
    }
    mean /= nPre;
    double sd = 0;
    for (int t = 0; t < nPre; t++) {
      sd += (y[t] - mean) * (y[t] - mean);
    }
    sd = Math.sqrt(sd / Math.max(1, nPre - 1));
    if (!(sd > 0)) {
      sd = 1;
    }
    double[] ys = new double[nPre];
    for (int t = 0; t < nPre; t++) {
      ys[t] = (y[t] - mean) / sd;
    }
    int k = x[0].length;
    double[] xScale = new double[k];
    Gibbs g = new Gibbs(standardised(x, nPre, xScale), ys, v0, rng, candidate, expectedSize);
    double[] inc = new double[k];
    double[][] out = new double[draws][n];
    double[] s1 = new double[k];
    double[] s2 = new double[k];
    for (int it = 0; it < burn + draws; it++) {
      g.levelStep();
      g.regressionStep();
      if (it >= burn) {
        g.forecast(out[it - burn], mean, sd);
        for (int j = 0; j < k; j++) {
          s1[j] += g.beta[j];
          s2[j] += g.beta[j] * g.beta[j];
          inc[j] += g.chain == null ? 1 : g.chain.probability(j);
        }
      }
    }
    // beta is on the standardised outcome and regressors: sd / xScale times it is the outcome's
    // change per unit of the regressor.
    double[] coefMean = new double[k];
    double[] coefSd = new double[k];
    for (int j = 0; j < k; j++) {
      double m = s1[j] / draws;
      coefMean[j] = sd * m / xScale[j];
      coefSd[j] =
          sd / xScale[j] * Math.sqrt(Math.max(0, (s2[j] - draws * m * m) / Math.max(1, draws - 1)));
    }
    for (int j = 0; j < k; j++) {
      inc[j] /= draws;
    }
    return new Draws(out, coefMean, coefSd, inc);
  }

  /**
   * The regressors centred and scaled by their pre-period mean and sd (scale 1 for a constant
   * column), as CausalImpact standardises them: the level absorbs any constant, so centring changes
   * only its meaning, and it keeps the level and beta from trading off along a ridge (an uncentred
   * control near 50 lets mu and 50 beta drift together, and the forecast with them).
   */
  private static double[][] standardised(double[][] x, int nPre, double[] scale) {
    int k = scale.length;
    double[] mean = new double[k];
    for (int j = 0; j < k; j++) {
      double m = 0;
      for (int t = 0; t < nPre; t++) {
        m += x[t][j];
      }
      m /= nPre;
      double ss = 0;
      for (int t = 0; t < nPre; t++) {
        ss += (x[t][j] - m) * (x[t][j] - m);
      }
      double sd = Math.sqrt(ss / Math.max(1, nPre - 1));
      mean[j] = m;
      scale[j] = sd > 0 ? sd : 1;
    }
    double[][] out = new double[x.length][k];
    for (int t = 0; t < x.length; t++) {
      for (int j = 0; j < k; j++) {
        out[t][j] = (x[t][j] - mean[j]) / scale[j];
      }
    }
    return out;
  }

  /**
   * The sampler's state on the standardised pre-period: the level path, beta, s2e and s2eta, with
   * the regression conditional's covariance V = (I/v0 + X'X)^-1 and its Cholesky factor, which do
   * not change between iterations.
   */
  private static final class Gibbs {
    /**
     * CausalImpact's observation-noise prior with regressors (its expected R² 0.8 and prior degrees
     * of freedom 50, passed to bsts): 1/s2e ~ Gamma(50/2, 50 (1 - 0.8) / 2) on the standardised
     * outcome, a guess of 0.2 for s2e worth 50 observations. CausalImpact passes it only to a model
     * with regressors; without controls the prior stays vague.
     */
    private static final double A0 = 25;

    private static final double B0 = 25 * (1 - 0.8);

    private static final double A0_NO_CONTROLS = 1e-3;
    private static final double B0_NO_CONTROLS = 1e-3;
    private static final double ETA_SHAPE = 16;
    private static final double ETA_SCALE = 16 * 0.01 * 0.01;

    private final double[][] x;
    private final double[] ys;
    private final int nPre;
    private final int k;
    private final RealMatrix v;
    private final RealMatrix cholV;
    private final UniformRandomProvider rng;
    private final ZigguratSampler.NormalizedGaussian z;
    private final double[] beta;
    private double s2e = 1;
    private double s2eta = 0.01 * 0.01;
    private final double[] mu;
    private final double[] fm;
    private final double[] fc;
    private final double[] r;

    /** The spike-and-slab sweep, or null under the normal prior. */
    final SpikeSlab.Chain chain;

    Gibbs(
        double[][] x,
        double[] ys,
        double v0,
        UniformRandomProvider rng,
        boolean[] candidate,
        double expectedSize) {
      this.x = x;
      this.ys = ys;
      this.nPre = ys.length;
      this.k = x[0].length;
      this.rng = rng;
      RealMatrix[] vs = k > 0 ? covariance(x, nPre, k, v0) : new RealMatrix[2];
      this.v = vs[0];
      this.cholV = vs[1];
      this.z = ZigguratSampler.NormalizedGaussian.of(rng);
      this.beta = new double[k];
      this.mu = new double[nPre];
      this.fm = new double[nPre];
      this.fc = new double[nPre];
      this.r = new double[nPre];
      this.chain =
          candidate == null || k == 0
              ? null
              : new SpikeSlab.Chain(
                  java.util.Arrays.copyOf(x, nPre),
                  candidate,
                  new SpikeSlab.Prior(v0, A0, B0, expectedSize));
    }

    /** V = (I/v0 + X'X)^-1 on the pre rows, and its lower Cholesky factor. */
    private static RealMatrix[] covariance(double[][] x, int nPre, int k, double v0) {
      double[][] xtx = new double[k][k];
      for (int t = 0; t < nPre; t++) {
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < k; j++) {
            xtx[i][j] += x[t][i] * x[t][j];
          }
        }
      }
      for (int i = 0; i < k; i++) {
        xtx[i][i] += 1 / v0;
      }
      RealMatrix inv =
          new CholeskyDecomposition(new Array2DRowRealMatrix(xtx), 1e-9, 1e-14)
              .getSolver()
              .getInverse();
      // The computed inverse is symmetric only to rounding: symmetrise before factorising it.
      RealMatrix v = inv.add(inv.transpose()).scalarMultiply(0.5);
      return new RealMatrix[] {v, new CholeskyDecomposition(v, 1e-9, 1e-14).getL()};
    }

    /** The level path given beta and s2e, then s2eta given the path. */
    void levelStep() {
      for (int t = 0; t < nPre; t++) {
        r[t] = ys[t] - dot(x[t], beta);
      }
      sample(r, s2e, s2eta, r[0], 1, z, fm, fc, mu);
      double ssEta = 0;
      for (int t = 1; t < nPre; t++) {
        ssEta += (mu[t] - mu[t - 1]) * (mu[t] - mu[t - 1]);
      }
      s2eta = 1 / gamma(rng, ETA_SHAPE + (nPre - 1) / 2.0, ETA_SCALE + ssEta / 2);
    }

    /** beta and s2e given the level: the conjugate regression of ys - mu on x. */
    void regressionStep() {
      if (chain != null) {
        for (int t = 0; t < nPre; t++) {
          r[t] = ys[t] - mu[t];
        }
        s2e = chain.step(r, rng, z, beta);
        return;
      }
      double yy = 0;
      if (k == 0) {
        for (int t = 0; t < nPre; t++) {
          yy += (ys[t] - mu[t]) * (ys[t] - mu[t]);
        }
        s2e = 1 / gamma(rng, A0_NO_CONTROLS + nPre / 2.0, B0_NO_CONTROLS + yy / 2);
        return;
      }
      double quad = 0;
      double[] xty = new double[k];
      for (int t = 0; t < nPre; t++) {
        for (int i = 0; i < k; i++) {
          xty[i] += x[t][i] * (ys[t] - mu[t]);
        }
      }
      double[] bn = v.operate(xty);
      for (int i = 0; i < k; i++) {
        quad += bn[i] * xty[i];
      }
      for (int t = 0; t < nPre; t++) {
        yy += (ys[t] - mu[t]) * (ys[t] - mu[t]);
      }
      s2e = 1 / gamma(rng, A0 + nPre / 2.0, B0 + Math.max(yy - quad, 1e-12) / 2);
      double[] e = new double[k];
      for (int i = 0; i < k; i++) {
        e[i] = z.sample();
      }
      double[] le = cholV.operate(e);
      for (int i = 0; i < k; i++) {
        beta[i] = bn[i] + Math.sqrt(s2e) * le[i];
      }
    }

    /** One kept draw of every row's counterfactual, in the outcome's units, into row. */
    void forecast(double[] row, double mean, double sd) {
      int n = x.length;
      double se = Math.sqrt(s2e);
      for (int t = 0; t < nPre; t++) {
        row[t] = mean + sd * (mu[t] + dot(x[t], beta) + se * z.sample());
      }
      double level = mu[nPre - 1];
      double seta = Math.sqrt(s2eta);
      for (int t = nPre; t < n; t++) {
        level += seta * z.sample();
        row[t] = mean + sd * (level + dot(x[t], beta) + se * z.sample());
      }
    }
  }

  private static double gamma(UniformRandomProvider rng, double shape, double rate) {
    return AhrensDieterMarsagliaTsangGammaSampler.of(rng, shape, 1 / rate).sample();
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
