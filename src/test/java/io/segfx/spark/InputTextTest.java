package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.segfx.testing.SharedSparkSession;
import io.segfx.util.DecimalText;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * Input cells read by {@link InputText}'s Spark expressions agree with {@link DecimalText}, the
 * grammar options and settings are parsed by: the same texts are numbers, with the same values, and
 * Java's literal forms, which Spark's bare cast would take, are not.
 */
class InputTextTest extends SharedSparkSession {
  private static final List<String> TEXTS =
      Arrays.asList(
          "12",
          "-0.5",
          "+.5",
          "5.",
          "1e-3",
          " 2.5 ",
          "\t3",
          "1e400",
          "NaN",
          "nan",
          "Infinity",
          "-inf",
          "+INF",
          "7.7d",
          "1.5f",
          "0x1p3",
          "1,5",
          "abc",
          "",
          " ",
          "-nan",
          "+NaN",
          "1e",
          "\\N",
          null);

  @Test
  void cellsReadAsTheGrammarSays() {
    Dataset<String> in = spark().createDataset(TEXTS, Encoders.STRING());
    List<Row> out =
        in.select(InputText.number(in.col("value"), DataTypes.StringType)).collectAsList();
    for (int i = 0; i < TEXTS.size(); i++) {
      String t = TEXTS.get(i);
      Object got = out.get(i).get(0);
      if (DecimalText.isNumber(t)) {
        assertEquals(DecimalText.parse(t), (Double) got, 0.0, t);
      } else {
        assertNull(got, String.valueOf(t));
      }
    }
    // The literal forms the grammar exists to refuse are numbers to Spark's bare cast.
    Row bare = spark().sql("SELECT CAST('7.7d' AS DOUBLE), CAST('0x1p3' AS DOUBLE)").first();
    assertEquals(7.7, bare.getDouble(0));
    assertEquals(8.0, bare.getDouble(1));
  }

  @Test
  void emptyIdsAreMissing() {
    Dataset<String> in =
        spark().createDataset(Arrays.asList("a", "", " ", null), Encoders.STRING());
    List<Row> out = in.select(InputText.id(in.col("value"))).collectAsList();
    assertEquals("a", out.get(0).getString(0));
    assertNull(out.get(1).get(0));
    assertEquals(" ", out.get(2).getString(0)); // spaces are kept, as in every id
    assertNull(out.get(3).get(0));
  }
}
