package io.segfx.stats;

import io.segfx.util.Checks;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * A prior for experiment-level effects learned from many experiments by empirical Bayes (Deng 2015,
 * "Objective Bayesian two sample hypothesis testing for online controlled experiments", WWW '15
 * Companion, which learns the prior of the effect from past experiments; Efron 2010, Large-Scale
 * Inference, ch. 2 and 5, for the two-groups "most effects are null" shape).
 *
 * <p>Each experiment i reports an effect estimate m_i with standard error s_i, read as the normal
 * likelihood m_i ~ N(Delta_i, s_i²). The effects Delta_i come from the prior {@code G = sum_k pi_k
 * N(mu_k, sigma_k²)} with K = 1 (normal) or K = 2 (two-component mixture; a component may shrink to
 * a point mass, sigma_k = 0, Deng's "null" spike). G is fitted by maximum marginal likelihood,
 * {@code m_i ~ sum_k pi_k N(mu_k, sigma_k² + s_i²)}, with the EM algorithm of Dempster, Laird &amp;
 * Rubin (1977) on the latent Delta_i:
 *
 * <pre>
 *   E: r_ik ∝ pi_k N(m_i; mu_k, sigma_k² + s_i²),  b_ik = (m_i/s_i² + mu_k/sigma_k²)/(1/s_i² + 1/sigma_k²),
 *      v_ik = 1/(1/s_i² + 1/sigma_k²)
 *   M: pi_k = mean_i r_ik,  mu_k = sum r_ik b_ik / sum r_ik,  sigma_k² = sum r_ik ((b_ik - mu_k)² + v_ik) / sum r_ik
 * </pre>
 *
 * accelerated by SQUAREM, iterated until no parameter moves by more than 1e-10 (relative) or 500 EM
 * steps, then finished by a bounded direct search (see {@code polish}), which reaches a point mass
 * (sigma_k = 0) that EM only approaches sublinearly. The posterior of Delta_i under G is the normal
 * mixture with weights r_ik, means b_ik and variances v_ik ({@link #posterior}).
 *
 * @param weight pi_k
 * @param mean mu_k
 * @param sd sigma_k
 * @param logLikelihood the maximised marginal log-likelihood
 * @param iterations EM iterations used
 */
public record LearnedPrior(
    double[] weight, double[] mean, double[] sd, double logLikelihood, int iterations)
    implements Serializable {
  static final int MAX_ITERATIONS = 500;

  /**
   * Fits G with K = 1 or 2 components.
   *
   * @throws IllegalArgumentException with fewer than 3 estimates, a non-finite estimate or a
   *     standard error that is not positive
   */
  public static LearnedPrior fit(double[] m, double[] s, int components) {
    Checks.sameLength("estimates", m.length, "standard errors", s.length);
    if (components != 1 && components != 2) {
      throw new IllegalArgumentException("components must be 1 or 2, got " + components);
    }
    if (m.length < 3) {
      throw new IllegalArgumentException(
          "a learned prior needs at least 3 experiments, got " + m.length);
    }
    int n = m.length;
    double[] v = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      Checks.finite("estimate[" + i + "]", m[i]);
      Checks.positive("std_error[" + i + "]", s[i]);
      v[i] = s[i] * s[i];
      mean += m[i];
    }
    mean /= n;
    double var = 0;
    for (double x : m) {
      var += (x - mean) * (x - mean);
    }
    var = Math.max(var / n, 1e-300);
    int k = components;
    int[] it = new int[1];
    double[] theta = squarem(start(k, mean, var), m, v, k, var, it);
    theta = polish(theta, m, v, k, Math.sqrt(var));
    double ll = logLik(theta, m, v, k);
    double[] pi = Arrays.copyOfRange(theta, 0, k);
    double[] mu = Arrays.copyOfRange(theta, k, 2 * k);
    double[] sd = new double[k];
    for (int c = 0; c < k; c++) {
      sd[c] = Math.sqrt(theta[2 * k + c]);
    }
    return new LearnedPrior(pi, mu, sd, ll, it[0]);
  }

  /** EM's starting point, packed as [pi_1..pi_k, mu_1..mu_k, sigma²_1..sigma²_k]. */
  private static double[] start(int k, double mean, double var) {
    double[] theta = new double[3 * k];
    if (k == 1) {
      theta[0] = 1;
      theta[1] = mean;
      theta[2] = var;
    } else {
      // Start from "a narrow component at 0 and a wide one": the shape the mixture is for.
      theta[0] = 0.5;
      theta[1] = 0.5;
      theta[2] = 0;
      theta[3] = mean;
      theta[4] = var / 100;
      theta[5] = var;
    }
    return theta;
  }

  /**
   * EM accelerated by SQUAREM (Varadhan &amp; Roland 2008, Scand. J. Statist. 35:335): EM is
   * monotone but slow for variance components, so two EM steps are extrapolated, falling back to
   * plain EM whenever the extrapolated point is invalid or lowers the likelihood, so the fit stays
   * monotone. Stops when no parameter moves by more than 1e-10 (relative) or after {@link
   * #MAX_ITERATIONS} EM steps, whose count goes to {@code it[0]}.
   */
  private static double[] squarem(
      double[] theta, double[] m, double[] v, int k, double var, int[] it) {
    while (it[0] < MAX_ITERATIONS) {
      double[] t1 = emStep(theta, m, v, k);
      double[] t2 = emStep(t1, m, v, k);
      it[0] += 2;
      double rr = 0;
      double vv = 0;
      for (int j = 0; j < theta.length; j++) {
        double r = t1[j] - theta[j];
        double w = t2[j] - 2 * t1[j] + theta[j];
        rr += r * r;
        vv += w * w;
      }
      double[] next = t2;
      if (vv > 0) {
        double alpha = Math.min(-1, -Math.sqrt(rr / vv));
        double[] jump = new double[theta.length];
        for (int j = 0; j < theta.length; j++) {
          double r = t1[j] - theta[j];
          double w = t2[j] - 2 * t1[j] + theta[j];
          jump[j] = theta[j] - 2 * alpha * r + alpha * alpha * w;
        }
        if (valid(jump, k)) {
          double[] stabilised = emStep(jump, m, v, k);
          it[0]++;
          if (logLik(stabilised, m, v, k) >= logLik(t2, m, v, k)) {
            next = stabilised;
          }
        }
      }
      double change = 0;
      for (int j = 0; j < theta.length; j++) {
        change =
            Math.max(
                change,
                Math.abs(next[j] - theta[j]) / (Math.abs(theta[j]) + Math.sqrt(var) * 1e-6));
      }
      theta = next;
      if (change < 1e-10) {
        break;
      }
    }
    return theta;
  }

  /**
   * Finishes the maximisation with BOBYQA (Powell 2009, Commons Math) on (logit pi, mu / scale,
   * sigma / scale) with sigma >= 0 as a bound: when a component's sd tends to 0 (a point mass, the
   * "null" spike) EM converges sublinearly, while the bound is reached directly. Returns the better
   * of the EM point and the polished one.
   */
  private static double[] polish(double[] theta, double[] m, double[] v, int k, double scale) {
    int n = k == 1 ? 2 : 5;
    double[] x = new double[n];
    double[] lo = new double[n];
    double[] hi = new double[n];
    int o = 0;
    if (k == 2) {
      double p = Math.min(Math.max(theta[0], 1e-9), 1 - 1e-9);
      x[0] = Math.log(p / (1 - p));
      lo[0] = -30;
      hi[0] = 30;
      o = 1;
    }
    double mMin = Double.POSITIVE_INFINITY;
    double mMax = Double.NEGATIVE_INFINITY;
    for (double y : m) {
      mMin = Math.min(mMin, y);
      mMax = Math.max(mMax, y);
    }
    for (int c = 0; c < k; c++) {
      x[o + 2 * c] = theta[k + c] / scale;
      lo[o + 2 * c] = mMin / scale - 1;
      hi[o + 2 * c] = mMax / scale + 1;
      x[o + 2 * c + 1] = Math.sqrt(theta[2 * k + c]) / scale;
      lo[o + 2 * c + 1] = 0;
      hi[o + 2 * c + 1] = 100;
      x[o + 2 * c] = Math.min(Math.max(x[o + 2 * c], lo[o + 2 * c]), hi[o + 2 * c]);
      x[o + 2 * c + 1] = Math.min(Math.max(x[o + 2 * c + 1], 0), 100);
    }
    int off = o;
    try {
      PointValuePair best =
          new BOBYQAOptimizer(2 * n + 1, 0.05, 1e-11)
              .optimize(
                  new MaxEval(20_000),
                  new ObjectiveFunction(p -> logLik(unpack(p, k, off, scale), m, v, k)),
                  GoalType.MAXIMIZE,
                  new InitialGuess(x),
                  new SimpleBounds(lo, hi));
      double[] t = unpack(best.getPoint(), k, off, scale);
      return logLik(t, m, v, k) > logLik(theta, m, v, k) ? t : theta;
    } catch (MathIllegalStateException e) {
      return theta;
    }
  }

  /**
   * The packed parameters of a point of {@link #polish}'s search (logit weight at 0 when k = 2).
   */
  private static double[] unpack(double[] p, int k, int off, double scale) {
    double[] t = new double[3 * k];
    if (k == 2) {
      t[0] = 1 / (1 + Math.exp(-p[0]));
      t[1] = 1 - t[0];
    } else {
      t[0] = 1;
    }
    for (int c = 0; c < k; c++) {
      t[k + c] = p[off + 2 * c] * scale;
      double sd = p[off + 2 * c + 1] * scale;
      t[2 * k + c] = sd * sd;
    }
    return t;
  }

  private static boolean valid(double[] t, int k) {
    double sum = 0;
    for (int c = 0; c < k; c++) {
      if (!(t[c] > 0 && t[c] < 1 + 1e-12) || !(t[2 * k + c] >= 0) || !Double.isFinite(t[k + c])) {
        return false;
      }
      sum += t[c];
    }
    return Math.abs(sum - 1) < 1e-9;
  }

  private static double logLik(double[] t, double[] m, double[] v, int k) {
    double ll = 0;
    for (int i = 0; i < m.length; i++) {
      double p = 0;
      for (int c = 0; c < k; c++) {
        double var = t[2 * k + c] + v[i];
        p +=
            t[c]
                * Math.exp(-0.5 * (m[i] - t[k + c]) * (m[i] - t[k + c]) / var)
                / Math.sqrt(2 * Math.PI * var);
      }
      ll += Math.log(p);
    }
    return ll;
  }

  /** One EM step (E and M as in the class comment). */
  private static double[] emStep(double[] t, double[] m, double[] v, int k) {
    int n = m.length;
    double[] rs = new double[k];
    double[] rb = new double[k];
    double[] rbb = new double[k];
    double[] r = new double[k];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double var = t[2 * k + c] + v[i];
        r[c] =
            Math.log(t[c])
                - 0.5 * Math.log(var)
                - 0.5 * (m[i] - t[k + c]) * (m[i] - t[k + c]) / var;
        max = Math.max(max, r[c]);
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        r[c] = Math.exp(r[c] - max);
        sum += r[c];
      }
      for (int c = 0; c < k; c++) {
        double w = r[c] / sum;
        double s2 = t[2 * k + c];
        double b = shrunk(m[i], v[i], t[k + c], s2);
        double pv = s2 == 0 ? 0 : 1 / (1 / v[i] + 1 / s2);
        rs[c] += w;
        rb[c] += w * b;
        rbb[c] += w * (b * b + pv);
      }
    }
    double[] out = new double[3 * k];
    for (int c = 0; c < k; c++) {
      if (rs[c] <= 0) {
        out[c] = 0;
        out[k + c] = t[k + c];
        out[2 * k + c] = t[2 * k + c];
        continue;
      }
      double mu = rb[c] / rs[c];
      out[c] = rs[c] / n;
      out[k + c] = mu;
      // sum r ((b - mu)² + pv) / sum r = E[Delta²] - mu² over the component's responsibility.
      out[2 * k + c] = Math.max(0, rbb[c] / rs[c] - mu * mu);
    }
    return out;
  }

  /** The posterior mean of Delta under one normal component (the component mean for a spike). */
  private static double shrunk(double m, double v, double mu, double s2) {
    return s2 == 0 ? mu : (m / v + mu / s2) / (1 / v + 1 / s2);
  }

  /** The marginal log-likelihood of estimates under this prior. */
  public double logLikelihood(double[] m, double[] s) {
    int k = weight.length;
    double[] theta = new double[3 * k];
    for (int c = 0; c < k; c++) {
      theta[c] = weight[c];
      theta[k + c] = mean[c];
      theta[2 * k + c] = sd[c] * sd[c];
    }
    double[] v = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      v[i] = s[i] * s[i];
    }
    return logLik(theta, m, v, k);
  }

  /** The posterior of an effect with estimate m and standard error s under this prior. */
  public NormalMixture posterior(double m, double s) {
    int k = weight.length;
    double v = s * s;
    double[] w = new double[k];
    double[] b = new double[k];
    double[] sdv = new double[k];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double s2 = sd[c] * sd[c];
      double t = s2 + v;
      w[c] = Math.log(weight[c]) - 0.5 * Math.log(t) - 0.5 * (m - mean[c]) * (m - mean[c]) / t;
      max = Math.max(max, w[c]);
      b[c] = shrunk(m, v, mean[c], s2);
      sdv[c] = s2 == 0 ? 0 : Math.sqrt(1 / (1 / v + 1 / s2));
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      w[c] = Math.exp(w[c] - max);
      sum += w[c];
    }
    for (int c = 0; c < k; c++) {
      w[c] /= sum;
    }
    return new NormalMixture(w, b, sdv);
  }
}
