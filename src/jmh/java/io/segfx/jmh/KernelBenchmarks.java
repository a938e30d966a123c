package io.segfx.jmh;

import io.segfx.stats.DecisionRule;
import io.segfx.stats.ExactMoments;
import io.segfx.stats.ExperimentDraws;
import io.segfx.stats.NormalMixture;
import io.segfx.stats.OlsFit;
import io.segfx.stats.Seeds;
import io.segfx.stats.SegmentDraw;
import io.segfx.stats.pooling.FullBayesPooling;
import io.segfx.stats.pooling.HierarchicalPosterior;
import io.segfx.stats.pooling.PoolingResult;
import io.segfx.stats.pooling.Reml;
import io.segfx.stats.pooling.TauPrior;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH microbenchmarks of the statistics kernels (not part of the test run): {@code mvn -Pjmh
 * test-compile}, then {@code scripts/jmh}. Rows of 3 columns (2 covariates and a metric), as in the
 * benchmark workloads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KernelBenchmarks {
  private double[][] rows;
  private ExactMoments control;
  private ExactMoments treatment;
  private ExactMoments other;
  private double[] y;
  private double[] se;
  private SegmentDraw[] segments;
  private SegmentDraw[] normalSegments;
  private HierarchicalPosterior full;
  private int next;

  @Setup
  public void setup() {
    Random r = new Random(1);
    rows = new double[1024][3];
    for (double[] row : rows) {
      row[0] = r.nextGaussian();
      row[1] = r.nextGaussian();
      row[2] = 10 + 1.5 * row[0] + 3 * r.nextGaussian();
    }
    control = new ExactMoments(3);
    treatment = new ExactMoments(3);
    other = new ExactMoments(3);
    for (int i = 0; i < 500; i++) {
      control.accept(rows[i]);
      treatment.accept(rows[i + 500]);
      other.accept(rows[i + 1]);
    }
    y = new double[20];
    se = new double[20];
    segments = new SegmentDraw[20];
    normalSegments = new SegmentDraw[20];
    for (int j = 0; j < 20; j++) {
      y[j] = 0.5 + 0.3 * r.nextGaussian();
      se[j] = 0.1 + 0.2 * r.nextDouble();
      // Student-t effects: no closed form, so the draw loop itself runs (normal segments would not
      // draw).
      segments[j] =
          new SegmentDraw(
              "s" + j,
              0.05,
              SegmentDraw.STUDENT,
              new double[] {y[j], se[j], 50},
              SegmentDraw.NORMAL,
              new double[] {10, 0.1},
              false);
      normalSegments[j] =
          new SegmentDraw(
              "s" + j,
              0.05,
              SegmentDraw.NORMAL,
              new double[] {y[j], se[j]},
              SegmentDraw.NORMAL,
              new double[] {10, 0.1},
              false);
    }
    full = FullBayesPooling.fit(y, se, TauPrior.UNIFORM, null);
  }

  /** One row into the exact sums (ns per row). */
  @Benchmark
  public ExactMoments accumulateRow() {
    control.accept(rows[next++ & 1023]);
    return control;
  }

  /** Merging two cells' sums (one per partition and cell in stage 1). */
  @Benchmark
  public ExactMoments mergeCells() {
    ExactMoments a = new ExactMoments(3);
    a.combine(control);
    return a.combine(other);
  }

  /** The per-cell OLS solve from two arms' exact sums. */
  @Benchmark
  public OlsFit.Result solveCell() {
    return OlsFit.fit(control, treatment, 2, new int[] {0, 1});
  }

  /** REML pooling of 20 segments. */
  @Benchmark
  public PoolingResult poolRemlTwentySegments() {
    return Reml.fit(y, se);
  }

  /** Full-Bayes pooling of 20 segments: the tau grid, its Gauss rule and mu | tau per node. */
  @Benchmark
  public HierarchicalPosterior poolFullTwentySegments() {
    return FullBayesPooling.fit(y, se, TauPrior.UNIFORM, null);
  }

  /**
   * What stage 2 computes per segment under full pooling: theta_j's mixture, its mean, sd, two
   * quantiles and two tail probabilities (one segment per call, cycling through 20).
   */
  @Benchmark
  public double summariseFullSegment() {
    NormalMixture t = full.theta(next++ % 20);
    return t.mean()
        + t.sd()
        + t.quantile(0.025)
        + t.quantile(0.975)
        + t.upperTail(0)
        + t.upperTail(0.1);
  }

  /**
   * One experiment's draws: 20 Student-t segments x 20,000 draws (divide by 400,000 for ns per
   * segment draw).
   */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public ExperimentDraws.Result drawExperiment() {
    return ExperimentDraws.draw(
        new String[] {"e", "m", "v"},
        segments,
        20_000,
        new ExperimentDraws.Thresholds(0, 0),
        ExperimentDraws.Economics.EFFECT_ONLY,
        new DecisionRule(0.95),
        "p",
        Seeds.of(1, "e"));
  }

  /**
   * The same draw loop over normal segments (20 x 20,000, ziggurat normals for effect and baseline;
   * divide by 400,000 for ns per segment draw). The job itself uses the closed form for an
   * all-normal experiment; this measures the loop's cost per normal draw.
   */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public double[] drawExperimentNormal() {
    return ExperimentDraws.effectDraws(normalSegments, 20_000, Seeds.of(1, "e"));
  }
}
