package io.segfx.io;

import io.segfx.model.ArmPosterior;
import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.LearnedEffect;
import io.segfx.model.LearnedPriorFit;
import io.segfx.model.PosteriorSummary;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The segment job's output tables: their names and Spark schemas (built from the declarations in
 * {@link Schemas}), and the conversion of domain records into rows of those schemas. Each converter
 * lists its cells in the declared column order.
 */
public final class OutputTables {
  private OutputTables() {}

  public static final String SEGMENT_ESTIMATES = Schemas.SEGMENT_ESTIMATES.name();
  public static final String SEGMENT_POSTERIORS = Schemas.SEGMENT_POSTERIORS.name();
  public static final String ARM_POSTERIORS = Schemas.ARM_POSTERIORS.name();
  public static final String EXPERIMENT_POOLING = Schemas.EXPERIMENT_POOLING.name();
  public static final String EXPERIMENT_DECISIONS = DecisionSchemas.EXPERIMENT_DECISIONS.name();
  public static final String PRIOR_SENSITIVITY = DecisionSchemas.PRIOR_SENSITIVITY.name();
  public static final String BIAS_SENSITIVITY = DecisionSchemas.BIAS_SENSITIVITY.name();
  public static final String LEARNED_PRIOR = DecisionSchemas.LEARNED_PRIOR.name();
  public static final String LEARNED_PRIOR_EFFECTS = DecisionSchemas.LEARNED_PRIOR_EFFECTS.name();
  public static final String REJECTED_ROWS = "rejected_rows";

  public static final StructType SEGMENT_ESTIMATES_SCHEMA = Schemas.SEGMENT_ESTIMATES.structType();
  public static final StructType SEGMENT_POSTERIORS_SCHEMA =
      Schemas.SEGMENT_POSTERIORS.structType();
  public static final StructType ARM_POSTERIORS_SCHEMA = Schemas.ARM_POSTERIORS.structType();
  public static final StructType EXPERIMENT_POOLING_SCHEMA =
      Schemas.EXPERIMENT_POOLING.structType();
  public static final StructType EXPERIMENT_DECISIONS_SCHEMA =
      DecisionSchemas.EXPERIMENT_DECISIONS.structType();
  public static final StructType PRIOR_SENSITIVITY_SCHEMA =
      DecisionSchemas.PRIOR_SENSITIVITY.structType();
  public static final StructType BIAS_SENSITIVITY_SCHEMA =
      DecisionSchemas.BIAS_SENSITIVITY.structType();
  public static final StructType LEARNED_PRIOR_SCHEMA = DecisionSchemas.LEARNED_PRIOR.structType();
  public static final StructType LEARNED_PRIOR_EFFECTS_SCHEMA =
      DecisionSchemas.LEARNED_PRIOR_EFFECTS.structType();

  public static List<Row> biasSensitivity(List<BiasSensitivity> in) {
    return rows(
        in,
        b ->
            row(
                cells(b.experimentId(), b.metric(), b.variant()),
                cells(b.scenario(), b.biasMean(), b.biasSd()),
                summary(b.result()),
                cells(
                    b.result().expectedProfit(),
                    b.result().probProfitPositive(),
                    b.result().recommendation())));
  }

  public static List<Row> armPosteriors(List<ArmPosterior> in) {
    return rows(
        in,
        a ->
            RowFactory.create(
                a.experimentId(),
                a.metric(),
                a.segment(),
                a.arm(),
                a.level(),
                a.n(),
                a.successes(),
                a.priorAlpha(),
                a.priorBeta(),
                a.postAlpha(),
                a.postBeta(),
                a.mean(),
                a.q025(),
                a.q975()));
  }

  public static List<Row> priorSensitivity(List<PriorSensitivity> in) {
    return rows(
        in,
        p -> {
          DecisionMetrics d = p.result();
          return row(
              cells(p.experimentId(), p.metric(), p.variant()),
              cells(
                  p.prior(),
                  p.controlPrior()[0],
                  p.controlPrior()[1],
                  p.treatmentPrior()[0],
                  p.treatmentPrior()[1]),
              summary(d),
              cells(
                  d.relativeEffectMean(),
                  d.probRelativeAboveThreshold(),
                  d.expectedProfit(),
                  d.probProfitPositive(),
                  d.recommendation(),
                  p.decisionChanges(),
                  d.mcSeProbPositive()));
        });
  }

  /**
   * Segment estimates; the {@code bayes_*} columns are the exact Student-t summaries of the
   * conjugate regression coefficient (NaN where there is none).
   */
  public static List<Row> segmentEstimates(
      List<SegmentEstimate> in, double srmAlpha, Map<String, String> priors) {
    double nan = Double.NaN;
    PosteriorSummary none = new PosteriorSummary(nan, nan, nan, nan, nan, nan);
    return rows(
        in,
        e -> {
          PosteriorSummary t = e.bayesSummary() == null ? none : e.bayesSummary();
          return RowFactory.create(
              e.experimentId(),
              e.metric(),
              e.variant(),
              e.segment(),
              e.nControl(),
              e.nTreatment(),
              e.estimate(),
              e.stdError(),
              e.dof(),
              e.status(),
              e.kind(),
              e.successesControl(),
              e.successesTreatment(),
              e.meanControl(),
              e.meanTreatment(),
              t.mean(),
              t.sd(),
              t.q025(),
              t.q975(),
              t.probPositive(),
              e.srmPValue(),
              e.srmPValue() < srmAlpha,
              priors.get(e.metric()),
              e.stdErrorClassical(),
              e.seType());
        });
  }

  public static List<Row> segmentPosteriors(List<SegmentPosterior> in) {
    return rows(
        in,
        p ->
            RowFactory.create(
                p.experimentId(),
                p.metric(),
                p.variant(),
                p.segment(),
                p.postMean(),
                p.postSd(),
                p.q025(),
                p.q975(),
                p.probPositive(),
                p.probAboveThreshold(),
                p.shrinkageWeight(),
                p.units(),
                p.relativeEffectMean(),
                p.controlMean(),
                p.relativeQ025(),
                p.relativeQ975(),
                p.probRelativeAboveThreshold(),
                p.source().code(),
                p.prior()));
  }

  public static List<Row> experimentPooling(List<ExperimentPooling> in) {
    return rows(
        in,
        p ->
            RowFactory.create(
                p.experimentId(),
                p.metric(),
                p.variant(),
                p.method().code(),
                p.mu(),
                p.muSe(),
                p.tau(),
                p.nSegments(),
                p.nSegmentsTotal(),
                p.note(),
                p.prior(),
                p.muQ025(),
                p.muQ975(),
                p.tauQ025(),
                p.tauQ975(),
                p.muSeKh(),
                p.muQ025Kh(),
                p.muQ975Kh(),
                p.tauZero()));
  }

  public static List<Row> learnedPrior(List<LearnedPriorFit> in) {
    return rows(
        in,
        p ->
            RowFactory.create(
                p.metric(),
                p.model().code(),
                p.source(),
                p.nExperiments(),
                p.weight1(),
                p.mean1(),
                p.sd1(),
                p.weight2(),
                p.mean2(),
                p.sd2(),
                p.logLikelihood(),
                p.used(),
                p.note()));
  }

  public static List<Row> learnedPriorEffects(List<LearnedEffect> in) {
    return rows(
        in,
        e -> {
          DecisionMetrics a = e.without();
          DecisionMetrics b = e.with();
          return row(
              key(a),
              effect(a),
              cells(a.recommendation()),
              effect(b),
              cells(
                  b.probAboveThreshold(),
                  b.expectedProfit(),
                  b.probProfitPositive(),
                  b.recommendation(),
                  e.model().code(),
                  e.source(),
                  b.prior()));
        });
  }

  public static List<Row> experimentDecisions(List<DecisionMetrics> in, String warning) {
    return rows(
        in,
        d ->
            row(
                key(d),
                effect(d),
                cells(
                    d.probAboveThreshold(),
                    d.relativeEffectMean(),
                    d.controlMean(),
                    d.relativeQ025(),
                    d.relativeQ975(),
                    d.probRelativeAboveThreshold(),
                    d.expectedProfit(),
                    d.profitQ025(),
                    d.profitQ975(),
                    d.probProfitPositive(),
                    d.expectedLossLaunch(),
                    d.expectedLossWait(),
                    d.recommendation(),
                    d.draws(),
                    d.mcSeEffectMean(),
                    d.mcSeProbPositive(),
                    d.mcSeProbProfitPositive(),
                    d.prior(),
                    d.srmPValue(),
                    d.srmFlag(),
                    warning)));
  }

  /** The experiment-level key cells: experiment_id, metric, variant. */
  private static Object[] key(DecisionMetrics d) {
    return cells(d.experimentId(), d.metric(), d.variant());
  }

  /** The effect_* cells of experiment_decisions: mean, sd, q025, q975, prob_positive. */
  private static Object[] effect(DecisionMetrics d) {
    return cells(d.effectMean(), d.effectSd(), d.effectQ025(), d.effectQ975(), d.probPositive());
  }

  /** The sensitivity tables' summary cells: the effect cells, then prob_above_threshold. */
  private static Object[] summary(DecisionMetrics d) {
    return concat(effect(d), cells(d.probAboveThreshold()));
  }

  private static Object[] cells(Object... values) {
    return values;
  }

  private static Object[] concat(Object[]... groups) {
    List<Object> all = new ArrayList<>();
    for (Object[] g : groups) {
      all.addAll(Arrays.asList(g));
    }
    return all.toArray();
  }

  private static Row row(Object[]... groups) {
    return RowFactory.create(concat(groups));
  }

  /**
   * The rows of {@code in}, each built when read: a view, not a copy. A table of a wide run has
   * millions of rows, and the writers stream them into the file in order, so holding every row at
   * once (several tables are written side by side) would cost more heap than the records they come
   * from. Each read builds the row again, from the same record, so every reader sees the same rows.
   */
  private static <T> List<Row> rows(List<T> in, Function<T, Row> f) {
    List<T> source = in instanceof RandomAccess ? in : new ArrayList<>(in);
    return new AbstractList<>() {
      @Override
      public Row get(int index) {
        return f.apply(source.get(index));
      }

      @Override
      public int size() {
        return source.size();
      }
    };
  }
}
