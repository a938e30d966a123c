package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.model.SegmentEstimate;
import io.segfx.spark.SufficientStatsStage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Stage 1's result as the rest of the run keeps it. */
class SegmentScanStageTest {
  /**
   * Once stage 2 has its grid, stage 1's result lets its cells go but keeps what the manifest and
   * the runs table report: the cell count and the row accounting.
   */
  @Test
  void withoutCellsKeepsTheCountsAndDropsTheCells() {
    List<SegmentEstimate> cells =
        List.of(
            SegmentEstimate.empty("e1", "y", "t", "s1", 3, 0, "empty_treatment", "ols"),
            SegmentEstimate.empty("e1", "y", "t", "s2", 0, 4, "empty_control", "ols"));
    SufficientStatsStage.Result stats =
        new SufficientStatsStage.Result(cells, 7, Map.of("null:y", 2L));
    SegmentScanStage.Result kept = new SegmentScanStage.Result(null, Map.of(), stats);
    SegmentScanStage.Result released = kept.withoutCells();
    assertEquals(2, kept.cells());
    assertEquals(2, released.cells());
    Assertions.assertTrue(released.stats().estimates().isEmpty());
    assertEquals(9, released.rowsRead());
    assertEquals(7, released.stats().rowsUsed());
    assertEquals(Map.of("null:y", 2L), released.stats().rejectedByReason());
    assertEquals(kept.stats().scan(), released.stats().scan());
  }
}
