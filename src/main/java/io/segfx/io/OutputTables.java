package io.segfx.io;

import io.segfx.model.DecisionMetrics;
import io.segfx.model.ExperimentPooling;
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

  private static final String[] KEY = {"experiment_id", "metric", "variant"};

  public static final StructType SEGMENT_ESTIMATES_SCHEMA =
      schema(
          keyFields(true),
          f("n_control", "long"),
          f("n_treatment", "long"),
          f("estimate", "double"),
          f("std_error", "double"),
          f("dof", "long"),
          f("status", "string"));

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
          f("units", "long"));

  public static final StructType EXPERIMENT_POOLING_SCHEMA =
      schema(
          keyFields(false),
          f("method", "string"),
          f("mu", "double"),
          f("mu_se", "double"),
          f("tau", "double"),
          f("n_segments", "int"),
          f("n_segments_total", "int"),
          f("note", "string"));

  public static final StructType EXPERIMENT_DECISIONS_SCHEMA =
      schema(
          keyFields(false),
          f("effect_mean", "double"),
          f("effect_sd", "double"),
          f("effect_q025", "double"),
          f("effect_q975", "double"),
          f("prob_positive", "double"),
          f("prob_above_threshold", "double"),
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
          f("mc_se_prob_profit_positive", "double"));

  public static List<Row> segmentEstimates(List<SegmentEstimate> in) {
    return rows(
        in,
        e ->
            RowFactory.create(
                e.experimentId(), e.metric(), e.variant(), e.segment(), e.nControl(), e.nTreatment(),
                e.estimate(), e.stdError(), e.dof(), e.status()));
  }

  public static List<Row> segmentPosteriors(List<SegmentPosterior> in) {
    return rows(
        in,
        p ->
            RowFactory.create(
                p.experimentId(), p.metric(), p.variant(), p.segment(), p.postMean(), p.postSd(),
                p.q025(), p.q975(), p.probPositive(), p.probAboveThreshold(), p.shrinkageWeight(),
                p.units()));
  }

  public static List<Row> experimentPooling(List<ExperimentPooling> in) {
    return rows(
        in,
        p ->
            RowFactory.create(
                p.experimentId(), p.metric(), p.variant(), p.method(), p.mu(), p.muSe(), p.tau(),
                p.nSegments(), p.nSegmentsTotal(), p.note()));
  }

  public static List<Row> experimentDecisions(List<DecisionMetrics> in) {
    return rows(
        in,
        d ->
            RowFactory.create(
                d.experimentId(), d.metric(), d.variant(), d.effectMean(), d.effectSd(),
                d.effectQ025(), d.effectQ975(), d.probPositive(), d.probAboveThreshold(),
                d.expectedProfit(), d.profitQ025(), d.profitQ975(), d.probProfitPositive(),
                d.expectedLossLaunch(), d.expectedLossWait(), d.recommendation(), d.draws(),
                d.mcSeEffectMean(), d.mcSeProbPositive(), d.mcSeProbProfitPositive()));
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
          default -> DataTypes.StringType;
        },
        true);
  }
}
