package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.config.UsageException;
import io.segfx.model.ArmLabel;
import io.segfx.model.Design;
import io.segfx.model.SegmentEstimate;
import io.segfx.stats.SampleRatio;
import io.segfx.util.DecimalText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The sample-ratio-mismatch guard: per segment cell (control vs the variant) and per experiment
 * (all arms' totals), Pearson's chi-square against the designed split ({@code --expected-split},
 * equal by default). A p-value below {@code --srm-alpha} flags it.
 *
 * <p>An observational design has no planned split, so the check applies to it only when {@code
 * --expected-split} is given; otherwise its p-values are NaN and nothing is flagged.
 */
final class SampleRatioCheck {
  /** The largest ratio of two --expected-split weights. */
  static final double MAX_WEIGHT_RATIO = 1e9;

  /** The largest --expected-split weight (and reciprocal of the smallest). */
  static final double MAX_WEIGHT = 1e150;

  private final JobSpec spec;
  private final Map<String, Double> named = new HashMap<>();
  private final List<Double> ordered = new ArrayList<>();

  SampleRatioCheck(JobSpec spec) {
    this.spec = spec;
    String split = spec.expectedSplit();
    if (split == null || split.isBlank()) {
      return;
    }
    try {
      if (split.contains("=")) {
        for (String part : split.split(",")) {
          String[] kv = part.split("=");
          if (kv.length != 2) {
            throw new IllegalArgumentException(part);
          }
          if (named.put(ArmLabel.canonical(kv[0]), DecimalText.parse(kv[1].trim())) != null) {
            throw new UsageException(
                "--expected-split '" + split + "' gives arm '" + kv[0].trim() + "' twice");
          }
        }
      } else {
        for (String part : split.split("/")) {
          ordered.add(DecimalText.parse(part.trim()));
        }
      }
    } catch (UsageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UsageException(
          "--expected-split '" + split + "' must look like 50/50 or 0=50,1=25,2=25");
    }
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (double w : named.isEmpty() ? ordered : named.values()) {
      if (!(w > 0)) {
        throw new UsageException("--expected-split weights must be > 0, got '" + split + "'");
      }
      if (!Double.isFinite(w)) {
        throw new UsageException("--expected-split weights must be finite, got '" + split + "'");
      }
      // The test's arithmetic (units × weight, the weights' sum) must not overflow or underflow.
      if (w > MAX_WEIGHT || w < 1 / MAX_WEIGHT) {
        throw new UsageException(
            "--expected-split weights must be between 1e-150 and 1e150, got '" + split + "'");
      }
      min = Math.min(min, w);
      max = Math.max(max, w);
    }
    // Beyond this an arm's expected share underflows the test's arithmetic, whose p-value would
    // be NaN and its flag silently off; no design splits units a billion to one.
    if (max / min > MAX_WEIGHT_RATIO) {
      throw new UsageException(
          "--expected-split weights must be within a factor of 1e9 of each other, got '"
              + split
              + "'");
    }
  }

  /** The designed weight of {@code arm}, given all arms in order (control first). */
  double weight(String arm, List<String> arms) {
    if (!named.isEmpty()) {
      Double w = named.get(arm);
      if (w == null) {
        throw new UsageException("--expected-split has no weight for arm '" + arm + "'");
      }
      return w;
    }
    if (!ordered.isEmpty()) {
      int i = arms.indexOf(arm);
      if (ordered.size() != arms.size()) {
        throw new UsageException(
            "--expected-split gives "
                + ordered.size()
                + " weights but the experiment has arms "
                + arms);
      }
      return ordered.get(i);
    }
    return 1.0;
  }

  /** Whether the design has a split to check against. */
  boolean applies() {
    return spec.design() != Design.OBSERVATIONAL
        || (spec.expectedSplit() != null && !spec.expectedSplit().isBlank());
  }

  /** Every cell with its pairwise p-value. */
  List<SegmentEstimate> cells(List<SegmentEstimate> grid) {
    if (!applies()) {
      return grid;
    }
    Map<String, List<String>> arms = arms(grid);
    // The designed weights first, in grid order (so a bad --expected-split is reported for the
    // first cell it fails on); then one incomplete-gamma p-value per cell (a wide run has hundreds
    // of thousands), each a function of its cell alone, on the driver's cores.
    double[][] weights = new double[grid.size()][];
    for (int i = 0; i < grid.size(); i++) {
      SegmentEstimate e = grid.get(i);
      if (e.variant() != null && !e.fromEstimates()) {
        List<String> a = arms.get(e.experimentId());
        weights[i] = new double[] {weight(spec.controlArm(), a), weight(e.variant(), a)};
      }
    }
    return new ArrayList<>(
        IntStream.range(0, grid.size())
            .parallel()
            .mapToObj(
                i -> {
                  SegmentEstimate e = grid.get(i);
                  return weights[i] == null
                      ? e
                      : e.withSrm(
                          SampleRatio.pValue(
                              new long[] {e.nControl(), e.nTreatment()}, weights[i]));
                })
            .toList());
  }

  /** Per experiment, the p-value of all arms' totals. */
  Map<String, Double> experiments(List<SegmentEstimate> grid) {
    if (!applies()) {
      return Map.of();
    }
    Map<String, List<String>> arms = arms(grid);
    // Hashed while summing (one look-up per cell, millions on a wide run); tested in id order
    // below, so a bad --expected-split is reported for the same experiment as ever.
    Map<String, Map<String, Long>> totals = new HashMap<>();
    Map<String, String> firstMetric = new HashMap<>();
    Map<String, TreeSet<String>> controlSeen = new HashMap<>();
    for (SegmentEstimate e : grid) {
      if (e.fromEstimates()) {
        continue;
      }
      firstMetric.putIfAbsent(e.experimentId(), e.metric());
      if (!e.metric().equals(firstMetric.get(e.experimentId()))) {
        continue;
      }
      Map<String, Long> t = totals.computeIfAbsent(e.experimentId(), k -> new TreeMap<>());
      if (controlSeen.computeIfAbsent(e.experimentId(), k -> new TreeSet<>()).add(e.segment())) {
        t.merge(spec.controlArm(), e.nControl(), Long::sum);
      }
      if (e.variant() != null) {
        t.merge(e.variant(), e.nTreatment(), Long::sum);
      }
    }
    Map<String, Double> out = new HashMap<>();
    List<String> ids = new ArrayList<>(totals.keySet());
    Collections.sort(ids);
    for (String id : ids) {
      Map<String, Long> t = totals.get(id);
      List<String> a = arms.get(id);
      long control = t.getOrDefault(spec.controlArm(), 0L);
      long all = t.values().stream().mapToLong(Long::longValue).sum();
      if (control == 0 || control == all) {
        // One side has no rows at all: there is no split to test, and the segment statuses
        // (empty_control, empty_treatment) and the decision (insufficient_data) say why.
        continue;
      }
      long[] obs = new long[a.size()];
      double[] w = new double[a.size()];
      for (int i = 0; i < a.size(); i++) {
        obs[i] = t.getOrDefault(a.get(i), 0L);
        w[i] = weight(a.get(i), a);
      }
      out.put(id, SampleRatio.pValue(obs, w));
    }
    return out;
  }

  boolean flagged(double p) {
    return p < spec.srmAlpha();
  }

  /** Per experiment: control first, then its variants sorted. */
  private Map<String, List<String>> arms(List<SegmentEstimate> grid) {
    Map<String, TreeSet<String>> v = new HashMap<>();
    for (SegmentEstimate e : grid) {
      TreeSet<String> s = v.computeIfAbsent(e.experimentId(), k -> new TreeSet<>());
      if (e.variant() != null) {
        s.add(e.variant());
      }
    }
    Map<String, List<String>> out = new HashMap<>();
    for (Map.Entry<String, TreeSet<String>> x : v.entrySet()) {
      List<String> a = new ArrayList<>();
      a.add(spec.controlArm());
      a.addAll(x.getValue());
      out.put(x.getKey(), a);
    }
    return out;
  }
}
