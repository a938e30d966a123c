package io.segfx.job;

import io.segfx.model.SegmentEstimate;
import io.segfx.model.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The complete grid of segment cells that stage 2 pools: every (experiment, metric, variant,
 * segment), including the cells stage 1 cannot see because they have no rows.
 */
final class SegmentGrid {
  private SegmentGrid() {}

  /**
   * Adds the cells stage 1 cannot see: a variant of the experiment with no rows in a segment gets
   * an {@code empty_treatment} cell (with the segment's control count). Control-only markers are
   * kept only for experiments with no variant at all. The result is sorted by experiment, metric,
   * variant, segment.
   */
  static List<SegmentEstimate> complete(List<SegmentEstimate> raw) {
    Map<String, List<SegmentEstimate>> byExperiment = new HashMap<>();
    for (SegmentEstimate e : raw) {
      byExperiment.computeIfAbsent(e.experimentId(), k -> new ArrayList<>()).add(e);
    }
    // Experiments are independent, so they are completed and sorted on the driver's cores, in
    // the order of their ids; the keys are unique, so the order is total. Sorting each
    // experiment's few cells rather than all cells at once saves the comparisons of ids.
    List<String> ids = new ArrayList<>(byExperiment.keySet());
    Collections.sort(ids);
    List<List<SegmentEstimate>> done =
        ids.parallelStream()
            .map(
                id -> {
                  // The experiment's own list, or a new one: this task's to sort either way.
                  List<SegmentEstimate> rows = completeExperiment(byExperiment.get(id));
                  rows.sort(WITHIN_EXPERIMENT);
                  return rows;
                })
            .toList();
    List<SegmentEstimate> out = new ArrayList<>(raw.size());
    for (List<SegmentEstimate> rows : done) {
      out.addAll(rows);
    }
    return out;
  }

  /** The order of an experiment's cells: metric, variant, segment. */
  private static final Comparator<SegmentEstimate> WITHIN_EXPERIMENT =
      Comparator.comparing(SegmentEstimate::metric)
          .thenComparing(e -> Objects.toString(e.variant(), ""))
          .thenComparing(SegmentEstimate::segment);

  /** A cell of one experiment's grid. */
  private record Cell(String metric, String variant, String segment) {}

  /** {@link #complete} of one experiment's cells (in no particular order). */
  private static List<SegmentEstimate> completeExperiment(List<SegmentEstimate> rows) {
    TreeSet<String> variants = new TreeSet<>();
    TreeSet<String> metrics = new TreeSet<>();
    Map<String, String> kinds = new HashMap<>();
    Map<String, Long> controlCount = new HashMap<>();
    int controlOnly = 0;
    for (SegmentEstimate e : rows) {
      metrics.add(e.metric());
      kinds.put(e.metric(), e.kind());
      if (e.variant() != null) {
        variants.add(e.variant());
      } else {
        controlOnly++;
      }
      controlCount.put(e.segment(), e.nControl());
    }
    if (variants.isEmpty()) {
      return rows;
    }
    // Usually complete: every (metric, variant, segment) once and no control-only marker.
    if (controlOnly == 0
        && rows.size() == (long) metrics.size() * variants.size() * controlCount.size()) {
      return rows;
    }
    Map<Cell, SegmentEstimate> present = new HashMap<>();
    for (SegmentEstimate e : rows) {
      if (e.variant() != null) {
        present.put(new Cell(e.metric(), e.variant(), e.segment()), e);
      }
    }
    List<SegmentEstimate> out = new ArrayList<>(present.values());
    for (Map.Entry<String, Long> seg : controlCount.entrySet()) {
      for (String metric : metrics) {
        for (String variant : variants) {
          if (!present.containsKey(new Cell(metric, variant, seg.getKey()))) {
            out.add(
                SegmentEstimate.empty(
                    rows.get(0).experimentId(),
                    metric,
                    variant,
                    seg.getKey(),
                    seg.getValue(),
                    0,
                    Status.EMPTY_TREATMENT.code(),
                    kinds.get(metric)));
          }
        }
      }
    }
    return out;
  }
}
