package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The one manifest builder: its key style and its row accounting. */
class RunManifestTest {
  @Test
  void startsWithRunIdAndCommandAndKeepsOrder() {
    RunManifest m =
        new RunManifest("id", "causal-impact")
            .put("input", "x")
            .rows(10, 7, new TreeMap<>(Map.of("null:y", 2L, "not_time:t", 1L)));
    assertEquals(
        List.of(
            "run_id",
            "command",
            "input",
            "rows_read",
            "rows_used",
            "rows_rejected",
            "rejected_by_reason"),
        List.copyOf(m.toMap().keySet()));
    assertEquals(3L, m.toMap().get("rows_rejected"));
  }

  @Test
  void refusesKebabKeysAndCountsThatDoNotAddUp() {
    RunManifest m = new RunManifest("id", "segment-effects");
    assertEquals(
        "manifest key must be snake_case, got 'output-format'",
        assertThrows(IllegalArgumentException.class, () -> m.put("output-format", "csv"))
            .getMessage());
    assertEquals(
        "manifest key must be snake_case, got 'gibbs-draws'",
        assertThrows(IllegalArgumentException.class, () -> m.settings(Map.of("gibbs-draws", 2000)))
            .getMessage());
    assertEquals(
        "rows_read 10 must be rows_used 8 + rows_rejected 1 ({r=1})",
        assertThrows(IllegalStateException.class, () -> m.rows(10, 8, Map.of("r", 1L)))
            .getMessage());
  }
}
