package io.segfx.stats;

import java.io.Serializable;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Causal impact of an intervention on one time series (seed notebook section 10; Brodersen et al.
 * 2015, "Inferring causal impact using Bayesian structural time-series models", Ann. Appl. Stat.
 * 9:247): the {@link CounterfactualRegression} of the outcome on the control series (and a linear
 * trend) over the pre-period predicts the post-period without the intervention; impact = observed −
 * counterfactual.
 *
 * <p>Average and cumulative impact, every pointwise value and every running sum are exact Student-t
 * posteriors (no draws). The relative effect, cumulative impact over the absolute cumulative
 * counterfactual (so its sign is the impact's even when the counterfactual is negative, which
 * CausalImpact's ratio gets wrong), is summarised from draws of the predictive sum. The tail-area
 * probability is CausalImpact's: p = min(P(cumulative impact ≤ 0), P(≥ 0)); the probability of a
 * causal effect is 1 − p; {@code significant} means the 1 − alpha interval of the cumulative impact
 * excludes 0 (p < alpha/2), which a no-effect series shows with probability alpha.
 *
 * <p>A pre-period design (intercept, controls, trend) without full column rank by {@link
 * DesignRank} gives the status {@code singular_controls}: the data cannot separate the collinear
 * coefficients, and the post-period would be extrapolated along a direction only the prior sets.
 *
 * <p>{@code season} ≥ 2 adds the N − 1 {@link SeasonalDummies} columns to the design of either
 * model (a pre-period without every season gets {@code too_few_seasons}). The control prior {@link
 * #SPIKE_SLAB} replaces the regression's counterfactual by {@link SpikeSlab}'s model-averaged
 * draws, summarised as the local level's are, and its diagnostics, placebos, rank check and points
 * needed are the sparse model's ({@link SparseImpact}). Each result carries every control's
 * coefficient ({@link Control}): the conjugate posterior's, the local level's Gibbs draws', or the
 * spike-and-slab average with its inclusion probability.
 *
 * <p>Guards: a placebo check refits, with the reported effect's control prior, at fake intervention
 * points inside the pre-period and reports {@code placebo_p} = (1 + #{placebo |average impact| ≥
 * real |average impact|}) / (1 + placebos); the lag-1 autocorrelation of pre-period residuals is
 * reported and flagged beyond ±1.96/√n_pre (residuals that drift make the counterfactual's interval
 * too narrow). A series that cannot be analysed carries the points its fit needs and its first
 * duplicated time, so the memo can say what to fix.
 */
public final class ImpactAnalysis {
  private ImpactAnalysis() {}

  /** Statuses of a series. */
  public static final String OK = "ok";

  /**
   * Settings.
   *
   * @param trend add a linear time trend regressor
   * @param alpha significance level of {@code significant}
   * @param draws draws of the predictive sum for the relative effect
   * @param v0 prior scale of the coefficients (beta ~ N(0, sigma² v0 I))
   * @param a0 inverse-gamma shape of sigma²
   * @param b0 inverse-gamma scale of sigma²
   * @param placebos number of placebo intervention points
   * @param model {@link #REGRESSION} or {@link #LOCAL_LEVEL}
   * @param burn Gibbs burn-in iterations (local level, spike-and-slab)
   * @param gibbsDraws kept Gibbs draws (local level, spike-and-slab)
   * @param season number of seasons N of the {@link SeasonalDummies} (0: none)
   * @param seasonDuration points per season D
   * @param controlPrior {@link #NORMAL} or {@link #SPIKE_SLAB}
   * @param expectedSize the spike-and-slab prior's expected number of controls in the model
   */
  public record Settings(
      boolean trend,
      double alpha,
      int draws,
      double v0,
      double a0,
      double b0,
      int placebos,
      String model,
      int burn,
      int gibbsDraws,
      int season,
      int seasonDuration,
      String controlPrior,
      double expectedSize)
      implements Serializable {

    /** The regression model (no Gibbs sampler). */
    public Settings(
        boolean trend, double alpha, int draws, double v0, double a0, double b0, int placebos) {
      this(trend, alpha, draws, v0, a0, b0, placebos, REGRESSION, 0, 0);
    }

    /** No seasons, the normal prior on the controls. */
    public Settings(
        boolean trend,
        double alpha,
        int draws,
        double v0,
        double a0,
        double b0,
        int placebos,
        String model,
        int burn,
        int gibbsDraws) {
      this(trend, alpha, draws, v0, a0, b0, placebos, model, burn, gibbsDraws, 0, 1, NORMAL, 3);
    }

    /** These settings with N seasons of D points each. */
    public Settings withSeason(int n, int d) {
      return new Settings(
          trend,
          alpha,
          draws,
          v0,
          a0,
          b0,
          placebos,
          model,
          burn,
          gibbsDraws,
          n,
          d,
          controlPrior,
          expectedSize);
    }

    /** These settings with the given control prior and expected model size. */
    public Settings withControlPrior(String prior, double size) {
      return new Settings(
          trend,
          alpha,
          draws,
          v0,
          a0,
          b0,
          placebos,
          model,
          burn,
          gibbsDraws,
          season,
          seasonDuration,
          prior,
          size);
    }
  }

  /** {@code --control-prior} values. */
  public static final String NORMAL = "normal";

  public static final String SPIKE_SLAB = "spike-slab";

  /** {@code --model} values. */
  public static final String REGRESSION = "regression";

  public static final String LOCAL_LEVEL = "local-level";

  /** Per-series results; NaN where the status is not {@code ok}. */
  public record Summary(
      String status,
      int nPre,
      int nPost,
      double averageMean,
      double averageSd,
      double averageQ025,
      double averageQ975,
      double averageProbPositive,
      double cumulativeMean,
      double cumulativeSd,
      double cumulativeQ025,
      double cumulativeQ975,
      double cumulativeProbPositive,
      double relativeMean,
      double relativeQ025,
      double relativeQ975,
      double tailAreaP,
      double probCausalEffect,
      boolean significant,
      double preR2,
      double preResidualSd,
      double preResidualAutocorrelation,
      boolean residualDriftFlag,
      double placeboP,
      int placebos,
      double relativeSd,
      int pointsNeeded,
      double duplicateTime,
      int duplicateRows,
      int duplicatedTimes) {

    static Summary failed(String status, int nPre, int nPost) {
      return failed(status, nPre, nPost, 0, new ImpactSeries.Duplicates(Double.NaN, 0, 0));
    }

    static Summary failed(
        String status, int nPre, int nPost, int pointsNeeded, ImpactSeries.Duplicates dup) {
      double n = Double.NaN;
      return new Summary(
          status,
          nPre,
          nPost,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          false,
          n,
          n,
          n,
          false,
          n,
          0,
          n,
          pointsNeeded,
          dup.first(),
          dup.firstRows(),
          dup.times());
    }

    /**
     * A carrier of the pre-period diagnostics ({@code pre} as {@link #preFit} returns them) for a
     * model whose figures come from draws ({@link LocalLevelImpact#summary} copies them).
     */
    static Summary diagnostics(int nPre, int nPost, double[] pre, int needed) {
      double n = Double.NaN;
      return new Summary(
          OK,
          nPre,
          nPost,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          n,
          false,
          pre[0],
          pre[1],
          pre[2],
          pre[3] != 0,
          n,
          0,
          n,
          needed,
          n,
          0,
          0);
    }

    /**
     * This summary with the pre-period diagnostics {@code pre} (as {@link #preFit} returns them)
     * and the placebo check's result.
     */
    Summary withChecks(double[] pre, double p, int count) {
      return new Summary(
          status,
          nPre,
          nPost,
          averageMean,
          averageSd,
          averageQ025,
          averageQ975,
          averageProbPositive,
          cumulativeMean,
          cumulativeSd,
          cumulativeQ025,
          cumulativeQ975,
          cumulativeProbPositive,
          relativeMean,
          relativeQ025,
          relativeQ975,
          tailAreaP,
          probCausalEffect,
          significant,
          pre[0],
          pre[1],
          pre[2],
          pre[3] != 0,
          p,
          count,
          relativeSd,
          pointsNeeded,
          duplicateTime,
          duplicateRows,
          duplicatedTimes);
    }
  }

  /** One row per time point: observed, counterfactual and impact with their 95% intervals. */
  public record Point(
      double time,
      boolean post,
      double observed,
      double counterfactualMean,
      double counterfactualQ025,
      double counterfactualQ975,
      double impactMean,
      double impactQ025,
      double impactQ975,
      double cumulativeMean,
      double cumulativeQ025,
      double cumulativeQ975) {}

  /**
   * One control series' coefficient: its posterior inclusion probability (1 under the normal prior,
   * which keeps every control) and its model-averaged posterior mean and sd (0 in a model without
   * it), in the outcome's units per unit of the control.
   *
   * @param index the control's position in the series' control rows
   */
  public record Control(int index, double inclusionProb, double coefMean, double coefSd) {}

  /**
   * A series' summary, pointwise rows and control coefficients.
   *
   * @param controls one per control, in order; empty when the series is not analysed
   */
  public record Result(Summary summary, Point[] points, Control[] controls) {
    /** A result without control coefficients. */
    public Result(Summary summary, Point[] points) {
      this(summary, points, new Control[0]);
    }

    /** A series that could not be analysed: its status, no figures, no points. */
    public static Result failed(String status, int nPre, int nPost) {
      return new Result(Summary.failed(status, nPre, nPost), new Point[0]);
    }
  }

  /**
   * Analyses one series, its refits seeded from {@code rng}: one draw of it, after the series' own
   * figures, seeds {@link #refitStreams}.
   *
   * @param time time points (any order; duplicates are an error status)
   * @param y outcomes
   * @param controls control series, controls[i] the row of time[i] (NaN = missing)
   * @param post true for rows at or after the intervention (in a window)
   * @param rng this series' stream (see {@link Seeds})
   */
  public static Result analyse(
      double[] time,
      double[] y,
      double[][] controls,
      boolean[] post,
      Settings s,
      UniformRandomProvider rng) {
    return analyse(time, y, controls, post, s, rng, null);
  }

  /**
   * Analyses one series.
   *
   * @param rng this series' stream (see {@link Seeds})
   * @param refits the stream of each sampled refit by name ({@code "placebo 0"}, {@code "placebo
   *     1"}, …, {@code "pre-fit"}), so that a refit's draws depend on the run seed, the series and
   *     the refit alone; null: {@link #refitStreams} seeded by one draw of {@code rng}
   */
  public static Result analyse(
      double[] time,
      double[] y,
      double[][] controls,
      boolean[] post,
      Settings s,
      UniformRandomProvider rng,
      Function<String, UniformRandomProvider> refits) {
    ImpactSeries d = ImpactSeries.sorted(time, y, controls, post);
    int nPre = d.nPre();
    int nPost = d.nPost();
    String problem = d.problem(s);
    int needed = d.pointsNeeded(s);
    if (problem != null) {
      return new Result(Summary.failed(problem, nPre, nPost, needed, d.duplicates()), new Point[0]);
    }
    if (SPIKE_SLAB.equals(s.controlPrior())) {
      return SparseImpact.of(d, s, needed, rng, refits);
    }
    int p = d.columns(s);
    double[][] x = d.design(s);
    double[] yy = d.y();
    int[] preIdx = d.indices(false);
    int[] postIdx = d.indices(true);
    // The prior's ridge keeps X'X + I/v0 invertible even when the controls are collinear, so
    // the rank is checked on the design itself: a collinear coefficient is set by the prior alone.
    CounterfactualRegression fit = DesignRank.deficient(x, preIdx) ? null : fit(x, yy, preIdx, s);
    if (fit == null) {
      return new Result(
          Summary.failed("singular_controls", nPre, nPost, needed, d.duplicates()), new Point[0]);
    }
    double dof = fit.dof();
    // Cumulative impact over the post rows: observed sum minus the t-distributed counterfactual
    // sum.
    double[][] postRows = new double[nPost][];
    double[] ones = new double[nPost];
    double obsSum = 0;
    double cfSum = 0;
    for (int k = 0; k < nPost; k++) {
      postRows[k] = x[postIdx[k]];
      ones[k] = 1;
      obsSum += yy[postIdx[k]];
      cfSum += fit.mean(x[postIdx[k]]);
    }
    double cumMean = obsSum - cfSum;
    double cumScale = fit.scale(postRows, ones);
    StudentSummary cum = StudentSummary.of(cumMean, cumScale, dof, 0);
    StudentSummary avg = StudentSummary.of(cumMean / nPost, cumScale / nPost, dof, 0);
    double[] rel = relative(obsSum, cfSum, cumScale, dof, s.draws(), rng);
    double[] fitted = new double[nPre];
    for (int i = 0; i < nPre; i++) {
      fitted[i] = fit.mean(x[preIdx[i]]);
    }
    double[] pre = preFit(fitted, yy, preIdx, p);
    double[] placebo = placebo(x, yy, nPre, nPost, p, s);
    Summary summary = summary(d, s, avg, cum, rel, pre, placebo, cumMean / nPost, needed);
    int k = d.controls();
    if (LOCAL_LEVEL.equals(s.model())) {
      return LocalLevelImpact.of(x, yy, d.t(), d.post(), nPre, nPost, k, s, rng, summary);
    }
    Control[] coefs = new Control[k];
    for (int j = 0; j < k; j++) {
      // The marginal t of beta_j has variance (b_n/a_n) V_jj dof/(dof − 2) = b_n/(a_n − 1) V_jj.
      double v = fit.bn() / (fit.an() - 1) * fit.vn()[1 + j][1 + j];
      coefs[j] = new Control(j, 1, fit.betaN()[1 + j], Math.sqrt(v));
    }
    return new Result(summary, points(fit, x, d, p), coefs);
  }

  /**
   * Refit streams keyed by name under {@code seed}: {@code Seeds.of(seed, "impact-refit", name)}.
   */
  public static Function<String, UniformRandomProvider> refitStreams(long seed) {
    return name -> Seeds.of(seed, "impact-refit", name);
  }

  /**
   * The relative effect from draws of the counterfactual sum S, (obs - S) / |S|: its mean, 95%
   * interval and sd (ddof = 1).
   */
  private static double[] relative(
      double obsSum,
      double cfSum,
      double cumScale,
      double dof,
      int draws,
      UniformRandomProvider rng) {
    double[] rel = new double[draws];
    ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
    ContinuousSampler chi2 = AhrensDieterMarsagliaTsangGammaSampler.of(rng, dof / 2, 2);
    double relSum = 0;
    for (int d = 0; d < rel.length; d++) {
      double sum = cfSum + cumScale * g.sample() / Math.sqrt(chi2.sample() / dof);
      rel[d] = (obsSum - sum) / Math.abs(sum);
      relSum += rel[d];
    }
    double relMean = relSum / rel.length;
    double ss = 0;
    for (double v : rel) {
      ss += (v - relMean) * (v - relMean);
    }
    double relLo = Quantiles.select(rel, 0.025);
    double relHi = Quantiles.select(rel, 0.975);
    return new double[] {relMean, relLo, relHi, Math.sqrt(ss / (rel.length - 1))};
  }

  /**
   * The pre-period fit from its fitted values (one per pre row, in {@code preIdx} order): R²,
   * residual sd with divisor n_pre − params, lag-1 autocorrelation of the residuals, and whether it
   * lies beyond ±1.96/√n_pre (1 or 0).
   */
  static double[] preFit(double[] fitted, double[] yy, int[] preIdx, double params) {
    int nPre = preIdx.length;
    double rss = 0;
    double mean = 0;
    for (int i : preIdx) {
      mean += yy[i];
    }
    mean /= nPre;
    double tss = 0;
    double[] res = new double[nPre];
    for (int k = 0; k < nPre; k++) {
      int i = preIdx[k];
      res[k] = yy[i] - fitted[k];
      rss += res[k] * res[k];
      tss += (yy[i] - mean) * (yy[i] - mean);
    }
    double r1num = 0;
    for (int k = 1; k < nPre; k++) {
      r1num += res[k] * res[k - 1];
    }
    double r1 = rss > 0 ? r1num / rss : Double.NaN;
    boolean drift = Math.abs(r1) > 1.959963984540054 / Math.sqrt(nPre);
    return new double[] {
      tss > 0 ? 1 - rss / tss : Double.NaN,
      Math.sqrt(rss / Math.max(1, nPre - params)),
      r1,
      drift ? 1 : 0
    };
  }

  /** The placebo p-value of the real average impact against the placebo refits' (NaN: none). */
  static double placeboP(double[] placebo, double averageImpact) {
    double realAbs = Math.abs(averageImpact);
    int atLeast = 0;
    for (double v : placebo) {
      atLeast += Math.abs(v) >= realAbs ? 1 : 0;
    }
    return placebo.length == 0 ? Double.NaN : (1.0 + atLeast) / (1.0 + placebo.length);
  }

  /** The regression's summary. */
  private static Summary summary(
      ImpactSeries d,
      Settings s,
      StudentSummary avg,
      StudentSummary cum,
      double[] rel,
      double[] pre,
      double[] placebo,
      double averageImpact,
      int needed) {
    double tail = Math.min(1 - cum.probPositive(), cum.probPositive());
    return new Summary(
        OK,
        d.nPre(),
        d.nPost(),
        avg.mean(),
        avg.sd(),
        avg.q025(),
        avg.q975(),
        avg.probPositive(),
        cum.mean(),
        cum.sd(),
        cum.q025(),
        cum.q975(),
        cum.probPositive(),
        rel[0],
        rel[1],
        rel[2],
        tail,
        1 - tail,
        tail < s.alpha() / 2,
        pre[0],
        pre[1],
        pre[2],
        pre[3] != 0,
        placeboP(placebo, averageImpact),
        placebo.length,
        rel[3],
        needed,
        Double.NaN,
        0,
        0);
  }

  /** Per time point: the counterfactual's t interval, and the running cumulative impact's. */
  private static Point[] points(CounterfactualRegression fit, double[][] x, ImpactSeries d, int p) {
    double[] t = d.t();
    double[] yy = d.y();
    boolean[] pp = d.post();
    int n = x.length;
    double z = FastQuantiles.student(fit.dof(), 0.975);
    Point[] points = new Point[n];
    double runObs = 0;
    double runCf = 0;
    // Running sums of the post rows' design vectors: the running cumulative impact's t scale.
    double[] running = new double[p];
    int k = 0;
    for (int i = 0; i < n; i++) {
      double m = fit.mean(x[i]);
      double sc = fit.scale(x[i], 1);
      double cl = m - z * sc;
      double ch = m + z * sc;
      double cm = Double.NaN;
      double cq1 = Double.NaN;
      double cq2 = Double.NaN;
      if (pp[i]) {
        runObs += yy[i];
        runCf += m;
        k++;
        for (int j = 0; j < p; j++) {
          running[j] += x[i][j];
        }
        double runScale = fit.scale(running, k);
        cm = runObs - runCf;
        cq1 = cm - z * runScale;
        cq2 = cm + z * runScale;
      }
      points[i] =
          new Point(t[i], pp[i], yy[i], m, cl, ch, yy[i] - m, yy[i] - ch, yy[i] - cl, cm, cq1, cq2);
    }
    return points;
  }

  /** Average impact means of the placebo refits inside the pre-period (see the class comment). */
  private static double[] placebo(
      double[][] x, double[] y, int nPre, int nPost, int p, Settings s) {
    int[] cuts = placeboCuts(nPre, p + 3, s.placebos());
    double[] out = new double[cuts.length];
    for (int j = 0; j < cuts.length; j++) {
      int cut = cuts[j];
      int len = Math.min(nPost, nPre - cut);
      int[] pre = new int[cut];
      for (int i = 0; i < cut; i++) {
        pre[i] = i;
      }
      CounterfactualRegression f = DesignRank.deficient(x, pre) ? null : fit(x, y, pre, s);
      if (f == null) {
        return Arrays.copyOf(out, j);
      }
      double sum = 0;
      for (int i = cut; i < cut + len; i++) {
        sum += y[i] - f.mean(x[i]);
      }
      out[j] = sum / len;
    }
    return out;
  }

  /**
   * The fake intervention rows of the placebo refits: up to {@code placebos} rows spread evenly
   * from max(needed, nPre/2) to nPre − 1, so each refit has at least the points its fit needs and
   * half the pre-period (none when the pre-period is too short).
   */
  static int[] placeboCuts(int nPre, int needed, int placebos) {
    int minPre = Math.max(needed, nPre / 2);
    int last = nPre - 1;
    if (placebos <= 0 || last < minPre) {
      return new int[0];
    }
    int count = Math.min(placebos, last - minPre + 1);
    int[] cuts = new int[count];
    for (int j = 0; j < count; j++) {
      cuts[j] =
          count == 1
              ? minPre
              : minPre + (int) Math.round((double) j * (last - minPre) / (count - 1));
    }
    return cuts;
  }

  private static CounterfactualRegression fit(double[][] x, double[] y, int[] rows, Settings s) {
    double[][] xs = new double[rows.length][];
    double[] ys = new double[rows.length];
    for (int k = 0; k < rows.length; k++) {
      xs[k] = x[rows[k]];
      ys[k] = y[rows[k]];
    }
    return CounterfactualRegression.fit(xs, ys, s.v0(), s.a0(), s.b0());
  }
}
