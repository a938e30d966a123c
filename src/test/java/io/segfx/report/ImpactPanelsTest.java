package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

/**
 * CausalImpact's three panels: one chart, one domain axis shared by the three, the intervention
 * marked in each, and each panel's data the pointwise rows' (the cumulative panel 0 before the
 * intervention).
 */
class ImpactPanelsTest {
  /** 20 points, intervention at 15: observed 10 + t, counterfactual 10 + t − (post ? 2 : 0). */
  private static List<ImpactPoint> points(double t0) {
    List<ImpactPoint> out = new ArrayList<>();
    double run = 0;
    for (int i = 0; i < 20; i++) {
      boolean post = i >= 15;
      double obs = 10 + i;
      double cf = obs - (post ? 2 : 0);
      run += post ? 2 : 0;
      double nan = Double.NaN;
      out.add(
          new ImpactPoint(
              t0 + i,
              post,
              obs,
              cf,
              cf - 1,
              cf + 1,
              obs - cf,
              obs - cf - 1,
              obs - cf + 1,
              post ? run : nan,
              post ? run - 1 : nan,
              post ? run + 1 : nan));
    }
    return out;
  }

  @Test
  void threePanelsShareOneAxisAndMarkTheIntervention() {
    CombinedDomainXYPlot plot = Charts.impactPlot(points(0), 15, ImpactTime.NUMBERS);
    List<XYPlot> panels = plot.getSubplots();
    assertEquals(3, panels.size());
    assertInstanceOf(NumberAxis.class, plot.getDomainAxis());
    for (int k = 0; k < 3; k++) {
      XYPlot p = panels.get(k);
      assertEquals(Charts.IMPACT_PANELS.get(k), p.getRangeAxis().getLabel());
      // No axis of its own: the panel is drawn against the combined plot's.
      assertSame(plot.getDomainAxis(), p.getDomainAxis());
      assertEquals(List.of(15.0), markers(p.getDomainMarkers(Layer.FOREGROUND)), "panel " + k);
      assertEquals(20, p.getDataset(0).getItemCount(0));
    }
    // The shared axis covers every point.
    assertTrue(plot.getDomainAxis().getRange().contains(0));
    assertTrue(plot.getDomainAxis().getRange().contains(19));
    XYDataset cumulative = panels.get(2).getDataset(0);
    assertEquals(0.0, cumulative.getYValue(0, 14), 0.0, "0 before the intervention");
    assertEquals(2.0, cumulative.getYValue(0, 15), 0.0);
    assertEquals(10.0, cumulative.getYValue(0, 19), 0.0);
    assertEquals(2.0, panels.get(1).getDataset(0).getYValue(0, 19), 0.0, "pointwise effect");
    assertEquals(29.0, panels.get(0).getDataset(1).getYValue(0, 19), 0.0, "observed");
    String svg = Charts.impactPanels("x", points(0), 15, ImpactTime.NUMBERS);
    assertEquals(1, svg.split("<svg", -1).length - 1, "one figure");
    // Batik writes the rotated axis labels as outlines; the legend is text.
    for (String legend :
        List.of(
            "counterfactual (95% band)",
            ">observed<", "pointwise effect (95% band)", "cumulative effect (95% band)")) {
      assertTrue(svg.contains(legend), "legend " + legend);
    }
  }

  /** Days since 1970-01-01 go on a UTC date axis in milliseconds; the labels are ISO dates. */
  @Test
  void datesGoOnADateAxis() {
    double day0 = LocalDate.parse("2026-03-01").toEpochDay();
    CombinedDomainXYPlot plot = Charts.impactPlot(points(day0), day0 + 15, ImpactTime.DATES);
    assertInstanceOf(DateAxis.class, plot.getDomainAxis());
    double ms = 86_400_000.0;
    assertTrue(plot.getDomainAxis().getRange().contains(day0 * ms));
    assertTrue(plot.getDomainAxis().getRange().contains((day0 + 19) * ms));
    for (XYPlot p : plot.getSubplots()) {
      assertEquals(
          List.of((day0 + 15) * ms), markers(p.getDomainMarkers(Layer.FOREGROUND)), "marker");
    }
    String svg = Charts.impactPanels("d", points(day0), day0 + 15, ImpactTime.DATES);
    assertTrue(svg.contains(">2026-03-"), "ISO date tick labels");
  }

  private static List<Double> markers(Collection<?> markers) {
    List<Double> at = new ArrayList<>();
    for (Object m : markers) {
      at.add(((ValueMarker) (Marker) m).getValue());
    }
    return at;
  }
}
