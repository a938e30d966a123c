package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/** The console summary of {@code causal-impact}: its columns line up whatever the ids are. */
class ImpactConsoleTableTest {

  /** A summary row with the schema: every number 0.5 except the ones given, window as given. */
  private static Row row(String id, int window, String status, double averageMean) {
    StructField[] fields = ImpactTables.SUMMARY_SCHEMA.fields();
    Object[] v = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      String type = fields[i].dataType().typeName();
      v[i] =
          switch (type) {
            case "double" -> 0.5;
            case "integer" -> 10;
            case "long" -> 0L;
            case "boolean" -> false;
            default -> "";
          };
    }
    v[ImpactTables.SUMMARY_SCHEMA.fieldIndex(ImpactTables.SERIES_ID)] = id;
    v[ImpactTables.SUMMARY_SCHEMA.fieldIndex(ImpactTables.WINDOW)] = window;
    v[ImpactTables.SUMMARY_SCHEMA.fieldIndex(ImpactTables.STATUS)] = status;
    v[ImpactTables.SUMMARY_SCHEMA.fieldIndex(ImpactTables.AVERAGE_MEAN)] = averageMean;
    return new GenericRowWithSchema(v, ImpactTables.SUMMARY_SCHEMA);
  }

  /**
   * "market-000 (window 2)" (21 characters) and a 30-character id are wider than the 14 the header
   * gives: every column still starts at the same position on every line, so each number is read
   * under its own header and a whitespace split of a line gives the status as its own field.
   */
  @Test
  void columnsLineUpForLongIdsAndWindows() {
    List<Row> rows =
        List.of(
            row("market-000", 1, "ok", 1.25),
            row("market-000", 2, "ok", -2.5),
            row("a-rather-long-series-id-abcdef", 1, "inconsistent_intervention_time", 3.0),
            row("m", 1, "too_few_points", Double.NaN));
    String[] lines = CausalImpactJob.consoleTable(rows).split("\n");
    int status = lines[0].indexOf("status");
    int avg = lines[0].indexOf("avg impact") + "avg impact".length();
    int placebo = lines[0].indexOf("placebo p") + "placebo p".length();
    List<String> statuses = new ArrayList<>();
    for (int i = 1; i <= rows.size(); i++) {
      String line = lines[i];
      assertEquals(' ', line.charAt(status - 1), line);
      assertTrue(line.charAt(status) != ' ', line);
      statuses.add(line.substring(status).split(" ")[0]);
      // The numbers are right-aligned: each ends where its header ends.
      assertTrue(line.charAt(avg - 1) != ' ' && line.charAt(avg) == ' ', line);
      assertEquals(placebo, line.length(), line);
    }
    assertEquals(List.of("ok", "ok", "inconsistent_intervention_time", "too_few_points"), statuses);
    // Both windows of market-000 are numbered, as the memos and the report name them.
    assertTrue(lines[1].startsWith("market-000 (window 1) "), lines[1]);
    assertTrue(lines[2].startsWith("market-000 (window 2) "), lines[2]);
    assertTrue(lines[4].startsWith("m "), lines[4]);
    assertTrue(lines[2].contains("-2.5000"), lines[2]);
  }

  /** Ids no wider than 14 characters keep the header's widths (the golden console files). */
  @Test
  void shortIdsKeepTheHeaderWidths() {
    String table = CausalImpactJob.consoleTable(List.of(row("market-001", 1, "ok", 1.0)));
    assertTrue(
        table.startsWith(
            "series_id      status             avg impact           95% interval     P(>0)    tail"
                + " p placebo p\nmarket-001     ok                     1.0000 ["),
        table);
  }
}
