package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.GroupKey;
import io.segfx.model.PoolingOutcome;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import io.segfx.report.Charts;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.NormalMixture;
import io.segfx.stats.PooledPosterior;
import io.segfx.stats.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SVG charts of one (metric, variant) section of a report page. Histograms of drawn posteriors
 * are redrawn here, on the driver, from the same per-experiment stream as stage 3 ({@link
 * Seeds#of}), so they show exactly the draws the tables summarise.
 */
final class ReportCharts {
  private ReportCharts() {}

  /**
   * A (metric, variant)'s charts, drawn ones only: the effect's posterior, the forest plot, the
   * shrinkage of pooled segments, the effect under each prior and bias scenario, and profit.
   */
  static List<String> charts(ReportStage.Inputs in, DecisionMetrics d, String id) {
    GroupKey k = d.key();
    ExperimentPooling pool = in.index().pools().get(k);
    PooledPosterior posterior = in.drawn().get(k);
    List<SegmentPosterior> segments = in.index().segments(k);
    double[] effect =
        d.draws() > 0 && posterior != null
            ? ExperimentDraws.effectDraws(
                posterior.segments(),
                d.draws(),
                Seeds.of(in.spec().seed(), d.experimentId(), d.metric(), d.variant()))
            : null;
    NormalMixture mixture = effect == null ? mixture(posterior) : null;
    String axis = "effect on " + d.metric();
    List<String> out = new ArrayList<>();
    out.add(
        Charts.effectPosterior(
            id + "-effect",
            effect,
            mixture == null ? null : mixture::density,
            d.effectMean(),
            d.effectSd(),
            d.effectQ025(),
            d.effectQ975(),
            in.spec().threshold(d.metric()),
            axis));
    out.add(forest(id + "-forest", pool, in.raw(k), segments));
    if (pool != null && pool.method() != PoolingOutcome.NONE && !segments.isEmpty()) {
      out.add(shrinkage(id + "-shrinkage", segments));
    }
    List<Charts.Curve> priors = new ArrayList<>();
    for (PriorSensitivity p : in.index().grid(k)) {
      priors.add(curve("prior " + p.prior(), p.result()));
    }
    out.add(curves(id + "-priors", "Posterior of the effect under each prior", priors, axis));
    List<Charts.Curve> bias = new ArrayList<>();
    for (BiasSensitivity b : in.index().bias(k)) {
      bias.add(curve("bias " + b.scenario(), b.result()));
    }
    out.add(curves(id + "-bias", "Bias-adjusted effect under each scenario", bias, axis));
    out.add(profit(id + "-profit", in.spec(), d, effect, mixture));
    out.removeIf(Objects::isNull);
    return out;
  }

  /**
   * A full-Bayes group's effect as the exact normal mixture over its tau grid, or null when the
   * group has no grid (its effect is then drawn or closed-form normal).
   */
  private static NormalMixture mixture(PooledPosterior posterior) {
    if (posterior == null
        || posterior.hierarchy() == null
        || posterior.hierarchy().tau().length <= 1) {
      return null;
    }
    double[] shares = new double[posterior.segments().length];
    for (int j = 0; j < shares.length; j++) {
      shares[j] = posterior.segments()[j].share();
    }
    return posterior.hierarchy().linear(shares, 0, 0);
  }

  private static String shrinkage(String id, List<SegmentPosterior> segments) {
    long[] units = new long[segments.size()];
    double[] weights = new double[segments.size()];
    for (int j = 0; j < units.length; j++) {
      units[j] = segments.get(j).units();
      weights[j] = segments.get(j).shrinkageWeight();
    }
    return Charts.shrinkage(id, units, weights);
  }

  private static Charts.Curve curve(String label, DecisionMetrics result) {
    return new Charts.Curve(label, result.effectMean(), result.effectSd());
  }

  /** Normal curves of the effect under each scenario; null (no chart) without scenarios. */
  private static String curves(String id, String title, List<Charts.Curve> curves, String axis) {
    return curves.isEmpty() ? null : Charts.curves(id, title, curves, axis);
  }

  /**
   * Launch profit {@code users * value * effect - cost}: from the effect's draws when drawn, else
   * from its mixture when full Bayes, else the normal of its summary.
   */
  private static String profit(
      String id, JobSpec spec, DecisionMetrics d, double[] effect, NormalMixture mixture) {
    ExperimentDraws.Economics econ = StatsSettings.economics(spec, d.metric());
    double factor = econ.users() * econ.valuePerUnit();
    double[] profit = null;
    if (effect != null) {
      profit = new double[effect.length];
      for (int j = 0; j < effect.length; j++) {
        profit[j] = factor * effect[j] - econ.cost();
      }
    }
    NormalMixture profitMixture = mixture == null ? null : mixture.affine(factor, -econ.cost());
    return Charts.profit(
        id,
        profit,
        profitMixture == null ? null : profitMixture::density,
        d.expectedProfit(),
        Math.abs(factor) * d.effectSd(),
        d.profitQ025(),
        d.profitQ975());
  }

  /**
   * The forest plot's rows: usable segments, at most {@link Charts#FOREST_MAX_SEGMENTS} by units.
   */
  private static String forest(
      String id,
      ExperimentPooling pool,
      List<SegmentEstimate> raw,
      List<SegmentPosterior> segments) {
    Map<String, SegmentPosterior> post = new HashMap<>();
    for (SegmentPosterior p : segments) {
      post.put(p.segment(), p);
    }
    List<SegmentEstimate> usable = new ArrayList<>();
    for (SegmentEstimate e : raw) {
      if (e.usable() && post.containsKey(e.segment())) {
        usable.add(e);
      }
    }
    if (usable.size() > Charts.FOREST_MAX_SEGMENTS) {
      usable.sort(
          Comparator.comparingLong((SegmentEstimate e) -> -(e.nControl() + e.nTreatment()))
              .thenComparing(SegmentEstimate::segment));
      usable = new ArrayList<>(usable.subList(0, Charts.FOREST_MAX_SEGMENTS));
    }
    usable.sort(Comparator.comparing(SegmentEstimate::segment));
    List<Charts.ForestRow> rows = new ArrayList<>();
    for (SegmentEstimate e : usable) {
      SegmentPosterior p = post.get(e.segment());
      rows.add(
          new Charts.ForestRow(
              e.segment(), e.estimate(), e.stdError(), p.postMean(), p.q025(), p.q975()));
    }
    return Charts.forest(id, rows, pool == null ? Double.NaN : pool.mu());
  }
}
