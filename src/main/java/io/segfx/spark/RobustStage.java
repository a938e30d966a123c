package io.segfx.spark;

import io.segfx.config.JobSpec;
import io.segfx.model.MetricSpec;
import io.segfx.model.SegmentEstimate;
import io.segfx.model.StandardErrors;
import io.segfx.stats.ExactMoments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * Robust standard errors of the segment OLS treatment coefficients ({@code --se hc1|cluster}): one
 * more scan of the validated input with the stage-1 fits broadcast. The treatment coefficient is a
 * linear function of the outcomes, tau^ = sum_i a_i y_i, so its sandwich variance is
 *
 * <pre>
 *   HC1:  n/(n - p) · sum_i a_i² e_i²                                       (MacKinnon &amp; White 1985)
 *   CR1:  G/(G - 1) · (n - 1)/(n - p) · sum_g (sum_{i in g} a_i e_i)²       (Cameron &amp; Miller 2015, eq. 11)
 * </pre>
 *
 * with a_i and e_i from {@link RobustInput}. The per-row products a_i e_i are doubles computed from
 * the row alone; their sums and sums of squares (and, for clusters, the sums of the squared cluster
 * totals) are held exactly in {@link ExactMoments}, so robust standard errors are as independent of
 * partitioning and task order as the rest of stage 1.
 */
public final class RobustStage {
  private RobustStage() {}

  /** The estimates with robust standard errors where a fit exists (others unchanged). */
  public static List<SegmentEstimate> run(
      Dataset<Row> validated,
      JobSpec spec,
      List<SegmentEstimate> estimates,
      List<RobustInput> inputs) {
    if (inputs.isEmpty()) {
      return estimates;
    }
    boolean cluster = spec.se() == StandardErrors.CLUSTER;
    Map<String, List<RobustInput>> byCell = new HashMap<>();
    for (RobustInput r : inputs) {
      byCell
          .computeIfAbsent(CellKey.text(r.experiment(), r.segment()), k -> new ArrayList<>())
          .add(r);
    }
    JavaSparkContext jsc =
        JavaSparkContext.fromSparkContext(validated.sparkSession().sparkContext());
    Broadcast<Map<String, List<RobustInput>>> fits = jsc.broadcast(byCell);
    int q = spec.covariates().size() + spec.metricSpecs().size();
    String control = spec.controlArm();
    int clusterIndex = Columns.FIRST_VALUE + q;
    FaultInjection faults = FaultInjection.of(jsc.getConf());
    JavaPairRDD<Tuple2<String, String>, ExactMoments> parts =
        validated
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitionsToPair(
                rows -> scan(rows, fits.value(), q, control, cluster ? clusterIndex : -1, faults));
    int partitions = Math.max(1, jsc.defaultParallelism());
    JavaPairRDD<Tuple2<String, String>, ExactMoments> sums =
        parts.reduceByKey(ExactMoments::combine, partitions);
    Map<String, double[]> meat = meat(sums, cluster, partitions);
    fits.destroy();
    List<String> metrics = spec.metricSpecs().stream().map(MetricSpec::column).toList();
    return withRobustErrors(estimates, inputs, meat, metrics, cluster, spec.se().code());
  }

  /**
   * Per fit key: the sandwich's meat, the exact sum of the squared influences (or, for clusters, of
   * the squared cluster totals), and the cluster count G (0 without clusters).
   */
  private static Map<String, double[]> meat(
      JavaPairRDD<Tuple2<String, String>, ExactMoments> sums, boolean cluster, int partitions) {
    Map<String, double[]> meat = new HashMap<>();
    if (cluster) {
      // Per fit: the exact sum of the squared cluster totals, and G.
      for (Tuple2<String, ExactMoments> t :
          sums.mapToPair(
                  t -> {
                    ExactMoments m = new ExactMoments(1);
                    m.accept(new double[] {t._2().sumDouble(0)});
                    return new Tuple2<>(t._1()._1(), m);
                  })
              .reduceByKey(ExactMoments::combine, partitions)
              .collect()) {
        meat.put(t._1(), new double[] {t._2().crossDouble(0, 0), t._2().count()});
      }
    } else {
      for (Tuple2<Tuple2<String, String>, ExactMoments> t : sums.collect()) {
        meat.put(t._1()._1(), new double[] {t._2().crossDouble(0, 0), 0});
      }
    }
    return meat;
  }

  /** The estimates, each with its robust standard error where its fit has one. */
  private static List<SegmentEstimate> withRobustErrors(
      List<SegmentEstimate> estimates,
      List<RobustInput> inputs,
      Map<String, double[]> meat,
      List<String> metrics,
      boolean cluster,
      String se) {
    Map<String, RobustInput> inputByFit = new HashMap<>();
    for (RobustInput r : inputs) {
      inputByFit.put(fitKey(r.experiment(), r.segment(), r.variant(), r.metric()), r);
    }
    List<SegmentEstimate> out = new ArrayList<>(estimates.size());
    for (SegmentEstimate e : estimates) {
      int m = e.metric() == null ? -1 : metrics.indexOf(e.metric());
      String key =
          e.variant() == null ? null : fitKey(e.experimentId(), e.segment(), e.variant(), m);
      RobustInput r = key == null ? null : inputByFit.get(key);
      double[] s = key == null ? null : meat.get(key);
      if (r == null || s == null) {
        out.add(e);
        continue;
      }
      double n = r.nControl() + r.nTreatment();
      double var;
      if (cluster) {
        double g = s[1];
        var = g > 1 ? g / (g - 1) * (n - 1) / (n - r.p()) * s[0] : Double.NaN;
      } else {
        var = n / (n - r.p()) * s[0];
      }
      out.add(e.withStdError(Math.sqrt(var), se));
    }
    return out;
  }

  private static Iterator<Tuple2<Tuple2<String, String>, ExactMoments>> scan(
      Iterator<InternalRow> rows,
      Map<String, List<RobustInput>> fits,
      int q,
      String control,
      int clusterIndex,
      FaultInjection faults) {
    // Sums per fit (by identity: the broadcast inputs are shared) and cluster; keys are built once
    // per fit at the end, not per row.
    Map<RobustInput, Map<String, ExactMoments>> acc = new IdentityHashMap<>();
    double[] v = new double[q];
    double[] one = new double[1];
    // Rows of a cell usually arrive together: the previous row's cell is checked first, as in stage
    // 1.
    UTF8String lastExperiment = null;
    UTF8String lastSegment = null;
    List<RobustInput> cell = null;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      if (!r.isNullAt(Columns.REASON_ORDINAL)) {
        continue;
      }
      UTF8String experiment = r.getUTF8String(Columns.EXPERIMENT_ORDINAL);
      UTF8String segment = r.getUTF8String(Columns.SEGMENT_ORDINAL);
      if (lastExperiment == null
          || !experiment.equals(lastExperiment)
          || !segment.equals(lastSegment)) {
        cell = fits.get(CellKey.text(experiment.toString(), segment.toString()));
        lastExperiment = experiment.copy();
        lastSegment = segment.copy();
      }
      if (cell == null) {
        continue;
      }
      String arm = r.getUTF8String(Columns.ARM_ORDINAL).toString();
      boolean isControl = arm.equals(control);
      for (int i = 0; i < q; i++) {
        v[i] = r.getDouble(Columns.FIRST_VALUE + i);
      }
      String cluster = clusterIndex < 0 ? "" : r.getUTF8String(clusterIndex).toString();
      for (RobustInput f : cell) {
        if (!isControl && !f.variant().equals(arm)) {
          continue;
        }
        one[0] = f.influence(v, !isControl);
        acc.computeIfAbsent(f, k -> new HashMap<>())
            .computeIfAbsent(cluster, k -> new ExactMoments(1))
            .accept(one);
      }
    }
    faults.maybeFail("robust");
    return keyed(acc);
  }

  /** A task's sums keyed by (fit, cluster). */
  private static Iterator<Tuple2<Tuple2<String, String>, ExactMoments>> keyed(
      Map<RobustInput, Map<String, ExactMoments>> acc) {
    List<Tuple2<Tuple2<String, String>, ExactMoments>> out = new ArrayList<>();
    for (Map.Entry<RobustInput, Map<String, ExactMoments>> e : acc.entrySet()) {
      RobustInput f = e.getKey();
      String key = fitKey(f.experiment(), f.segment(), f.variant(), f.metric());
      for (Map.Entry<String, ExactMoments> c : e.getValue().entrySet()) {
        out.add(new Tuple2<>(new Tuple2<>(key, c.getKey()), c.getValue()));
      }
    }
    return out.iterator();
  }

  /** (experiment, segment, variant, metric), length-prefixed so no two differ only in splitting. */
  static String fitKey(String experiment, String segment, String variant, int metric) {
    return experiment.length()
        + ":"
        + experiment
        + segment.length()
        + ":"
        + segment
        + variant.length()
        + ":"
        + variant
        + "#"
        + metric;
  }
}
