package io.segfx.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {
  @Test
  void streamsDependOnlyOnSeedAndKey() {
    assertEquals(Seeds.of(1, "a", "b").nextLong(), Seeds.of(1, "a", "b").nextLong());
    Set<Long> firsts = new HashSet<>();
    for (int e = 0; e < 2000; e++) {
      firsts.add(Seeds.of(1, "exp-" + e, "revenue", "1").nextLong());
    }
    assertEquals(2000, firsts.size());
    assertNotEquals(Seeds.of(1, "a", "b").nextLong(), Seeds.of(2, "a", "b").nextLong());
    // Part boundaries matter: ("ab", "c") is not ("a", "bc").
    assertNotEquals(Seeds.of(1, "ab", "c").nextLong(), Seeds.of(1, "a", "bc").nextLong());
  }
}
