package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * {@link SvgText} writes what the JDK's identity transformer (the reference: the XML output method
 * of the JAXP serializer, with no declaration) writes for the same DOM, byte for byte.
 */
class SvgTextTest {
  /** Markup, quotes, whitespace, C0 and C1 controls, U+2028, accents and a supplementary char. */
  private static final String HOSTILE =
      "a<b & c>d \"q\" 'x' \ttab\r\nnew \u0001\u001f \u007f\u0085\u009f \u2028 é ≥ \uD83D\uDE00";

  /** {@link #HOSTILE} without the C0 controls XML 1.0 cannot carry. */
  private static final String HOSTILE_XML =
      "a<b & c>d \"q\" 'x' \ttab\r\nnew \u007f\u0085\u009f \u2028 é ≥ \uD83D\uDE00";

  private static String transformer(Element root) throws Exception {
    Transformer t = TransformerFactory.newInstance().newTransformer();
    t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
    t.setOutputProperty(OutputKeys.METHOD, "xml");
    t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
    StringWriter out = new StringWriter();
    t.transform(new DOMSource(root), new StreamResult(out));
    return out.toString();
  }

  /** A line chart whose title, legend and axis labels are {@code text}. */
  private static Element chart(String id, String text) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(ChartStyle.normal(text, 0.1, 0.3, -1, 1));
    XYPlot plot =
        new XYPlot(
            data,
            new org.jfree.chart.axis.NumberAxis(text),
            new org.jfree.chart.axis.NumberAxis("density " + text),
            new XYLineAndShapeRenderer(true, false));
    plot.addDomainMarker(ChartStyle.line(0.05, text, ChartStyle.MARK));
    return ChartStyle.draw(id, ChartStyle.chart(text, plot, true), 640, 340);
  }

  @Test
  void matchesTheTransformerOnHostileText() throws Exception {
    for (String text : List.of(HOSTILE, "plain", "", "&amp; <![CDATA[x]]> <!-- c -->")) {
      Element root = chart("h-1", text);
      root.setAttribute("data-text", text);
      String ours = SvgText.of(root);
      assertSame(transformer(root), ours, text);
      assertTrue(
          ours.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" "), ours.substring(0, 60));
    }
  }

  /**
   * Every chart the report draws, re-read and written again by the transformer, comes back as the
   * same text: a difference in escaping, attribute order or empty-element form would show.
   */
  @Test
  void everyReportChartIsAFixedPointOfTheTransformer() throws Exception {
    List<String> charts = new ArrayList<>();
    charts.add(
        Charts.forest(
            "f",
            List.of(
                new Charts.ForestRow(HOSTILE_XML, 0.1, 0.05, 0.08, 0.0, 0.16),
                new Charts.ForestRow("a & b \"q\"", -0.2, 0.1, -0.05, -0.2, 0.1)),
            0.05));
    charts.add(Charts.effectPosterior("e", null, null, 0.02, 0.01, 0.0, 0.04, 0.01, HOSTILE_XML));
    double[] draws = new double[600];
    for (int i = 0; i < draws.length; i++) {
      draws[i] = Math.sin(i) * 0.3;
    }
    charts.add(Charts.effectPosterior("d", draws, null, 0.0, 0.2, -0.3, 0.3, 0.0, "effect"));
    charts.add(Charts.profit("p", draws, null, 0.0, 0.2, -0.3, 0.3));
    charts.add(Charts.shrinkage("s", new long[] {10, 200, 3000}, new double[] {0.9, 0.5, 0.1}));
    charts.add(
        Charts.curves(
            "c",
            HOSTILE_XML,
            List.of(new Charts.Curve(HOSTILE_XML, 0, 1), new Charts.Curve("b", 1, 2)),
            "x"));
    List<ImpactPoint> points = new ArrayList<>();
    for (int t = 0; t < 20; t++) {
      boolean post = t >= 15;
      points.add(
          new ImpactPoint(t, post, 10 + t, 9 + t, 8 + t, 10 + t, 1, 0, 2, post ? t - 14 : 0, 0, 1));
    }
    charts.add(Charts.impactPanels("i", points, 15, ImpactTime.NUMBERS));
    var builder = newBuilder();
    for (String svg : charts) {
      assertNotNull(svg);
      Element reread = builder.parse(new InputSource(new StringReader(svg))).getDocumentElement();
      assertSame(transformer(reread), svg, svg.substring(0, 40));
    }
  }

  /** Equal texts; on a difference, the message shows where they first part. */
  private static void assertSame(String expected, String actual, String what) {
    int i = 0;
    while (i < Math.min(expected.length(), actual.length())
        && expected.charAt(i) == actual.charAt(i)) {
      i++;
    }
    if (i < expected.length() || i < actual.length()) {
      int from = Math.max(0, i - 20);
      assertEquals(
          expected.substring(from, Math.min(expected.length(), i + 30)),
          actual.substring(from, Math.min(actual.length(), i + 30)),
          what + ": first difference at " + i);
    }
  }

  private static javax.xml.parsers.DocumentBuilder newBuilder() throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder();
  }
}
