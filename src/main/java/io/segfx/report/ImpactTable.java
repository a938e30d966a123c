package io.segfx.report;

/**
 * CausalImpact's summary table of one series window ({@code summary(impact)} in R): columns Average
 * (per post-period point) and Cumulative (over the post period), rows Actual, Prediction, Absolute
 * effect and Relative effect, each but Actual with its sd and 95% interval.
 *
 * <ul>
 *   <li>Actual: the observed post-period mean and sum.
 *   <li>Absolute effect: {@code impact_summary}'s average and cumulative figures (exact Student-t).
 *   <li>Prediction = Actual − effect: the same sd, and the interval [actual − effect q975, actual −
 *       effect q025] (the actual is fixed, so the effect's upper quantile gives the prediction's
 *       lower one).
 *   <li>Relative effect: cumulative effect / |cumulative prediction|, from draws. As in
 *       CausalImpact, the Average column shows the same figures as the Cumulative one: average
 *       effect / average prediction is the same ratio (both divide by the number of post points).
 * </ul>
 *
 * @param summary the window's {@code impact_summary} row
 * @param actualSum the sum of the observed outcome over the window's post-period points
 */
public record ImpactTable(ImpactSummary summary, double actualSum) {

  /** One cell: a value with its sd and 95% interval (NaN where the row has none). */
  public record Cell(double value, double sd, double q025, double q975) {}

  /** The Average or Cumulative column. */
  public enum Column {
    AVERAGE,
    CUMULATIVE
  }

  /** The observed post-period mean (Average) or sum (Cumulative). */
  public double actual(Column c) {
    return c == Column.AVERAGE ? actualSum / summary.nPost() : actualSum;
  }

  /** The counterfactual: actual − effect, with the effect's sd and its interval reversed. */
  public Cell prediction(Column c) {
    Cell e = absolute(c);
    double a = actual(c);
    return new Cell(a - e.value(), e.sd(), a - e.q975(), a - e.q025());
  }

  /** The absolute effect: {@code impact_summary}'s average or cumulative figures. */
  public Cell absolute(Column c) {
    ImpactSummary s = summary;
    return c == Column.AVERAGE
        ? new Cell(s.averageMean(), s.averageSd(), s.averageQ025(), s.averageQ975())
        : new Cell(s.cumulativeMean(), s.cumulativeSd(), s.cumulativeQ025(), s.cumulativeQ975());
  }

  /** The relative effect, the same in both columns (see the class comment). */
  public Cell relative(Column c) {
    ImpactSummary s = summary;
    return new Cell(
        s.relativeEffectMean(),
        s.relativeEffectSd(),
        s.relativeEffectQ025(),
        s.relativeEffectQ975());
  }
}
