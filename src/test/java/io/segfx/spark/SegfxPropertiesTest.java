package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segfx.config.UsageException;
import io.segfx.testing.SharedSparkSession;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Misspelt names and bad values of segfx's Spark properties are usage errors naming them. */
class SegfxPropertiesTest extends SharedSparkSession {
  private static final List<String> SET =
      List.of(
          ColumnarScan.PROPERTY,
          ColumnarScan.BLOCK_PROPERTY,
          ProgressListener.INTERVAL_PROPERTY,
          ProgressListener.STYLE_PROPERTY,
          "spark.segfx.blockSum",
          "spark.segfx.zzz");

  @AfterEach
  void reset() {
    for (String k : SET) {
      spark().conf().unset(k);
    }
  }

  @Test
  void validValuesPass() {
    spark().conf().set(ColumnarScan.PROPERTY, "FALSE");
    spark().conf().set(ColumnarScan.BLOCK_PROPERTY, " true");
    spark().conf().set(ProgressListener.INTERVAL_PROPERTY, "0.5");
    spark().conf().set(ProgressListener.STYLE_PROPERTY, "Lines");
    SegfxProperties.check(spark().conf());
    assertEquals(false, ColumnarScan.enabled(spark()));
    assertEquals(true, ColumnarScan.blockSums(spark()));
  }

  @Test
  void misspeltNameIsRefusedWithTheNearestName() {
    spark().conf().set("spark.segfx.blockSum", "false");
    UsageException e =
        assertThrows(UsageException.class, () -> SegfxProperties.check(spark().conf()));
    assertEquals(
        "unknown Spark property spark.segfx.blockSum; did you mean spark.segfx.blockSums? (names"
            + " are case-sensitive; segfx reads spark.segfx.blockSums, spark.segfx.columnarScan,"
            + " spark.segfx.progressIntervalSeconds, spark.segfx.progressStyle,"
            + " spark.segfx.test.failFirstAttempt)",
        e.getMessage());
    spark().conf().unset("spark.segfx.blockSum");
    spark().conf().set("spark.segfx.zzz", "1");
    e = assertThrows(UsageException.class, () -> SegfxProperties.check(spark().conf()));
    assertEquals(
        "unknown Spark property spark.segfx.zzz (names are case-sensitive;",
        e.getMessage().substring(0, e.getMessage().indexOf(';') + 1));
  }

  @Test
  void anotherCaseIsRefusedNotIgnored() {
    for (String name : List.of("spark.Segfx.blockSums", "SPARK.SEGFX.BLOCKSUMS", "spark.segfx")) {
      SparkConf conf = new SparkConf(false).set(name, "false");
      UsageException e = assertThrows(UsageException.class, () -> SegfxProperties.check(conf));
      org.junit.jupiter.api.Assertions.assertTrue(
          e.getMessage().startsWith("unknown Spark property " + name), e.getMessage());
      if (!name.equals("spark.segfx")) {
        org.junit.jupiter.api.Assertions.assertTrue(
            e.getMessage().contains("did you mean spark.segfx.blockSums?"), e.getMessage());
      }
    }
    SegfxProperties.check(new SparkConf(false).set("spark.segfx.blockSums", "false"));
  }

  @Test
  void badValuesAreRefusedWithWhatTheyTake() {
    String[][] cases = {
      {ColumnarScan.BLOCK_PROPERTY, "maybe", "true or false"},
      {ColumnarScan.PROPERTY, "1", "true or false"},
      {ProgressListener.INTERVAL_PROPERTY, "soon", "a number of seconds >= 0"},
      {ProgressListener.INTERVAL_PROPERTY, "-1", "a number of seconds >= 0"},
      {ProgressListener.INTERVAL_PROPERTY, "NaN", "a number of seconds >= 0"},
      {ProgressListener.STYLE_PROPERTY, "fancy", "auto, bar or lines"}
    };
    for (String[] c : cases) {
      spark().conf().set(c[0], c[1]);
      UsageException e =
          assertThrows(UsageException.class, () -> SegfxProperties.check(spark().conf()));
      assertEquals(
          "Spark property " + c[0] + " must be " + c[2] + ", not '" + c[1] + "'", e.getMessage());
      spark().conf().unset(c[0]);
    }
  }
}
