package io.segfx.spark;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Counts task attempts that did not succeed during a run (retried by Spark), for the manifest: a
 * run's outputs do not depend on retries, but operators want to know they happened.
 */
public final class TaskFailureCounter extends SparkListener {
  private final AtomicLong failed = new AtomicLong();

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.reason() != Success$.MODULE$) {
      failed.incrementAndGet();
    }
  }

  /** Failed task attempts seen so far. */
  public long failed() {
    return failed.get();
  }
}
