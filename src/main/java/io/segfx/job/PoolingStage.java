package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.GroupKey;
import io.segfx.model.PoolingMethod;
import io.segfx.model.PoolingOutcome;
import io.segfx.model.PosteriorSource;
import io.segfx.model.PosteriorSummary;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import io.segfx.stats.MixtureDecision;
import io.segfx.stats.NormalSummary;
import io.segfx.stats.PooledPosterior;
import io.segfx.stats.SegmentDraw;
import io.segfx.stats.Shrinkage;
import io.segfx.stats.pooling.HierarchicalPosterior;
import io.segfx.stats.pooling.KnappHartung;
import io.segfx.stats.pooling.PooledFit;
import io.segfx.stats.pooling.PoolingEstimator;
import io.segfx.stats.pooling.PoolingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 2, on the driver: completes the grid of segment cells, pools each (experiment, metric,
 * variant) by empirical Bayes (or full Bayes over a tau grid) and computes the closed-form
 * posterior of every usable segment; under full Bayes the segment posteriors are normal mixtures
 * over the grid, summarised in stage 3 on the executors ({@link MixtureDecision}). The inputs are
 * the collected segment estimates (thousands of experiments × tens of segments).
 */
public final class PoolingStage {
  private static final Logger LOG = LoggerFactory.getLogger(PoolingStage.class);

  private PoolingStage() {}

  /**
   * Stage-2 results.
   *
   * @param estimates the complete, sorted segment grid, each cell with its sample-ratio p-value
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
    // Each cell gets its sample-ratio p-value as the grid is made, so that the grid is the one copy
    // of the cells that the rest of the run reads.
    List<SegmentEstimate> grid = new SampleRatioCheck(spec).cells(SegmentGrid.complete(raw));
    // The grid is sorted by (experiment, metric, variant, segment): each group is one run of it,
    // and the runs come in key order.
    List<Map.Entry<GroupKey, List<SegmentEstimate>>> entries = new ArrayList<>();
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
        entries.add(Map.entry(new GroupKey(e.experimentId(), e.metric(), e.variant()), run));
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
        GroupKey k = entries.get(i).getKey();
        undecided.add(
            DecisionMetrics.insufficientData(k.experiment(), k.metric(), k.variant(), ""));
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
  private static GroupOut poolSafely(GroupKey key, List<SegmentEstimate> cells, JobSpec spec) {
    try {
      return poolGroup(key, cells, spec);
    } catch (ArithmeticException | IllegalArgumentException e) {
      LOG.warn(
          "group [{}, {}, {}] not pooled: {}",
          key.experiment(),
          key.metric(),
          key.variant(),
          e.toString());
      String note =
          "not pooled: the estimator failed on these segments ("
              + e.getMessage()
              + "); check their estimates and standard errors";
      ExperimentPooling failed =
          ExperimentPooling.notPooled(
              key.experiment(),
              key.metric(),
              key.variant(),
              PoolingOutcome.FAILED,
              usable(cells).size(),
              cells.size(),
              note,
              "");
      return new GroupOut(failed, new ArrayList<>(), null);
    }
  }

  /** The cells of a group that enter pooling, in grid order. */
  private static List<SegmentEstimate> usable(List<SegmentEstimate> cells) {
    List<SegmentEstimate> usable = new ArrayList<>();
    for (SegmentEstimate e : cells) {
      if (e.usable()) {
        usable.add(e);
      }
    }
    return usable;
  }

  /**
   * Pools one group: fits the run's {@link PoolingEstimator} when enough segments are usable, and
   * gives each usable segment what stage 3 draws from (and, where it is closed-form here, its
   * posterior row).
   */
  private static GroupOut poolGroup(GroupKey key, List<SegmentEstimate> cells, JobSpec spec) {
    List<SegmentEstimate> usable = usable(cells);
    int k = usable.size();
    double[] y = new double[k];
    double[] se = new double[k];
    for (int j = 0; j < k; j++) {
      y[j] = usable.get(j).estimate();
      se[j] = usable.get(j).stdError();
    }
    boolean binary = cells.get(0).binary();
    PooledFit fit = k >= spec.minSegments() ? estimator(spec).fit(y, se) : null;
    String note = note(fit, k, spec);
    String prior =
        fit == null
            ? Priors.describe(spec, binary, null)
            : fit.fullBayes()
                ? Priors.describeFull(spec, binary)
                : Priors.describe(spec, binary, fit.estimate());
    ExperimentPooling pooled = pooled(key, fit, spec.pooling(), k, cells.size(), note, prior);
    List<SegmentPosterior> posteriors = new ArrayList<>();
    if (k == 0) {
      return new GroupOut(pooled, posteriors, null);
    }
    long units = 0;
    long[] n = new long[k];
    for (int j = 0; j < k; j++) {
      n[j] = usable.get(j).nControl() + usable.get(j).nTreatment();
      units += n[j];
    }
    SegmentDraw[] segs = new SegmentDraw[k];
    for (int j = 0; j < k; j++) {
      SegmentEstimate e = usable.get(j);
      // The baseline first: where both it and the effect fail, the note names the baseline's error.
      double[] baseline = Priors.baseline(spec, e);
      Effect effect = effect(key, e, n[j], fit, spec, prior, posteriors);
      segs[j] =
          new SegmentDraw(
              e.segment(),
              (double) n[j] / units,
              effect.kind(),
              effect.params(),
              baselineKind(e),
              baseline,
              effect.summarise());
    }
    HierarchicalPosterior shared = fit == null ? null : fit.posterior();
    return new GroupOut(
        pooled,
        posteriors,
        new PooledPosterior(key.experiment(), key.metric(), key.variant(), segs, n, prior, shared));
  }

  /** The estimator of the run's {@code --pooling} method. */
  static PoolingEstimator estimator(JobSpec spec) {
    return switch (spec.pooling()) {
      case MOMENTS -> new PoolingEstimator.Moments(spec.momentsFloor());
      case DL -> new PoolingEstimator.Dl(spec.khTruncate());
      case REML -> new PoolingEstimator.RemlOrDl(spec.khTruncate());
      case FULL ->
          new PoolingEstimator.FullBayes(StatsSettings.tauPrior(spec.tauPrior()), spec.muPrior());
    };
  }

  /** The note of a group's pooling row: why it is not pooled, or what is special about its fit. */
  private static String note(PooledFit fit, int k, JobSpec spec) {
    if (fit == null) {
      return "fewer than " + spec.minSegments() + " usable segments; not pooled";
    }
    if (fit.fullBayes()) {
      boolean tau = Double.isInfinite(fit.posterior().tauMean());
      boolean mu = Double.isInfinite(fit.posterior().muSd());
      if (!tau && !mu) {
        return "";
      }
      return (tau && mu ? "E[tau] and sd(mu)" : tau ? "E[tau]" : "sd(mu)")
          + " infinite: with "
          + k
          + " segments the "
          + spec.tauPrior()
          + " prior leaves tau's posterior tail too heavy; use the quantiles, or a proper tau"
          + " prior";
    }
    if (fit.tauZero()) {
      return "tau = 0: no detectable heterogeneity; segments pooled completely";
    }
    return fit.fellBack() ? "reml did not converge; dl used" : "";
  }

  /**
   * The pooling row of a group: {@link PoolingOutcome#NONE} without a fit, else the method whose
   * estimate stands (dl where REML fell back to it).
   */
  private static ExperimentPooling pooled(
      GroupKey key,
      PooledFit fit,
      PoolingMethod chosen,
      int k,
      int total,
      String note,
      String prior) {
    if (fit == null) {
      return ExperimentPooling.notPooled(
          key.experiment(),
          key.metric(),
          key.variant(),
          PoolingOutcome.NONE,
          k,
          total,
          note,
          prior);
    }
    HierarchicalPosterior h = fit.posterior();
    KnappHartung kh = fit.knappHartung();
    double nan = Double.NaN;
    return new ExperimentPooling(
        key.experiment(),
        key.metric(),
        key.variant(),
        PoolingOutcome.of(fit.fellBack() ? PoolingMethod.DL : chosen),
        h.muMean(),
        h.muSd(),
        h.tauMean(),
        k,
        total,
        note,
        prior,
        h.muQ025(),
        h.muQ975(),
        h.tauQ025(),
        h.tauQ975(),
        kh == null ? nan : kh.se(),
        kh == null ? nan : kh.q025(),
        kh == null ? nan : kh.q975(),
        fit.tauZero());
  }

  /** The kind of a segment's baseline (control level) posterior. */
  private static SegmentDraw.Kind baselineKind(SegmentEstimate e) {
    return e.fromEstimates()
        ? SegmentDraw.Kind.NONE
        : e.binary() ? SegmentDraw.Kind.BETA : SegmentDraw.Kind.STUDENT;
  }

  /**
   * What stage 3 draws for a segment's effect.
   *
   * @param kind the effect's kind
   * @param params its parameters
   * @param summarise true when the segment's posterior summary must come from the draws
   */
  private record Effect(SegmentDraw.Kind kind, double[] params, boolean summarise) {}

  /**
   * A segment's effect posterior: the normal of its pooled (empirical-Bayes) or unpooled
   * closed-form posterior, whose row it adds to {@code posteriors}; under full Bayes a placeholder,
   * as theta_j | y is a mixture over the grid that stage 3 summarises from the broadcast hierarchy
   * ({@link MixtureDecision}); unpooled Beta–Binomial and NIG differences, which only draws
   * summarise; or a conjugate regression's Student-t, whose row it adds.
   */
  private static Effect effect(
      GroupKey key,
      SegmentEstimate e,
      long n,
      PooledFit fit,
      JobSpec spec,
      String prior,
      List<SegmentPosterior> posteriors) {
    if (fit != null && fit.fullBayes()) {
      return new Effect(SegmentDraw.Kind.NORMAL, new double[] {Double.NaN, Double.NaN}, false);
    }
    double y = e.estimate();
    double se = e.stdError();
    if (fit != null) {
      PoolingResult r = fit.estimate();
      Shrinkage.Posterior p = Shrinkage.posterior(y, se, r.mu(), r.muSe(), r.tau2());
      NormalSummary s = NormalSummary.of(p.mean(), p.sd(), spec.threshold(e.metric()));
      posteriors.add(
          PosteriorRows.segment(
              key, e.segment(), s, p.weightOnRaw(), n, PosteriorSource.NORMAL, prior));
      return new Effect(SegmentDraw.Kind.NORMAL, new double[] {p.mean(), p.sd()}, false);
    }
    if (e.fromEstimates()) {
      NormalSummary s = NormalSummary.of(y, se, spec.threshold(e.metric()));
      posteriors.add(
          PosteriorRows.segment(key, e.segment(), s, 1.0, n, PosteriorSource.NORMAL, prior));
      return new Effect(SegmentDraw.Kind.NORMAL, new double[] {y, se}, false);
    }
    if (e.binary()) {
      return new Effect(SegmentDraw.Kind.BETA_DIFF, Priors.betaDiff(spec, e), true);
    }
    if (spec.covariates().isEmpty() || Double.isNaN(e.bayesMean())) {
      return new Effect(SegmentDraw.Kind.STUDENT_DIFF, Priors.nigDiff(spec, e), true);
    }
    posteriors.add(studentPosterior(e, n, prior));
    return new Effect(
        SegmentDraw.Kind.STUDENT,
        new double[] {e.bayesMean(), e.bayesScale(), e.bayesDof()},
        false);
  }

  /** A segment's Student-t posterior row from its conjugate regression's exact summary. */
  private static SegmentPosterior studentPosterior(SegmentEstimate e, long n, String prior) {
    PosteriorSummary t = e.bayesSummary();
    return new SegmentPosterior(
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
        n,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        PosteriorSource.STUDENT_T,
        prior);
  }
}
