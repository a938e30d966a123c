package io.segfx.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Rectangle;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.DefaultErrorHandler;
import org.apache.batik.svggen.DefaultExtensionHandler;
import org.apache.batik.svggen.DefaultStyleHandler;
import org.apache.batik.svggen.ImageHandlerBase64Encoder;
import org.apache.batik.svggen.SVGCSSStyler;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.batik.svggen.SVGIDGenerator;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.w3c.dom.DOMImplementation;
import org.w3c.dom.Element;

/**
 * What every chart of the report shares: the palette, the marker lines and interval bands, the
 * chart frame, density curves, and the serialisation to an inline {@code <svg>} element.
 */
final class ChartStyle {
  private ChartStyle() {}

  /** Width and height of every chart, in SVG user units (pixels). */
  static final int WIDTH = 640;

  static final int HEIGHT = 340;

  static final Color RAW = new Color(0x99, 0x99, 0x99);
  static final Color POOLED = new Color(0x1f, 0x77, 0xb4);
  static final Color MARK = new Color(0xd6, 0x27, 0x28);
  static final Color[] CURVES = {
    new Color(0x1f, 0x77, 0xb4), new Color(0xff, 0x7f, 0x0e), new Color(0x2c, 0xa0, 0x2c),
    new Color(0xd6, 0x27, 0x28), new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b)
  };

  /** A density at 201 points on [lo, hi]. */
  static XYSeries curve(String label, DoubleUnaryOperator density, double lo, double hi) {
    XYSeries s = new XYSeries(label, false, true);
    for (int i = 0; i <= 200; i++) {
      double v = lo + (hi - lo) * i / 200;
      s.add(v, density.applyAsDouble(v));
    }
    return s;
  }

  /** The normal density N(mean, sd^2) at 201 points on [lo, hi]. */
  static XYSeries normal(String label, double mean, double sd, double lo, double hi) {
    double norm = 1 / (sd * Math.sqrt(2 * Math.PI));
    return curve(label, v -> norm * Math.exp(-0.5 * ((v - mean) / sd) * ((v - mean) / sd)), lo, hi);
  }

  /** The 95% interval as a shaded band behind the data. */
  static void band(XYPlot plot, double q025, double q975, Color color) {
    IntervalMarker band = new IntervalMarker(q025, q975, color);
    band.setLabel("95% interval");
    // Bottom: the value markers (0, threshold) label the top.
    band.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
    band.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
    plot.addDomainMarker(band, Layer.BACKGROUND);
  }

  static ValueMarker line(double at, String label, Color color) {
    ValueMarker m =
        new ValueMarker(
            at,
            color,
            new BasicStroke(
                1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 3f}, 0f));
    m.setLabel(label);
    m.setLabelPaint(color);
    m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
    return m;
  }

  static JFreeChart chart(String title, XYPlot plot, boolean legend) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    plot.setOutlineVisible(false);
    JFreeChart c = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, legend);
    c.setTitle(new TextTitle(title, new Font("SansSerif", Font.BOLD, 14)));
    c.setBackgroundPaint(Color.WHITE);
    c.setAntiAlias(true);
    return c;
  }

  private static final String SVG = "http://www.w3.org/2000/svg";
  private static final String XMLNS = "http://www.w3.org/2000/xmlns/";

  static String svg(String id, JFreeChart chart) {
    return svg(id, chart, WIDTH, HEIGHT);
  }

  /**
   * The chart as an {@code <svg>} element, written by Apache Batik's SVG generator. {@code id} is
   * the element's id and prefixes the ids of its definitions (clip paths), so several charts inline
   * in one page do not share ids. The output depends only on the chart and the fonts' metrics: ids
   * come from a counter per chart and numbers are printed with one decimal (a tenth of a pixel;
   * more digits would triple the page for nothing).
   */
  static String svg(String id, JFreeChart chart, int width, int height) {
    return SvgText.of(draw(id, chart, width, height));
  }

  /** The JDK's DOM implementation, looked up once: its documents are independent of each other. */
  private static final DOMImplementation DOM = domImplementation();

  private static DOMImplementation domImplementation() {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().getDOMImplementation();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's DOM builder is unavailable", e);
    }
  }

  /**
   * Batik's default generator context ({@code SVGGeneratorContext.createDefault}, no comment, one
   * decimal) with a number format of its own. Batik hands every context one static {@link
   * DecimalFormat} per precision, and a DecimalFormat is not safe for concurrent use, while the
   * report draws its pages on several threads: numbers printed by one chart must not depend on
   * another chart being drawn at the same moment. {@code "#.#"} with US symbols is the format Batik
   * builds for precision 1 ({@code ChartStyleTest} checks both print the same).
   */
  static final class Context extends SVGGeneratorContext {
    private static final DecimalFormatSymbols US = new DecimalFormatSymbols(Locale.US);

    Context(org.w3c.dom.Document doc) {
      super(doc);
      setIDGenerator(new SVGIDGenerator());
      setExtensionHandler(new DefaultExtensionHandler());
      setImageHandler(new ImageHandlerBase64Encoder());
      setStyleHandler(new DefaultStyleHandler());
      setComment(null);
      setErrorHandler(new DefaultErrorHandler());
      setPrecision(1);
      // DecimalFormat copies the symbols it is given, so one shared instance is safe.
      decimalFormat = new DecimalFormat("#.#", US);
    }
  }

  /** The chart drawn by Batik's SVG generator, as the {@code <svg>} element {@link #svg} writes. */
  static Element draw(String id, JFreeChart chart, int width, int height) {
    org.w3c.dom.Document doc = DOM.createDocument(SVG, "svg", null);
    SVGGeneratorContext ctx = new Context(doc);
    ctx.setIDGenerator(
        new SVGIDGenerator() {
          @Override
          public String generateID(String prefix) {
            return id + "-" + super.generateID(prefix);
          }
        });
    SVGGraphics2D g = new SVGGraphics2D(ctx, false);
    g.setSVGCanvasSize(new Dimension(width, height));
    chart.draw(g, new Rectangle(width, height));
    Element root = g.getRoot();
    root.setAttribute("id", id);
    root.setAttribute("viewBox", "0 0 " + width + " " + height);
    // Batik names its shared definitions "genericDefs" in every chart: ids must be unique in a
    // page.
    for (org.w3c.dom.Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && "genericDefs".equals(e.getAttribute("id"))) {
        e.setAttribute("id", id + "-genericDefs");
      }
    }
    // Styles as style attributes, as Batik's own stream(..., useCss = true) writes them.
    SVGCSSStyler.style(root);
    root.setAttributeNS(XMLNS, "xmlns", SVG);
    return root;
  }
}
