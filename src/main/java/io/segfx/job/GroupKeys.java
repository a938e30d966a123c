package io.segfx.job;

import io.segfx.model.BiasSensitivity;
import io.segfx.model.ExperimentPooling;
import io.segfx.model.GroupKey;
import io.segfx.model.PriorSensitivity;
import io.segfx.model.SegmentPosterior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Indexes of the run's tables by their {@link GroupKey}, for memos and the report. */
final class GroupKeys {
  private GroupKeys() {}

  /**
   * The tables memos and report pages read per group.
   *
   * @param pools each group's pooling row
   * @param segments each group's segment posteriors, in table order
   * @param grid each group's prior-sensitivity rows, in table order
   * @param bias each group's bias-sensitivity rows, in table order
   */
  record Index(
      Map<GroupKey, ExperimentPooling> pools,
      Map<GroupKey, List<SegmentPosterior>> segments,
      Map<GroupKey, List<PriorSensitivity>> grid,
      Map<GroupKey, List<BiasSensitivity>> bias) {

    static Index of(List<ExperimentPooling> pooling, DecisionAssembly.Tables tables) {
      return new Index(
          unique(pooling, p -> new GroupKey(p.experimentId(), p.metric(), p.variant())),
          group(tables.posteriors(), p -> new GroupKey(p.experimentId(), p.metric(), p.variant())),
          group(tables.sensitivity(), p -> new GroupKey(p.experimentId(), p.metric(), p.variant())),
          group(tables.bias(), b -> new GroupKey(b.experimentId(), b.metric(), b.variant())));
    }

    List<SegmentPosterior> segments(GroupKey k) {
      return segments.getOrDefault(k, List.of());
    }

    List<PriorSensitivity> grid(GroupKey k) {
      return grid.getOrDefault(k, List.of());
    }

    List<BiasSensitivity> bias(GroupKey k) {
      return bias.getOrDefault(k, List.of());
    }
  }

  /**
   * Sorts a table's rows in place on the driver's cores (Arrays.parallelSort, stable). Our tables'
   * comparators order by unique keys, so the result is the same as a sequential sort.
   */
  @SuppressWarnings("unchecked")
  static <T> void sortParallel(List<T> rows, Comparator<? super T> order) {
    Object[] a = rows.toArray();
    Arrays.parallelSort(a, (x, y) -> order.compare((T) x, (T) y));
    for (int i = 0; i < a.length; i++) {
      rows.set(i, (T) a[i]);
    }
  }

  /** Rows listed per key, in table order. */
  static <K, T> Map<K, List<T>> group(List<T> rows, Function<T, K> key) {
    Map<K, List<T>> out = new HashMap<>();
    for (T t : rows) {
      out.computeIfAbsent(key.apply(t), k -> new ArrayList<>()).add(t);
    }
    return out;
  }

  /** One row per key (the last one given). */
  static <K, T> Map<K, T> unique(List<T> rows, Function<T, K> key) {
    Map<K, T> out = new HashMap<>();
    for (T t : rows) {
      out.put(key.apply(t), t);
    }
    return out;
  }
}
