package io.segfx.stats;

import java.util.Arrays;

/**
 * Which cross products an {@link ExactMoments} accumulates: q(q+1)/2 flags in the row-major
 * upper-triangle order (0,0), (0,1), ..., (0,q-1), (1,1), ...; null means all.
 */
final class ProductFlags {
  private ProductFlags() {}

  /**
   * @throws IllegalArgumentException if the flags do not number q(q+1)/2
   */
  static void check(int q, boolean[] products) {
    if (products != null && products.length != q * (q + 1) / 2) {
      throw new IllegalArgumentException(
          "expected "
              + q * (q + 1) / 2
              + " product flags for "
              + q
              + " columns, got "
              + products.length);
    }
  }

  /** The position of (i, j) in the upper triangle, in either order of i and j. */
  static int offset(int q, int i, int j) {
    int a = Math.min(i, j);
    int b = Math.max(i, j);
    // Row-major upper triangle: rows 0..a-1 hold q, q-1, ... entries.
    return a * q - a * (a - 1) / 2 + (b - a);
  }

  /**
   * (i, j, stat) of every accumulated product, stat its sum's index after the q column sums.
   *
   * @param stats q plus the number of all products
   */
  static int[] pairs(int q, int stats, boolean[] products) {
    int[] p = new int[3 * (stats - q)];
    int k = 0;
    int s = q;
    for (int i = 0; i < q; i++) {
      for (int j = i; j < q; j++) {
        if (products == null || products[s - q]) {
          p[k++] = i;
          p[k++] = j;
          p[k++] = s;
        }
        s++;
      }
    }
    return Arrays.copyOf(p, k);
  }
}
