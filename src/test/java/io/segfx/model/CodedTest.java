package io.segfx.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The shared code lookup: every constant round-trips, and a refusal lists the valid codes. */
class CodedTest {
  @Test
  void everyConstantRoundTripsThroughItsCode() {
    for (Design d : Design.values()) {
      assertSame(d, Design.of(d.code()));
    }
    for (PoolingMethod m : PoolingMethod.values()) {
      assertSame(m, PoolingMethod.of(m.code()));
    }
    for (TableFormat f : TableFormat.values()) {
      assertSame(f, TableFormat.of(f.code()));
    }
  }

  @Test
  void refusalNamesTheBadCodeAndTheValidOnesInOrder() {
    assertEquals(
        "design 'rct' is not one of randomized, observational",
        assertThrows(IllegalArgumentException.class, () -> Design.of("rct")).getMessage());
    assertEquals(
        "pooling method 'Full' is not one of reml, dl, moments, full",
        assertThrows(IllegalArgumentException.class, () -> PoolingMethod.of("Full")).getMessage());
    assertEquals(
        "standard errors 'hc3' is not one of classical, hc1, cluster",
        assertThrows(IllegalArgumentException.class, () -> StandardErrors.of("hc3")).getMessage());
  }
}
