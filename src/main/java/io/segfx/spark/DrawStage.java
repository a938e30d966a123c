package io.segfx.spark;

import io.segfx.stats.DecisionRule;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.PooledPosterior;
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

  /** Draws every group; results in the order of {@code groups}. */
  public static List<ExperimentDraws.Result> run(
      SparkSession spark,
      List<PooledPosterior> groups,
      int draws,
      long seed,
      Map<String, ExperimentDraws.Thresholds> thresholds,
      Map<String, ExperimentDraws.Economics> economics,
      DecisionRule rule) {
    if (groups.isEmpty()) {
      return List.of();
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<Integer, PooledPosterior> byIndex = new HashMap<>();
    List<Tuple2<String, Integer>> keys = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      byIndex.put(i, groups.get(i));
      keys.add(new Tuple2<>(groups.get(i).experimentId(), i));
    }
    Broadcast<Map<Integer, PooledPosterior>> posteriors = jsc.broadcast(byIndex);
    Map<String, ExperimentDraws.Economics> econ = new HashMap<>(economics);
    Map<String, ExperimentDraws.Thresholds> limits = new HashMap<>(thresholds);
    FaultInjection faults = FaultInjection.of(jsc.getConf());
    int partitions = Math.max(1, Math.min(keys.size(), jsc.defaultParallelism() * 4));
    List<Tuple2<Integer, ExperimentDraws.Result>> out =
        PooledShuffle.partitionBy(
                jsc.parallelizePairs(keys, partitions),
                new HashPartitioner(partitions),
                String.class,
                Integer.class)
            .mapToPair(
                t -> {
                  faults.maybeFail("stage-3");
                  PooledPosterior p = posteriors.value().get(t._2());
                  return new Tuple2<>(
                      t._2(),
                      ExperimentDraws.draw(
                          p.segments(),
                          p.hierarchy(),
                          draws,
                          limits.get(p.metric()),
                          econ.get(p.metric()),
                          rule,
                          Seeds.of(seed, p.experimentId(), p.metric(), p.variant())));
                })
            .collect();
    posteriors.destroy();
    ExperimentDraws.Result[] ordered = new ExperimentDraws.Result[groups.size()];
    for (Tuple2<Integer, ExperimentDraws.Result> t : out) {
      ordered[t._1()] = t._2();
    }
    return List.of(ordered);
  }
}
