package io.segfx.spark;

import io.segfx.model.DecisionMetrics;
import io.segfx.model.PooledPosterior;
import io.segfx.stats.DecisionRule;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Stage 3: broadcasts the pooled posteriors, partitions the (experiment, metric, variant) groups by
 * experiment, and runs {@link ExperimentDraws} on the executors. Each group's stream is {@link
 * Seeds#of}(run seed, experiment, metric, variant), so results do not depend on the partitioning,
 * the executor count or task retries.
 */
public final class DrawStage {
  private DrawStage() {}

  /** Draws every group and returns the decision metrics sorted by experiment, metric, variant. */
  public static List<DecisionMetrics> run(
      SparkSession spark,
      List<PooledPosterior> groups,
      int draws,
      long seed,
      double threshold,
      ExperimentDraws.Economics economics,
      DecisionRule rule) {
    if (groups.isEmpty()) {
      return List.of();
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, PooledPosterior> byKey = new HashMap<>();
    List<Tuple2<String, String>> keys = new ArrayList<>();
    for (PooledPosterior p : groups) {
      String k = key(p);
      byKey.put(k, p);
      keys.add(new Tuple2<>(p.experimentId(), k));
    }
    Broadcast<Map<String, PooledPosterior>> posteriors = jsc.broadcast(byKey);
    FaultInjection faults = FaultInjection.of(jsc.getConf());
    int partitions = Math.max(1, Math.min(keys.size(), jsc.defaultParallelism() * 4));
    List<DecisionMetrics> out =
        new ArrayList<>(
            jsc.parallelizePairs(keys, partitions)
                .partitionBy(new HashPartitioner(partitions))
                .map(
                    t -> {
                      faults.maybeFail("stage-3");
                      PooledPosterior p = posteriors.value().get(t._2());
                      return ExperimentDraws.draw(
                          new String[] {p.experimentId(), p.metric(), p.variant()},
                          p.mean(),
                          p.sd(),
                          p.share(),
                          draws,
                          threshold,
                          economics,
                          rule,
                          Seeds.of(seed, p.experimentId(), p.metric(), p.variant()));
                    })
                .collect());
    posteriors.destroy();
    out.sort(DecisionMetrics.ORDER);
    return out;
  }

  private static String key(PooledPosterior p) {
    return p.experimentId().length() + ":" + p.experimentId() + p.metric().length() + ":" + p.metric() + p.variant();
  }
}
