package io.segfx.stats.pooling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Full-Bayes pooling's outputs bit for bit against {@code fixtures/fullbayes_bits.txt}, captured
 * from {@link #lines()} before the numerics left {@link FullBayesPooling} (issue #20): a move of
 * code must leave every double unchanged. Each line is one fit; its scalars are written as the hex
 * of {@link Double#doubleToLongBits}, and its node arrays (tau, weight, mu^, V_mu) as the SHA-256
 * of their bits, so a mismatch names the fit and the quantity. The fits cover the eight schools
 * under each prior, with and without a prior on mu, uncompressed and on equal panels; three and
 * four schools (where sd(mu) or E[tau] do not exist); random groups of 3 to 60 segments; tau far
 * above the standard errors (the coarse pass zooms); and prior scales far below them (geometric
 * first panels). The Gauss rule with reorthogonalisation and the QL on random Jacobi matrices are
 * fixed the same way.
 */
class FullBayesBitsTest {
  static final double[] Y = {28, 8, -3, 7, -1, 1, 18, 12};
  static final double[] SE = {15, 10, 16, 11, 9, 11, 10, 18};

  @Test
  void outputsAreBitIdenticalToTheCapturedOnes() throws IOException {
    List<String> want = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                FullBayesBitsTest.class.getResourceAsStream("/fixtures/fullbayes_bits.txt"),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.startsWith("#")) {
          want.add(line);
        }
      }
    }
    List<String> got = lines();
    assertEquals(want.size(), got.size(), "cases");
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i), got.get(i), "case " + i);
    }
  }

  /** One line per fit or kernel call, as in the fixture. */
  static List<String> lines() {
    List<String> out = new ArrayList<>();
    TauPrior[] priors = {
      TauPrior.UNIFORM,
      new TauPrior("half-normal", 5),
      new TauPrior("half-cauchy", 5),
      new TauPrior("half-cauchy", 1e-4),
      new TauPrior("half-normal", 1e-6)
    };
    for (TauPrior prior : priors) {
      for (double[] muPrior : new double[][] {null, {0, 50}}) {
        String name = "schools " + prior + " mu=" + Arrays.toString(muPrior);
        out.add(line(name, FullBayesPooling.fit(Y, SE, prior, muPrior)));
      }
    }
    out.add(line("schools grid", FullBayesPooling.fit(Y, SE, TauPrior.UNIFORM, null, false)));
    out.add(
        line("schools 64 panels", FullBayesPooling.fit(Y, SE, TauPrior.UNIFORM, null, false, 64)));
    for (int j = 3; j <= 4; j++) {
      out.add(
          line(
              "schools first " + j,
              FullBayesPooling.fit(
                  Arrays.copyOf(Y, j), Arrays.copyOf(SE, j), TauPrior.UNIFORM, null)));
    }
    Random r = new Random(20);
    for (int g = 0; g < 24; g++) {
      int k = 3 + r.nextInt(58);
      double tau = g % 6 == 5 ? Math.pow(10, 4 + r.nextInt(4)) : g % 3 == 0 ? 0 : r.nextDouble();
      double[] y = new double[k];
      double[] se = new double[k];
      for (int j = 0; j < k; j++) {
        se[j] = 0.05 + r.nextDouble();
        y[j] = tau * r.nextGaussian() + se[j] * r.nextGaussian();
      }
      TauPrior prior = priors[g % priors.length];
      out.add(
          line(
              "random " + g + " J=" + k + " " + prior,
              FullBayesPooling.fit(y, se, prior, g % 4 == 1 ? new double[] {0, 2} : null)));
    }
    HierarchicalPosterior grid = FullBayesPooling.fit(Y, SE, TauPrior.UNIFORM, null, false);
    double[] u = new double[grid.tau().length];
    for (int i = 0; i < u.length; i++) {
      u[i] = grid.tau()[i] / (12 + grid.tau()[i]);
    }
    double[][] rule =
        GaussRule.of(u, grid.weight(), u[0], u[u.length - 1], FullBayesPooling.NODES, true);
    out.add("gauss reorthogonalised nodes=" + digest(rule[0]) + " weights=" + digest(rule[1]));
    for (int c = 0; c < 8; c++) {
      int n = 1 + r.nextInt(30);
      double[] d = new double[n];
      double[] e = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = r.nextGaussian();
        e[i] = r.nextGaussian();
      }
      double[] w = JacobiEigen.solve(d, e);
      out.add("ql " + c + " n=" + n + " values=" + digest(d) + " weights=" + digest(w));
    }
    return out;
  }

  private static String line(String name, HierarchicalPosterior p) {
    StringBuilder s = new StringBuilder(name);
    double[] scalars = {
      p.tauMean(), p.tauQ025(), p.tauQ975(), p.muMean(), p.muSd(), p.muQ025(), p.muQ975()
    };
    String[] names = {"tauMean", "tauQ025", "tauQ975", "muMean", "muSd", "muQ025", "muQ975"};
    for (int i = 0; i < scalars.length; i++) {
      s.append(' ')
          .append(names[i])
          .append('=')
          .append(Long.toHexString(Double.doubleToLongBits(scalars[i])));
    }
    s.append(" tau=").append(digest(p.tau()));
    s.append(" weight=").append(digest(p.weight()));
    s.append(" muHat=").append(digest(p.muHat()));
    s.append(" muVar=").append(digest(p.muVar()));
    return s.toString();
  }

  /** The first 16 hex digits of the SHA-256 of the array's length and bits. */
  private static String digest(double[] x) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 * x.length).putInt(x.length);
    for (double v : x) {
      b.putLong(Double.doubleToLongBits(v));
    }
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
