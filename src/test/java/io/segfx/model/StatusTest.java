package io.segfx.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One status vocabulary for both jobs; the codes are what the tables hold. */
class StatusTest {
  @Test
  void codesAreUniqueAndRoundTrip() {
    Set<String> seen = new HashSet<>();
    for (Status s : Status.values()) {
      assertEquals(true, seen.add(s.code()), s.code());
      assertEquals(s, Status.ofCode(s.code()));
    }
  }

  /** Every code the causal-impact job and its statistics write (impact_summary's reference). */
  @Test
  void seriesCodesAreInTheVocabulary() {
    for (String code :
        List.of(
            "ok",
            "no_usable_rows",
            "no_rows",
            "missing_time",
            "missing_intervention_time",
            "inconsistent_intervention_time",
            "no_intervention",
            "bad_window",
            "duplicate_times",
            "missing_outcome",
            "missing_controls",
            "no_pre_period",
            "no_post_period",
            "too_few_points",
            "singular_controls")) {
      assertEquals(code, Status.ofCode(code).code());
    }
    assertEquals(
        "unknown status code: nope",
        assertThrows(IllegalArgumentException.class, () -> Status.ofCode("nope")).getMessage());
  }
}
