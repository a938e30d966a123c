package io.segfx.spark;

import org.apache.spark.Partitioner;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.rdd.ShuffledRDD;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * A plain shuffle ({@link JavaPairRDD#partitionBy}) whose records go through the executor's own
 * serializer, {@code SparkEnv.get().serializer()}, rather than the copy a shuffle dependency
 * carries in every task. That copy's Kryo pool is empty in each task, and a map task writes every
 * reduce partition through a stream of its own, so each task built a Kryo instance, with every
 * registration, per reduce partition (284 of them in a 50-million-row run). The executor's
 * serializer keeps its pool for the life of the executor, so instances are built once per
 * concurrent stream. The bytes written are the same: it is the same serializer, configured by the
 * same Spark properties.
 */
final class PooledShuffle {
  private PooledShuffle() {}

  /** {@code rdd.partitionBy(partitioner)} through the executor's serializer. */
  static <K, V> JavaPairRDD<K, V> partitionBy(
      JavaPairRDD<K, V> rdd, Partitioner partitioner, Class<K> keys, Class<V> values) {
    ClassTag<K> k = ClassTag$.MODULE$.apply(keys);
    ClassTag<V> v = ClassTag$.MODULE$.apply(values);
    ShuffledRDD<K, V, V> shuffled = new ShuffledRDD<>(rdd.rdd(), partitioner, k, v, v);
    shuffled.setSerializer(new ExecutorSerializer());
    return new JavaPairRDD<>(shuffled, k, v);
  }

  /** Stands for the executor's serializer wherever a task deserializes it. */
  static final class ExecutorSerializer extends Serializer implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public SerializerInstance newInstance() {
      return SparkEnv.get().serializer().newInstance();
    }
  }
}
