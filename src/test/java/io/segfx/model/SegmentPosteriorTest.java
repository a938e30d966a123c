package io.segfx.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link SegmentPosterior#withRelative} sets the relative figures and nothing else. */
class SegmentPosteriorTest {
  @Test
  void withRelativeKeepsTheEffectsOwnFigures() {
    double nan = Double.NaN;
    SegmentPosterior p =
        new SegmentPosterior(
            "e",
            "m",
            "v",
            "s",
            0.1,
            0.05,
            0.01,
            0.2,
            0.97,
            0.6,
            0.4,
            100,
            nan,
            nan,
            nan,
            nan,
            nan,
            PosteriorSource.NORMAL,
            "prior");
    SegmentPosterior r = p.withRelative(0.5, 0.2, -0.1, 1.2, 0.9);
    assertEquals(
        new SegmentPosterior(
            "e",
            "m",
            "v",
            "s",
            0.1,
            0.05,
            0.01,
            0.2,
            0.97,
            0.6,
            0.4,
            100,
            0.5,
            0.2,
            -0.1,
            1.2,
            0.9,
            PosteriorSource.NORMAL,
            "prior"),
        r);
  }
}
