package io.segfx.spark;

import java.io.Serializable;

/**
 * Shuffle key of stage 1: an (experiment, segment) cell, or, when {@code rejected}, a quarantine
 * reason (held in {@code segment}).
 */
record CellKey(boolean rejected, String experiment, String segment) implements Serializable {

  /**
   * The text key of an (experiment, segment) cell in the per-task maps: length-prefixed, so ("ab",
   * "c") and ("a", "bc") are different cells.
   */
  static String text(String experiment, String segment) {
    return experiment.length() + ":" + experiment + segment;
  }
}
