package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.model.SegmentEstimate;
import io.segfx.stats.BetaBinomial;
import io.segfx.stats.NigPosterior;
import io.segfx.stats.pooling.PoolingResult;
import java.util.Locale;

/**
 * The priors of a run: their parameters for the draws, and their description for the output tables
 * (the notebook's failure mode 3: never report a posterior without its prior).
 */
final class Priors {
  private Priors() {}

  /** A human-readable statement of the prior behind a group's posterior. */
  static String describe(JobSpec spec, boolean binary, PoolingResult fit) {
    String data;
    if (spec.inputKind() == io.segfx.model.InputKind.ESTIMATES) {
      data = "flat on each segment effect (estimates input: N(estimate, std_error^2))";
    } else if (binary) {
      data =
          String.format(
              Locale.ROOT,
              "beta(%s,%s) control, beta(%s,%s) treatment",
              g(spec.priorControl()[0]),
              g(spec.priorControl()[1]),
              g(spec.priorTreatment()[0]),
              g(spec.priorTreatment()[1]));
    } else if (spec.covariates().isEmpty()) {
      double[] p = spec.nigPrior();
      data =
          String.format(
              Locale.ROOT,
              "nig(mu0=%s,kappa0=%s,alpha0=%s,beta0=%s) per arm",
              g(p[0]),
              g(p[1]),
              g(p[2]),
              g(p[3]));
    } else {
      double[] p = spec.regressionPrior();
      data =
          String.format(
              Locale.ROOT,
              "conjugate regression beta~N(0,sigma2*%s*I), sigma2~IG(%s,%s)",
              g(p[0]),
              g(p[1]),
              g(p[2]));
    }
    if (fit == null) {
      return data;
    }
    return String.format(
        Locale.ROOT,
        "normal(mu,tau^2) across segments by %s (empirical Bayes); segment estimates: %s",
        fit.method(),
        binary || spec.inputKind() == io.segfx.model.InputKind.ESTIMATES ? data : "OLS");
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
        binary || spec.inputKind() == io.segfx.model.InputKind.ESTIMATES
            ? describe(spec, binary, null)
            : "OLS");
  }

  /** Per metric, the prior of its unpooled (bayes_*) posteriors. */
  static java.util.Map<String, String> byMetric(JobSpec spec) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    for (io.segfx.model.MetricSpec metric : spec.metricSpecs()) {
      m.put(metric.column(), describe(spec, metric.binary(), null));
    }
    return m;
  }

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
