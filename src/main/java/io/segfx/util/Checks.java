package io.segfx.util;

/**
 * NaN-safe argument checks shared by the statistics kernels, the domain records and the settings (a
 * package of its own, so that each of those layers may use it). Each check is written so that a NaN
 * argument fails it, and each message names the argument and the bad value.
 */
public final class Checks {
  private Checks() {}

  /** Requires {@code v > 0}; NaN fails. */
  public static double positive(String name, double v) {
    if (v > 0) {
      return v;
    }
    throw new IllegalArgumentException(String.format("%s must be > 0, got %s", name, v));
  }

  /** Requires {@code v >= 0}; NaN fails. */
  public static double nonNegative(String name, double v) {
    if (v >= 0) {
      return v;
    }
    throw new IllegalArgumentException(String.format("%s must be >= 0, got %s", name, v));
  }

  /** Requires a finite value. */
  public static double finite(String name, double v) {
    if (Double.isFinite(v)) {
      return v;
    }
    throw new IllegalArgumentException(String.format("%s must be finite, got %s", name, v));
  }

  /** Requires {@code 0 < p < 1}; NaN fails. */
  public static double openUnit(String name, double p) {
    if (p > 0 && p < 1) {
      return p;
    }
    throw new IllegalArgumentException(String.format("%s must be in (0, 1), got %s", name, p));
  }

  /** Requires {@code a.length == b.length}. */
  public static void sameLength(String a, int na, String b, int nb) {
    if (na != nb) {
      throw new IllegalArgumentException(
          String.format("%s and %s must have the same length, got %d and %d", a, b, na, nb));
    }
  }

  /** Requires {@code value >= min}. */
  public static int atLeast(String name, int value, int min) {
    if (value >= min) {
      return value;
    }
    throw new IllegalArgumentException(String.format("%s must be >= %d, got %d", name, min, value));
  }
}
