package io.segfx.job;

import static org.apache.spark.sql.functions.col;

import io.segfx.config.JobSpec;
import io.segfx.config.UsageException;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.LearnedEffect;
import io.segfx.model.LearnedPriorFit;
import io.segfx.model.LearnedPriorKind;
import io.segfx.model.MetricSpec;
import io.segfx.spark.InputReader;
import io.segfx.spark.InputText;
import io.segfx.stats.DecisionFigures;
import io.segfx.stats.DecisionRule;
import io.segfx.stats.LearnedPrior;
import io.segfx.stats.MixtureDecision;
import io.segfx.stats.NormalMixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Priors learned across experiments ({@code --learned-prior normal|mixture}): per metric, fits the
 * distribution of experiment-level effects by empirical Bayes ({@link LearnedPrior}) from this
 * run's decisions or from a history table ({@code --prior-history}: any table with columns {@code
 * metric}, {@code effect_mean}, {@code effect_sd}, such as an earlier run's {@code
 * experiment_decisions}), and re-states each experiment's effect under it. Each experiment's
 * estimate enters as the normal likelihood N(effect_mean, effect_sd²), the summary Deng (2015)
 * works with.
 */
final class LearnedPriorStage {
  private static final Logger LOG = LoggerFactory.getLogger(LearnedPriorStage.class);

  /** The history table's columns. */
  private static final String METRIC = "metric";

  private static final String EFFECT_MEAN = "effect_mean";
  private static final String EFFECT_SD = "effect_sd";

  /** Fewest experiments a prior is learned from. */
  static final int MIN_EXPERIMENTS = 10;

  private LearnedPriorStage() {}

  /**
   * The learned priors, the restated effects, and with {@code --prior-history} that table's row
   * accounting for the manifest (null otherwise).
   */
  record Result(
      List<LearnedPriorFit> fits, List<LearnedEffect> effects, Map<String, Object> history) {}

  static Result run(SparkSession spark, JobSpec spec, List<DecisionMetrics> decisions) {
    List<LearnedPriorFit> fits = new ArrayList<>();
    List<LearnedEffect> effects = new ArrayList<>();
    LearnedPriorKind kind = spec.learnedPrior();
    if (kind == LearnedPriorKind.NONE) {
      return new Result(fits, effects, null);
    }
    Map<String, Object> history = null;
    String source = spec.priorHistory() == null ? "run" : spec.priorHistory();
    Map<String, List<double[]>> byMetric = new LinkedHashMap<>();
    if (spec.priorHistory() == null) {
      for (DecisionMetrics d : decisions) {
        byMetric
            .computeIfAbsent(d.metric(), k -> new ArrayList<>())
            .add(new double[] {d.effectMean(), d.effectSd()});
      }
    } else {
      for (MetricSpec m : spec.metricSpecs()) {
        byMetric.put(m.column(), new ArrayList<>());
      }
      history = readHistory(spark, spec.priorHistory(), byMetric);
      warnOfCase(spec.priorHistory(), history);
    }
    DecisionRule rule = new DecisionRule(spec.launchProbability());
    for (Map.Entry<String, List<double[]>> e : byMetric.entrySet()) {
      String metric = e.getKey();
      double[] m =
          e.getValue().stream().filter(LearnedPriorStage::usable).mapToDouble(x -> x[0]).toArray();
      double[] s =
          e.getValue().stream().filter(LearnedPriorStage::usable).mapToDouble(x -> x[1]).toArray();
      if (m.length < MIN_EXPERIMENTS) {
        fits.add(tooFew(metric, kind, source, m.length));
        continue;
      }
      LearnedPrior normal = LearnedPrior.fit(m, s, 1);
      LearnedPrior mixture = LearnedPrior.fit(m, s, 2);
      fits.add(row(metric, LearnedPriorKind.NORMAL, source, m.length, normal, kind));
      fits.add(row(metric, LearnedPriorKind.MIXTURE, source, m.length, mixture, kind));
      LearnedPrior used = kind == LearnedPriorKind.NORMAL ? normal : mixture;
      String description = describe(kind, used, source, m.length);
      restate(spec, metric, used, description, source, rule, decisions, effects);
    }
    return new Result(fits, effects, history);
  }

  /** Each usable decision of {@code metric} re-stated under the learned prior, into effects. */
  private static void restate(
      JobSpec spec,
      String metric,
      LearnedPrior used,
      String description,
      String source,
      DecisionRule rule,
      List<DecisionMetrics> decisions,
      List<LearnedEffect> effects) {
    for (DecisionMetrics d : decisions) {
      if (!d.metric().equals(metric) || !usable(new double[] {d.effectMean(), d.effectSd()})) {
        continue;
      }
      NormalMixture post = used.posterior(d.effectMean(), d.effectSd());
      DecisionFigures f =
          MixtureDecision.of(
              post,
              StatsSettings.thresholds(spec, metric),
              StatsSettings.economics(spec, metric),
              rule,
              Double.NaN,
              Double.NaN);
      DecisionMetrics with =
          PosteriorRows.decision(d.key(), f, description).withSrm(d.srmPValue(), d.srmFlag());
      effects.add(new LearnedEffect(d, with, spec.learnedPrior(), source));
    }
  }

  /**
   * Reads the history table's usable rows into {@code byMetric} (keyed by this run's metrics) and
   * returns its row accounting: every row is either used or counted under a reason, as input rows
   * are.
   */
  private static Map<String, Object> readHistory(
      SparkSession spark, String path, Map<String, List<double[]>> byMetric) {
    Map<String, Long> rejected = new TreeMap<>();
    long read = 0;
    long used = 0;
    for (Row r : history(spark, path)) {
      read++;
      String metric = r.getAs(METRIC);
      Double mean = r.getAs(EFFECT_MEAN);
      Double sd = r.getAs(EFFECT_SD);
      String reason =
          metric == null
              ? "null:metric"
              : !byMetric.containsKey(metric)
                  ? otherMetric(metric, byMetric.keySet())
                  : mean == null
                      ? "not_numeric:effect_mean"
                      : sd == null
                          ? "not_numeric:effect_sd"
                          : !usable(new double[] {mean, sd}) ? "unusable:effect_mean_or_sd" : null;
      if (reason != null) {
        rejected.merge(reason, 1L, Long::sum);
        continue;
      }
      used++;
      byMetric.get(metric).add(new double[] {mean, sd});
    }
    Map<String, Object> history = new LinkedHashMap<>();
    history.put("path", path);
    history.put("rows_read", read);
    history.put("rows_used", used);
    history.put("rows_rejected", read - used);
    history.put("rejected_by_reason", rejected);
    return history;
  }

  /** One stderr line per metric whose history rows were left out for the case of its name. */
  @SuppressWarnings("unchecked")
  private static void warnOfCase(String path, Map<String, Object> history) {
    Map<String, Long> rejected = (Map<String, Long>) history.get("rejected_by_reason");
    for (Map.Entry<String, Long> e : rejected.entrySet()) {
      if (e.getKey().startsWith("metric_case:")) {
        LOG.warn(
            "--prior-history {}: {} rows name metric {} in another case and are not used; write"
                + " the metric as --metric names it",
            path,
            e.getValue(),
            e.getKey().substring("metric_case:".length()));
      }
    }
  }

  /**
   * The reason for a history row of a metric this run does not have: {@code metric_case:<metric>}
   * when it names one of this run's metrics in another case ({@code Revenue} for {@code revenue}),
   * which a user most likely meant and should see named, else {@code other_metric}. Metric names
   * are labels the tables print, so they are not matched ignoring case.
   */
  static String otherMetric(String metric, Set<String> metrics) {
    for (String m : metrics) {
      if (m.equalsIgnoreCase(metric.strip())) {
        return "metric_case:" + m;
      }
    }
    return "other_metric";
  }

  /** The row of a metric with too few usable experiments: no prior, a note saying why. */
  private static LearnedPriorFit tooFew(
      String metric, LearnedPriorKind model, String source, int n) {
    String note =
        "too few experiments with an estimate ("
            + n
            + " < "
            + MIN_EXPERIMENTS
            + "); no prior learned";
    return new LearnedPriorFit(
        metric, model, source, n, nan(), nan(), nan(), nan(), nan(), nan(), nan(), false, note);
  }

  private static boolean usable(double[] x) {
    return Double.isFinite(x[0]) && x[1] > 0 && Double.isFinite(x[1]);
  }

  private static double nan() {
    return Double.NaN;
  }

  private static LearnedPriorFit row(
      String metric,
      LearnedPriorKind model,
      String source,
      int n,
      LearnedPrior p,
      LearnedPriorKind chosen) {
    boolean two = p.weight().length == 2;
    return new LearnedPriorFit(
        metric,
        model,
        source,
        n,
        p.weight()[0],
        p.mean()[0],
        p.sd()[0],
        two ? p.weight()[1] : Double.NaN,
        two ? p.mean()[1] : Double.NaN,
        two ? p.sd()[1] : Double.NaN,
        p.logLikelihood(),
        model == chosen,
        "");
  }

  private static String describe(LearnedPriorKind model, LearnedPrior p, String source, int n) {
    StringBuilder b =
        new StringBuilder("learned ")
            .append(model.code())
            .append(" prior on the experiment effect from ")
            .append(n)
            .append(" experiments (")
            .append(source)
            .append("): ");
    for (int c = 0; c < p.weight().length; c++) {
      if (c > 0) {
        b.append(" + ");
      }
      b.append(
          String.format(
              Locale.ROOT, "%.3g N(%.4g, %.4g^2)", p.weight()[c], p.mean()[c], p.sd()[c]));
    }
    return b.toString();
  }

  /**
   * metric, effect_mean, effect_sd of a history table, with a usage error naming a missing column.
   */
  private static List<Row> history(SparkSession spark, String path) {
    Dataset<Row> t;
    try {
      t = InputReader.read(spark, path, InputReader.formatOf(spark, path));
    } catch (UsageException e) {
      // The reader's messages speak of "input" and of --input-format, which is the main input's.
      throw new UsageException(
          "--prior-history: "
              + e.getMessage().replace("; set --input-format if the extension misleads", ""),
          e);
    }
    for (String c : new String[] {METRIC, EFFECT_MEAN, EFFECT_SD}) {
      if (!Arrays.asList(t.columns()).contains(c)) {
        throw new UsageException(
            "--prior-history "
                + path
                + " has no column '"
                + c
                + "' (needs metric, effect_mean, effect_sd)");
      }
    }
    return t.select(
            InputText.id(col(METRIC).cast("string")).as(METRIC),
            InputText.number(col(EFFECT_MEAN), t.schema().apply(EFFECT_MEAN).dataType())
                .as(EFFECT_MEAN),
            InputText.number(col(EFFECT_SD), t.schema().apply(EFFECT_SD).dataType()).as(EFFECT_SD))
        .collectAsList();
  }
}
