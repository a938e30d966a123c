package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.io.OutputTables;
import io.segfx.stats.Seeds;
import io.segfx.testing.JobRunner;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HC1 and cluster-robust (CR1) standard errors from the extra scan against the textbook sandwich
 * (X'X)^-1 X' Ω X (X'X)^-1 built row by row with Commons Math matrices (1e-9 relative), with two
 * covariates, two variants sharing one control arm, heteroskedastic noise and clustered shocks; and
 * bit-identical whatever the input partitioning.
 */
class RobustStandardErrorsTest extends SharedSparkSession {
  @TempDir Path tmp;

  private record Unit(String segment, String arm, double y, double x1, double x2, String cluster) {}

  private static List<Unit> units() {
    UniformRandomProvider rng = Seeds.of(3, "robust");
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    List<Unit> out = new ArrayList<>();
    for (String seg : new String[] {"a", "b"}) {
      double[] shock = new double[25];
      for (int c = 0; c < shock.length; c++) {
        shock[c] = 2 * z.sample();
      }
      for (int i = 0; i < 450; i++) {
        String arm = String.valueOf(rng.nextInt(3));
        double x1 = z.sample();
        double x2 = rng.nextDouble() * 4;
        int c = rng.nextInt(shock.length);
        double sd = 0.5 + x2 + ("0".equals(arm) ? 0 : 1.5);
        double y =
            10
                + ("2".equals(arm) ? 0.8 : "1".equals(arm) ? 0.3 : 0)
                + 0.7 * x1
                - 0.4 * x2
                + shock[c]
                + sd * z.sample();
        out.add(new Unit(seg, arm, y, x1, x2, "c" + c));
      }
    }
    return out;
  }

  /**
   * The sandwich variance of the treated coefficient of segment seg, variant v (cluster or HC1).
   */
  private static double reference(List<Unit> all, String seg, String v, boolean cluster) {
    List<Unit> rows = new ArrayList<>();
    for (Unit u : all) {
      if (u.segment().equals(seg) && (u.arm().equals("0") || u.arm().equals(v))) {
        rows.add(u);
      }
    }
    int n = rows.size();
    int p = 4;
    double[][] x = new double[n][];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      Unit u = rows.get(i);
      x[i] = new double[] {1, u.arm().equals(v) ? 1 : 0, u.x1(), u.x2()};
      y[i] = u.y();
    }
    RealMatrix xm = new Array2DRowRealMatrix(x);
    RealMatrix inv = new LUDecomposition(xm.transpose().multiply(xm)).getSolver().getInverse();
    double[] beta = inv.operate(xm.transpose().operate(y));
    double[] e = new double[n];
    for (int i = 0; i < n; i++) {
      double fit = 0;
      for (int j = 0; j < p; j++) {
        fit += x[i][j] * beta[j];
      }
      e[i] = y[i] - fit;
    }
    RealMatrix meat = new Array2DRowRealMatrix(p, p);
    if (!cluster) {
      for (int i = 0; i < n; i++) {
        RealMatrix xi = new Array2DRowRealMatrix(new double[][] {x[i]});
        meat = meat.add(xi.transpose().multiply(xi).scalarMultiply(e[i] * e[i]));
      }
    } else {
      Map<String, double[]> sums = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        double[] s = sums.computeIfAbsent(rows.get(i).cluster(), k -> new double[p]);
        for (int j = 0; j < p; j++) {
          s[j] += x[i][j] * e[i];
        }
      }
      for (double[] s : sums.values()) {
        RealMatrix si = new Array2DRowRealMatrix(new double[][] {s});
        meat = meat.add(si.transpose().multiply(si));
      }
      double g = sums.size();
      meat = meat.scalarMultiply(g / (g - 1) * (n - 1.0) / (n - p) / ((double) n / (n - p)));
    }
    RealMatrix v0 = inv.multiply(meat).multiply(inv).scalarMultiply((double) n / (n - p));
    return Math.sqrt(v0.getEntry(1, 1));
  }

  private Path write(List<Unit> units) throws Exception {
    StringBuilder b = new StringBuilder("experiment_id,segment,arm,y,x1,x2,cl\n");
    for (Unit u : units) {
      b.append("e,")
          .append(u.segment())
          .append(',')
          .append(u.arm())
          .append(',')
          .append(u.y())
          .append(',')
          .append(u.x1())
          .append(',')
          .append(u.x2())
          .append(',')
          .append(u.cluster())
          .append('\n');
    }
    Path p = tmp.resolve("units.csv");
    Files.writeString(p, b.toString());
    return p;
  }

  private Map<String, double[]> run(Path in, String name, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                in.toString(),
                "--output",
                tmp.resolve(name).toString(),
                "--metric",
                "y",
                "--covariates",
                "x1,x2"));
    args.addAll(List.of(extra));
    JobRunner.run(spark(), args.toArray(new String[0]));
    Map<String, double[]> out = new HashMap<>();
    for (Row r :
        JobRunner.table(spark(), tmp.resolve(name).toString(), OutputTables.SEGMENT_ESTIMATES)
            .collectAsList()) {
      out.put(
          r.<String>getAs("segment") + "/" + r.<String>getAs("variant"),
          new double[] {r.<Double>getAs("std_error"), r.<Double>getAs("std_error_classical")});
    }
    return out;
  }

  @Test
  void sandwichMatchesTheMatrixFormula() throws Exception {
    List<Unit> units = units();
    Path in = write(units);
    Map<String, double[]> classical = run(in, "classical");
    Map<String, double[]> hc1 = run(in, "hc1", "--se", "hc1");
    Map<String, double[]> cr1 = run(in, "cr1", "--cluster-col", "cl");
    for (String seg : new String[] {"a", "b"}) {
      for (String v : new String[] {"1", "2"}) {
        String k = seg + "/" + v;
        double h = reference(units, seg, v, false);
        double c = reference(units, seg, v, true);
        assertEquals(h, hc1.get(k)[0], 1e-9 * h, "HC1 " + k);
        assertEquals(c, cr1.get(k)[0], 1e-9 * c, "CR1 " + k);
        assertEquals(
            classical.get(k)[0], hc1.get(k)[1], 0.0, "classical kept beside the robust one");
        Assertions.assertTrue(
            Math.abs(hc1.get(k)[0] / classical.get(k)[0] - 1) > 1e-3,
            "robust differs from classical: " + k);
      }
    }
    Row r =
        JobRunner.table(spark(), tmp.resolve("cr1").toString(), OutputTables.SEGMENT_ESTIMATES)
            .collectAsList()
            .get(0);
    assertEquals("cluster", r.getAs("se_type"));
  }

  @Test
  void robustStandardErrorsDoNotDependOnPartitioning() throws Exception {
    Path in = write(units());
    Path parts = tmp.resolve("parts");
    spark()
        .read()
        .option("header", "true")
        .csv(in.toString())
        .repartition(7)
        .write()
        .option("header", "true")
        .csv(parts.toString());
    run(in, "one", "--cluster-col", "cl");
    List<String> one =
        JobRunner.rows(spark(), tmp.resolve("one").toString(), OutputTables.SEGMENT_ESTIMATES);
    JobRunner.run(
        spark(),
        "--input",
        parts.toString(),
        "--input-format",
        "csv",
        "--output",
        tmp.resolve("seven").toString(),
        "--metric",
        "y",
        "--covariates",
        "x1,x2",
        "--cluster-col",
        "cl");
    List<String> seven =
        JobRunner.rows(spark(), tmp.resolve("seven").toString(), OutputTables.SEGMENT_ESTIMATES);
    assertEquals(one, seven);
  }
}
