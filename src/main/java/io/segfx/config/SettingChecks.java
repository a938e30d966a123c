package io.segfx.config;

import java.util.List;

/**
 * NaN-safe checks of settings built in code, in the message style of the kernels' checks ({@code
 * "NAME must be > 0, got VALUE"}): config validates before, and without, any statistics code. Each
 * throws {@link IllegalArgumentException}, which a loader that reads user input rethrows as a
 * {@link UsageException} with the same message.
 */
final class SettingChecks {
  private SettingChecks() {}

  /** Requires {@code v > 0}; NaN fails. */
  static double positive(String name, double v) {
    if (v > 0) {
      return v;
    }
    throw new IllegalArgumentException(String.format("%s must be > 0, got %s", name, v));
  }

  /** Requires {@code 0 < p < 1}; NaN fails. */
  static double openUnit(String name, double p) {
    if (p > 0 && p < 1) {
      return p;
    }
    throw new IllegalArgumentException(String.format("%s must be in (0, 1), got %s", name, p));
  }

  /** Requires {@code value >= min}. */
  static void atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          String.format("%s must be >= %d, got %d", name, min, value));
    }
  }

  /** Requires one of the allowed values. */
  static void oneOf(String name, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(
          String.format("%s must be one of %s, got '%s'", name, allowed, value));
    }
  }
}
