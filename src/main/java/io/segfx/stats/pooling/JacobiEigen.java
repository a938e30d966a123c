package io.segfx.stats.pooling;

/**
 * The eigen step of Golub–Welsch (1969): the eigenvalues of a symmetric tridiagonal Jacobi matrix
 * are the Gauss nodes, and the squared first components of its unit eigenvectors the weights.
 * Implicit QL with Wilkinson shifts (Wilkinson &amp; Reinsch, Handbook for Automatic Computation
 * II, procedure tql2; Press et al., Numerical Recipes 3rd ed., section 11.4), applying each plane
 * rotation only to the first row of the eigenvector matrix: O(n²) instead of O(n³) and no n×n
 * matrix.
 *
 * <p>Hand-written rather than Commons Math's {@code EigenDecomposition(double[], double[])}, which
 * builds all n eigenvectors, because that is slower by more than the 20% issue #20 allows. Measured
 * with JMH ({@code EigenBenchmarks}: the 24-node Legendre Jacobi matrix, 2 forks of 8 one-second
 * iterations after 5 warm-ups, run twice) on a 2-core x86-64 VM shared with other work (load
 * average 6 to 8), OpenJDK 17.0.15: this QL 21.5 and 23.4 µs per matrix, Commons Math 49.8 and 59.8
 * µs, 2.3 to 2.6 times as long; in all six runs on that machine (shorter ones, and the code before
 * it left FullBayesPooling, included) 1.4 to 3.7 times as long. Commons Math also rotates in
 * another order, so its nodes would differ in the last bits, which {@code FullBayesBitsTest} holds
 * fixed. The runs are in docs/performance.md.
 */
final class JacobiEigen {
  private JacobiEigen() {}

  /**
   * The eigenvalues of the Jacobi matrix with diagonal {@code d} and off-diagonal {@code e[i]}
   * between rows i and i+1 ({@code e[n-1]} ignored), and the squared first components of its unit
   * eigenvectors.
   *
   * @param d diagonal, overwritten by the eigenvalues (nodes)
   * @param e off-diagonal, destroyed
   * @return the weights, in the order of {@code d}
   * @throws ArithmeticException if an eigenvalue takes more than 60 QL sweeps
   */
  static double[] solve(double[] d, double[] e) {
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
        m = split(d, e, l);
        if (m != l) {
          if (iter++ == 60) {
            throw new ArithmeticException("Gauss rule: QL did not converge");
          }
          double g = shift(d, e, l, m);
          double s = 1;
          double c = 1;
          double p = 0;
          int i;
          boolean deflated = false;
          for (i = m - 1; i >= l; i--) {
            double f = s * e[i];
            double b = c * e[i];
            double r = hypot(f, g);
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
   * d_m - sigma, where the QL sweep on rows l..m starts: sigma = d_l - e_l / (g + sign(g) sqrt(g² +
   * 1)), g = (d_{l+1} - d_l) / (2 e_l), is the eigenvalue of the leading 2×2 block [d_l e_l; e_l
   * d_{l+1}] nearer d_l (Wilkinson's shift, as in tql2).
   */
  private static double shift(double[] d, double[] e, int l, int m) {
    double g = (d[l + 1] - d[l]) / (2 * e[l]);
    double r = hypot(g, 1);
    return d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
  }

  /**
   * The first m >= l whose off-diagonal e[m] is negligible against its diagonal neighbours (at most
   * 2^-53 of their sum), n - 1 if none: the block l..m splits off.
   */
  private static int split(double[] d, double[] e, int l) {
    int n = d.length;
    int m;
    for (m = l; m < n - 1; m++) {
      double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
      if (Math.abs(e[m]) <= 0x1p-53 * dd) {
        break;
      }
    }
    return m;
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
}
