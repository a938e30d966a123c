package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.model.TableFormat;
import org.junit.jupiter.api.Test;

/** The run skeleton's format detection: one rule for every input of both jobs. */
class RunContextTest {
  @Test
  void formatFromTheNameUnlessGiven() {
    assertEquals(TableFormat.CSV, RunContext.formatOf("data/series.csv", null));
    assertEquals(TableFormat.CSV, RunContext.formatOf("data/series.CSV.GZ", null));
    assertEquals(TableFormat.PARQUET, RunContext.formatOf("data/series", null));
    assertEquals(TableFormat.PARQUET, RunContext.formatOf("data/series.csv", TableFormat.PARQUET));
  }
}
