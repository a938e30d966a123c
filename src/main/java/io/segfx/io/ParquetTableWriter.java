package io.segfx.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a driver-side table of flat rows (long, int, double, boolean and string columns) as one
 * Parquet file with parquet-mr's own writer, the library Spark's Parquet source writes with. The
 * file is what Spark would write for the same schema: the same physical types ({@code int64},
 * {@code int32}, {@code double}, {@code boolean}, {@code binary (STRING)}), optional fields for
 * nullable columns, the {@code spark_schema} message name, Snappy compression, and Spark's schema
 * in the footer key {@code org.apache.spark.sql.parquet.row.metadata}, so Spark reads it back with
 * the same types. Why not Spark's writer: a local table goes through a Catalyst conversion, a
 * serialized task and a single-task job per table, which costs many times more per row than
 * streaming the rows in order into the file, as this writer does (measured in {@code
 * docs/performance.md}).
 */
final class ParquetTableWriter {
  /** Footer key under which Spark stores the Catalyst schema of a Parquet file. */
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

  private ParquetTableWriter() {}

  /** Whether every column has a type this writer handles. */
  static boolean supports(StructType schema) {
    for (StructField f : schema.fields()) {
      if (primitive(f.dataType()) == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes {@code rows} in order to the file {@code file}.
   *
   * @throws IllegalArgumentException if a column type is not supported
   */
  static void write(Path file, Configuration conf, List<Row> rows, StructType schema)
      throws IOException {
    MessageType message = messageType(schema);
    Map<String, String> meta = new HashMap<>();
    meta.put(SPARK_SCHEMA_KEY, schema.json());
    OutputFile out = new CanonicalFooter(HadoopOutputFile.fromPath(file, conf));
    Builder builder =
        new Builder(out, schema, message, meta)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.CREATE)
            .withConf(conf);
    // No dictionaries, so that the same rows give the same bytes in every run. Estimates and
    // probabilities hardly repeat, so a dictionary only costs them a hash per value; ids and metric
    // names would gain from one, but per-column dictionary settings are not reliably applied by
    // parquet-mr when tables are written side by side (double columns came out dictionary-encoded
    // in some runs and not in others), and Snappy takes most of the repetition out of plain ids.
    builder = builder.withDictionaryEncoding(false);
    try (ParquetWriter<Row> w = builder.build()) {
      for (Row r : rows) {
        w.write(r);
      }
    }
  }

  static MessageType messageType(StructType schema) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (StructField f : schema.fields()) {
      PrimitiveTypeName p = primitive(f.dataType());
      if (p == null) {
        throw new IllegalArgumentException(
            "column "
                + f.name()
                + ": type "
                + f.dataType().simpleString()
                + " is not supported here");
      }
      Types.PrimitiveBuilder<? extends Type> field =
          f.nullable() ? Types.optional(p) : Types.required(p);
      if (p == PrimitiveTypeName.BINARY) {
        field = field.as(LogicalTypeAnnotation.stringType());
      }
      b.addField(field.named(f.name()));
    }
    return b.named("spark_schema");
  }

  private static PrimitiveTypeName primitive(DataType t) {
    if (t.equals(DataTypes.LongType)) {
      return PrimitiveTypeName.INT64;
    }
    if (t.equals(DataTypes.IntegerType)) {
      return PrimitiveTypeName.INT32;
    }
    if (t.equals(DataTypes.DoubleType)) {
      return PrimitiveTypeName.DOUBLE;
    }
    if (t.equals(DataTypes.BooleanType)) {
      return PrimitiveTypeName.BOOLEAN;
    }
    if (t.equals(DataTypes.StringType)) {
      return PrimitiveTypeName.BINARY;
    }
    return null;
  }

  private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
    private final StructType schema;
    private final MessageType message;
    private final Map<String, String> meta;

    Builder(OutputFile out, StructType schema, MessageType message, Map<String, String> meta) {
      super(out);
      this.schema = schema;
      this.message = message;
      this.meta = meta;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(schema, message, meta);
    }
  }

  /** Emits each row's non-null fields by their Parquet type. */
  private static final class RowWriteSupport extends WriteSupport<Row> {
    private final MessageType message;
    private final Map<String, String> meta;
    private final String[] names;
    private final PrimitiveTypeName[] types;
    private RecordConsumer consumer;

    /**
     * Per column, the last string written and its UTF-8 bytes: rows come grouped by experiment, so
     * an id repeats on the rows that follow it, and a byte-array binary is also cheaper for the
     * column statistics to compare than the buffer-backed one {@link Binary#fromString} makes. The
     * bytes written are the same.
     */
    private final String[] lastText;

    private final Binary[] lastBinary;

    /**
     * Each distinct string's bytes, encoded once, for the few that recur out of order (metric,
     * status and kind names), up to {@link #NAMES} of them: a wide run's many distinct ids would
     * only fill it.
     */
    private final Map<String, Binary> binaries = new HashMap<>();

    private static final int NAMES = 4096;

    RowWriteSupport(StructType schema, MessageType message, Map<String, String> meta) {
      this.message = message;
      this.meta = meta;
      StructField[] fields = schema.fields();
      this.names = new String[fields.length];
      this.types = new PrimitiveTypeName[fields.length];
      for (int i = 0; i < fields.length; i++) {
        names[i] = fields[i].name();
        types[i] = primitive(fields[i].dataType());
      }
      this.lastText = new String[fields.length];
      this.lastBinary = new Binary[fields.length];
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(message, meta);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Row row) {
      consumer.startMessage();
      for (int i = 0; i < names.length; i++) {
        if (row.isNullAt(i)) {
          continue;
        }
        consumer.startField(names[i], i);
        switch (types[i]) {
          case INT64 -> consumer.addLong(((Number) row.get(i)).longValue());
          case INT32 -> consumer.addInteger(((Number) row.get(i)).intValue());
          case DOUBLE -> consumer.addDouble(((Number) row.get(i)).doubleValue());
          case BOOLEAN -> consumer.addBoolean((Boolean) row.get(i));
          default -> consumer.addBinary(binary(i, (String) row.get(i)));
        }
        consumer.endField(names[i], i);
      }
      consumer.endMessage();
    }

    private Binary binary(int column, String s) {
      if (s.equals(lastText[column])) {
        return lastBinary[column];
      }
      Binary b = binaries.get(s);
      if (b == null) {
        // Never changed once made, so the statistics may keep it without a copy.
        b = Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
        if (binaries.size() < NAMES) {
          binaries.put(s, b);
        }
      }
      lastText[column] = s;
      lastBinary[column] = b;
      return b;
    }
  }
}
