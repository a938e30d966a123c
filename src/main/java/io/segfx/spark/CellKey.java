package io.segfx.spark;

import java.io.Serializable;
import java.util.Objects;

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

  /**
   * The two texts' hashes mixed ({@link LongMap#mix}) rather than the record's {@code 31 h1 + h2}:
   * ids that count up ({@code exp-0012}, {@code seg-03}) have hashes 1 and 31 apart, so that
   * combination maps ({@code exp-0013}, {@code seg-03}) and ({@code exp-0012}, {@code seg-13})
   * alike: 55,010 distinct hashes for 100,000 cells of 5,000 × 20 such ids, so longer hash chains
   * in the reduce side's map and partitions up to 16% apart in size.
   */
  @Override
  public int hashCode() {
    long h = (long) Objects.hashCode(experiment) << 32 ^ Objects.hashCode(segment) & 0xffffffffL;
    h ^= rejected ? 0x9e3779b97f4a7c15L : 0;
    return (int) LongMap.mix(h);
  }
}
