package io.segfx.stats;

/**
 * Sample quantiles by selection (no full sort), with the default definition of numpy and R (Hyndman
 * &amp; Fan, "Sample quantiles in statistical packages", Am. Stat. 50, 1996, definition 7): for
 * sorted values x_0..x_{n-1} and h = (n - 1) p, {@code Q(p) = x_floor(h) + (h - floor(h))
 * (x_floor(h)+1 - x_floor(h))}.
 */
public final class Quantiles {
  private Quantiles() {}

  /**
   * The type-7 quantile of {@code values}, which this method reorders in place.
   *
   * @throws IllegalArgumentException if values is empty or p is outside [0, 1]
   */
  public static double select(double[] values, double p) {
    int n = values.length;
    if (n == 0) {
      throw new IllegalArgumentException("quantile of an empty sample");
    }
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("p must be in [0, 1], got " + p);
    }
    double h = (n - 1) * p;
    int lo = (int) Math.floor(h);
    double xlo = kth(values, lo);
    if (lo == n - 1) {
      return xlo;
    }
    // After selection every element right of lo is >= x_lo; the next order statistic is their min.
    double xhi = Double.POSITIVE_INFINITY;
    for (int i = lo + 1; i < n; i++) {
      xhi = Math.min(xhi, values[i]);
    }
    return xlo + (h - lo) * (xhi - xlo);
  }

  /** Hoare-style quickselect with a median-of-three pivot; deterministic. */
  static double kth(double[] a, int k) {
    int left = 0;
    int right = a.length - 1;
    while (right > left) {
      int mid = (left + right) >>> 1;
      double pivot = median(a[left], a[mid], a[right]);
      int i = left;
      int j = right;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          double t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) {
        right = j;
      } else if (k >= i) {
        left = i;
      } else {
        return a[k];
      }
    }
    return a[k];
  }

  private static double median(double a, double b, double c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
