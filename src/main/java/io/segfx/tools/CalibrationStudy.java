package io.segfx.tools;

import io.segfx.config.JobSpec;
import io.segfx.config.OptionDef;
import io.segfx.config.OptionValues;
import io.segfx.config.UsageException;
import io.segfx.io.OutputTables;
import io.segfx.job.SegmentEffectsJob;
import io.segfx.spark.SegfxKryoRegistrator;
import io.segfx.stats.Seeds;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The calibration study ({@code scripts/calibrate}), a tool rather than part of the application:
 * simulates many experiments with known segment effects and runs them through the real {@code
 * segment-effects} job once per pooling method, then reports, per method and number of segments J,
 * the coverage of the 95% intervals of the segment effects and of the experiment-level effect, the
 * RMSE of raw and pooled segment estimates, and the rate of wrong launch decisions.
 *
 * <p>Design: for each J in {3, 5, 10, 20, 50} and tau in {0, 0.05, 0.15} (outcome noise sd 1),
 * {@code replicates} experiments each draw mu ~ N(0, 0.1²), theta_j ~ N(mu, tau²), segment sizes
 * log-uniform on [20, 600] units (unequal), arms 50/50, and unit outcomes y = a_j + theta_j·arm +
 * N(0, 1). The estimand of the experiment-level effect is the unit-weighted mean of the true
 * theta_j, the job's own estimand. A launch decision is wrong when the job says launch and the true
 * effect is negative, or do_not_launch and it is positive (profit = effect).
 */
public final class CalibrationStudy {
  public static final String COMMAND = "calibrate";
  static final String SUMMARY =
      "Calibration study of the pooling methods (coverage, RMSE, wrong decisions).";
  static final int[] SEGMENTS = {3, 5, 10, 20, 50};
  static final double[] TAUS = {0, 0.05, 0.15};
  static final List<String> METHODS = List.of("moments", "dl", "reml", "full");

  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.of(
              "output",
              OptionDef.Kind.STRING,
              "target/calibration",
              "working folder (data, one run per method, the report)"),
          OptionDef.of(
              "replicates", OptionDef.Kind.INT, "100", "experiments per (J, tau) scenario"),
          OptionDef.of("seed", OptionDef.Kind.LONG, "20261127", "simulation seed"),
          OptionDef.of("master", OptionDef.Kind.STRING, null, "Spark master (default local[*])"));

  private CalibrationStudy() {}

  /**
   * {@code scripts/calibrate}: runs the study (local mode unless {@code --master} says otherwise)
   * and prints its tables; exit code 2 on a usage error.
   */
  public static void main(String[] args) {
    if (Arrays.asList(args).contains("--help")) {
      System.out.print(OptionValues.usage(COMMAND, SUMMARY, OPTIONS));
      return;
    }
    try {
      OptionValues v = OptionValues.resolve(COMMAND, OPTIONS, args, null);
      System.out.print(run(session(v.has("master") ? v.string("master") : null), v));
    } catch (UsageException e) {
      System.err.println("segfx " + COMMAND + ": " + e.getMessage());
      System.exit(2);
    }
  }

  /** A session with segfx's Kryo registrations, as the segfx command sets them up. */
  private static SparkSession session(String master) {
    String effective = master != null ? master : new SparkConf().get("spark.master", "local[*]");
    return SparkSession.builder()
        .appName("segfx " + COMMAND)
        .master(effective)
        .config("spark.serializer", KryoSerializer.class.getName())
        .config("spark.kryo.registrator", SegfxKryoRegistrator.class.getName())
        .getOrCreate();
  }

  /** Truth of one simulated experiment. */
  record Truth(int segments, double tau, double effect, Map<String, Double> theta) {}

  /** Runs the study; returns the Markdown table. */
  public static String run(SparkSession spark, OptionValues v) {
    Path dir = Path.of(v.string("output"));
    Path data = dir.resolve("units.csv");
    Map<String, Truth> truth =
        simulate(data, v.integer("replicates"), v.longValue("seed"), 0.5, 1, 1);
    StringBuilder table = new StringBuilder();
    table.append(
        "| method | J | segment coverage | experiment coverage | RMSE raw | RMSE pooled | wrong"
            + " decisions | experiments |\n");
    table.append("|---|---|---|---|---|---|---|---|\n");
    Map<String, Double> jobSeconds = new TreeMap<>();
    Map<String, double[]> overallSums = new TreeMap<>();
    for (String method : METHODS) {
      String out = dir.resolve("run-" + method).toString();
      long t0 = System.nanoTime();
      runJob(spark, data, out, "--pooling", method);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<Integer, double[]> acc = score(spark, out, truth);
      for (Map.Entry<Integer, double[]> e : acc.entrySet()) {
        double[] a = e.getValue();
        table.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %.3f | %.3f | %.4f | %.4f | %.3f | %d |%n",
                method,
                e.getKey(),
                a[0] / a[1],
                a[2] / a[3],
                Math.sqrt(a[5] / a[1]),
                Math.sqrt(a[6] / a[1]),
                a[4] / a[3],
                (long) a[3]));
        double[] s = overallSums.computeIfAbsent(method, k -> new double[7]);
        for (int i = 0; i < 7; i++) {
          s[i] += a[i];
        }
      }
      jobSeconds.put(method, seconds);
    }
    table.append(overall(overallSums, jobSeconds));
    table.append(robustComparison(spark, dir, v.integer("replicates"), v.longValue("seed")));
    try {
      Files.writeString(dir.resolve("calibration.md"), table.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return table.toString();
  }

  /**
   * One method's run scored against the truth, per J: [segments covered, segments, experiments
   * covered, experiments, wrong decisions, raw squared error, pooled squared error].
   */
  private static Map<Integer, double[]> score(
      SparkSession spark, String out, Map<String, Truth> truth) {
    Map<Integer, double[]> acc = new TreeMap<>();
    for (Row r :
        spark.read().parquet(out + "/" + OutputTables.SEGMENT_POSTERIORS).collectAsList()) {
      Truth t = truth.get(r.<String>getAs("experiment_id"));
      double theta = t.theta().get(r.<String>getAs("segment"));
      double[] a = acc.computeIfAbsent(t.segments(), k -> new double[7]);
      a[0] += r.<Double>getAs("q025") <= theta && theta <= r.<Double>getAs("q975") ? 1 : 0;
      a[1] += 1;
      a[6] += Math.pow(r.<Double>getAs("post_mean") - theta, 2);
    }
    for (Row r : spark.read().parquet(out + "/" + OutputTables.SEGMENT_ESTIMATES).collectAsList()) {
      Truth t = truth.get(r.<String>getAs("experiment_id"));
      double est = r.getAs("estimate");
      if (!Double.isNaN(est)) {
        acc.get(t.segments())[5] += Math.pow(est - t.theta().get(r.<String>getAs("segment")), 2);
      }
    }
    for (Row r :
        spark.read().parquet(out + "/" + OutputTables.EXPERIMENT_DECISIONS).collectAsList()) {
      Truth t = truth.get(r.<String>getAs("experiment_id"));
      double[] a = acc.get(t.segments());
      a[2] +=
          r.<Double>getAs("effect_q025") <= t.effect()
                  && t.effect() <= r.<Double>getAs("effect_q975")
              ? 1
              : 0;
      a[3] += 1;
      String rec = r.getAs("recommendation");
      a[4] +=
          ("launch".equals(rec) && t.effect() < 0)
                  || ("do_not_launch".equals(rec) && t.effect() > 0)
              ? 1
              : 0;
    }
    return acc;
  }

  /** The table over all J per method, with the job's seconds. */
  private static String overall(Map<String, double[]> overallSums, Map<String, Double> seconds) {
    StringBuilder table = new StringBuilder();
    table.append(
        "\n"
            + "| method | segment coverage | experiment coverage | RMSE raw | RMSE pooled | wrong"
            + " decisions | job seconds |\n");
    table.append("|---|---|---|---|---|---|---|\n");
    for (String method : METHODS) {
      double[] a = overallSums.get(method);
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %.3f | %.3f | %.4f | %.4f | %.3f | %.1f |%n",
              method,
              a[0] / a[1],
              a[2] / a[3],
              Math.sqrt(a[5] / a[1]),
              Math.sqrt(a[6] / a[1]),
              a[4] / a[3],
              seconds.get(method)));
    }
    return table.toString();
  }

  /**
   * Classical against HC1 standard errors under heteroskedastic data: a 25/75 treated/control split
   * with noise sd 2.5 in the treated arm and 1 in control, where the classical SE (one pooled
   * residual variance) is too small. Reports the coverage of the raw segment intervals estimate ±
   * 1.96 SE and of the pooled (default) intervals.
   */
  static String robustComparison(SparkSession spark, Path dir, int replicates, long seed) {
    Path data = dir.resolve("units-heteroskedastic.csv");
    Map<String, Truth> truth = simulate(data, replicates, seed + 1, 0.25, 1, 2.5);
    StringBuilder t = new StringBuilder();
    t.append(
        "\n"
            + "| se (heteroskedastic data) | raw segment coverage | pooled segment coverage |"
            + " experiment coverage |\n");
    t.append("|---|---|---|---|\n");
    for (String se : List.of("classical", "hc1")) {
      String out = dir.resolve("run-se-" + se).toString();
      runJob(spark, data, out, "--se", se);
      double[] a = new double[6];
      for (Row r :
          spark.read().parquet(out + "/" + OutputTables.SEGMENT_ESTIMATES).collectAsList()) {
        double est = r.getAs("estimate");
        double sd = r.getAs("std_error");
        if (Double.isNaN(est)) {
          continue;
        }
        double theta =
            truth.get(r.<String>getAs("experiment_id")).theta().get(r.<String>getAs("segment"));
        a[0] += Math.abs(est - theta) <= 1.959963984540054 * sd ? 1 : 0;
        a[1] += 1;
      }
      for (Row r :
          spark.read().parquet(out + "/" + OutputTables.SEGMENT_POSTERIORS).collectAsList()) {
        double theta =
            truth.get(r.<String>getAs("experiment_id")).theta().get(r.<String>getAs("segment"));
        a[2] += r.<Double>getAs("q025") <= theta && theta <= r.<Double>getAs("q975") ? 1 : 0;
        a[3] += 1;
      }
      for (Row r :
          spark.read().parquet(out + "/" + OutputTables.EXPERIMENT_DECISIONS).collectAsList()) {
        double effect = truth.get(r.<String>getAs("experiment_id")).effect();
        a[4] +=
            r.<Double>getAs("effect_q025") <= effect && effect <= r.<Double>getAs("effect_q975")
                ? 1
                : 0;
        a[5] += 1;
      }
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %.3f | %.3f | %.3f |%n",
              se,
              a[0] / a[1],
              a[2] / a[3],
              a[4] / a[5]));
    }
    return t.toString();
  }

  /** One segment-effects run of the study on its CSV, with the given extra options. */
  private static void runJob(SparkSession spark, Path data, String out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                data.toString(),
                "--output",
                out,
                "--mode",
                "overwrite",
                "--metric",
                "y",
                "--report",
                "none",
                "--input-format",
                "csv"));
    args.addAll(List.of(extra));
    SegmentEffectsJob.run(
        spark,
        JobSpec.from(
            OptionValues.resolve(
                JobSpec.COMMAND, JobSpec.OPTIONS, args.toArray(new String[0]), null)));
  }

  /** Writes the unit rows as CSV and returns the truth per experiment id. */
  static Map<String, Truth> simulate(
      Path file,
      int replicates,
      long seed,
      double treatedShare,
      double sdControl,
      double sdTreated) {
    Map<String, Truth> truth = new HashMap<>();
    try {
      Files.createDirectories(file.getParent());
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        w.write("experiment_id,segment,arm,y\n");
        for (int segments : SEGMENTS) {
          for (double tau : TAUS) {
            for (int r = 0; r < replicates; r++) {
              String id = String.format(Locale.ROOT, "J%02d-tau%.2f-r%03d", segments, tau, r);
              UniformRandomProvider rng = Seeds.of(seed, id);
              ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
              double mu = 0.1 * z.sample();
              Map<String, Double> theta = new HashMap<>();
              double weighted = 0;
              long units = 0;
              List<String> lines = new ArrayList<>();
              for (int j = 0; j < segments; j++) {
                String seg = String.format(Locale.ROOT, "s%02d", j);
                double th = mu + tau * z.sample();
                theta.put(seg, th);
                int n = (int) Math.round(20 * Math.exp(rng.nextDouble() * Math.log(30)));
                double base = z.sample();
                for (int i = 0; i < n; i++) {
                  int arm = rng.nextDouble() < treatedShare ? 1 : 0;
                  double y = base + th * arm + (arm == 1 ? sdTreated : sdControl) * z.sample();
                  lines.add(id + "," + seg + "," + arm + "," + y);
                }
                weighted += th * n;
                units += n;
              }
              for (String l : lines) {
                w.write(l);
                w.write('\n');
              }
              truth.put(id, new Truth(segments, tau, weighted / units, theta));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return truth;
  }
}
