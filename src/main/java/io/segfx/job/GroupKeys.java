package io.segfx.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Indexes of the run's tables by their (experiment, metric, variant) group, for memos and the
 * report.
 */
final class GroupKeys {
  private GroupKeys() {}

  /**
   * Sorts a table's rows in place on the driver's cores (Arrays.parallelSort, stable). Our tables'
   * comparators order by unique keys, so the result is the same as a sequential sort.
   */
  @SuppressWarnings("unchecked")
  static <T> void sortParallel(List<T> rows, java.util.Comparator<? super T> order) {
    Object[] a = rows.toArray();
    java.util.Arrays.parallelSort(a, (x, y) -> order.compare((T) x, (T) y));
    for (int i = 0; i < a.length; i++) {
      rows.set(i, (T) a[i]);
    }
  }

  /** The group key (experiment, metric, variant). */
  static List<String> of(String experiment, String metric, String variant) {
    return List.of(experiment, metric, variant);
  }

  /** Rows listed per key, in table order. */
  static <T> Map<List<String>, List<T>> group(List<T> rows, Function<T, List<String>> key) {
    Map<List<String>, List<T>> out = new HashMap<>();
    for (T t : rows) {
      out.computeIfAbsent(key.apply(t), k -> new ArrayList<>()).add(t);
    }
    return out;
  }

  /** One row per key (the last one given). */
  static <T> Map<List<String>, T> unique(List<T> rows, Function<T, List<String>> key) {
    Map<List<String>, T> out = new HashMap<>();
    for (T t : rows) {
      out.put(key.apply(t), t);
    }
    return out;
  }
}
