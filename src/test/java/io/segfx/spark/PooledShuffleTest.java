package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.segfx.testing.SharedSparkSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The shuffle through the executor's serializer moves the same records to the same partitions as
 * {@code partitionBy}, and its dependency names the executor's serializer rather than a copy.
 */
class PooledShuffleTest extends SharedSparkSession {
  @Test
  void sameRecordsInSamePartitionsAsPartitionBy() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    List<Tuple2<String, Integer>> pairs = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      pairs.add(new Tuple2<>("exp-" + (i % 97), i));
    }
    JavaPairRDD<String, Integer> input = jsc.parallelizePairs(pairs, 7);
    HashPartitioner p = new HashPartitioner(5);
    JavaPairRDD<String, Integer> pooled =
        PooledShuffle.partitionBy(input, p, String.class, Integer.class);
    assertEquals(byPartition(input.partitionBy(p)), byPartition(pooled));
    assertEquals(5, pooled.getNumPartitions());
    ShuffleDependency<?, ?, ?> dep =
        (ShuffleDependency<?, ?, ?>) pooled.rdd().dependencies().head();
    assertInstanceOf(PooledShuffle.ExecutorSerializer.class, dep.serializer());
    // In this JVM (local mode) the stand-in hands out instances of the executor's serializer.
    assertSame(
        SparkEnv.get().serializer().newInstance().getClass(),
        dep.serializer().newInstance().getClass());
  }

  /** Each partition's records, as (partition, sorted key=value list). */
  private static Map<Integer, List<String>> byPartition(JavaPairRDD<String, Integer> rdd) {
    Map<Integer, List<String>> out = new TreeMap<>();
    List<List<Tuple2<String, Integer>>> parts = rdd.glom().collect();
    for (int i = 0; i < parts.size(); i++) {
      List<String> rows = new ArrayList<>();
      for (Tuple2<String, Integer> t : parts.get(i)) {
        rows.add(t._1() + "=" + t._2());
      }
      rows.sort(null);
      out.put(i, rows);
    }
    return out;
  }
}
