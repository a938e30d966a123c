package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/** Column names reach Spark SQL as exactly one column, whatever characters they hold. */
class ColumnQuoteTest {
  @Test
  void quotesAndDoublesBackticks() {
    assertEquals("`revenue`", ColumnQuote.quote("revenue"));
    assertEquals("`a.b c`", ColumnQuote.quote("a.b c"));
    assertEquals("`we``ird`", ColumnQuote.quote("we`ird"));
    assertEquals("``", ColumnQuote.quote(""));
  }

  @Test
  void columnKeepsTheWholeName() {
    // Unquoted, "a.b" would parse as field b of column a: two name parts.
    UnresolvedAttribute a = (UnresolvedAttribute) ColumnQuote.col("a.b").expr();
    assertEquals(List.of("a.b"), JavaConverters.seqAsJavaList(a.nameParts()));
    UnresolvedAttribute t = (UnresolvedAttribute) ColumnQuote.col("we`ird").expr();
    assertEquals(List.of("we`ird"), JavaConverters.seqAsJavaList(t.nameParts()));
  }

  @Test
  void nullNameIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ColumnQuote.quote(null));
    assertEquals("column name is null", e.getMessage());
  }
}
