package io.segfx.stats.pooling;

import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The eigen step of the Gauss rule (issue #20): the first-row QL against Commons Math's {@link
 * EigenDecomposition} of the same symmetric tridiagonal matrix, both giving the nodes and weights.
 * The matrix is the 24-node Jacobi matrix of the Legendre weight on [-1, 1] (diagonal 0,
 * off-diagonal k / sqrt(4k² - 1); Golub &amp; Welsch 1969), the size {@code FullBayesPooling.NODES}
 * asks for. In this package, not with {@code io.segfx.jmh.KernelBenchmarks}, because the QL is
 * package-private. Forks and iterations come from the command line, e.g. {@code scripts/jmh -f 1
 * -wi 5 -i 10 -w 1 -r 1 EigenBenchmarks}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EigenBenchmarks {
  private final double[] diagonal = new double[FullBayesPooling.NODES];
  private final double[] offDiagonal = new double[FullBayesPooling.NODES];

  @Setup
  public void setup() {
    for (int k = 1; k < FullBayesPooling.NODES; k++) {
      offDiagonal[k - 1] = k / Math.sqrt(4.0 * k * k - 1);
    }
  }

  /** The hand-written QL: eigenvalues and the squared first eigenvector components. */
  @Benchmark
  public double[] eigenFirstRowQl() {
    double[] d = diagonal.clone();
    double[] w = JacobiEigen.solve(d, offDiagonal.clone());
    w[0] += d[0];
    return w;
  }

  /** Commons Math's full decomposition, then the same weights from its eigenvectors. */
  @Benchmark
  public double[] eigenCommonsMath() {
    int n = diagonal.length;
    EigenDecomposition full =
        new EigenDecomposition(diagonal.clone(), java.util.Arrays.copyOf(offDiagonal, n - 1));
    double[] ev = full.getRealEigenvalues();
    double[] w = new double[n];
    for (int k = 0; k < n; k++) {
      double f = full.getEigenvector(k).getEntry(0);
      w[k] = f * f;
    }
    w[0] += ev[0];
    return w;
  }
}
