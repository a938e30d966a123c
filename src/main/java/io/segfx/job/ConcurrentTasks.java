package io.segfx.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs independent driver-side pieces on a few threads: the output stage's (one Spark write per
 * table, the memos, the report) and the decision tables' ({@link DecisionAssembly}). Each table
 * write is a single-file Spark job whose rows are converted on the driver, so written one after
 * another they leave all but one core idle; Spark schedules jobs submitted from several threads
 * side by side. Outputs do not depend on the interleaving: every piece writes its own files. The
 * first failure (in submission order) is rethrown unwrapped after all pieces have finished, so a
 * failed run leaves no write still running into the staging folder.
 */
final class ConcurrentTasks implements AutoCloseable {
  private final ExecutorService pool;
  private final Map<String, Future<?>> futures = new LinkedHashMap<>();
  private final Map<String, Double> seconds = new LinkedHashMap<>();

  ConcurrentTasks(int threads) {
    this(threads, "segfx-write");
  }

  /** {@code threads} daemon threads named {@code threadName}. */
  ConcurrentTasks(int threads, String threadName) {
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(1, threads),
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts {@code task}; its wall time is recorded under {@code name}. */
  <T> Future<T> submit(String name, Supplier<T> task) {
    Future<T> f = pool.submit(() -> time(name, task));
    futures.put(name, f);
    return f;
  }

  /**
   * Runs {@code piece} on the calling thread (a task of this pool, say) and records its wall time
   * under {@code name}, as {@link #submit} records a task's.
   */
  <T> T time(String name, Supplier<T> piece) {
    long t0 = System.nanoTime();
    T result = piece.get();
    synchronized (seconds) {
      seconds.put(name, Math.round((System.nanoTime() - t0) / 1e6) / 1e3);
    }
    return result;
  }

  /** {@link #submit} for a task without a result. */
  void run(String name, Runnable task) {
    submit(
        name,
        () -> {
          task.run();
          return null;
        });
  }

  /** Waits for every task; rethrows the first failure. */
  void awaitAll() {
    RuntimeException first = null;
    for (Future<?> f : new ArrayList<>(futures.values())) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = unwrap(e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the driver's side tasks", e);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** The result of a finished task. */
  static <T> T result(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The task's own exception: a RuntimeException as thrown, anything else wrapped. */
  private static RuntimeException unwrap(ExecutionException e) {
    return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
  }

  /** Wall seconds per task name, in completion order. */
  Map<String, Double> seconds() {
    synchronized (seconds) {
      return new LinkedHashMap<>(seconds);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
