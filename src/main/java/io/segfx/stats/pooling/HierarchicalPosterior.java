package io.segfx.stats.pooling;

import io.segfx.stats.NormalMixture;
import io.segfx.stats.NormalSummary;
import io.segfx.util.Checks;
import java.io.Serializable;

/**
 * The grid posterior of a normal hierarchical model from {@link FullBayesPooling}: nodes tau_i with
 * normalised weights p(tau_i | y)·Δ, and per node mu^(tau_i) and V_mu(tau_i). Every posterior below
 * is a {@link NormalMixture} over the nodes (Bayesian Data Analysis 3rd ed., section 5.4):
 *
 * <pre>
 *   B_j(tau)  = s_j² / (s_j² + tau²)                       (shrinkage towards mu)
 *   theta_j | tau, y ~ N((1 - B_j) y_j + B_j mu^,  (1 - B_j) s_j² + B_j² V_mu)
 *   sum_j a_j theta_j | tau, y ~ N(sum a_j ((1 - B_j) y_j + B_j mu^),  sum a_j² (1 - B_j) s_j² + (sum a_j B_j)² V_mu)
 * </pre>
 *
 * ((1 - B_j) s_j² is V_j = 1/(1/s_j² + 1/tau²).)
 *
 * @param y segment estimates
 * @param v their sampling variances s_j²
 * @param tau quadrature nodes in tau
 * @param weight posterior weight of each node (sum 1)
 * @param muHat mu^ per node
 * @param muVar V_mu per node
 * @param tauMean E[tau | y], +∞ where it does not exist (uniform prior, flat mu, J = 3)
 * @param tauQ025 2.5% quantile of tau | y
 * @param tauQ975 97.5% quantile of tau | y
 * @param muMean E[mu | y]
 * @param muSd sd(mu | y), +∞ where it does not exist (few segments, heavy tail of tau)
 * @param muQ025 2.5% quantile of mu | y
 * @param muQ975 97.5% quantile of mu | y
 * @param grid true for a full-Bayes grid posterior ({@link FullBayesPooling}), false for the
 *     empirical-Bayes {@link #plugIn}
 */
public record HierarchicalPosterior(
    double[] y,
    double[] v,
    double[] tau,
    double[] weight,
    double[] muHat,
    double[] muVar,
    double tauMean,
    double tauQ025,
    double tauQ975,
    double muMean,
    double muSd,
    double muQ025,
    double muQ975,
    boolean grid)
    implements Serializable {

  /**
   * Checks that the per-segment and the per-node arrays agree in length.
   *
   * @throws IllegalArgumentException naming the two lengths that differ
   */
  public HierarchicalPosterior {
    Checks.sameLength("y", y.length, "v", v.length);
    Checks.sameLength("tau", tau.length, "weight", weight.length);
    Checks.sameLength("tau", tau.length, "muHat", muHat.length);
    Checks.sameLength("tau", tau.length, "muVar", muVar.length);
  }

  /**
   * The empirical-Bayes plug-in as a one-node "grid": tau fixed at its estimate, mu ~ N(mu^,
   * SE(mu^)²). The experiment-level effect then carries mu's uncertainty and the correlation it
   * induces between segments (sum_j a_j B_j)² SE², which treating segment posteriors as independent
   * would drop (at tau = 0 every segment effect is mu itself).
   */
  public static HierarchicalPosterior plugIn(
      double[] y, double[] se, double mu, double muSe, double tau2) {
    double[] v = PoolingInputs.variances(y, se, 1);
    return new HierarchicalPosterior(
        y.clone(),
        v,
        new double[] {Math.sqrt(tau2)},
        new double[] {1},
        new double[] {mu},
        new double[] {muSe * muSe},
        Math.sqrt(tau2),
        Double.NaN,
        Double.NaN,
        mu,
        muSe,
        mu - NormalSummary.Z975 * muSe,
        mu + NormalSummary.Z975 * muSe,
        false);
  }

  /** Number of segments J. */
  public int segments() {
    return y.length;
  }

  /** mu | y. */
  public NormalMixture mu() {
    return muMixture(weight, muHat, muVar);
  }

  /** mu | y over nodes of the given weights, mu^ and V_mu: sum_i weight_i N(muHat_i, muVar_i). */
  static NormalMixture muMixture(double[] weight, double[] muHat, double[] muVar) {
    double[] sd = new double[muVar.length];
    for (int i = 0; i < sd.length; i++) {
      sd[i] = Math.sqrt(muVar[i]);
    }
    return new NormalMixture(weight, muHat, sd);
  }

  /**
   * theta_j | y: {@link #linear} with a = e_j, computed in O(nodes) instead of O(nodes x segments)
   * (the same operations on the non-zero term, so the same bits): per node, with B = v_j / (v_j +
   * tau^2), mean (1 - B) y_j + B muHat and variance (1 - B) v_j + B^2 Var(mu).
   */
  public NormalMixture theta(int j) {
    int n = tau.length;
    double[] m = new double[n];
    double[] s = new double[n];
    double vj = v[j];
    for (int i = 0; i < n; i++) {
      double b = vj / (vj + tau[i] * tau[i]);
      m[i] = (1 - b) * y[j] + b * muHat[i];
      s[i] = Math.sqrt((1 - b) * vj + b * b * muVar[i]);
    }
    return new NormalMixture(weight, m, s);
  }

  /**
   * {@code sum_j a_j theta_j + X | y} with X ~ N(extraMean, extraVar) independent of the model (for
   * example a confounding bias, or other segments drawn elsewhere).
   */
  public NormalMixture linear(double[] a, double extraMean, double extraVar) {
    int n = tau.length;
    double[] m = new double[n];
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      double t2 = tau[i] * tau[i];
      double mean = extraMean;
      double var = extraVar;
      double sb = 0;
      for (int j = 0; j < y.length; j++) {
        if (a[j] == 0) {
          continue;
        }
        double b = v[j] / (v[j] + t2);
        mean += a[j] * ((1 - b) * y[j] + b * muHat[i]);
        var += a[j] * a[j] * (1 - b) * v[j];
        sb += a[j] * b;
      }
      m[i] = mean;
      s[i] = Math.sqrt(var + sb * sb * muVar[i]);
    }
    return new NormalMixture(weight, m, s);
  }

  /** E[1 - B_j | y]: the posterior weight of segment j's own estimate in its posterior mean. */
  public double weightOnRaw(int j) {
    double e = 0;
    for (int i = 0; i < tau.length; i++) {
      e += weight[i] * (tau[i] * tau[i] / (v[j] + tau[i] * tau[i]));
    }
    // (tau = 0 gives weight 0: the segment is mu.)
    return e;
  }
}
