package io.segfx.io;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The value types an output column may have, with the Spark type each is written as. */
public enum ColumnType {
  STRING(DataTypes.StringType),
  INT(DataTypes.IntegerType),
  LONG(DataTypes.LongType),
  DOUBLE(DataTypes.DoubleType),
  BOOLEAN(DataTypes.BooleanType);

  private final DataType spark;

  ColumnType(DataType spark) {
    this.spark = spark;
  }

  /** The Spark SQL type of the column. */
  public DataType sparkType() {
    return spark;
  }

  /** The name Spark SQL prints for the type ({@code bigint} for {@link #LONG}). */
  public String sqlName() {
    return spark.simpleString();
  }
}
