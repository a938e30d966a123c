package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.PooledPosterior;
import io.segfx.model.PoolingMethod;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import io.segfx.model.Status;
import io.segfx.stats.NormalSummary;
import io.segfx.stats.SegmentDraw;
import io.segfx.stats.Shrinkage;
import io.segfx.stats.StudentSummary;
import io.segfx.stats.pooling.DerSimonianLaird;
import io.segfx.stats.pooling.FullBayesPooling;
import io.segfx.stats.pooling.HierarchicalPosterior;
import io.segfx.stats.pooling.KnappHartung;
import io.segfx.stats.pooling.MomentsPooling;
import io.segfx.stats.pooling.PoolingResult;
import io.segfx.stats.pooling.Reml;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Stage 2, on the driver: completes the grid of segment cells, pools each (experiment, metric,
 * variant) by empirical Bayes (or full Bayes over a tau grid) and computes the closed-form
 * posterior of every usable segment; under full Bayes the segment posteriors are normal mixtures
 * over the grid, summarised in stage 3 on the executors ({@link io.segfx.stats.MixtureDecision}).
 * The inputs are the collected segment estimates (thousands of experiments × tens of segments).
 */
public final class PoolingStage {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PoolingStage.class);

  /** The {@code method} written when a group has too few usable segments to pool. */
  public static final String NO_POOLING = "none";

  /** The fully Bayesian method of {@code --pooling}. */
  public static final String FULL = "full";

  private PoolingStage() {}

  /**
   * Stage-2 results.
   *
   * @param estimates the complete, sorted segment grid
   * @param pooling one row per (experiment, metric, variant)
   * @param posteriors one row per usable segment whose posterior is summarised here (not those of
   *     full-Bayes groups, nor those stage 3 summarises from draws)
   * @param draws what stage 3 draws from, one per group with at least one usable segment
   * @param undecided decision rows of groups without any usable segment
   */
  public record Result(
      List<SegmentEstimate> estimates,
      List<ExperimentPooling> pooling,
      List<SegmentPosterior> posteriors,
      List<PooledPosterior> draws,
      List<DecisionMetrics> undecided) {}

  /** Runs stage 2. */
  public static Result run(List<SegmentEstimate> raw, JobSpec spec) {
    List<SegmentEstimate> grid = completeGrid(raw);
    // The grid is sorted by (experiment, metric, variant, segment): each group is one run of it,
    // and the runs come in key order.
    List<Map.Entry<List<String>, List<SegmentEstimate>>> entries = new ArrayList<>();
    List<SegmentEstimate> run = null;
    SegmentEstimate first = null;
    for (SegmentEstimate e : grid) {
      if (e.variant() == null) {
        continue;
      }
      if (first == null
          || !e.experimentId().equals(first.experimentId())
          || !e.metric().equals(first.metric())
          || !e.variant().equals(first.variant())) {
        first = e;
        run = new ArrayList<>();
        entries.add(Map.entry(List.of(e.experimentId(), e.metric(), e.variant()), run));
      }
      run.add(e);
    }
    // Groups are independent: pooled in parallel on the driver's cores, collected in key order.
    List<GroupOut> outs =
        entries.parallelStream().map(g -> poolSafely(g.getKey(), g.getValue(), spec)).toList();
    List<ExperimentPooling> pooling = new ArrayList<>();
    List<SegmentPosterior> posteriors = new ArrayList<>();
    List<PooledPosterior> draws = new ArrayList<>();
    List<DecisionMetrics> undecided = new ArrayList<>();
    for (int i = 0; i < outs.size(); i++) {
      GroupOut o = outs.get(i);
      pooling.add(o.pooling());
      posteriors.addAll(o.posteriors());
      if (o.draw() != null) {
        draws.add(o.draw());
      } else {
        List<String> k = entries.get(i).getKey();
        undecided.add(DecisionMetrics.insufficientData(k.get(0), k.get(1), k.get(2), ""));
      }
    }
    return new Result(grid, pooling, posteriors, draws, undecided);
  }

  /** One group's stage-2 output; {@code draw} is null when no segment is usable. */
  private record GroupOut(
      ExperimentPooling pooling, List<SegmentPosterior> posteriors, PooledPosterior draw) {}

  /**
   * Pools one group; a group whose numbers defeat the estimator (an arithmetic failure on extreme
   * inputs) gets no pooled posterior, a note with the reason and decision {@code
   * insufficient_data}, and the other groups go on.
   */
  private static GroupOut poolSafely(List<String> key, List<SegmentEstimate> cells, JobSpec spec) {
    try {
      return poolGroup(key, cells, spec);
    } catch (ArithmeticException | IllegalArgumentException e) {
      LOG.warn("group {} not pooled: {}", key, e.toString());
      int usable = 0;
      for (SegmentEstimate c : cells) {
        usable += c.usable() ? 1 : 0;
      }
      double nan = Double.NaN;
      String note =
          "not pooled: the estimator failed on these segments ("
              + e.getMessage()
              + "); check their estimates and standard errors";
      return new GroupOut(
          new ExperimentPooling(
              key.get(0),
              key.get(1),
              key.get(2),
              FAILED,
              nan,
              nan,
              nan,
              usable,
              cells.size(),
              note,
              "",
              nan,
              nan,
              nan,
              nan,
              nan,
              nan,
              nan,
              false),
          new ArrayList<>(),
          null);
    }
  }

  /** {@code method} of a group whose pooling failed. */
  static final String FAILED = "failed";

  /** Pools one group. */
  private static GroupOut poolGroup(List<String> key, List<SegmentEstimate> cells, JobSpec spec) {
    List<SegmentPosterior> posteriors = new ArrayList<>();
    List<SegmentEstimate> usable = new ArrayList<>();
    for (SegmentEstimate e : cells) {
      if (e.usable()) {
        usable.add(e);
      }
    }
    int k = usable.size();
    double[] y = new double[k];
    double[] se = new double[k];
    long units = 0;
    for (int j = 0; j < k; j++) {
      y[j] = usable.get(j).estimate();
      se[j] = usable.get(j).stdError();
      units += usable.get(j).nControl() + usable.get(j).nTreatment();
    }
    PoolingResult fit = null;
    HierarchicalPosterior full = null;
    String note = "";
    if (k >= spec.minSegments() && spec.pooling() == PoolingMethod.FULL) {
      full = FullBayesPooling.fit(y, se, spec.tauPrior(), spec.muPrior());
      if (Double.isInfinite(full.tauMean()) || Double.isInfinite(full.muSd())) {
        boolean both = Double.isInfinite(full.tauMean()) && Double.isInfinite(full.muSd());
        note =
            (both ? "E[tau] and sd(mu)" : Double.isInfinite(full.tauMean()) ? "E[tau]" : "sd(mu)")
                + " infinite: with "
                + k
                + " segments the "
                + spec.tauPrior()
                + " prior leaves tau's posterior tail too heavy; use the quantiles, or a proper tau"
                + " prior";
      }
    } else if (k >= spec.minSegments()) {
      try {
        fit = pool(spec, y, se);
      } catch (ArithmeticException ex) {
        fit = DerSimonianLaird.fit(y, se);
        note = "reml did not converge; dl used";
      }
      if (fit.tau2() == 0) {
        note = "tau = 0: no detectable heterogeneity; segments pooled completely";
      }
    } else {
      note = "fewer than " + spec.minSegments() + " usable segments; not pooled";
    }
    String prior =
        full != null
            ? Priors.describeFull(spec, cells.get(0).binary())
            : Priors.describe(spec, cells.get(0).binary(), fit);
    ExperimentPooling pooled;
    double nan = Double.NaN;
    if (full != null) {
      pooled =
          new ExperimentPooling(
              key.get(0),
              key.get(1),
              key.get(2),
              FULL,
              full.muMean(),
              full.muSd(),
              full.tauMean(),
              k,
              cells.size(),
              note,
              prior,
              full.muQ025(),
              full.muQ975(),
              full.tauQ025(),
              full.tauQ975(),
              nan,
              nan,
              nan,
              false);
    } else if (fit != null) {
      KnappHartung kh =
          "reml".equals(fit.method()) || "dl".equals(fit.method())
              ? KnappHartung.of(y, se, fit.mu(), fit.tau2(), spec.khTruncate())
              : null;
      pooled =
          new ExperimentPooling(
              key.get(0),
              key.get(1),
              key.get(2),
              fit.method(),
              fit.mu(),
              fit.muSe(),
              fit.tau(),
              k,
              cells.size(),
              note,
              prior,
              fit.mu() - NormalSummary.Z975 * fit.muSe(),
              fit.mu() + NormalSummary.Z975 * fit.muSe(),
              nan,
              nan,
              kh == null ? nan : kh.se(),
              kh == null ? nan : kh.q025(),
              kh == null ? nan : kh.q975(),
              fit.tau2() == 0);
    } else {
      pooled =
          new ExperimentPooling(
              key.get(0),
              key.get(1),
              key.get(2),
              NO_POOLING,
              nan,
              nan,
              nan,
              k,
              cells.size(),
              note,
              prior,
              nan,
              nan,
              nan,
              nan,
              nan,
              nan,
              nan,
              false);
    }
    if (k == 0) {
      return new GroupOut(pooled, posteriors, null);
    }
    SegmentDraw[] segs = new SegmentDraw[k];
    long[] n = new long[k];
    for (int j = 0; j < k; j++) {
      SegmentEstimate e = usable.get(j);
      n[j] = e.nControl() + e.nTreatment();
      double share = (double) n[j] / units;
      double[] baseline = Priors.baseline(spec, e);
      int baselineKind =
          e.fromEstimates()
              ? SegmentDraw.NONE
              : e.binary() ? SegmentDraw.BETA : SegmentDraw.STUDENT;
      if (full != null) {
        // theta_j | y is a mixture over the grid, summarised in stage 3 from the broadcast
        // hierarchy (MixtureDecision): the draw carries only the share and the baseline.
        segs[j] =
            new SegmentDraw(
                e.segment(),
                share,
                SegmentDraw.NORMAL,
                new double[] {Double.NaN, Double.NaN},
                baselineKind,
                baseline,
                false);
      } else if (fit != null) {
        Shrinkage.Posterior p = Shrinkage.posterior(y[j], se[j], fit.mu(), fit.muSe(), fit.tau2());
        NormalSummary s = NormalSummary.of(p.mean(), p.sd(), spec.threshold(e.metric()));
        posteriors.add(normalPosterior(e, s, p.weightOnRaw(), n[j], prior));
        segs[j] =
            new SegmentDraw(
                e.segment(),
                share,
                SegmentDraw.NORMAL,
                new double[] {p.mean(), p.sd()},
                baselineKind,
                baseline,
                false);
      } else if (e.fromEstimates()) {
        NormalSummary s = NormalSummary.of(y[j], se[j], spec.threshold(e.metric()));
        posteriors.add(normalPosterior(e, s, 1.0, n[j], prior));
        segs[j] =
            new SegmentDraw(
                e.segment(),
                share,
                SegmentDraw.NORMAL,
                new double[] {y[j], se[j]},
                baselineKind,
                baseline,
                false);
      } else if (e.binary()) {
        segs[j] =
            new SegmentDraw(
                e.segment(),
                share,
                SegmentDraw.BETA_DIFF,
                Priors.betaDiff(spec, e),
                baselineKind,
                baseline,
                true);
      } else if (spec.covariates().isEmpty() || Double.isNaN(e.bayesMean())) {
        segs[j] =
            new SegmentDraw(
                e.segment(),
                share,
                SegmentDraw.STUDENT_DIFF,
                Priors.nigDiff(spec, e),
                baselineKind,
                baseline,
                true);
      } else {
        StudentSummary t = e.bayesSummary();
        posteriors.add(
            new SegmentPosterior(
                e.experimentId(),
                e.metric(),
                e.variant(),
                e.segment(),
                t.mean(),
                t.sd(),
                t.q025(),
                t.q975(),
                t.probPositive(),
                t.probAboveThreshold(),
                1.0,
                n[j],
                Double.NaN,
                Double.NaN,
                "student_t",
                prior));
        segs[j] =
            new SegmentDraw(
                e.segment(),
                share,
                SegmentDraw.STUDENT,
                new double[] {e.bayesMean(), e.bayesScale(), e.bayesDof()},
                baselineKind,
                baseline,
                false);
      }
    }
    HierarchicalPosterior shared =
        full != null
            ? full
            : fit != null
                ? HierarchicalPosterior.plugIn(y, se, fit.mu(), fit.muSe(), fit.tau2())
                : null;
    return new GroupOut(
        pooled,
        posteriors,
        new PooledPosterior(key.get(0), key.get(1), key.get(2), segs, n, prior, shared));
  }

  /** A segment's normal posterior row from its closed-form summary. */
  private static SegmentPosterior normalPosterior(
      SegmentEstimate e, NormalSummary s, double weightOnRaw, long n, String prior) {
    return new SegmentPosterior(
        e.experimentId(),
        e.metric(),
        e.variant(),
        e.segment(),
        s.mean(),
        s.sd(),
        s.q025(),
        s.q975(),
        s.probPositive(),
        s.probAboveThreshold(),
        weightOnRaw,
        n,
        Double.NaN,
        Double.NaN,
        "normal",
        prior);
  }

  static PoolingResult pool(JobSpec spec, double[] y, double[] se) {
    return switch (spec.pooling()) {
      case MOMENTS -> MomentsPooling.fit(y, se, spec.momentsFloor());
      case DL -> DerSimonianLaird.fit(y, se);
      case REML -> Reml.fit(y, se);
      case FULL ->
          throw new IllegalArgumentException("full pooling has no point estimate of tau^2");
    };
  }

  /**
   * Adds the cells stage 1 cannot see: a variant of the experiment with no rows in a segment gets
   * an {@code empty_treatment} cell (with the segment's control count). Control-only markers are
   * kept only for experiments with no variant at all. The result is sorted by experiment, metric,
   * variant, segment.
   */
  static List<SegmentEstimate> completeGrid(List<SegmentEstimate> raw) {
    Map<String, List<SegmentEstimate>> byExperiment = new HashMap<>();
    for (SegmentEstimate e : raw) {
      byExperiment.computeIfAbsent(e.experimentId(), k -> new ArrayList<>()).add(e);
    }
    // Experiments are independent, so they are completed on the driver's cores; the one sort at
    // the end fixes the order (the keys are unique, so the order is total).
    List<SegmentEstimate> out =
        byExperiment.values().parallelStream()
            .flatMap(rows -> completeExperiment(rows).stream())
            .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    GroupKeys.sortParallel(
        out,
        Comparator.comparing(SegmentEstimate::experimentId)
            .thenComparing(SegmentEstimate::metric)
            .thenComparing(e -> Objects.toString(e.variant(), ""))
            .thenComparing(SegmentEstimate::segment));
    return out;
  }

  /** {@link #completeGrid} of one experiment's cells (in no particular order). */
  private static List<SegmentEstimate> completeExperiment(List<SegmentEstimate> rows) {
    TreeSet<String> variants = new TreeSet<>();
    TreeSet<String> metrics = new TreeSet<>();
    Map<String, String> kinds = new HashMap<>();
    Map<String, Long> controlCount = new HashMap<>();
    int controlOnly = 0;
    for (SegmentEstimate e : rows) {
      metrics.add(e.metric());
      kinds.put(e.metric(), e.kind());
      if (e.variant() != null) {
        variants.add(e.variant());
      } else {
        controlOnly++;
      }
      controlCount.put(e.segment(), e.nControl());
    }
    if (variants.isEmpty()) {
      return rows;
    }
    // Usually complete: every (metric, variant, segment) once and no control-only marker.
    if (controlOnly == 0
        && rows.size() == (long) metrics.size() * variants.size() * controlCount.size()) {
      return rows;
    }
    Map<List<String>, SegmentEstimate> present = new HashMap<>();
    for (SegmentEstimate e : rows) {
      if (e.variant() != null) {
        present.put(List.of(e.metric(), e.variant(), e.segment()), e);
      }
    }
    List<SegmentEstimate> out = new ArrayList<>(present.values());
    for (Map.Entry<String, Long> seg : controlCount.entrySet()) {
      for (String metric : metrics) {
        for (String variant : variants) {
          if (!present.containsKey(List.of(metric, variant, seg.getKey()))) {
            out.add(
                SegmentEstimate.empty(
                    rows.get(0).experimentId(),
                    metric,
                    variant,
                    seg.getKey(),
                    seg.getValue(),
                    0,
                    Status.EMPTY_TREATMENT.code(),
                    kinds.get(metric)));
          }
        }
      }
    }
    return out;
  }

  static int compareKeys(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
