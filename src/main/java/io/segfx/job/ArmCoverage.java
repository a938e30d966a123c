package io.segfx.job;

import io.segfx.config.JobSpec;
import io.segfx.config.UsageException;
import io.segfx.io.SafeText;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks which arms stage 1 saw, before anything is pooled.
 *
 * <ul>
 *   <li>When no row of any experiment carries the control arm, the control value is wrong for this
 *       input (string arms {@code control}/{@code treatment} under the default {@code 0}, say): the
 *       run is refused with the arm values seen, instead of analysing every arm as a variant
 *       against an empty control.
 *   <li>A segment cell with no variant rows gets an {@code empty_treatment} row for each variant of
 *       its experiment, so every (experiment, metric, variant) group is complete; an experiment
 *       with no variant rows at all has one group per declared {@code --variants} value, or else
 *       one under {@link #NO_VARIANT}, carried through every stage with status {@code
 *       empty_treatment} and decision {@code insufficient_data}.
 * </ul>
 */
final class ArmCoverage {
  /**
   * The variant label of an experiment whose rows are all control. "none" reads as a missing arm
   * ({@link io.segfx.model.ArmLabel}), so no real arm can carry it.
   */
  static final String NO_VARIANT = "none";

  private ArmCoverage() {}

  static List<SegmentEstimate> complete(List<SegmentEstimate> estimates, JobSpec spec) {
    // Looked up once per estimate (millions on a wide run): hashed, not a tree of id comparisons.
    Map<String, TreeSet<String>> variants = new HashMap<>();
    boolean controlSeen = false;
    TreeSet<String> armsSeen = new TreeSet<>();
    for (SegmentEstimate e : estimates) {
      if (e.fromEstimates()) {
        return estimates;
      }
      TreeSet<String> v = variants.computeIfAbsent(e.experimentId(), k -> new TreeSet<>());
      if (e.variant() != null && e.nTreatment() > 0) {
        v.add(e.variant());
        armsSeen.add(e.variant());
      }
      controlSeen |= e.nControl() > 0;
    }
    if (!controlSeen && !estimates.isEmpty()) {
      List<String> shown = new ArrayList<>();
      for (String a : armsSeen) {
        shown.add("'" + SafeText.clean(a) + "'");
        if (shown.size() == 10) {
          shown.add("...");
          break;
        }
      }
      throw new UsageException(
          "no row has the control arm '"
              + spec.controlArm()
              + "' in column '"
              + spec.armCol()
              + "'; arms seen: "
              + String.join(", ", shown)
              + "; pass --control-arm with the control's value");
    }
    List<SegmentEstimate> out = new ArrayList<>(estimates.size());
    for (SegmentEstimate e : estimates) {
      if (e.variant() != null) {
        out.add(e);
        continue;
      }
      TreeSet<String> v = variants.get(e.experimentId());
      Iterable<String> labels =
          !v.isEmpty() ? v : !spec.variants().isEmpty() ? spec.variants() : List.of(NO_VARIANT);
      for (String variant : labels) {
        out.add(
            SegmentEstimate.empty(
                e.experimentId(),
                e.metric(),
                variant,
                e.segment(),
                e.nControl(),
                0,
                Status.EMPTY_TREATMENT.code(),
                e.kind()));
      }
    }
    return out;
  }
}
