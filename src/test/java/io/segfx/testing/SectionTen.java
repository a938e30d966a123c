package io.segfx.testing;

import io.segfx.stats.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The seed notebook's section-10 setup regenerated in Java with its formulas (other random numbers
 * than numpy's): T = 120, intervention at 82, two control series with trend and seasonality, the
 * treated series 8 + 0.58 c1 + 0.42 c2 + noise, impact 4.5 + 0.05 (t - 82) after the intervention.
 */
public record SectionTen(
    double[] time, double[] y, double[][] controls, boolean[] post, double trueAverageImpact) {
  public static final int T = 120;
  public static final int INTERVENTION = 82;

  public static SectionTen generate(long seed) {
    UniformRandomProvider rng = Seeds.of(seed, "section10");
    ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] time = new double[T];
    double[] y = new double[T];
    double[][] c = new double[T][];
    boolean[] post = new boolean[T];
    double total = 0;
    for (int i = 0; i < T; i++) {
      time[i] = i;
      double c1 = 40 + 0.22 * i + 3.0 * Math.sin(i / 8.0) + 1.5 * z.sample();
      double c2 = 28 + 0.15 * i + 2.0 * Math.cos(i / 10.0) + 1.4 * z.sample();
      double impact = i >= INTERVENTION ? 4.5 + 0.05 * (i - INTERVENTION) : 0;
      y[i] = 8 + 0.58 * c1 + 0.42 * c2 + 1.8 * z.sample() + impact;
      c[i] = new double[] {c1, c2};
      post[i] = i >= INTERVENTION;
      total += impact;
    }
    return new SectionTen(time, y, c, post, total / (T - INTERVENTION));
  }
}
