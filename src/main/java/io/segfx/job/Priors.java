package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.model.InputKind;
import io.segfx.model.MetricSpec;
import io.segfx.model.SegmentEstimate;
import io.segfx.stats.BetaBinomial;
import io.segfx.stats.NigPosterior;
import io.segfx.stats.pooling.PoolingResult;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The priors of a run: their parameters for the draws, and their description for the output tables
 * (the notebook's failure mode 3: never report a posterior without its prior).
 */
final class Priors {
  private Priors() {}

  /** A human-readable statement of the prior behind a group's posterior. */
  static String describe(JobSpec spec, boolean binary, PoolingResult fit) {
    String data;
    if (spec.inputKind() == InputKind.ESTIMATES) {
      data = "flat on each segment effect (estimates input: N(estimate, std_error^2))";
    } else if (binary) {
      double[] c = spec.priorControl();
      double[] t = spec.priorTreatment();
      data = format("beta(%s,%s) control, beta(%s,%s) treatment", c[0], c[1], t[0], t[1]);
    } else if (spec.covariates().isEmpty()) {
      double[] p = spec.nigPrior();
      data = format("nig(mu0=%s,kappa0=%s,alpha0=%s,beta0=%s) per arm", p[0], p[1], p[2], p[3]);
    } else {
      double[] p = spec.regressionPrior();
      data =
          format("conjugate regression beta~N(0,sigma2*%s*I), sigma2~IG(%s,%s)", p[0], p[1], p[2]);
    }
    if (fit == null) {
      return data;
    }
    return String.format(
        Locale.ROOT,
        "normal(mu,tau^2) across segments by %s (empirical Bayes); segment estimates: %s",
        fit.method(),
        binary || spec.inputKind() == InputKind.ESTIMATES ? data : "OLS");
  }

  /** The prior statement of a group pooled by {@code --pooling full}. */
  static String describeFull(JobSpec spec, boolean binary) {
    double[] m = spec.muPrior();
    return String.format(
        Locale.ROOT,
        "normal(mu,tau^2) across segments, full Bayes over a tau grid (BDA 5.4): tau ~ %s, mu ~ %s;"
            + " segment estimates: %s",
        spec.tauPrior(),
        m == null ? "flat" : "normal(" + g(m[0]) + "," + g(m[1]) + "^2)",
        binary || spec.inputKind() == InputKind.ESTIMATES ? describe(spec, binary, null) : "OLS");
  }

  /** Per metric, the prior of its unpooled (bayes_*) posteriors. */
  static Map<String, String> byMetric(JobSpec spec) {
    Map<String, String> m = new HashMap<>();
    for (MetricSpec metric : spec.metricSpecs()) {
      m.put(metric.column(), describe(spec, metric.binary(), null));
    }
    return m;
  }

  /** {@code template} filled with each value in the tables' short number format ({@link #g}). */
  private static String format(String template, double... values) {
    Object[] shown = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      shown[i] = g(values[i]);
    }
    return String.format(Locale.ROOT, template, shown);
  }

  /** {@code v} to 6 significant digits without trailing zeros. */
  private static String g(double v) {
    return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
  }

  /** The control level's posterior parameters: Beta {a, b} or Student-t {m, scale, dof}. */
  static double[] baseline(JobSpec spec, SegmentEstimate e) {
    if (e.fromEstimates()) {
      return new double[0];
    }
    if (e.binary()) {
      BetaBinomial c = controlBeta(spec, e);
      return new double[] {c.alpha(), c.beta()};
    }
    NigPosterior c = NigPosterior.of(e.nControl(), e.meanControl(), e.ssControl(), spec.nigPrior());
    return new double[] {c.mu(), c.scale(), c.dof()};
  }

  /** {a1, b1, a0, b0} of the two arms' Beta posteriors. */
  static double[] betaDiff(JobSpec spec, SegmentEstimate e) {
    BetaBinomial c = controlBeta(spec, e);
    BetaBinomial t =
        BetaBinomial.posterior(
            spec.priorTreatment()[0],
            spec.priorTreatment()[1],
            e.successesTreatment(),
            e.nTreatment());
    return new double[] {t.alpha(), t.beta(), c.alpha(), c.beta()};
  }

  /** {m1, scale1, dof1, m0, scale0, dof0} of the two arms' NIG mean posteriors. */
  static double[] nigDiff(JobSpec spec, SegmentEstimate e) {
    NigPosterior t =
        NigPosterior.of(e.nTreatment(), e.meanTreatment(), e.ssTreatment(), spec.nigPrior());
    NigPosterior c = NigPosterior.of(e.nControl(), e.meanControl(), e.ssControl(), spec.nigPrior());
    return new double[] {t.mu(), t.scale(), t.dof(), c.mu(), c.scale(), c.dof()};
  }

  private static BetaBinomial controlBeta(JobSpec spec, SegmentEstimate e) {
    return BetaBinomial.posterior(
        spec.priorControl()[0], spec.priorControl()[1], e.successesControl(), e.nControl());
  }
}
