package io.segfx.job;

import static io.segfx.job.ImpactTables.SERIES_ID;
import static io.segfx.job.ImpactTables.WINDOW;
import static io.segfx.job.ImpactTables.summary;

import io.segfx.config.ImpactSpec;
import io.segfx.model.SeriesPoint;
import io.segfx.model.Status;
import io.segfx.spark.Columns;
import io.segfx.spark.ImpactInputStage;
import io.segfx.stats.ImpactAnalysis;
import io.segfx.stats.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * The analysis stage of {@code causal-impact}: usable rows are grouped per series on the executors
 * (a series' rows are the unit of work), and each series window is analysed there by {@link
 * ImpactAnalysis}, with its own stream seeded by (run seed, series id, window). Only a summary row
 * and the pointwise rows per window leave the executors.
 */
final class ImpactSeriesStage {
  private ImpactSeriesStage() {}

  /**
   * What the stage produced.
   *
   * @param summaries one summary per series window, with the schema, sorted by series and window
   * @param analysed each window's summary (schema-less) and pointwise rows, read from the cached
   *     {@code all}
   * @param controls each window's {@code impact_controls} rows (schema-less), from {@code all}
   * @param all per window: (summary, pointwise rows) and the control rows, cached on the executors
   */
  record Result(
      List<Row> summaries,
      JavaRDD<Tuple2<Row, List<Row>>> analysed,
      JavaRDD<Row> controls,
      JavaRDD<Tuple2<Tuple2<Row, List<Row>>, List<Row>>> all) {

    /** Frees the cached analyses. */
    void unpersist() {
      all.unpersist();
    }
  }

  static Result run(RunContext ctx, ImpactSpec spec, ImpactReadStage.Result read) {
    ImpactAnalysis.Settings settings = settings(spec);
    int k = spec.controls().size();
    List<String> names = spec.controls();
    long seed = spec.seed();
    Map<String, List<double[]>> windows = read.windows();
    JavaRDD<Tuple2<Tuple2<Row, List<Row>>, List<Row>>> all =
        read.projected()
            .where(functions.col(Columns.REASON).isNull())
            .select(columns(k))
            .toJavaRDD()
            .mapToPair(r -> new Tuple2<>(r.<String>getAs(ImpactInputStage.SERIES), point(r, k)))
            .groupByKey()
            .flatMap(
                g ->
                    analyse(
                            g._1(),
                            g._2(),
                            settings,
                            seed,
                            windows == null ? null : windows.getOrDefault(g._1(), List.of()),
                            names)
                        .iterator());
    all.cache();
    JavaRDD<Tuple2<Row, List<Row>>> analysed = all.map(Tuple2::_1);
    JavaRDD<Row> controls = all.flatMap(t -> t._2().iterator());
    List<Row> collected = new ArrayList<>(analysed.map(Tuple2::_1).collect());
    ImpactInputStage.Counts counts = read.counts();
    // A series whose every row is quarantined still gets a summary, so it cannot vanish unseen.
    for (String series : new TreeSet<>(counts.rejectedBySeries().keySet())) {
      if (!counts.usedSeries().contains(series)) {
        collected.add(failed(series, Status.NO_USABLE_ROWS, Double.NaN, Double.NaN, 1)._1()._1());
      }
    }
    return new Result(withSchema(collected, counts.rejectedBySeries()), analysed, controls, all);
  }

  /**
   * Writes {@code impact_controls}, one row per (series window, control) of every analysed window,
   * ordered by series, window and control.
   */
  static void writeControls(RunContext ctx, Result r) {
    long rows = r.controls().count();
    ctx.table(ImpactTables.IMPACT_CONTROLS, ImpactTables.CONTROLS_SCHEMA, rows);
    Dataset<Row> controls =
        ctx.spark()
            .createDataFrame(r.controls(), ImpactTables.CONTROLS_SCHEMA)
            .orderBy(SERIES_ID, WINDOW, ImpactTables.CONTROL);
    ctx.out().write(ImpactTables.IMPACT_CONTROLS, controls);
  }

  /** The analysis settings, the few values the executors need. */
  private static ImpactAnalysis.Settings settings(ImpactSpec spec) {
    return new ImpactAnalysis.Settings(
        spec.trend(),
        spec.alpha(),
        spec.draws(),
        spec.prior().v0(),
        spec.prior().a0(),
        spec.prior().b0(),
        spec.placebos(),
        spec.model().code(),
        spec.burn(),
        spec.gibbsDraws(),
        spec.season().count(),
        spec.season().duration(),
        spec.controlPrior().kind().code(),
        spec.controlPrior().expectedSize());
  }

  private static Column[] columns(int k) {
    List<Column> cols = new ArrayList<>();
    for (String c :
        List.of(ImpactInputStage.SERIES, ImpactInputStage.TIME, ImpactInputStage.OUTCOME)) {
      cols.add(functions.col(c));
    }
    for (int i = 0; i < k; i++) {
      cols.add(functions.col(ImpactInputStage.CONTROL_PREFIX + i));
    }
    cols.add(functions.col(ImpactInputStage.INTERVENTION));
    return cols.toArray(new Column[0]);
  }

  private static SeriesPoint point(Row r, int k) {
    double[] c = new double[k];
    for (int i = 0; i < k; i++) {
      c[i] = value(r, ImpactInputStage.CONTROL_PREFIX + i);
    }
    return new SeriesPoint(
        value(r, ImpactInputStage.TIME),
        value(r, ImpactInputStage.OUTCOME),
        c,
        value(r, ImpactInputStage.INTERVENTION));
  }

  private static double value(Row r, String column) {
    Double v = r.getAs(column);
    return v == null ? Double.NaN : v;
  }

  /**
   * The summaries with the schema, so callers read fields by name, each with its series'
   * quarantined rows; sorted by series and window.
   */
  private static List<Row> withSchema(List<Row> collected, Map<String, Long> rejectedBySeries) {
    List<Row> summaries = new ArrayList<>();
    for (Row r : collected) {
      Object[] values = new Object[r.length()];
      for (int i = 0; i < r.length(); i++) {
        values[i] = r.get(i);
      }
      String series = summary(r, SERIES_ID);
      values[ImpactTables.SUMMARY_SCHEMA.fieldIndex(ImpactTables.ROWS_REJECTED)] =
          rejectedBySeries.getOrDefault(series, 0L);
      summaries.add(new GenericRowWithSchema(values, ImpactTables.SUMMARY_SCHEMA));
    }
    summaries.sort(
        Comparator.comparing((Row a) -> a.<String>getAs(SERIES_ID))
            .thenComparingInt(a -> a.<Integer>getAs(WINDOW)));
    return summaries;
  }

  /**
   * Analyses one series: a summary row and pointwise rows per intervention window. Each window is
   * compared with the pre-period before the series' first window (rows between windows belong to
   * neither: effects may carry over).
   */
  static List<Tuple2<Tuple2<Row, List<Row>>, List<Row>>> analyse(
      String series,
      Iterable<SeriesPoint> rows,
      ImpactAnalysis.Settings s,
      long seed,
      List<double[]> windows,
      List<String> controls) {
    List<SeriesPoint> list = new ArrayList<>();
    rows.forEach(list::add);
    if (windows == null) {
      double start = list.get(0).intervention();
      return List.of(
          window(series, list, s, seed, new Window(start, Double.POSITIVE_INFINITY, 1), controls));
    }
    if (windows.isEmpty()) {
      return List.of(failed(series, Status.NO_INTERVENTION, Double.NaN, Double.NaN, 1));
    }
    List<Tuple2<Tuple2<Row, List<Row>>, List<Row>>> out = new ArrayList<>();
    double first = windows.get(0)[0];
    for (int w = 0; w < windows.size(); w++) {
      double[] win = windows.get(w);
      boolean bad =
          !Double.isFinite(win[0]) || win[1] < win[0] || (w > 0 && win[0] <= windows.get(w - 1)[1]);
      if (bad) {
        out.add(failed(series, Status.BAD_WINDOW, win[0], win[1], w + 1));
        continue;
      }
      List<SeriesPoint> sub = new ArrayList<>();
      for (SeriesPoint o : list) {
        if (o.time() < first
            || (o.time() >= win[0] && o.time() <= win[1])
            || !Double.isFinite(o.time())) {
          sub.add(new SeriesPoint(o.time(), o.y(), o.controls(), win[0]));
        }
      }
      out.add(window(series, sub, s, seed, new Window(win[0], win[1], w + 1), controls));
    }
    return out;
  }

  /** One window: its start, end (infinite = open) and number within the series. */
  private record Window(double start, double end, int number) {}

  /**
   * Analyses one window's rows. Without a windows table every row carries the series' intervention
   * time, and rows that disagree make the series inconsistent; a table's windows set it themselves.
   */
  private static Tuple2<Tuple2<Row, List<Row>>, List<Row>> window(
      String series,
      List<SeriesPoint> list,
      ImpactAnalysis.Settings s,
      long seed,
      Window w,
      List<String> controls) {
    int n = list.size();
    if (n == 0) {
      return failed(series, Status.NO_ROWS, w.start(), w.end(), w.number());
    }
    double[] time = new double[n];
    double[] y = new double[n];
    double[][] c = new double[n][];
    boolean[] post = new boolean[n];
    double intervention = list.get(0).intervention();
    boolean consistent = true;
    boolean badTime = false;
    for (int i = 0; i < n; i++) {
      SeriesPoint o = list.get(i);
      time[i] = o.time();
      y[i] = o.y();
      c[i] = o.controls();
      consistent &= Double.compare(o.intervention(), intervention) == 0;
      badTime |= !Double.isFinite(o.time());
      post[i] = o.time() >= intervention;
    }
    Status problem =
        !consistent
            ? Status.INCONSISTENT_INTERVENTION_TIME
            : !Double.isFinite(intervention)
                ? Status.MISSING_INTERVENTION_TIME
                : badTime ? Status.MISSING_TIME : null;
    if (problem != null) {
      return failed(series, problem, intervention, w.end(), w.number());
    }
    String stream = String.valueOf(w.number());
    ImpactAnalysis.Result r;
    try {
      r =
          ImpactAnalysis.analyse(
              time,
              y,
              c,
              post,
              s,
              Seeds.of(seed, "causal-impact", series, stream),
              // A refit (placebo window, diagnostic fit) has its own stream per (run seed, series,
              // window, refit), so no refit's draws depend on another's.
              refit -> Seeds.of(seed, "causal-impact", series, stream, refit));
    } catch (ArithmeticException | IllegalArgumentException e) {
      // Values whose squares overflow a double turn the fit's sums into infinities and NaNs, which
      // the kernels refuse; that fails this series, never the batch.
      return failed(series, Status.NUMERICAL_FAILURE, intervention, w.end(), w.number());
    }
    ImpactAnalysis.Summary sum = r.summary();
    if (Status.OK.code().equals(sum.status())
        && !(Double.isFinite(sum.cumulativeMean())
            && Double.isFinite(sum.cumulativeSd())
            && Double.isFinite(sum.averageQ025())
            && Double.isFinite(sum.averageQ975()))) {
      return failed(series, Status.NUMERICAL_FAILURE, intervention, w.end(), w.number());
    }
    return rows(series, r, intervention, w.end(), w.number(), controls);
  }

  private static Tuple2<Tuple2<Row, List<Row>>, List<Row>> failed(
      String series, Status status, double intervention, double end, int window) {
    return rows(
        series,
        ImpactAnalysis.Result.failed(status.code(), 0, 0),
        intervention,
        end,
        window,
        List.of());
  }

  /** A window's summary row, pointwise rows and control rows, in the tables' column order. */
  private static Tuple2<Tuple2<Row, List<Row>>, List<Row>> rows(
      String series,
      ImpactAnalysis.Result r,
      double intervention,
      double end,
      int window,
      List<String> controls) {
    ImpactAnalysis.Summary m = r.summary();
    Row summary =
        RowFactory.create(
            series,
            Status.ofCode(m.status()).code(),
            m.nPre(),
            m.nPost(),
            m.averageMean(),
            m.averageSd(),
            m.averageQ025(),
            m.averageQ975(),
            m.averageProbPositive(),
            m.cumulativeMean(),
            m.cumulativeSd(),
            m.cumulativeQ025(),
            m.cumulativeQ975(),
            m.cumulativeProbPositive(),
            m.relativeMean(),
            m.relativeQ025(),
            m.relativeQ975(),
            m.tailAreaP(),
            m.probCausalEffect(),
            m.significant(),
            m.preR2(),
            m.preResidualSd(),
            m.preResidualAutocorrelation(),
            m.residualDriftFlag(),
            m.placeboP(),
            m.placebos(),
            intervention,
            window,
            Double.isInfinite(end) ? Double.NaN : end,
            0L, // rows_rejected, set on the driver (withSchema)
            m.relativeSd(),
            m.pointsNeeded() > 0 ? m.pointsNeeded() : null,
            m.duplicateTime(),
            m.duplicateRows(),
            m.duplicatedTimes());
    List<Row> points = new ArrayList<>(r.points().length);
    for (ImpactAnalysis.Point p : r.points()) {
      points.add(
          RowFactory.create(
              series,
              p.time(),
              p.post(),
              p.observed(),
              p.counterfactualMean(),
              p.counterfactualQ025(),
              p.counterfactualQ975(),
              p.impactMean(),
              p.impactQ025(),
              p.impactQ975(),
              p.cumulativeMean(),
              p.cumulativeQ025(),
              p.cumulativeQ975(),
              window));
    }
    List<Row> coefs = new ArrayList<>(r.controls().length);
    for (ImpactAnalysis.Control c : r.controls()) {
      coefs.add(
          RowFactory.create(
              series,
              controls.get(c.index()),
              c.inclusionProb(),
              c.coefMean(),
              c.coefSd(),
              window));
    }
    return new Tuple2<>(new Tuple2<>(summary, points), coefs);
  }
}
