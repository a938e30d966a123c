package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segfx.config.JobSpec;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.config.UsageException;
import io.segfx.testing.SharedSparkSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@link ValidationStage#check}, which the columnar scan relies on in place of {@link
 * ValidationStage#apply}'s projection: for every schema, both refuse with the same message, or both
 * accept.
 */
class ValidationStageTest extends SharedSparkSession {

  private static JobSpec spec(String... extra) {
    List<String> args =
        new ArrayList<>(List.of("--input", "unused", "--output", "unused", "--metric", "y"));
    args.addAll(List.of(extra));
    return JobSpec.from(
        OptionValues.resolve(
            JobSpec.COMMAND, JobSpec.OPTIONS, args.toArray(new String[0]), SpecReader::read));
  }

  private Dataset<Row> input(StructType schema) {
    Object[] values = new Object[schema.size()];
    return spark().createDataFrame(List.of(RowFactory.create(values)), schema);
  }

  private void same(StructType schema, JobSpec spec, boolean refused) {
    Dataset<Row> in = input(schema);
    if (!refused) {
      ValidationStage.check(in, spec);
      ValidationStage.apply(in, spec);
      return;
    }
    UsageException byCheck =
        assertThrows(UsageException.class, () -> ValidationStage.check(in, spec), schema::toString);
    UsageException byApply =
        assertThrows(UsageException.class, () -> ValidationStage.apply(in, spec), schema::toString);
    assertEquals(byApply.getMessage(), byCheck.getMessage());
  }

  @Test
  void checkRefusesWhatApplyRefuses() {
    StructType good =
        new StructType()
            .add("experiment", DataTypes.StringType)
            .add("segment", DataTypes.StringType)
            .add("arm", DataTypes.IntegerType)
            .add("y", DataTypes.DoubleType)
            .add("x1", DataTypes.DoubleType)
            .add("user", DataTypes.StringType)
            .add("team", DataTypes.StringType);
    same(good, spec(), false);
    same(good, spec("--covariates", "x1", "--unit-col", "user", "--cluster-col", "team"), false);
    // One missing or unusable column at a time, each named by both.
    same(good, spec("--arm-col", "variant"), true);
    same(good, spec("--metric", "revenue"), true);
    same(good, spec("--covariates", "x9"), true);
    same(good, spec("--unit-col", "uid"), true);
    same(good, spec("--cluster-col", "region"), true);
    // The unit column is required before the arm column, as apply's order has it.
    same(good, spec("--unit-col", "uid", "--arm-col", "variant"), true);
    StructType mapMetric =
        new StructType()
            .add("experiment", DataTypes.StringType)
            .add("segment", DataTypes.StringType)
            .add("arm", DataTypes.IntegerType)
            .add("y", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType));
    same(mapMetric, spec(), true);
    StructType arrayArm =
        new StructType()
            .add("experiment", DataTypes.StringType)
            .add("segment", DataTypes.StringType)
            .add("arm", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("y", DataTypes.DoubleType);
    same(arrayArm, spec(), true);
    StructType mapCluster =
        new StructType()
            .add("experiment", DataTypes.StringType)
            .add("segment", DataTypes.StringType)
            .add("arm", DataTypes.IntegerType)
            .add("y", DataTypes.DoubleType)
            .add("team", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
    same(mapCluster, spec("--cluster-col", "team"), true);
  }
}
