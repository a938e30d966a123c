package io.segfx.job;

import io.segfx.config.OptionDef;
import io.segfx.config.OptionValues;
import io.segfx.config.UsageException;
import io.segfx.io.OutputTables;
import io.segfx.io.RunOutput;
import io.segfx.io.SafeText;
import io.segfx.model.SeriesPoint;
import io.segfx.spark.Columns;
import io.segfx.spark.DataErrors;
import io.segfx.spark.ImpactInputStage;
import io.segfx.spark.InputReader;
import io.segfx.spark.TimeValues;
import io.segfx.stats.ImpactAnalysis;
import io.segfx.stats.Seeds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * The {@code causal-impact} job (seed notebook section 10 at scale): long rows (series, time,
 * outcome, controls) are grouped per series on the executors — a series' rows are the unit of work
 * here — and each series is analysed by {@link ImpactAnalysis} there, with its own stream seeded by
 * (run seed, series id); only the summaries and the pointwise rows leave the executors, as tables.
 */
public final class CausalImpactJob {
  public static final String COMMAND = "causal-impact";
  public static final String IMPACT_SUMMARY = "impact_summary";
  public static final String IMPACT_POINTWISE = "impact_pointwise";

  /**
   * Status of a series every row of which is quarantined (see the manifest's rejected_by_reason).
   */
  public static final String NO_USABLE_ROWS = "no_usable_rows";

  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.required(
              "input", OptionDef.Kind.STRING, "long rows: series, time, outcome, control columns"),
          OptionDef.required(
              "output",
              OptionDef.Kind.STRING,
              "output folder (impact_summary, impact_pointwise, manifest.json)"),
          OptionDef.of(
              "spec",
              OptionDef.Kind.STRING,
              null,
              "YAML job spec with the same keys as these options"),
          OptionDef.choice(
              "input-format",
              null,
              List.of("parquet", "csv"),
              "input format (default: from the extension, else parquet)"),
          OptionDef.choice(
              "output-format", "parquet", List.of("parquet", "csv"), "format of the output tables"),
          OptionDef.of(
              "series-col",
              OptionDef.Kind.STRING,
              "series_id",
              "series id column; absent = one series named 'all'"),
          OptionDef.required(
              "time-col",
              OptionDef.Kind.STRING,
              "time column: numbers, or ISO dates/timestamps (2026-01-05, 2026-01-05T10:00:00, read"
                  + " as days since 1970-01-01 UTC; no zone = UTC)"),
          OptionDef.required(
              "outcome-col", OptionDef.Kind.STRING, "outcome column of the treated series"),
          OptionDef.required("controls", OptionDef.Kind.LIST, "control series columns"),
          OptionDef.of(
              "intervention-time",
              OptionDef.Kind.STRING,
              null,
              "the intervention time of every series (rows at or after it are post): a number, or a"
                  + " date/timestamp when the time column holds dates"),
          OptionDef.of(
              "intervention-col",
              OptionDef.Kind.STRING,
              null,
              "column with each series' intervention time"),
          OptionDef.of(
              "interventions",
              OptionDef.Kind.STRING,
              null,
              "table of intervention windows: columns series_id (or --series-col), start, end"
                  + " (empty = open); one summary per window, each against the pre-period before"
                  + " the series' first window"),
          OptionDef.of(
              "trend",
              OptionDef.Kind.FLAG,
              null,
              "add a linear time trend regressor (the notebook does)"),
          OptionDef.choice(
              "model",
              "regression",
              List.of("regression", "local-level"),
              "regression (exact Student-t) or local-level (random-walk level + regression, Gibbs"
                  + " sampler with FFBS, as CausalImpact)"),
          OptionDef.of(
              "burn", OptionDef.Kind.INT, "500", "--model local-level: Gibbs burn-in iterations"),
          OptionDef.of(
              "gibbs-draws", OptionDef.Kind.INT, "2000", "--model local-level: kept Gibbs draws"),
          OptionDef.of(
              "draws",
              OptionDef.Kind.INT,
              "20000",
              "draws of the predictive sum for the relative effect"),
          OptionDef.of("seed", OptionDef.Kind.LONG, "1", "run seed"),
          OptionDef.of(
              "alpha",
              OptionDef.Kind.DOUBLE,
              "0.05",
              "significance level: significant = the 1 - alpha interval of the cumulative impact"
                  + " excludes 0"),
          OptionDef.of(
              "placebos",
              OptionDef.Kind.INT,
              "10",
              "placebo intervention points inside the pre-period per series"),
          OptionDef.of(
              "prior",
              OptionDef.Kind.LIST,
              "1e4,1e-3,1e-3",
              "v0,a0,b0: beta ~ N(0, sigma^2 v0 I), sigma^2 ~ IG(a0, b0) (the notebook's section"
                  + " 10)"),
          OptionDef.of(
              "report",
              OptionDef.Kind.STRING,
              io.segfx.config.ReportScope.DEFAULT,
              "HTML report charts: top:N (by probability of a causal effect), all, or none"),
          OptionDef.of("master", OptionDef.Kind.STRING, null, "Spark master"),
          OptionDef.choice(
              "mode",
              "error",
              List.of("error", "overwrite"),
              "when the output folder exists: fail, or replace it"));

  private CausalImpactJob() {}

  static final StructType SUMMARY_SCHEMA =
      schema(
          "series_id:string",
          "status:string",
          "n_pre:int",
          "n_post:int",
          "average_mean:double",
          "average_sd:double",
          "average_q025:double",
          "average_q975:double",
          "average_prob_positive:double",
          "cumulative_mean:double",
          "cumulative_sd:double",
          "cumulative_q025:double",
          "cumulative_q975:double",
          "cumulative_prob_positive:double",
          "relative_effect_mean:double",
          "relative_effect_q025:double",
          "relative_effect_q975:double",
          "tail_area_p:double",
          "prob_causal_effect:double",
          "significant:boolean",
          "pre_r2:double",
          "pre_residual_sd:double",
          "pre_residual_autocorrelation:double",
          "residual_drift_flag:boolean",
          "placebo_p:double",
          "placebos:int",
          "intervention_time:double",
          "window:int",
          "window_end:double",
          "rows_rejected:long");

  static final StructType POINTWISE_SCHEMA =
      schema(
          "series_id:string",
          "time:double",
          "post:boolean",
          "observed:double",
          "counterfactual_mean:double",
          "counterfactual_q025:double",
          "counterfactual_q975:double",
          "impact_mean:double",
          "impact_q025:double",
          "impact_q975:double",
          "cumulative_impact_mean:double",
          "cumulative_impact_q025:double",
          "cumulative_impact_q975:double",
          "window:int");

  /** Runs the job; returns the summary rows. */
  public static List<Row> run(SparkSession spark, OptionValues v) {
    String runId = UUID.randomUUID().toString();
    Instant started = Instant.now();
    int given =
        (v.has("intervention-time") ? 1 : 0)
            + (v.has("intervention-col") ? 1 : 0)
            + (v.has("interventions") ? 1 : 0);
    if (given != 1) {
      throw new UsageException(
          "give exactly one of --intervention-time T, --intervention-col COLUMN and --interventions"
              + " TABLE");
    }
    List<String> controls = v.list("controls");
    if (controls.isEmpty()) {
      throw new UsageException("--controls needs at least one control column");
    }
    // A column in two roles would fit the outcome with itself or give a singular design for
    // every series: refused, as the segment job refuses a column named twice.
    java.util.Set<String> roles = new java.util.HashSet<>();
    for (String c : controls) {
      if (!roles.add(c)) {
        throw new UsageException("--controls names column '" + c + "' twice");
      }
    }
    for (String[] role :
        new String[][] {
          {"outcome-col", v.string("outcome-col")},
          {"time-col", v.string("time-col")},
          {"series-col", v.string("series-col")}
        }) {
      if (roles.contains(role[1])) {
        throw new UsageException(
            "--controls names column '"
                + role[1]
                + "', which is also the --"
                + role[0]
                + "; a control must be another series");
      }
    }
    double[] prior = parsePrior(v.list("prior"));
    ImpactAnalysis.Settings settings =
        new ImpactAnalysis.Settings(
            v.flag("trend"),
            v.number("alpha"),
            v.integer("draws"),
            prior[0],
            prior[1],
            prior[2],
            v.integer("placebos"),
            v.string("model"),
            v.integer("burn"),
            v.integer("gibbs-draws"));
    if (ImpactAnalysis.LOCAL_LEVEL.equals(settings.model())
        && (settings.burn() < 0 || settings.gibbsDraws() < 100)) {
      throw new UsageException("--burn must be >= 0 and --gibbs-draws >= 100");
    }
    if (!(settings.alpha() > 0 && settings.alpha() < 1)
        || settings.draws() < 100
        || settings.placebos() < 0) {
      throw new UsageException("--alpha must be in (0, 1), --draws >= 100 and --placebos >= 0");
    }
    TimeValues.Time interventionTime = null;
    if (v.has("intervention-time")) {
      interventionTime = TimeValues.parse(v.string("intervention-time"));
      if (interventionTime == null) {
        throw new UsageException(
            "--intervention-time '"
                + SafeText.clean(v.string("intervention-time"))
                + "' is neither a number nor a date (2026-01-05) or timestamp"
                + " (2026-01-05T10:00:00); give the time of the first post-intervention row in the"
                + " form of the time column");
      }
    }
    String input = v.string("input");
    String format =
        v.has("input-format")
            ? v.string("input-format")
            : input.endsWith(".csv") ? "csv" : "parquet";
    RunContext ctx =
        RunContext.open(
            spark,
            COMMAND,
            new RunContext.Target(
                v.string("output"),
                v.string("mode"),
                v.string("output-format"),
                Arrays.asList(v.string("input"), v.string("spec"), v.string("interventions"))));
    RunOutput out = ctx.out();
    runId = ctx.runId();
    try {
      Dataset<Row> in =
          ctx.read(
                  input,
                  v.has("input-format") ? v.string("input-format") : null,
                  InputReader.CsvDialect.DEFAULT)
              .data();
      String timeCol = v.string("time-col");
      ImpactInputStage.Spec inputSpec =
          new ImpactInputStage.Spec(
              Arrays.asList(in.columns()).contains(v.string("series-col"))
                  ? v.string("series-col")
                  : null,
              timeCol,
              v.string("outcome-col"),
              controls,
              v.has("intervention-col") ? v.string("intervention-col") : null,
              interventionTime != null ? interventionTime.value() : Double.NaN);
      Dataset<Row> projected = ImpactInputStage.apply(in, inputSpec);
      ImpactInputStage.Counts counts = ImpactInputStage.count(projected);
      TimeValues.Kind timeKind =
          ImpactInputStage.kind(
              "time column '" + timeCol + "'",
              counts.timeNumbers(),
              counts.timeCalendar(),
              counts.badTime());
      if (interventionTime != null) {
        sameKind(
            "--intervention-time " + SafeText.clean(v.string("intervention-time")),
            interventionTime.kind(),
            timeCol,
            timeKind);
      }
      if (v.has("intervention-col")) {
        String what = "intervention column '" + v.string("intervention-col") + "'";
        sameKind(
            what,
            ImpactInputStage.kind(
                what,
                counts.interventionNumbers(),
                counts.interventionCalendar(),
                counts.badIntervention()),
            timeCol,
            timeKind);
      }
      Map<String, List<double[]>> windows =
          v.has("interventions")
              ? windows(spark, v.string("interventions"), v.string("series-col"), timeCol, timeKind)
              : null;
      int k = controls.size();
      List<Column> cols = new ArrayList<>();
      for (String c :
          List.of(ImpactInputStage.SERIES, ImpactInputStage.TIME, ImpactInputStage.OUTCOME)) {
        cols.add(functions.col(c));
      }
      for (int i = 0; i < k; i++) {
        cols.add(functions.col(ImpactInputStage.CONTROL_PREFIX + i));
      }
      cols.add(functions.col(ImpactInputStage.INTERVENTION));
      long seed = v.longValue("seed");
      spark
          .sparkContext()
          .setJobGroup("segfx-impact", "causal impact: one task group per series", false);
      long t0 = System.nanoTime();
      JavaRDD<Tuple2<Row, List<Row>>> analysed =
          projected
              .where(functions.col(Columns.REASON).isNull())
              .select(cols.toArray(new Column[0]))
              .toJavaRDD()
              .mapToPair(r -> new Tuple2<>(r.getString(0), obs(r, k)))
              .groupByKey()
              .flatMap(
                  g ->
                      analyse(
                              g._1(),
                              g._2(),
                              settings,
                              seed,
                              windows == null ? null : windows.getOrDefault(g._1(), List.of()))
                          .iterator());
      analysed.cache();
      List<Row> collected = new ArrayList<>(analysed.map(Tuple2::_1).collect());
      // A series whose every row is quarantined still gets a summary, so it cannot vanish unseen.
      for (String series : new java.util.TreeSet<>(counts.rejectedBySeries().keySet())) {
        if (!counts.usedSeries().contains(series)) {
          collected.add(
              summaryRow(
                      series,
                      ImpactAnalysis.Result.failed(NO_USABLE_ROWS, 0, 0),
                      Double.NaN,
                      Double.NaN,
                      1)
                  ._1());
        }
      }
      List<Row> summaries = new ArrayList<>();
      for (Row r : collected) {
        // With the schema, so callers can read fields by name; the series' quarantined rows last.
        Object[] values = new Object[r.length() + 1];
        for (int i = 0; i < r.length(); i++) {
          values[i] = r.get(i);
        }
        values[r.length()] = counts.rejectedBySeries().getOrDefault(r.getString(0), 0L);
        summaries.add(
            new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(
                values, SUMMARY_SCHEMA));
      }
      summaries.sort(
          java.util.Comparator.comparing((Row a) -> a.getString(0))
              .thenComparingInt(a -> a.getInt(27)));
      double seconds = (System.nanoTime() - t0) / 1e9;
      out.writeTable(IMPACT_SUMMARY, summaries, SUMMARY_SCHEMA);
      Dataset<Row> pointwise =
          spark
              .createDataFrame(analysed.flatMap(t -> t._2().iterator()), POINTWISE_SCHEMA)
              .orderBy("series_id", "time");
      out.write(IMPACT_POINTWISE, pointwise);
      if (counts.rowsRejected() > 0) {
        out.write(
            OutputTables.REJECTED_ROWS,
            ImpactInputStage.withReason(in, inputSpec)
                .where(functions.col(Columns.REJECT_REASON).isNotNull()));
      }
      int pages =
          writeReport(
              out,
              runId,
              summaries,
              analysed,
              io.segfx.config.ReportScope.parse(v.string("report")));
      analysed.unpersist();
      Map<String, Long> statuses = new LinkedHashMap<>();
      for (Row r : summaries) {
        statuses.merge(r.getString(1), 1L, Long::sum);
      }
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("run_id", runId);
      manifest.put("command", COMMAND);
      manifest.put("input", input);
      manifest.put("rows_read", counts.rowsRead());
      manifest.put("rows_used", counts.rowsUsed());
      manifest.put("rows_rejected", counts.rowsRejected());
      manifest.put("rejected_by_reason", counts.rejectedByReason());
      manifest.put(
          "time_unit",
          timeKind == TimeValues.Kind.CALENDAR ? TimeValues.CALENDAR_UNIT : "as given");
      manifest.put("series", summaries.size());
      manifest.put("series_by_status", statuses);
      if (windows != null) {
        // A window whose series is not in the data (a typo, a trailing space) would otherwise
        // vanish without a trace.
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Row r : summaries) {
          seen.add(r.getString(0));
        }
        List<String> unmatched = new ArrayList<>(new java.util.TreeSet<>(windows.keySet()));
        unmatched.removeAll(seen);
        manifest.put("interventions_unmatched", unmatched);
        if (!unmatched.isEmpty()) {
          org.slf4j.LoggerFactory.getLogger(CausalImpactJob.class)
              .warn(
                  "--interventions names {} series not in the input (manifest"
                      + " interventions_unmatched): {}",
                  unmatched.size(),
                  SafeText.clean(
                      String.join(", ", unmatched.subList(0, Math.min(5, unmatched.size())))));
        }
      }
      manifest.put("memos", summaries.size());
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("index", "report/index.html");
      report.put("charted_series", pages);
      manifest.put("report", report);
      Map<String, Object> settingsMap = new LinkedHashMap<>();
      for (OptionDef d : OPTIONS) {
        if (v.has(d.name())) {
          settingsMap.put(
              d.name(),
              d.kind() == OptionDef.Kind.LIST
                  ? v.list(d.name())
                  : d.kind() == OptionDef.Kind.FLAG ? v.flag(d.name()) : v.string(d.name()));
        }
      }
      manifest.put("settings", settingsMap);
      manifest.put("versions", ctx.versions());
      manifest.put("analysis_seconds", Math.round(seconds * 1000) / 1000.0);
      manifest.put("started_at", started.toString());
      manifest.put("finished_at", Instant.now().toString());
      out.publish(manifest);
      return summaries;
    } catch (UsageException e) {
      out.abandon();
      throw e;
    } catch (Exception e) { // also Spark's checked exceptions, which Scala throws undeclared
      out.abandon();
      throw DataErrors.translate(e, input);
    } finally {
      ctx.close();
    }
  }

  private static SeriesPoint obs(Row r, int k) {
    double[] c = new double[k];
    for (int i = 0; i < k; i++) {
      c[i] = r.isNullAt(3 + i) ? Double.NaN : r.getDouble(3 + i);
    }
    return new SeriesPoint(
        r.isNullAt(1) ? Double.NaN : r.getDouble(1),
        r.isNullAt(2) ? Double.NaN : r.getDouble(2),
        c,
        r.isNullAt(3 + k) ? Double.NaN : r.getDouble(3 + k));
  }

  /**
   * Intervention windows per series from a table (series, start, end; end null = open), sorted by
   * start.
   */
  private static Map<String, List<double[]>> windows(
      SparkSession spark, String path, String seriesCol, String timeCol, TimeValues.Kind timeKind) {
    Dataset<Row> t = InputReader.read(spark, path, path.endsWith(".csv") ? "csv" : "parquet");
    List<String> names = Arrays.asList(t.columns());
    String s = names.contains(seriesCol) ? seriesCol : "series_id";
    for (String c : List.of(s, "start")) {
      if (!names.contains(c)) {
        throw new UsageException(
            "--interventions "
                + path
                + " has no column '"
                + c
                + "' (needs "
                + seriesCol
                + ", start, end)");
      }
    }
    Column end = names.contains("end") ? functions.col("end") : functions.lit(null);
    Map<String, List<double[]>> out = new java.util.HashMap<>();
    for (Row r :
        t.select(functions.col(q(s)).cast("string"), functions.col("start"), end).collectAsList()) {
      if (r.isNullAt(0)) {
        continue;
      }
      double[] w = {Double.NaN, Double.POSITIVE_INFINITY};
      for (int i = 1; i <= 2; i++) {
        if (r.isNullAt(i) || (r.get(i) instanceof String x && x.isBlank())) {
          continue;
        }
        TimeValues.Time time = TimeValues.of(r.get(i));
        String what =
            "--interventions "
                + path
                + ": "
                + (i == 1 ? "start" : "end")
                + " '"
                + SafeText.clean(String.valueOf(r.get(i)))
                + "' of series '"
                + SafeText.clean(r.getString(0))
                + "'";
        if (time == null) {
          throw new UsageException(
              what
                  + " is neither a number nor a date (2026-01-05) or timestamp"
                  + " (2026-01-05T10:00:00)");
        }
        sameKind(what, time.kind(), timeCol, timeKind);
        w[i - 1] = time.value();
      }
      out.computeIfAbsent(r.getString(0), x -> new ArrayList<>()).add(w);
    }
    for (List<double[]> w : out.values()) {
      w.sort(java.util.Comparator.comparingDouble(x -> x[0]));
    }
    return out;
  }

  /**
   * Refuses an intervention time whose kind differs from the time column's: a number against a date
   * column (or the reverse) would compare two different scales.
   */
  private static void sameKind(
      String what, TimeValues.Kind kind, String timeCol, TimeValues.Kind timeKind) {
    if (kind != null && timeKind != null && kind != timeKind) {
      throw new UsageException(
          what
              + " is "
              + (kind == TimeValues.Kind.NUMBER ? "a number" : "a date or timestamp")
              + " but time column '"
              + timeCol
              + "' holds "
              + timeKind.label()
              + "; give it as "
              + (timeKind == TimeValues.Kind.NUMBER
                  ? "a number on the time column's scale"
                  : "a date or timestamp such as 2026-01-05 or 2026-01-05T10:00:00"));
    }
  }

  /**
   * Analyses one series: a summary row and pointwise rows per intervention window. Each window is
   * compared with the pre-period before the series' first window (rows between windows belong to
   * neither: effects may carry over).
   */
  static List<Tuple2<Row, List<Row>>> analyse(
      String series,
      Iterable<SeriesPoint> rows,
      ImpactAnalysis.Settings s,
      long seed,
      List<double[]> windows) {
    List<SeriesPoint> list = new ArrayList<>();
    rows.forEach(list::add);
    if (windows == null) {
      return List.of(
          analyseWindow(
              series,
              list,
              s,
              seed,
              list.get(0).intervention(),
              Double.POSITIVE_INFINITY,
              1,
              null,
              true));
    }
    if (windows.isEmpty()) {
      return List.of(
          analyseWindow(
              series, list, s, seed, Double.NaN, Double.NaN, 1, "no_intervention", false));
    }
    List<Tuple2<Row, List<Row>>> out = new ArrayList<>();
    double first = windows.get(0)[0];
    for (int w = 0; w < windows.size(); w++) {
      double[] win = windows.get(w);
      boolean bad =
          !Double.isFinite(win[0]) || win[1] < win[0] || (w > 0 && win[0] <= windows.get(w - 1)[1]);
      List<SeriesPoint> sub = new ArrayList<>();
      for (SeriesPoint o : list) {
        if (o.time() < first
            || (o.time() >= win[0] && o.time() <= win[1])
            || !Double.isFinite(o.time())) {
          sub.add(new SeriesPoint(o.time(), o.y(), o.controls(), win[0]));
        }
      }
      out.add(
          analyseWindow(
              series, sub, s, seed, win[0], win[1], w + 1, bad ? "bad_window" : null, false));
    }
    return out;
  }

  private static Tuple2<Row, List<Row>> analyseWindow(
      String series,
      List<SeriesPoint> list,
      ImpactAnalysis.Settings s,
      long seed,
      double start,
      double end,
      int window,
      String forced,
      boolean checkConsistency) {
    int n = list.size();
    if (forced != null || n == 0) {
      return summaryRow(
          series,
          ImpactAnalysis.Result.failed(forced != null ? forced : "no_rows", 0, 0),
          start,
          end,
          window);
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
      consistent &= !checkConsistency || Double.compare(o.intervention(), intervention) == 0;
      badTime |= !Double.isFinite(o.time());
      post[i] = o.time() >= intervention;
    }
    ImpactAnalysis.Result r;
    if (!Double.isFinite(intervention) || !consistent) {
      r =
          ImpactAnalysis.Result.failed(
              consistent ? "missing_intervention_time" : "inconsistent_intervention_time", 0, 0);
    } else if (badTime) {
      r = ImpactAnalysis.Result.failed("missing_time", 0, 0);
    } else {
      r =
          ImpactAnalysis.analyse(
              time, y, c, post, s, Seeds.of(seed, "causal-impact", series, String.valueOf(window)));
    }
    return summaryRow(series, r, intervention, end, window);
  }

  private static Tuple2<Row, List<Row>> summaryRow(
      String series, ImpactAnalysis.Result r, double intervention, double end, int window) {
    ImpactAnalysis.Summary m = r.summary();
    Row summary =
        RowFactory.create(
            series,
            m.status(),
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
            Double.isInfinite(end) ? Double.NaN : end);
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
    return new Tuple2<>(summary, points);
  }

  /**
   * Memos for every series, and the HTML report: an index of all series ordered by probability of a
   * causal effect, and a page with the two-panel chart for the charted ones. Returns the number of
   * charted series.
   */
  private static int writeReport(
      RunOutput out,
      String runId,
      List<Row> summaries,
      JavaRDD<Tuple2<Row, List<Row>>> analysed,
      io.segfx.config.ReportScope scope) {
    Map<String, Integer> windowsOf = new java.util.HashMap<>();
    for (Row r : summaries) {
      windowsOf.merge(r.getString(0), 1, Integer::sum);
    }
    // One label per (series, window): the series id, with the window when a series has several.
    java.util.function.Function<Row, String> label =
        r ->
            windowsOf.get(r.getString(0)) > 1
                ? r.getString(0) + " (window " + r.getInt(27) + ")"
                : r.getString(0);
    List<String> labels = new ArrayList<>();
    for (Row r : summaries) {
      labels.add(label.apply(r));
    }
    List<String> names = io.segfx.report.DecisionMemo.safeNames(labels);
    Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      index.put(labels.get(i), i);
      out.writeText(
          "memos/" + names.get(i) + ".md",
          SafeText.cleanDocument(
              "# Causal impact: "
                  + SafeText.clean(labels.get(i))
                  + "\n\n"
                  + io.segfx.report.ImpactMemo.paragraph(summaries.get(i)::getAs)
                  + "\n"));
    }
    List<Row> ordered = new ArrayList<>(summaries);
    ordered.sort(
        java.util.Comparator.comparingDouble(
                (Row r) -> Double.isNaN(r.getDouble(18)) ? 1.0 : -r.getDouble(18))
            .thenComparing(r -> r.getString(0))
            .thenComparingInt(r -> r.getInt(27)));
    java.util.Set<String> charted = new java.util.LinkedHashSet<>();
    if (scope.charts()) {
      for (Row r : ordered) {
        if (charted.size() >= scope.top()) {
          break;
        }
        if ("ok".equals(r.getString(1))) {
          charted.add(label.apply(r));
        }
      }
    }
    Map<String, String> pageOf = new LinkedHashMap<>();
    if (!charted.isEmpty()) {
      java.util.Set<String> wanted = new java.util.HashSet<>();
      for (String l : charted) {
        Row r = summaries.get(index.get(l));
        wanted.add(r.getString(0) + "\u0000" + r.getInt(27));
      }
      Map<String, List<Row>> points = new java.util.HashMap<>();
      for (Tuple2<Row, List<Row>> t :
          analysed
              .filter(t -> wanted.contains(t._1().getString(0) + "\u0000" + t._1().getInt(27)))
              .collect()) {
        points.put(label.apply(t._1()), t._2());
      }
      int c = 0;
      for (String l : charted) {
        List<Row> p = points.get(l);
        int n = p.size();
        double[][] a = new double[8][n];
        for (int i = 0; i < n; i++) {
          Row r = p.get(i);
          a[0][i] = r.getDouble(1);
          a[1][i] = r.getDouble(3);
          for (int k = 0; k < 6; k++) {
            a[2 + k][i] = r.getDouble(4 + k);
          }
        }
        Row summary = summaries.get(index.get(l));
        String[] svg =
            io.segfx.report.Charts.impactPanels(
                "s" + c++, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], summary.getDouble(26));
        String page = names.get(index.get(l)) + ".html";
        pageOf.put(l, page);
        out.writeText(
            io.segfx.report.HtmlReport.FOLDER + "/" + io.segfx.report.HtmlReport.PAGES + "/" + page,
            io.segfx.report.HtmlReport.impactPage(
                l, io.segfx.report.ImpactMemo.paragraph(summary::getAs), svg));
      }
    }
    List<String> orderedLabels = new ArrayList<>();
    List<java.util.function.Function<String, Object>> orderedFields = new ArrayList<>();
    for (Row r : ordered) {
      orderedLabels.add(label.apply(r));
      orderedFields.add(r::getAs);
    }
    out.writeText(
        io.segfx.report.HtmlReport.FOLDER + "/index.html",
        io.segfx.report.HtmlReport.impactIndex(runId, orderedFields, orderedLabels, pageOf));
    return charted.size();
  }

  /**
   * The summary as the console prints it: one line per series (and window) with the average impact,
   * its interval, P(> 0), the tail-area p and the placebo p, then a note on the placebo floor.
   * Series ids pass through {@link SafeText#clean}, so an id cannot send control sequences to the
   * terminal.
   *
   * <p>placebo p = (1 + #{placebo effects at least as large}) / (1 + placebos) is at least 1/(1 +
   * placebos), 1/11 ≈ 0.091 with the default 10; a value at that floor is printed as {@code <=} it,
   * since more placebos could show a smaller one.
   */
  public static String consoleTable(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append(
            String.format(
                Locale.ROOT,
                "%-14s %-18s %10s %22s %9s %9s %9s",
                "series_id",
                "status",
                "avg impact",
                "95% interval",
                "P(>0)",
                "tail p",
                "placebo p"))
        .append('\n');
    int most = 0;
    for (Row r : rows) {
      String id =
          SafeText.clean(r.getString(0))
              + (r.getInt(27) > 1 ? " (window " + r.getInt(27) + ")" : "");
      double placeboP = r.getDouble(24);
      int placebos = r.getInt(25);
      most = Math.max(most, placebos);
      String placebo =
          placebos > 0 && placeboP <= placeboFloor(placebos) * (1 + 1e-12)
              ? "<=" + String.format(Locale.ROOT, "%.3f", placeboP)
              : String.format(Locale.ROOT, "%.3f", placeboP);
      b.append(
              String.format(
                  Locale.ROOT,
                  "%-14s %-18s %10.4f [%9.4f, %9.4f] %9.3f %9.4f %9s",
                  id,
                  r.getString(1),
                  r.getDouble(4),
                  r.getDouble(6),
                  r.getDouble(7),
                  r.getDouble(8),
                  r.getDouble(17),
                  placebo))
          .append('\n');
    }
    if (most > 0) {
      b.append(
              String.format(
                  Locale.ROOT,
                  "placebo p cannot go below 1/(1 + placebos) = %.3f with %d placebos ('<=' marks"
                      + " series at that floor: no placebo effect was as large); raise --placebos"
                      + " to resolve smaller values",
                  placeboFloor(most),
                  most))
          .append('\n');
    }
    return b.toString();
  }

  /** The smallest placebo p that {@code placebos} placebos can give: 1/(1 + placebos). */
  public static double placeboFloor(int placebos) {
    return 1.0 / (1 + placebos);
  }

  private static double[] parsePrior(List<String> p) {
    try {
      if (p.size() == 3) {
        double[] out = {
          Double.parseDouble(p.get(0)), Double.parseDouble(p.get(1)), Double.parseDouble(p.get(2))
        };
        if (out[0] > 0 && out[1] > 0 && out[2] > 0) {
          return out;
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--prior must be three positive numbers v0,a0,b0, got " + p);
  }

  private static String q(String c) {
    return "`" + c.replace("`", "``") + "`";
  }

  private static StructType schema(String... fields) {
    List<StructField> f = new ArrayList<>();
    for (String s : fields) {
      String[] p = s.split(":");
      f.add(
          DataTypes.createStructField(
              p[0],
              switch (p[1]) {
                case "string" -> DataTypes.StringType;
                case "int" -> DataTypes.IntegerType;
                case "long" -> DataTypes.LongType;
                case "boolean" -> DataTypes.BooleanType;
                default -> DataTypes.DoubleType;
              },
              true));
    }
    return DataTypes.createStructType(f);
  }
}
