package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The charts are SVG, escape the names they print, and keep their ids apart. */
class ChartsTest {
  private static final String EVIL = "<script>alert(1)</script>";

  @Test
  void forestPlotEscapesSegmentNames() {
    String svg =
        Charts.forest(
            "f1",
            List.of(
                new Charts.ForestRow(EVIL, 0.1, 0.05, 0.08, 0.0, 0.16),
                new Charts.ForestRow("a & b \"q\"", -0.2, 0.1, -0.05, -0.2, 0.1),
                new Charts.ForestRow("plain", 0.3, 0.2, 0.1, -0.1, 0.3)),
            0.05);
    assertNotNull(svg);
    assertTrue(svg.startsWith("<svg"), svg.substring(0, 40));
    assertFalse(svg.toLowerCase().contains("<script"), "a segment name must not become an element");
    assertTrue(
        svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is printed, escaped");
    assertTrue(svg.contains("a &amp; b"), "ampersands escaped");
  }

  @Test
  void everyDefinitionIdCarriesTheChartsPrefix() {
    String svg =
        Charts.effectPosterior("pfx-7", null, null, 0.02, 0.01, 0.0004, 0.0396, 0.01, "effect");
    assertNotNull(svg);
    Matcher m = Pattern.compile("id=['\"]([^'\"]*)['\"]").matcher(svg);
    int ids = 0;
    while (m.find()) {
      assertTrue(m.group(1).startsWith("pfx-7"), m.group(1));
      ids++;
    }
    assertTrue(ids >= 2, "the svg and its clip paths have ids");
  }

  /** A histogram of D draws in 60 bins: one bar per non-empty bin. */
  @Test
  void drawnPosteriorIsAHistogram() {
    double[] draws = new double[6000];
    for (int i = 0; i < draws.length; i++) {
      draws[i] = (i % 60) / 60.0; // every bin of [0, 59/60] gets 100 draws
    }
    String svg = Charts.effectPosterior("h", draws, null, 0.49, 0.29, 0.01, 0.97, 0, "effect");
    assertNotNull(svg);
    int bars = svg.split("<rect", -1).length - 1;
    // 60 bars, plus the chart and plot backgrounds, the legend box and the interval band.
    assertTrue(bars >= 60 && bars <= 70, "rect elements: " + bars);
    assertTrue(svg.contains("posterior draws"), "legend names the draws");
  }

  @Test
  void degenerateInputsDrawNothing() {
    assertNull(
        Charts.effectPosterior("x", null, null, 0.1, 0.0, 0.1, 0.1, 0, "effect"),
        "sd 0 and no draws");
    assertNull(
        Charts.effectPosterior("x", new double[] {1, 1, 1}, null, 1, 0, 1, 1, 0, "effect"),
        "all draws equal");
    assertNull(Charts.forest("x", List.of(), 0), "no segments");
    assertNull(Charts.shrinkage("x", new long[] {0}, new double[] {Double.NaN}), "no usable point");
    assertNull(
        Charts.curves("x", "t", List.of(new Charts.Curve("p", Double.NaN, 1)), "effect"),
        "no finite curve");
  }

  @Test
  void curvesHaveOneLegendEntryEach() {
    String svg =
        Charts.curves(
            "c",
            "Posterior under each prior",
            List.of(
                new Charts.Curve("prior a", 0.01, 0.005),
                new Charts.Curve("prior b", 0.012, 0.004)),
            "effect");
    assertNotNull(svg);
    assertEquals(1, svg.split(">prior a<", -1).length - 1);
    assertEquals(1, svg.split(">prior b<", -1).length - 1);
  }
}
