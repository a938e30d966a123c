package io.segfx.sim;

import static io.segfx.config.OptionDef.Kind.INT;
import static io.segfx.config.OptionDef.Kind.LONG;
import static io.segfx.config.OptionDef.Kind.STRING;

import io.segfx.config.OptionDef;
import io.segfx.config.OptionValues;
import io.segfx.config.UsageException;
import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import io.segfx.stats.Seeds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Deterministic unit-level example data with known true effects, generated in parallel: one task
 * per (experiment, segment), each with its own {@link Seeds} stream, so the data do not depend on
 * the partitioning.
 *
 * <p>Model (the seed notebook's section-9 simulation, extended to many experiments): experiment e
 * has mean effect {@code mu_e ~ N(0.3, 0.4^2)}; segment s of e has true effect {@code tau_es ~
 * N(mu_e, 0.35^2)} per variant; a unit is assigned uniformly to control (arm 0) or a variant (arm
 * 1..V), has covariates {@code x1, x2 ~ N(0, 1)} and outcomes
 *
 * <pre>
 *   revenue   = 10 + tau * treated + 1.5 x1 + 0.8 x2 + N(0, 3^2)
 *   converted ~ Bernoulli(expit(-2 + 0.25 tau * treated + 0.3 x1))
 * </pre>
 *
 * {@code true_effect} holds the row's tau (0 in control); it is not an input to any fit.
 */
public final class ExampleDataGenerator {
  public static final String COMMAND = "generate";

  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.required("output", STRING, "where to write the data (a folder)"),
          OptionDef.choice("format", "parquet", List.of("parquet", "csv"), "output format"),
          OptionDef.of("experiments", INT, "20", "number of experiments"),
          OptionDef.of("segments", INT, "8", "segments per experiment"),
          OptionDef.of("min-units", INT, "100", "fewest units in a segment"),
          OptionDef.of("max-units", INT, "900", "most units in a segment"),
          OptionDef.of("variants", INT, "1", "variant arms besides control (A/B/n when > 1)"),
          OptionDef.of("seed", LONG, "7", "generator seed"),
          OptionDef.of("master", STRING, null, "Spark master (default local[*])"),
          OptionDef.choice(
              "mode", "error", List.of("error", "overwrite"), "when the output exists"));

  public static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("experiment_id", DataTypes.StringType, false),
              DataTypes.createStructField("segment", DataTypes.StringType, false),
              DataTypes.createStructField("unit_id", DataTypes.LongType, false),
              DataTypes.createStructField("arm", DataTypes.IntegerType, false),
              DataTypes.createStructField("x1", DataTypes.DoubleType, false),
              DataTypes.createStructField("x2", DataTypes.DoubleType, false),
              DataTypes.createStructField("revenue", DataTypes.DoubleType, false),
              DataTypes.createStructField("converted", DataTypes.IntegerType, false),
              DataTypes.createStructField("true_effect", DataTypes.DoubleType, false)));

  /**
   * Generator settings.
   *
   * @param experiments number of experiments
   * @param segments segments per experiment
   * @param minUnits fewest units per segment
   * @param maxUnits most units per segment
   * @param variants variant arms besides control
   * @param seed generator seed
   */
  public record Settings(
      int experiments, int segments, int minUnits, int maxUnits, int variants, long seed)
      implements Serializable {
    public Settings {
      if (experiments < 1 || segments < 1 || variants < 1) {
        throw new UsageException("experiments, segments and variants must be >= 1");
      }
      if (minUnits < 1 || maxUnits < minUnits || maxUnits > 1_000_000) {
        throw new UsageException("need 1 <= min-units <= max-units <= 1000000");
      }
    }

    static Settings of(OptionValues v) {
      return new Settings(
          v.integer("experiments"),
          v.integer("segments"),
          v.integer("min-units"),
          v.integer("max-units"),
          v.integer("variants"),
          v.longValue("seed"));
    }
  }

  private ExampleDataGenerator() {}

  /** The generated rows as a Dataset (lazy). */
  public static Dataset<Row> generate(SparkSession spark, Settings s) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> tasks = new ArrayList<>();
    for (int t = 0; t < s.experiments() * s.segments(); t++) {
      tasks.add(t);
    }
    int slices = Math.max(1, Math.min(tasks.size(), jsc.defaultParallelism() * 4));
    JavaRDD<Row> rows = jsc.parallelize(tasks, slices).flatMap(t -> segmentRows(s, t));
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Writes the data set in {@code format} to {@code output}. */
  public static void write(SparkSession spark, OptionValues v) {
    Settings s = Settings.of(v);
    var writer =
        generate(spark, s)
            .write()
            .mode(
                WriteMode.of(v.string("mode")) == WriteMode.OVERWRITE
                    ? "overwrite"
                    : "errorifexists");
    String out = v.string("output");
    if (TableFormat.of(v.string("format")) == TableFormat.CSV) {
      writer.option("header", "true").csv(out);
    } else {
      writer.parquet(out);
    }
  }

  static String experimentId(int e) {
    return String.format("exp-%04d", e + 1);
  }

  static String segmentId(int s) {
    return String.format("seg-%02d", s + 1);
  }

  private static Iterator<Row> segmentRows(Settings s, int task) {
    int e = task / s.segments();
    int g = task % s.segments();
    String exp = experimentId(e);
    String seg = segmentId(g);
    UniformRandomProvider expRng = Seeds.of(s.seed(), "generate", exp);
    ZigguratSampler.NormalizedGaussian expNormal = ZigguratSampler.NormalizedGaussian.of(expRng);
    double mu = 0.3 + 0.4 * expNormal.sample();
    UniformRandomProvider rng = Seeds.of(s.seed(), "generate", exp, seg);
    ZigguratSampler.NormalizedGaussian normal = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] tau = new double[s.variants() + 1];
    for (int v = 1; v <= s.variants(); v++) {
      tau[v] = mu + 0.35 * normal.sample();
    }
    int n = s.minUnits() + rng.nextInt(s.maxUnits() - s.minUnits() + 1);
    List<Row> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int arm = rng.nextInt(s.variants() + 1);
      double x1 = normal.sample();
      double x2 = normal.sample();
      double revenue = 10 + tau[arm] + 1.5 * x1 + 0.8 * x2 + 3 * normal.sample();
      double logit = -2 + 0.25 * tau[arm] + 0.3 * x1;
      int converted = rng.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      long unit = (long) task * 1_000_000L + i;
      out.add(RowFactory.create(exp, seg, unit, arm, x1, x2, revenue, converted, tau[arm]));
    }
    return out.iterator();
  }
}
