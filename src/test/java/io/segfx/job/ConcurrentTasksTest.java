package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrentTasksTest {
  /** Two tasks that each wait for the other can only finish if they run side by side. */
  @Test
  void runsTasksSideBySideAndReturnsResults() {
    CountDownLatch both = new CountDownLatch(2);
    try (ConcurrentTasks tasks = new ConcurrentTasks(2)) {
      Future<Boolean> a = tasks.submit("a", () -> meet(both));
      Future<Boolean> b = tasks.submit("b", () -> meet(both));
      tasks.awaitAll();
      assertTrue(ConcurrentTasks.result(a));
      assertTrue(ConcurrentTasks.result(b));
      assertEquals(Set.of("a", "b"), tasks.seconds().keySet());
    }
  }

  /** The first failure in submission order is rethrown as itself, after every task has ended. */
  /** A task's pieces are timed under their own names, beside the task's own time. */
  @Test
  void timesPiecesInsideATask() throws Exception {
    try (ConcurrentTasks tasks = new ConcurrentTasks(1)) {
      String joined =
          ConcurrentTasks.result(
              tasks.submit(
                  "both", () -> tasks.time("first", () -> "a") + tasks.time("second", () -> "b")));
      tasks.awaitAll();
      assertEquals("ab", joined);
      Map<String, Double> s = tasks.seconds();
      assertEquals(List.of("first", "second", "both"), new ArrayList<>(s.keySet()));
      assertTrue(s.get("both") >= s.get("first") + s.get("second") - 0.002, s.toString());
    }
  }

  @Test
  void rethrowsTheFirstFailureAfterAllTasksEnd() {
    AtomicInteger finished = new AtomicInteger();
    IllegalArgumentException first = new IllegalArgumentException("first");
    try (ConcurrentTasks tasks = new ConcurrentTasks(2)) {
      tasks.run(
          "slow",
          () -> {
            sleep(200);
            finished.incrementAndGet();
          });
      tasks.run(
          "bad1",
          () -> {
            throw first;
          });
      tasks.run(
          "bad2",
          () -> {
            throw new IllegalStateException("second");
          });
      tasks.run("after", finished::incrementAndGet);
      RuntimeException e = assertThrows(RuntimeException.class, tasks::awaitAll);
      assertSame(first, e);
      assertEquals(2, finished.get());
    }
  }

  private static boolean meet(CountDownLatch latch) {
    latch.countDown();
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
