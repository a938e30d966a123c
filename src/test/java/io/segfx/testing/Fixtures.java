package io.segfx.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Reads the CSV fixtures under src/test/resources/fixtures (simple CSV: quoted fields without
 * commas).
 */
public final class Fixtures {
  private Fixtures() {}

  /** The rows of a fixture as header-keyed maps. */
  public static List<Map<String, String>> csv(String name) {
    var in = Fixtures.class.getResourceAsStream("/fixtures/" + name);
    if (in == null) {
      throw new IllegalStateException("missing fixture " + name);
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String[] header = r.readLine().split(",");
      List<Map<String, String>> rows = new ArrayList<>();
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split(",");
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
          row.put(header[i], f[i].replace("\"", ""));
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The BCG vaccine trials (Colditz et al. 1994, metafor's {@code dat.bcg}) as {log risk ratio, its
   * standard error}.
   */
  public static double[][] bcg() {
    List<Map<String, String>> rows = csv("bcg_trials.csv");
    double[] y = new double[rows.size()];
    double[] se = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      y[i] = Double.parseDouble(rows.get(i).get("log_rr"));
      se[i] = Double.parseDouble(rows.get(i).get("se_log_rr"));
    }
    return new double[][] {y, se};
  }

  /** The eight schools (Rubin 1981; BDA section 5.5): estimates. */
  public static final double[] SCHOOLS_Y = {28, 8, -3, 7, -1, 1, 18, 12};

  /** The eight schools: standard errors. */
  public static final double[] SCHOOLS_SE = {15, 10, 16, 11, 9, 11, 10, 18};

  /** The file system path of a fixture. */
  public static Path path(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** |actual - expected| <= rel * max(|expected|, tiny). */
  public static boolean closeRel(double expected, double actual, double rel) {
    return Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-300);
  }

  /**
   * Composite Simpson's rule with n (even) intervals on [a, b]: the tests' numerical-integration
   * reference.
   */
  public static double simpson(DoubleUnaryOperator f, double a, double b, int n) {
    double h = (b - a) / n;
    double sum = f.applyAsDouble(a) + f.applyAsDouble(b);
    for (int i = 1; i < n; i++) {
      sum += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(a + i * h);
    }
    return sum * h / 3;
  }
}
