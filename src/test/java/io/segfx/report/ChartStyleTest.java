package io.segfx.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The charts' generator context prints numbers exactly as Batik's default context does. */
class ChartStyleTest {
  @Test
  void numbersArePrintedAsBatiksDefaultContextPrintsThem() throws Exception {
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .getDOMImplementation()
            .createDocument("http://www.w3.org/2000/svg", "svg", null);
    SVGGeneratorContext batik = SVGGeneratorContext.createDefault(doc);
    batik.setPrecision(1);
    SVGGeneratorContext ours = new ChartStyle.Context(doc);
    assertEquals(batik.getPrecision(), ours.getPrecision());
    Random r = new Random(7);
    double[] edges = {0, -0.0, 0.05, 0.15, 0.25, -0.05, 1e8, 1e8 + 0.5, -1e9, 123.45, 1e-300};
    for (double x : edges) {
      assertEquals(batik.doubleString(x), ours.doubleString(x), "x = " + x);
    }
    for (int i = 0; i < 100_000; i++) {
      // Chart coordinates: up to a few thousand pixels, at every scale of fraction.
      double x = (r.nextDouble() - 0.3) * Math.pow(10, r.nextInt(6) - 1);
      assertEquals(batik.doubleString(x), ours.doubleString(x), "x = " + x);
    }
  }
}
