package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The run skeleton's format detection: one rule for every input of both jobs. */
class RunContextTest {
  @Test
  void formatFromTheNameUnlessGiven() {
    assertEquals("csv", RunContext.formatOf("data/series.csv", null));
    assertEquals("csv", RunContext.formatOf("data/series.CSV.GZ", null));
    assertEquals("parquet", RunContext.formatOf("data/series", null));
    assertEquals("parquet", RunContext.formatOf("data/series.csv", "parquet"));
  }
}
