package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segfx.model.ArmLabel;
import io.segfx.testing.SharedSparkSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The row path labels arms with a Spark expression and the columnar scan with {@link
 * ArmLabel#canonical}: both must give the same label for every spelling, or the two scans would
 * split one arm differently. Also the expected labels themselves, written out.
 */
class ArmLabelsAgreeTest extends SharedSparkSession {
  private static final String[][] CASES = {
    {"0", "0"},
    {"1", "1"},
    {"0.0", "0"},
    {"1.0", "1"},
    {"+1", "1"},
    {"01", "1"},
    {"-0", "0"},
    {"-0.0", "0"},
    {"1e0", "1"},
    {"0e0", "0"},
    {"1e+05", "100000"},
    {"1.", "1"},
    {".0", "0"},
    {" 1 ", "1"},
    {"1.5", "1.5"},
    {"-2", "-2"},
    {"True", "1"},
    {"false", "0"},
    {"FALSE", "0"},
    {"NaN", null},
    {"nan", null},
    {"NULL", null},
    {"None", null},
    {"", null},
    {"   ", null},
    {"<NA>", null},
    {"n/a", null},
    {"control", "control"},
    {" treatment ", "treatment"},
    {"B", "B"},
    {"9007199254740993", "9007199254740993"},
    {"12345678901234567890", "12345678901234567890"},
    {"1e400", "1e400"},
    {"0x1A", "0x1A"},
    {"\t1", "\t1"},
  };

  @Test
  void sparkExpressionAndJavaAgreeOnEverySpelling() {
    List<String> raw = new ArrayList<>();
    for (String[] c : CASES) {
      raw.add(c[0]);
    }
    Dataset<Row> labels =
        spark()
            .createDataset(raw, Encoders.STRING())
            .toDF("arm")
            .select(
                ValidationStage.canonicalArm(org.apache.spark.sql.functions.col("arm"))
                    .as("label"));
    List<Row> rows = labels.collectAsList();
    for (int i = 0; i < CASES.length; i++) {
      String spark = rows.get(i).isNullAt(0) ? null : rows.get(i).getString(0);
      String java = ArmLabel.canonical(CASES[i][0]);
      assertEquals(CASES[i][1], java, "Java label of '" + CASES[i][0] + "'");
      assertEquals(
          java, spark, "Spark label of '" + CASES[i][0] + "' in " + Arrays.toString(CASES[i]));
    }
  }
}
