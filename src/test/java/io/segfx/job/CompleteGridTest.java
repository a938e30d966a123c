package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.model.SegmentEstimate;
import io.segfx.model.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link SegmentGrid#complete} on random experiments with missing cells and control-only markers,
 * against what it must produce: per experiment with variants exactly the product metrics x variants
 * x segments, the cells stage 1 saw unchanged, the others {@code empty_treatment} with their
 * segment's control count; experiments without variants as they came; all sorted.
 */
class CompleteGridTest {
  @Test
  void fillsTheGridOfEveryExperiment() {
    Random r = new Random(4);
    List<SegmentEstimate> raw = new ArrayList<>();
    for (int x = 0; x < 300; x++) {
      String exp = "e" + r.nextInt(1000) + "-" + x;
      boolean noVariants = x % 10 == 0;
      for (int g = 0; g < 1 + r.nextInt(8); g++) {
        long nControl = r.nextInt(500);
        for (String metric : new String[] {"revenue", "converted"}) {
          if (noVariants) {
            raw.add(
                SegmentEstimate.empty(
                    exp,
                    metric,
                    null,
                    "s" + g,
                    nControl,
                    0,
                    Status.EMPTY_TREATMENT.code(),
                    "continuous"));
            continue;
          }
          boolean any = false;
          for (String v : new String[] {"1", "2"}) {
            // x % 3 == 0: complete experiments (the fast path); otherwise cells go missing.
            if (x % 3 == 0 || r.nextInt(4) > 0) {
              raw.add(
                  SegmentEstimate.empty(
                      exp, metric, v, "s" + g, nControl, 1 + r.nextInt(9), "ok", "continuous"));
              any = true;
            }
          }
          if (!any) {
            raw.add(
                SegmentEstimate.empty(
                    exp,
                    metric,
                    null,
                    "s" + g,
                    nControl,
                    0,
                    Status.EMPTY_TREATMENT.code(),
                    "continuous"));
          }
        }
      }
    }
    Collections.shuffle(raw, r);
    List<SegmentEstimate> out = SegmentGrid.complete(raw);

    for (int i = 1; i < out.size(); i++) {
      assertTrue(
          key(out.get(i - 1)).compareTo(key(out.get(i))) < 0, "sorted, unique: " + key(out.get(i)));
    }
    Map<String, List<SegmentEstimate>> in = new HashMap<>();
    for (SegmentEstimate e : raw) {
      in.computeIfAbsent(e.experimentId(), k -> new ArrayList<>()).add(e);
    }
    Map<SegmentEstimate, Boolean> kept = new IdentityHashMap<>();
    for (SegmentEstimate e : out) {
      kept.put(e, true);
    }
    int expected = 0;
    for (List<SegmentEstimate> rows : in.values()) {
      TreeSet<String> metrics = new TreeSet<>();
      TreeSet<String> variants = new TreeSet<>();
      Map<String, Long> segments = new HashMap<>();
      for (SegmentEstimate e : rows) {
        metrics.add(e.metric());
        if (e.variant() != null) {
          variants.add(e.variant());
        }
        segments.put(e.segment(), e.nControl());
      }
      if (variants.isEmpty()) {
        expected += rows.size();
        rows.forEach(e -> assertTrue(kept.containsKey(e)));
        continue;
      }
      expected += metrics.size() * variants.size() * segments.size();
      for (SegmentEstimate e : rows) {
        assertEquals(
            e.variant() != null,
            kept.containsKey(e),
            "seen cells kept, control-only markers dropped");
      }
    }
    assertEquals(expected, out.size());
    Map<String, SegmentEstimate> byKey = new HashMap<>();
    for (SegmentEstimate e : out) {
      byKey.put(key(e), e);
    }
    for (SegmentEstimate e : raw) {
      if (e.variant() == null) {
        continue;
      }
      assertSame(e, byKey.get(key(e)));
    }
    Map<SegmentEstimate, Boolean> input = new IdentityHashMap<>();
    Map<String, Long> controlCount = new HashMap<>();
    for (SegmentEstimate e : raw) {
      input.put(e, true);
      controlCount.put(e.experimentId() + "\u0000" + e.segment(), e.nControl());
    }
    int added = 0;
    for (SegmentEstimate e : out) {
      if (!input.containsKey(e)) {
        added++;
        assertEquals(Status.EMPTY_TREATMENT.code(), e.status());
        assertEquals(0, e.nTreatment());
        assertEquals(controlCount.get(e.experimentId() + "\u0000" + e.segment()), e.nControl());
        assertEquals("continuous", e.kind());
      }
    }
    assertTrue(added > 100, "the random grid had holes to fill: " + added);
  }

  private static String key(SegmentEstimate e) {
    return e.experimentId()
        + "\u0000"
        + e.metric()
        + "\u0000"
        + Objects.toString(e.variant(), "")
        + "\u0000"
        + e.segment();
  }
}
