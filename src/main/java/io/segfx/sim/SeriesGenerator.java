package io.segfx.sim;

import io.segfx.config.OptionDef;
import io.segfx.config.OptionValues;
import io.segfx.stats.Seeds;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Example data for {@code causal-impact} ({@code segfx generate-series}): market series built with
 * the seed notebook's section-10 formulas (two control series with trend and seasonality; the
 * treated series 8 + 0.58 c1 + 0.42 c2 + noise; T = 120, intervention at 82). Every third market
 * has no effect; the others get the notebook's impact 4.5 + 0.05 (t - 82) scaled by a per-market
 * factor in [0.5, 1.5], written to column {@code true_impact}.
 */
public final class SeriesGenerator {
  public static final String COMMAND = "generate-series";
  public static final List<OptionDef> OPTIONS =
      List.of(
          OptionDef.of(
              "output",
              OptionDef.Kind.STRING,
              "target/segfx-example/series.csv",
              "CSV file to write"),
          OptionDef.of("series", OptionDef.Kind.INT, "30", "number of markets"),
          OptionDef.of("seed", OptionDef.Kind.LONG, "4915", "seed"));

  private SeriesGenerator() {}

  public static void write(OptionValues v) {
    Path out = Path.of(v.string("output"));
    int series = v.integer("series");
    long seed = v.longValue("seed");
    try {
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        w.write("series_id,time,y,c1,c2,true_impact\n");
        for (int s = 0; s < series; s++) {
          String id = String.format(Locale.ROOT, "market-%03d", s);
          UniformRandomProvider rng = Seeds.of(seed, id);
          ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
          double factor = s % 3 == 0 ? 0 : 0.5 + rng.nextDouble();
          for (int t = 0; t < 120; t++) {
            double c1 = 40 + 0.22 * t + 3.0 * Math.sin(t / 8.0) + 1.5 * z.sample();
            double c2 = 28 + 0.15 * t + 2.0 * Math.cos(t / 10.0) + 1.4 * z.sample();
            double impact = t >= 82 ? factor * (4.5 + 0.05 * (t - 82)) : 0;
            double y = 8 + 0.58 * c1 + 0.42 * c2 + 1.8 * z.sample() + impact;
            w.write(
                String.format(
                    Locale.ROOT, "%s,%d,%.6f,%.6f,%.6f,%.6f%n", id, t, y, c1, c2, impact));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
  }
}
