package io.segfx.report;

import static io.segfx.report.ChartStyle.CURVES;
import static io.segfx.report.ChartStyle.MARK;
import static io.segfx.report.ChartStyle.POOLED;
import static io.segfx.report.ChartStyle.RAW;
import static io.segfx.report.ChartStyle.band;
import static io.segfx.report.ChartStyle.chart;
import static io.segfx.report.ChartStyle.curve;
import static io.segfx.report.ChartStyle.line;
import static io.segfx.report.ChartStyle.normal;
import static io.segfx.report.ChartStyle.svg;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's charts, drawn by JFreeChart and serialised to SVG by Apache Batik, as the seed
 * notebook draws them: the posterior of the experiment-level effect with 0 and the threshold marked
 * (sections 3, 9), a forest plot of raw against pooled segment estimates (section 9), shrinkage
 * weight against segment size (section 9), posterior curves under each prior or bias scenario
 * (sections 4, 8), the profit distribution (section 11) and causal-impact's three panels (section
 * 10).
 *
 * <p>Text in the SVG (segment names on the forest plot's axis, legend labels) is XML-escaped by
 * Batik's XML writer; the page embedding it escapes everything else.
 */
public final class Charts {
  /** Width and height of every chart, in SVG user units (pixels). */
  public static final int WIDTH = ChartStyle.WIDTH;

  public static final int HEIGHT = ChartStyle.HEIGHT;

  /** The forest plot shows at most this many segments (those with the most units). */
  public static final int FOREST_MAX_SEGMENTS = 40;

  private Charts() {}

  /** A curve of a posterior summarised by its mean and sd, drawn as the normal density. */
  public record Curve(String label, double mean, double sd) {}

  /** One segment of the forest plot: raw estimate and SE, pooled posterior mean and interval. */
  public record ForestRow(
      String segment, double raw, double rawSe, double pooled, double q025, double q975) {}

  /**
   * Posterior of the effect: a density-scaled histogram of the draws when there are draws, else the
   * exact density of the closed form ({@code density}, e.g. the normal mixture of full-Bayes
   * pooling; null means N(mean, sd²)); the 95% interval shaded, 0 and the threshold marked.
   */
  public static String effectPosterior(
      String id,
      double[] draws,
      DoubleUnaryOperator density,
      double mean,
      double sd,
      double q025,
      double q975,
      double threshold,
      String xLabel) {
    XYPlot plot = distribution(draws, density, mean, sd, "posterior", POOLED, xLabel);
    if (plot == null) {
      return null;
    }
    band(plot, q025, q975, new Color(0x1f, 0x77, 0xb4, 0x22));
    plot.addDomainMarker(line(0, "0", Color.BLACK));
    if (threshold != 0) {
      plot.addDomainMarker(line(threshold, "threshold", MARK));
    }
    return svg(id, chart("Posterior of the experiment-level effect", plot, true));
  }

  /** The profit distribution, from draws or the closed form's normal, with 0 marked. */
  public static String profit(
      String id,
      double[] draws,
      DoubleUnaryOperator density,
      double mean,
      double sd,
      double q025,
      double q975) {
    XYPlot plot =
        distribution(
            draws, density, mean, sd, "profit", new Color(0x2c, 0xa0, 0x2c), "profit of launching");
    if (plot == null) {
      return null;
    }
    band(plot, q025, q975, new Color(0x2c, 0xa0, 0x2c, 0x22));
    plot.addDomainMarker(line(0, "break-even", MARK));
    return svg(id, chart("Distribution of launch profit", plot, true));
  }

  /**
   * Forest plot: per segment the raw estimate ± 1.96 SE (grey) and the pooled posterior mean with
   * its 95% interval (blue), and the pooled overall effect mu as a vertical line.
   */
  public static String forest(String id, List<ForestRow> rows, double mu) {
    if (rows.isEmpty()) {
      return null;
    }
    XYIntervalSeries raw = new XYIntervalSeries("raw estimate ± 1.96 SE");
    XYIntervalSeries pooled = new XYIntervalSeries("pooled posterior, 95% interval");
    String[] names = new String[rows.size()];
    for (int j = 0; j < rows.size(); j++) {
      ForestRow r = rows.get(j);
      // Top to bottom in the order given: the first row gets the highest y.
      int y = rows.size() - 1 - j;
      names[y] = r.segment();
      if (Double.isFinite(r.raw()) && Double.isFinite(r.rawSe())) {
        raw.add(
            r.raw(),
            r.raw() - 1.96 * r.rawSe(),
            r.raw() + 1.96 * r.rawSe(),
            y + 0.15,
            y + 0.15,
            y + 0.15);
      }
      if (Double.isFinite(r.pooled())) {
        pooled.add(r.pooled(), r.q025(), r.q975(), y - 0.15, y - 0.15, y - 0.15);
      }
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    data.addSeries(raw);
    data.addSeries(pooled);
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawYError(false);
    renderer.setDrawXError(true);
    renderer.setErrorStroke(new BasicStroke(1.5f));
    renderer.setSeriesPaint(0, RAW);
    renderer.setSeriesPaint(1, POOLED);
    NumberAxis x = new NumberAxis("segment effect");
    x.setAutoRangeIncludesZero(false);
    SymbolAxis y = new SymbolAxis(null, names);
    y.setGridBandsVisible(false);
    y.setRange(-0.7, rows.size() - 0.3);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    if (Double.isFinite(mu)) {
      plot.addDomainMarker(line(mu, "mu", POOLED));
    }
    plot.addDomainMarker(line(0, "0", Color.BLACK));
    int height = Math.max(HEIGHT, 90 + 18 * rows.size());
    return svg(id, chart("Raw and pooled segment effects", plot, true), WIDTH, height);
  }

  /**
   * Shrinkage weight (the share of a segment's own estimate in its pooled posterior mean) against
   * the segment's units: small segments borrow the most strength.
   */
  public static String shrinkage(String id, long[] units, double[] weights) {
    XYSeries s = new XYSeries("segments", false, true);
    for (int j = 0; j < units.length; j++) {
      if (units[j] > 0 && Double.isFinite(weights[j])) {
        s.add(units[j], weights[j]);
      }
    }
    if (s.getItemCount() == 0) {
      return null;
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
    renderer.setSeriesPaint(0, POOLED);
    NumberAxis x = new NumberAxis("units in the segment");
    x.setAutoRangeIncludesZero(true);
    NumberAxis y = new NumberAxis("weight on own estimate");
    y.setRange(0, 1.05);
    XYPlot plot = new XYPlot(new XYSeriesCollection(s), x, y, renderer);
    return svg(id, chart("Shrinkage against segment size", plot, false));
  }

  /**
   * Posterior curves of the effect under several priors or bias scenarios: each a normal density
   * with that posterior's mean and sd (the posteriors themselves come from draws; with the sample
   * sizes of A/B tests they are close to normal), 0 marked.
   */
  public static String curves(String id, String title, List<Curve> curves, String xLabel) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Curve c : curves) {
      if (Double.isFinite(c.mean()) && c.sd() > 0 && Double.isFinite(c.sd())) {
        lo = Math.min(lo, c.mean() - 4 * c.sd());
        hi = Math.max(hi, c.mean() + 4 * c.sd());
      }
    }
    if (!(lo < hi)) {
      return null;
    }
    XYSeriesCollection data = new XYSeriesCollection();
    for (Curve c : curves) {
      if (Double.isFinite(c.mean()) && c.sd() > 0 && Double.isFinite(c.sd())) {
        data.addSeries(normal(c.label(), c.mean(), c.sd(), lo, hi));
      }
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setDrawSeriesLineAsPath(true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, CURVES[i % CURVES.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    NumberAxis x = new NumberAxis(xLabel);
    x.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, x, new NumberAxis("density"), renderer);
    plot.addDomainMarker(line(0, "0", Color.BLACK));
    return svg(id, chart(title, plot, true));
  }

  /** Width and height of the causal-impact figure: three panels stacked on one time axis. */
  public static final int IMPACT_WIDTH = 900;

  public static final int IMPACT_HEIGHT = 640;

  /**
   * The range-axis labels of the causal-impact panels, top to bottom, as CausalImpact names them.
   */
  public static final List<String> IMPACT_PANELS = List.of("original", "pointwise", "cumulative");

  /**
   * CausalImpact's figure (Brodersen et al. 2015, figure 1) as one chart: three panels on one
   * shared time axis, each with the intervention marked and a 95% band. Top, the observed series
   * against the counterfactual; middle, the pointwise effect (observed − counterfactual); bottom,
   * the cumulative effect, which is 0 before the intervention (the running sum starts there).
   */
  public static String impactPanels(
      String id, List<ImpactPoint> points, double intervention, ImpactTime time) {
    return svg(
        id,
        chart(
            "Causal impact: observed, pointwise and cumulative effect",
            impactPlot(points, intervention, time),
            true),
        IMPACT_WIDTH,
        IMPACT_HEIGHT);
  }

  /** The figure's plot: the three panels of {@link #impactPanels} under one domain axis. */
  static CombinedDomainXYPlot impactPlot(
      List<ImpactPoint> points, double intervention, ImpactTime time) {
    YIntervalSeries cf = new YIntervalSeries("counterfactual (95% band)");
    XYSeries obs = new XYSeries("observed", false, true);
    YIntervalSeries pointwise = new YIntervalSeries("pointwise effect (95% band)");
    YIntervalSeries cumulative = new YIntervalSeries("cumulative effect (95% band)");
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (ImpactPoint p : points) {
      double x = time.x(p.time());
      lo = Math.min(lo, p.time());
      hi = Math.max(hi, p.time());
      cf.add(x, p.counterfactualMean(), p.counterfactualQ025(), p.counterfactualQ975());
      obs.add(x, p.observed());
      pointwise.add(x, p.impactMean(), p.impactQ025(), p.impactQ975());
      if (p.post()) {
        cumulative.add(
            x, p.cumulativeImpactMean(), p.cumulativeImpactQ025(), p.cumulativeImpactQ975());
      } else {
        cumulative.add(x, 0, 0, 0);
      }
    }
    XYPlot original = bandPlot(cf, IMPACT_PANELS.get(0));
    ((NumberAxis) original.getRangeAxis()).setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
    line.setDrawSeriesLineAsPath(true);
    line.setSeriesPaint(0, Color.BLACK);
    line.setSeriesStroke(0, new BasicStroke(1.3f));
    original.setDataset(1, new XYSeriesCollection(obs));
    original.setRenderer(1, line);
    XYPlot middle = bandPlot(pointwise, IMPACT_PANELS.get(1));
    XYPlot bottom = bandPlot(cumulative, IMPACT_PANELS.get(2));
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time.axis(lo, hi));
    plot.setGap(10);
    for (XYPlot panel : List.of(original, middle, bottom)) {
      if (panel != original) {
        panel.addRangeMarker(new ValueMarker(0, RAW, new BasicStroke(1f)));
      }
      // Labelled once, in the top panel; the line itself runs through all three.
      panel.addDomainMarker(
          line(time.x(intervention), panel == original ? "intervention" : null, MARK));
      plot.add(panel, 1);
    }
    return plot;
  }

  /** A dashed line with its shaded 95% band against time (the domain axis is the shared one). */
  private static XYPlot bandPlot(YIntervalSeries series, String yLabel) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(series);
    DeviationRenderer r = new DeviationRenderer(true, false);
    r.setSeriesPaint(0, POOLED);
    r.setSeriesStroke(
        0,
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 3f}, 0f));
    r.setSeriesFillPaint(0, new Color(0x9e, 0xca, 0xe1));
    r.setAlpha(0.5f);
    NumberAxis y = new NumberAxis(yLabel);
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, null, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    plot.setOutlineVisible(false);
    return plot;
  }

  /** A histogram of draws scaled to unit area, or a normal density; null when neither exists. */
  private static XYPlot distribution(
      double[] draws,
      DoubleUnaryOperator density,
      double mean,
      double sd,
      String label,
      Color color,
      String xLabel) {
    NumberAxis x = new NumberAxis(xLabel);
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis("density");
    if (draws != null && draws.length > 1) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double v : draws) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
        return null;
      }
      HistogramDataset h = new HistogramDataset();
      h.setType(HistogramType.SCALE_AREA_TO_1);
      h.addSeries(label + " draws", draws, 60, lo, hi);
      XYBarRenderer renderer = new XYBarRenderer(0.05);
      renderer.setBarPainter(new StandardXYBarPainter());
      renderer.setShadowVisible(false);
      renderer.setSeriesPaint(0, color);
      return new XYPlot(h, x, y, renderer);
    }
    if (!(sd > 0) || !Double.isFinite(mean) || !Double.isFinite(sd)) {
      return null;
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setDrawSeriesLineAsPath(true);
    renderer.setSeriesPaint(0, color);
    renderer.setSeriesStroke(0, new BasicStroke(2f));
    XYSeries curve =
        density == null
            ? normal(label + " (closed form)", mean, sd, mean - 4 * sd, mean + 4 * sd)
            : curve(
                label + " (closed form, exact mixture)", density, mean - 4.5 * sd, mean + 4.5 * sd);
    return new XYPlot(new XYSeriesCollection(curve), x, y, renderer);
  }
}
