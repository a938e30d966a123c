package io.segfx.stats;

import io.segfx.stats.ImpactAnalysis.Control;
import io.segfx.stats.ImpactAnalysis.Result;
import io.segfx.stats.ImpactAnalysis.Settings;
import io.segfx.stats.ImpactAnalysis.Summary;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * {@link ImpactAnalysis} under the spike-and-slab control prior ({@link SpikeSlab}): the reported
 * effect, the pre-period diagnostics and the placebo refits all come from the sparse model, never
 * from the full regression on every candidate, which overfits when candidates are many (its placebo
 * effects then look as large as a real one) and cannot be fitted at all with more candidates than
 * pre-period points.
 *
 * <ol>
 *   <li>Rank: only the forced columns (intercept, trend, seasons) must have full rank on the
 *       pre-period; the slab's precision keeps every model with candidates proper, and collinear
 *       candidates are what the indicators choose between.
 *   <li>Effect: {@code --model regression} reports {@link SpikeSlab#sample}'s model-averaged
 *       counterfactual draws; {@code --model local-level} the local level's with the spike-and-slab
 *       sweep ({@link LocalLevelImpact}).
 *   <li>Diagnostics: R², residual sd and the residuals' lag-1 autocorrelation come from the
 *       model-averaged posterior-mean fit x'E[beta] on the pre-period, the residual sd with divisor
 *       n_pre minus the expected number of columns in the model (the forced ones plus the sum of
 *       the inclusion probabilities). Under the local level that fit is a separate spike-and-slab
 *       regression refit (its own stream, {@code "pre-fit"}), as the normal prior's local level
 *       reports the regression's diagnostics.
 *   <li>Placebos: each placebo window is refitted with the spike-and-slab regression on its own
 *       pre-period, with its own stream ({@code "placebo j"}), and its average effect is the mean
 *       of y − x'E[beta] over the window. A refit runs {@value #REFIT_BURN} burn-in and {@value
 *       #REFIT_DRAWS} kept sweeps (fewer if the settings ask fewer): the posterior mean it needs is
 *       Rao–Blackwellised, so its Monte Carlo error is small beside the differences between placebo
 *       effects, and a refit runs 500 sweeps where the reported fit runs 2,500 by default (and
 *       draws no counterfactual paths). Under the local level the placebos are these regression
 *       refits too (the level is not refitted, as under the normal prior).
 * </ol>
 */
final class SparseImpact {
  private SparseImpact() {}

  /** Burn-in sweeps of a placebo or diagnostic refit (at most the settings' burn). */
  static final int REFIT_BURN = 100;

  /** Kept sweeps of a placebo or diagnostic refit (at most the settings' Gibbs draws). */
  static final int REFIT_DRAWS = 400;

  /**
   * The result of one sorted series under the spike-and-slab prior.
   *
   * @param needed the pre-period points the model needs ({@link ImpactSeries#pointsNeeded})
   * @param refits the refits' streams by name, or null to seed them from one draw of {@code rng}
   *     after the reported fit
   */
  static Result of(
      ImpactSeries d,
      Settings s,
      int needed,
      UniformRandomProvider rng,
      Function<String, UniformRandomProvider> refits) {
    int nPre = d.nPre();
    int nPost = d.nPost();
    double[][] x = d.design(s);
    double[] y = d.y();
    int k = d.controls();
    boolean[] candidate = new boolean[x[0].length];
    Arrays.fill(candidate, 1, 1 + k, true);
    int[] preIdx = d.indices(false);
    if (forcedDeficient(x, candidate, nPre)) {
      return new Result(
          Summary.failed("singular_controls", nPre, nPost, needed, d.duplicates()),
          new ImpactAnalysis.Point[0]);
    }
    SpikeSlab.Prior prior = new SpikeSlab.Prior(s.v0(), s.a0(), s.b0(), s.expectedSize());
    double[] nan = {Double.NaN, Double.NaN, Double.NaN, 0};
    Summary pending = Summary.diagnostics(nPre, nPost, nan, needed);
    Result main;
    SpikeSlab.Fit preFit;
    Function<String, UniformRandomProvider> streams;
    if (ImpactAnalysis.LOCAL_LEVEL.equals(s.model())) {
      main = LocalLevelImpact.of(x, y, d.t(), d.post(), nPre, nPost, k, s, rng, pending);
      if (!ImpactAnalysis.OK.equals(main.summary().status())) {
        return main;
      }
      streams = refits != null ? refits : ImpactAnalysis.refitStreams(rng.nextLong());
      preFit =
          SpikeSlab.coefficients(
              Arrays.copyOf(x, nPre),
              Arrays.copyOf(y, nPre),
              candidate,
              prior,
              Math.min(s.burn(), REFIT_BURN),
              Math.min(s.gibbsDraws(), REFIT_DRAWS),
              streams.apply("pre-fit"));
    } else {
      preFit = SpikeSlab.sample(x, y, nPre, candidate, prior, s.burn(), s.gibbsDraws(), rng);
      double[][] cf = preFit.counterfactual();
      Control[] controls = new Control[k];
      for (int j = 0; j < k; j++) {
        controls[j] =
            new Control(
                j, preFit.inclusion()[1 + j], preFit.coefMean()[1 + j], preFit.coefSd()[1 + j]);
      }
      main =
          new Result(
              LocalLevelImpact.summary(cf, y, nPre, nPost, s, pending),
              LocalLevelImpact.points(cf, y, d.t(), d.post()),
              controls);
      streams = refits != null ? refits : ImpactAnalysis.refitStreams(rng.nextLong());
    }
    double[] fitted = new double[nPre];
    for (int i = 0; i < nPre; i++) {
      fitted[i] = dot(x[preIdx[i]], preFit.coefMean());
    }
    double params = 0;
    for (double v : preFit.inclusion()) {
      params += v;
    }
    double[] pre = ImpactAnalysis.preFit(fitted, y, preIdx, params);
    double[] placebo = placebos(x, y, nPre, nPost, needed, candidate, prior, s, streams);
    Summary summary =
        main.summary()
            .withChecks(
                pre,
                ImpactAnalysis.placeboP(placebo, main.summary().averageMean()),
                placebo.length);
    return new Result(summary, main.points(), main.controls());
  }

  /**
   * Average effects of the placebo refits: the spike-and-slab regression fitted on the rows before
   * each of {@link ImpactAnalysis#placeboCuts}, its window the next min(nPost, nPre − cut) rows.
   */
  static double[] placebos(
      double[][] x,
      double[] y,
      int nPre,
      int nPost,
      int needed,
      boolean[] candidate,
      SpikeSlab.Prior prior,
      Settings s,
      Function<String, UniformRandomProvider> streams) {
    int[] cuts = ImpactAnalysis.placeboCuts(nPre, needed, s.placebos());
    double[] out = new double[cuts.length];
    for (int j = 0; j < cuts.length; j++) {
      int cut = cuts[j];
      if (forcedDeficient(x, candidate, cut)) {
        return Arrays.copyOf(out, j);
      }
      SpikeSlab.Fit f =
          SpikeSlab.coefficients(
              Arrays.copyOf(x, cut),
              Arrays.copyOf(y, cut),
              candidate,
              prior,
              Math.min(s.burn(), REFIT_BURN),
              Math.min(s.gibbsDraws(), REFIT_DRAWS),
              streams.apply("placebo " + j));
      int len = Math.min(nPost, nPre - cut);
      double sum = 0;
      for (int i = cut; i < cut + len; i++) {
        sum += y[i] - dot(x[i], f.coefMean());
      }
      out[j] = sum / len;
    }
    return out;
  }

  /** Whether the forced columns (intercept first) lack full rank on the first {@code rows} rows. */
  private static boolean forcedDeficient(double[][] x, boolean[] candidate, int rows) {
    int q = 0;
    for (boolean c : candidate) {
      q += c ? 0 : 1;
    }
    double[][] forced = new double[rows][q];
    int[] idx = new int[rows];
    for (int i = 0; i < rows; i++) {
      idx[i] = i;
      int m = 0;
      for (int j = 0; j < candidate.length; j++) {
        if (!candidate[j]) {
          forced[i][m++] = x[i][j];
        }
      }
    }
    return DesignRank.deficient(forced, idx);
  }

  private static double dot(double[] a, double[] b) {
    double v = 0;
    for (int j = 0; j < a.length; j++) {
      v += a[j] * b[j];
    }
    return v;
  }
}
