package io.segfx.stats.pooling;

import java.util.Arrays;

/**
 * The n-node Gauss rule of a discrete measure sum_i w_i delta(x_i) (weights summing to 1): the
 * nodes and weights that integrate every polynomial of degree < 2n exactly against the measure
 * (Golub &amp; Welsch 1969; Gautschi 2004, Orthogonal Polynomials, section 2.2.3).
 *
 * <p>The Jacobi matrix comes from the Lanczos three-term recurrence on diag(x) started at sqrt(w)
 * (Gautschi 2004, section 2.2.3), its eigen step from {@link JacobiEigen}. On full-Bayes pooling's
 * grids (32 to a few hundred smooth points, at most 24 steps) no Ritz value converges, so the
 * Lanczos vectors stay orthogonal to about 1e-14 without reorthogonalisation; the last vector is
 * checked against all earlier ones, and if orthogonality is lost beyond 1e-9 the recurrence is
 * redone with full (twice) reorthogonalisation, a safeguard that smooth grids do not reach.
 */
final class GaussRule {
  private GaussRule() {}

  /**
   * The rule: {nodes, weights}, nodes ascending in [lo, hi], weights summing to 1; fewer than n
   * nodes when the measure has fewer points of support.
   *
   * @param x the measure's points, in [lo, hi]
   * @param w their weights (sum 1)
   * @param lo the interval's lower end
   * @param hi its upper end
   * @param n the number of nodes wanted
   */
  static double[][] of(double[] x, double[] w, double lo, double hi, int n) {
    double[][] fast = of(x, w, lo, hi, n, false);
    return fast != null ? fast : of(x, w, lo, hi, n, true);
  }

  /** {@link #of}; without reorthogonalisation returns null when the orthogonality check fails. */
  static double[][] of(
      double[] x, double[] w, double lo, double hi, int n, boolean reorthogonalise) {
    int len = x.length;
    // Work on [-1, 1] for conditioning.
    double[] t = new double[len];
    for (int i = 0; i < len; i++) {
      t[i] = (2 * x[i] - lo - hi) / (hi - lo);
    }
    Lanczos run = Lanczos.run(t, w, n, reorthogonalise);
    if (!reorthogonalise && !run.lastOrthogonal()) {
      return null;
    }
    int m = run.steps();
    double[] nodes = Arrays.copyOf(run.alpha(), m);
    double[] off = Arrays.copyOf(run.beta(), m);
    double[] weights = JacobiEigen.solve(nodes, off);
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

  /**
   * Drops nodes whose weight is below 1e-15 of the total (the outermost Gauss nodes of a peaked
   * measure often are) and renormalises: they change no printed figure and cost as much as any
   * other component of a mixture.
   */
  static double[][] pruned(double[][] rule) {
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
   * The Lanczos recurrence's result: the Jacobi matrix's diagonal {@code alpha} and off-diagonal
   * {@code beta} (first {@code steps} entries) and the Lanczos vectors {@code q}.
   */
  private record Lanczos(double[][] q, double[] alpha, double[] beta, int steps) {
    /**
     * Up to n steps of the recurrence on diag(t) from sqrt(w): q_{k+1} b_k = t q_k - a_k q_k -
     * b_{k-1} q_{k-1}, a_k = q_k' diag(t) q_k; it stops early when b_k < 1e-13 (the measure's
     * support is exhausted).
     */
    static Lanczos run(double[] t, double[] w, int n, boolean reorthogonalise) {
      int len = t.length;
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
        double b =
            Math.sqrt(
                reorthogonalise
                    ? reorthogonalised(q, k, z)
                    : threeTerm(q, k, a, k > 0 ? beta[k - 1] : 0, z));
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
      return new Lanczos(q, alpha, beta, m);
    }

    /** z minus its projections on q_0..q_k, twice over; returns its squared norm. */
    private static double reorthogonalised(double[][] q, int k, double[] z) {
      int len = z.length;
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
      double b = 0;
      for (double zi : z) {
        b += zi * zi;
      }
      return b;
    }

    /** The three-term recurrence z - a q_k - bPrev q_{k-1} and its squared norm, in one pass. */
    private static double threeTerm(double[][] q, int k, double a, double bPrev, double[] z) {
      double[] qk = q[k];
      double[] prev = k > 0 ? q[k - 1] : qk;
      double b = 0;
      for (int i = 0; i < z.length; i++) {
        double zi = z[i] - (a * qk[i] + bPrev * prev[i]);
        z[i] = zi;
        b += zi * zi;
      }
      return b;
    }

    /** Whether the last vector is orthogonal to all earlier ones to 1e-9. */
    boolean lastOrthogonal() {
      int len = q[0].length;
      for (int j = 0; j < steps - 1; j++) {
        double d = 0;
        for (int i = 0; i < len; i++) {
          d += q[j][i] * q[steps - 1][i];
        }
        if (Math.abs(d) > 1e-9) {
          return false;
        }
      }
      return true;
    }
  }
}
