package io.segfx.io;

import io.segfx.model.ArmPosterior;
import io.segfx.model.BiasSensitivity;
import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.PosteriorSummary;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.SegmentPosterior;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The output tables' names and explicit schemas (the public contract), and the conversion of domain
 * records into rows of those schemas.
 */
public final class OutputTables {
  private OutputTables() {}

  public static final String SEGMENT_ESTIMATES = "segment_estimates";
  public static final String SEGMENT_POSTERIORS = "segment_posteriors";
  public static final String EXPERIMENT_POOLING = "experiment_pooling";
  public static final String EXPERIMENT_DECISIONS = "experiment_decisions";
  public static final String REJECTED_ROWS = "rejected_rows";
  public static final String ARM_POSTERIORS = "arm_posteriors";
  public static final String PRIOR_SENSITIVITY = "prior_sensitivity";
  public static final String BIAS_SENSITIVITY = "bias_sensitivity";

  private static final String[] KEY = {"experiment_id", "metric", "variant"};

  public static final StructType SEGMENT_ESTIMATES_SCHEMA =
      schema(
          keyFields(true),
          f("n_control", "long"),
          f("n_treatment", "long"),
          f("estimate", "double"),
          f("std_error", "double"),
          f("dof", "long"),
          f("status", "string"),
          f("metric_kind", "string"),
          f("successes_control", "long"),
          f("successes_treatment", "long"),
          f("mean_control", "double"),
          f("mean_treatment", "double"),
          f("bayes_mean", "double"),
          f("bayes_sd", "double"),
          f("bayes_q025", "double"),
          f("bayes_q975", "double"),
          f("bayes_prob_positive", "double"),
          f("srm_p_value", "double"),
          f("srm_flag", "boolean"),
          f("prior", "string"),
          f("std_error_classical", "double"),
          f("se_type", "string"));

  public static final StructType SEGMENT_POSTERIORS_SCHEMA =
      schema(
          keyFields(true),
          f("post_mean", "double"),
          f("post_sd", "double"),
          f("q025", "double"),
          f("q975", "double"),
          f("prob_positive", "double"),
          f("prob_above_threshold", "double"),
          f("shrinkage_weight", "double"),
          f("units", "long"),
          f("relative_effect_mean", "double"),
          f("prob_relative_above_threshold", "double"),
          f("source", "string"),
          f("prior", "string"));

  public static final StructType EXPERIMENT_POOLING_SCHEMA =
      schema(
          keyFields(false),
          f("method", "string"),
          f("mu", "double"),
          f("mu_se", "double"),
          f("tau", "double"),
          f("n_segments", "int"),
          f("n_segments_total", "int"),
          f("note", "string"),
          f("prior", "string"),
          f("mu_q025", "double"),
          f("mu_q975", "double"),
          f("tau_q025", "double"),
          f("tau_q975", "double"),
          f("mu_se_kh", "double"),
          f("mu_q025_kh", "double"),
          f("mu_q975_kh", "double"),
          f("tau_zero", "boolean"));

  public static final String LEARNED_PRIOR = "learned_prior";
  public static final String LEARNED_PRIOR_EFFECTS = "learned_prior_effects";

  public static final StructType LEARNED_PRIOR_SCHEMA =
      schema(
          new StructField[] {f("metric", "string")},
          f("model", "string"),
          f("source", "string"),
          f("n_experiments", "int"),
          f("weight_1", "double"),
          f("mean_1", "double"),
          f("sd_1", "double"),
          f("weight_2", "double"),
          f("mean_2", "double"),
          f("sd_2", "double"),
          f("log_likelihood", "double"),
          f("used", "boolean"),
          f("note", "string"));

  public static final StructType LEARNED_PRIOR_EFFECTS_SCHEMA =
      schema(
          keyFields(false),
          f("effect_mean", "double"),
          f("effect_sd", "double"),
          f("effect_q025", "double"),
          f("effect_q975", "double"),
          f("prob_positive", "double"),
          f("recommendation", "string"),
          f("learned_effect_mean", "double"),
          f("learned_effect_sd", "double"),
          f("learned_effect_q025", "double"),
          f("learned_effect_q975", "double"),
          f("learned_prob_positive", "double"),
          f("learned_prob_above_threshold", "double"),
          f("learned_expected_profit", "double"),
          f("learned_prob_profit_positive", "double"),
          f("learned_recommendation", "string"),
          f("prior_model", "string"),
          f("prior_source", "string"),
          f("prior", "string"));

  public static final StructType EXPERIMENT_DECISIONS_SCHEMA =
      schema(
          keyFields(false),
          f("effect_mean", "double"),
          f("effect_sd", "double"),
          f("effect_q025", "double"),
          f("effect_q975", "double"),
          f("prob_positive", "double"),
          f("prob_above_threshold", "double"),
          f("relative_effect_mean", "double"),
          f("prob_relative_above_threshold", "double"),
          f("expected_profit", "double"),
          f("profit_q025", "double"),
          f("profit_q975", "double"),
          f("prob_profit_positive", "double"),
          f("expected_loss_launch", "double"),
          f("expected_loss_wait", "double"),
          f("recommendation", "string"),
          f("draws", "int"),
          f("mc_se_effect_mean", "double"),
          f("mc_se_prob_positive", "double"),
          f("mc_se_prob_profit_positive", "double"),
          f("prior", "string"),
          f("srm_p_value", "double"),
          f("srm_flag", "boolean"),
          f("warning", "string"));

  public static final StructType BIAS_SENSITIVITY_SCHEMA =
      schema(
          keyFields(false),
          f("scenario", "string"),
          f("bias_mean", "double"),
          f("bias_sd", "double"),
          f("mean", "double"),
          f("sd", "double"),
          f("q025", "double"),
          f("q975", "double"),
          f("prob_positive", "double"),
          f("prob_above_threshold", "double"),
          f("expected_profit", "double"),
          f("prob_profit_positive", "double"),
          f("recommendation", "string"));

  public static List<Row> biasSensitivity(List<BiasSensitivity> in) {
    return rows(
        in,
        b -> {
          DecisionMetrics d = b.result();
          return RowFactory.create(
              b.experimentId(),
              b.metric(),
              b.variant(),
              b.scenario(),
              b.biasMean(),
              b.biasSd(),
              d.effectMean(),
              d.effectSd(),
              d.effectQ025(),
              d.effectQ975(),
              d.probPositive(),
              d.probAboveThreshold(),
              d.expectedProfit(),
              d.probProfitPositive(),
              d.recommendation());
        });
  }

  public static final StructType ARM_POSTERIORS_SCHEMA =
      schema(
          new StructField[] {
            f("experiment_id", "string"),
            f("metric", "string"),
            f("segment", "string"),
            f("arm", "string")
          },
          f("level", "string"),
          f("n", "long"),
          f("successes", "long"),
          f("prior_alpha", "double"),
          f("prior_beta", "double"),
          f("post_alpha", "double"),
          f("post_beta", "double"),
          f("mean", "double"),
          f("q025", "double"),
          f("q975", "double"));

  public static final StructType PRIOR_SENSITIVITY_SCHEMA =
      schema(
          keyFields(false),
          f("prior", "string"),
          f("control_alpha", "double"),
          f("control_beta", "double"),
          f("treatment_alpha", "double"),
          f("treatment_beta", "double"),
          f("mean", "double"),
          f("sd", "double"),
          f("q025", "double"),
          f("q975", "double"),
          f("prob_positive", "double"),
          f("prob_above_threshold", "double"),
          f("relative_effect_mean", "double"),
          f("prob_relative_above_threshold", "double"),
          f("expected_profit", "double"),
          f("prob_profit_positive", "double"),
          f("recommendation", "string"),
          f("decision_changes", "boolean"),
          f("mc_se_prob_positive", "double"));

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
          return RowFactory.create(
              p.experimentId(),
              p.metric(),
              p.variant(),
              p.prior(),
              p.controlPrior()[0],
              p.controlPrior()[1],
              p.treatmentPrior()[0],
              p.treatmentPrior()[1],
              d.effectMean(),
              d.effectSd(),
              d.effectQ025(),
              d.effectQ975(),
              d.probPositive(),
              d.probAboveThreshold(),
              d.relativeEffectMean(),
              d.probRelativeAboveThreshold(),
              d.expectedProfit(),
              d.probProfitPositive(),
              d.recommendation(),
              p.decisionChanges(),
              d.mcSeProbPositive());
        });
  }

  /**
   * Segment estimates; the {@code bayes_*} columns are the exact Student-t summaries of the
   * conjugate regression coefficient (NaN where there is none).
   */
  public static List<Row> segmentEstimates(
      List<SegmentEstimate> in, double srmAlpha, java.util.Map<String, String> priors) {
    return rows(
        in,
        e -> {
          double nan = Double.NaN;
          PosteriorSummary t =
              e.bayesSummary() == null
                  ? new PosteriorSummary(nan, nan, nan, nan, nan, nan)
                  : e.bayesSummary();
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
                p.probRelativeAboveThreshold(),
                p.source(),
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
                p.method(),
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

  public static List<Row> learnedPrior(List<io.segfx.model.LearnedPriorFit> in) {
    return rows(
        in,
        p ->
            RowFactory.create(
                p.metric(),
                p.model(),
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

  public static List<Row> learnedPriorEffects(List<io.segfx.model.LearnedEffect> in) {
    return rows(
        in,
        e -> {
          DecisionMetrics a = e.without();
          DecisionMetrics b = e.with();
          return RowFactory.create(
              a.experimentId(),
              a.metric(),
              a.variant(),
              a.effectMean(),
              a.effectSd(),
              a.effectQ025(),
              a.effectQ975(),
              a.probPositive(),
              a.recommendation(),
              b.effectMean(),
              b.effectSd(),
              b.effectQ025(),
              b.effectQ975(),
              b.probPositive(),
              b.probAboveThreshold(),
              b.expectedProfit(),
              b.probProfitPositive(),
              b.recommendation(),
              e.model(),
              e.source(),
              b.prior());
        });
  }

  public static List<Row> experimentDecisions(List<DecisionMetrics> in, String warning) {
    return rows(
        in,
        d ->
            RowFactory.create(
                d.experimentId(),
                d.metric(),
                d.variant(),
                d.effectMean(),
                d.effectSd(),
                d.effectQ025(),
                d.effectQ975(),
                d.probPositive(),
                d.probAboveThreshold(),
                d.relativeEffectMean(),
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
                warning));
  }

  private static <T> List<Row> rows(List<T> in, Function<T, Row> f) {
    List<Row> out = new ArrayList<>(in.size());
    for (T t : in) {
      out.add(f.apply(t));
    }
    return out;
  }

  private static StructField[] keyFields(boolean segment) {
    List<StructField> k = new ArrayList<>();
    for (String name : KEY) {
      k.add(f(name, "string"));
    }
    if (segment) {
      k.add(f("segment", "string"));
    }
    return k.toArray(new StructField[0]);
  }

  private static StructType schema(StructField[] key, StructField... rest) {
    List<StructField> all = new ArrayList<>(List.of(key));
    all.addAll(List.of(rest));
    return DataTypes.createStructType(all);
  }

  private static StructField f(String name, String type) {
    return DataTypes.createStructField(
        name,
        switch (type) {
          case "long" -> DataTypes.LongType;
          case "int" -> DataTypes.IntegerType;
          case "double" -> DataTypes.DoubleType;
          case "boolean" -> DataTypes.BooleanType;
          default -> DataTypes.StringType;
        },
        true);
  }
}
