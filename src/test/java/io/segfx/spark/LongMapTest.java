package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LongMap} against {@link HashMap}, operation by operation. */
class LongMapTest {

  /**
   * Random puts, gets, replacements and removals of keys shaped like the scan's (two codes, one in
   * each half), plus extreme keys: every read agrees with a HashMap's at every step.
   */
  @Test
  void agreesWithAHashMap() {
    Random r = new Random(41);
    LongMap<String> map = new LongMap<>();
    Map<Long, String> reference = new HashMap<>();
    long[] extremes = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32, 1};
    for (int step = 0; step < 200_000; step++) {
      long key =
          step % 97 == 0
              ? extremes[r.nextInt(extremes.length)]
              : (long) r.nextInt(3000) << 32 | r.nextInt(20);
      switch (r.nextInt(10)) {
        case 0, 1, 2 -> {
          String v = "v" + step;
          map.put(key, v);
          reference.put(key, v);
        }
        case 3 -> {
          if (step % 5000 == 0) {
            // Removes about a third, as a shipping pass does.
            long cut = r.nextInt(3);
            map.removeIf((k, v) -> Long.parseLong(v.substring(1)) % 3 == cut);
            reference.values().removeIf(v -> Long.parseLong(v.substring(1)) % 3 == cut);
          }
        }
        default -> assertEquals(reference.get(key), map.get(key), "key " + key);
      }
      assertEquals(reference.size(), map.size());
    }
    List<String> values = new ArrayList<>();
    map.values().forEach(values::add);
    List<String> expected = new ArrayList<>(reference.values());
    values.sort(null);
    expected.sort(null);
    assertEquals(expected, values);
  }

  /** A removal pass that removes nothing keeps every entry; one that removes all empties it. */
  @Test
  void removeIfKeepsOrEmpties() {
    LongMap<Integer> map = new LongMap<>();
    for (int i = 0; i < 10_000; i++) {
      map.put((long) i << 32, i);
    }
    map.removeIf((k, v) -> false);
    assertEquals(10_000, map.size());
    assertEquals(1234, map.get(1234L << 32));
    map.removeIf((k, v) -> true);
    assertEquals(0, map.size());
    assertNull(map.get(1234L << 32));
    map.put(7, 7);
    assertEquals(7, map.get(7));
  }

  @Test
  void refusesANullValue() {
    assertThrows(NullPointerException.class, () -> new LongMap<String>().put(1, null));
  }
}
