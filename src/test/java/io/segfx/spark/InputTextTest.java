package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.segfx.config.JobSpec;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.model.TableFormat;
import io.segfx.testing.SharedSparkSession;
import io.segfx.util.DecimalText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * A Parquet file of text columns and the CSV of the same cells give each row the same reason: an
   * empty cell is missing in both ({@code null:<col>}), whether id or value.
   */
  @Test
  void parquetTextCellsReadAsTheirCsv(@TempDir Path tmp) throws Exception {
    String[][] rows = {
      {"e1", "s1", "0", "1.5", "2"},
      {"e1", "s1", "1", "", "2"},
      {"e1", "s1", "1", "abc", "2"},
      {"e1", "", "1", "3", "2"},
      {"", "s1", "1", "3", "2"},
      {"e1", "s1", "0", "3", ""},
      {"e1", "s1", "1", "7d", "2"}
    };
    List<String> header = List.of("experiment_id", "segment", "arm", "y", "x1");
    StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
    List<Row> data = new ArrayList<>();
    for (String[] r : rows) {
      csv.append(String.join(",", r)).append('\n');
      data.add(RowFactory.create((Object[]) r));
    }
    Path csvFile = tmp.resolve("in.csv");
    Files.writeString(csvFile, csv);
    StructType schema =
        DataTypes.createStructType(
            header.stream()
                .map(h -> DataTypes.createStructField(h, DataTypes.StringType, true))
                .toList());
    String parquet = tmp.resolve("in.parquet").toString();
    spark().createDataFrame(data, schema).coalesce(1).write().parquet(parquet);
    String[] args = {"--input", "x", "--output", "o", "--metric", "y", "--covariates", "x1"};
    JobSpec spec =
        JobSpec.from(
            OptionValues.resolve(JobSpec.COMMAND, JobSpec.OPTIONS, args, SpecReader::read));
    List<String> fromCsv =
        reasons(
            ValidationStage.withReason(
                InputReader.read(spark(), csvFile.toString(), TableFormat.CSV), spec));
    List<String> fromParquet =
        reasons(ValidationStage.withReason(spark().read().parquet(parquet), spec));
    assertEquals(
        Arrays.asList(
            null,
            "null:y",
            "not_numeric:y",
            "null:segment",
            "null:experiment_id",
            "null:x1",
            "not_numeric:y"),
        fromCsv);
    assertEquals(fromCsv, fromParquet);
  }

  private static List<String> reasons(Dataset<Row> validated) {
    List<String> out = new ArrayList<>();
    for (Row r : validated.select(Columns.REJECT_REASON).collectAsList()) {
      out.add(r.getString(0));
    }
    return out;
  }
}
