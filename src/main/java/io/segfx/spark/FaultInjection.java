package io.segfx.spark;

import java.io.Serializable;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;

/**
 * A testing hook: when the Spark property {@value #PROPERTY} is true, the first attempt of every
 * stage-1 and stage-3 task fails after doing its work, so tests can prove that retried tasks give
 * bit-identical results. Off unless set; never set it in production.
 */
public record FaultInjection(boolean failFirstAttempt) implements Serializable {
  public static final String PROPERTY = "spark.segfx.test.failFirstAttempt";

  /** Reads the setting from the driver's configuration. */
  public static FaultInjection of(SparkConf conf) {
    return new FaultInjection(conf.getBoolean(PROPERTY, false));
  }

  /** Called inside a task: fails it when this is its first attempt and injection is on. */
  public void maybeFail(String where) {
    TaskContext task = TaskContext.get();
    if (failFirstAttempt && task != null && task.attemptNumber() == 0) {
      throw new IllegalStateException(
          "segfx test fault injection: first attempt of "
              + where
              + " task "
              + task.partitionId()
              + " fails");
    }
  }
}
