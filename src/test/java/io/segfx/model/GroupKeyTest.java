package io.segfx.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupKeyTest {

  /** Lexicographic order of the fields as strings: the order of the output tables' rows. */
  private static int listOrder(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  @Test
  void naturalOrderIsTheFieldsInTurn() {
    String[] names = {"", "a", "B", "b", "a-1", "a_1", "é", "10", "9"};
    List<GroupKey> keys = new ArrayList<>();
    for (String e : names) {
      for (String m : names) {
        for (String v : names) {
          keys.add(new GroupKey(e, m, v));
        }
      }
    }
    Collections.shuffle(keys, new Random(1));
    for (GroupKey x : keys.subList(0, 200)) {
      for (GroupKey y : keys) {
        int expected =
            Integer.signum(
                listOrder(
                    List.of(x.experiment(), x.metric(), x.variant()),
                    List.of(y.experiment(), y.metric(), y.variant())));
        assertEquals(expected, Integer.signum(x.compareTo(y)), x + " vs " + y);
        assertEquals(
            Integer.signum(
                listOrder(
                    List.of(x.experiment(), x.variant()), List.of(y.experiment(), y.variant()))),
            Integer.signum(x.variantKey().compareTo(y.variantKey())),
            x + " vs " + y);
      }
    }
  }

  @Test
  void missingFieldsAreRefusedByName() {
    assertEquals(
        "experiment must not be null",
        assertThrows(NullPointerException.class, () -> new GroupKey(null, "m", "v")).getMessage());
    assertEquals(
        "metric must not be null",
        assertThrows(NullPointerException.class, () -> new GroupKey("e", null, "v")).getMessage());
    assertEquals(
        "variant must not be null",
        assertThrows(NullPointerException.class, () -> new GroupKey("e", "m", null)).getMessage());
    assertEquals(
        "variant must not be null",
        assertThrows(NullPointerException.class, () -> new VariantKey("e", null)).getMessage());
  }
}
