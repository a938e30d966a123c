package io.segfx.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.BeforeEach;

/**
 * One local[2] Spark session shared by every Spark test in the JVM (spark-testing-base keeps the
 * context in a static field; JUnit 5 calls its JUnit 4 hook here). UI off, small shuffles.
 */
public abstract class SharedSparkSession extends JavaDataFrameSuiteBase {
  @Override
  public SparkConf conf() {
    return new SparkConf()
        .setMaster("local[2]")
        .setAppName("segfx-tests")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.sql.shuffle.partitions", "4")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.app.id", "segfx-tests")
        // Kryo, as clusters commonly configure it: records need SegfxKryoRegistrator. Without
        // reference tracking, as SegfxMain sets it when it picks Kryo, so that every job's
        // records are checked to need none.
        .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .set("spark.kryo.referenceTracking", "false")
        .set("spark.kryo.registrator", "io.segfx.spark.SegfxKryoRegistrator");
  }

  @Override
  public boolean enableHiveSupport() {
    return false;
  }

  @BeforeEach
  void startSpark() {
    runBefore();
  }
}
