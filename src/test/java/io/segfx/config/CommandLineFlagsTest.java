package io.segfx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The edit distance behind "did you mean", against distances counted by hand. */
class CommandLineFlagsTest {
  @Test
  void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
    assertEquals(0, CommandLineFlags.editDistance("metric", "metric"));
    assertEquals(1, CommandLineFlags.editDistance("season-duraton", "season-duration"));
    assertEquals(1, CommandLineFlags.editDistance("metrics", "metric"));
    assertEquals(1, CommandLineFlags.editDistance("metrik", "metric"));
    // kitten -> sitting: k->s, e->i, insert g.
    assertEquals(3, CommandLineFlags.editDistance("kitten", "sitting"));
    assertEquals(6, CommandLineFlags.editDistance("", "output"));
    assertEquals(
        CommandLineFlags.editDistance("flaw", "lawn"),
        CommandLineFlags.editDistance("lawn", "flaw"));
  }
}
