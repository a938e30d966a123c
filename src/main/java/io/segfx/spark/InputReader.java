package io.segfx.spark;

import io.segfx.config.UsageException;
import io.segfx.model.TableFormat;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.Footer;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat$;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFooterReader;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads unit-level input through Spark's data sources (any Hadoop file system).
 *
 * <p>CSV is read as RFC 4180 describes it and as Python, pandas, Excel and Postgres write it: a
 * double quote inside a quoted field is written twice, and quoted fields may hold separators and
 * line breaks. Every column is read as text (numbers are cast and checked by {@link
 * ValidationStage}). A line whose number of fields differs from the header's is never shifted or
 * truncated into a row: it keeps its raw text in {@link Columns#CORRUPT_RECORD} and is quarantined
 * as {@code malformed_line}. A byte-order mark and spaces around header names are removed.
 *
 * <p>In a folder only the files of the input's format are read ({@link #CSV_FILES}, or every
 * visible file for Parquet); the others are listed as skipped, and the files read are listed, in
 * the manifest.
 */
public final class InputReader {
  private InputReader() {}

  /** File names read as CSV inside a folder (Hadoop glob, as Spark's {@code pathGlobFilter}). */
  public static final String CSV_FILES = "*.{csv,CSV,csv.gz,CSV.GZ,csv.bz2,CSV.BZ2}";

  /**
   * An input as read.
   *
   * @param data the rows
   * @param path the fully qualified input path
   * @param filesRead the data files read, sorted
   * @param filesSkipped files in the input folder that are not of its format, sorted
   */
  public record Input(
      Dataset<Row> data, String path, List<String> filesRead, List<String> filesSkipped) {}

  /**
   * How CSV text is split and decoded.
   *
   * @param delimiter the field separator
   * @param encoding the character set (a name Java knows, e.g. UTF-8, ISO-8859-1, UTF-16)
   */
  public record CsvDialect(char delimiter, String encoding) {
    /** Comma-separated UTF-8. */
    public static final CsvDialect DEFAULT = new CsvDialect(',', "UTF-8");

    /** True for UTF-8, where undecodable bytes become U+FFFD. */
    public boolean utf8() {
      return Charset.forName(encoding).equals(StandardCharsets.UTF_8);
    }
  }

  /**
   * The format of a table segfx reads without a format option ({@code --prior-history}): CSV for a
   * path ending in .csv and for a folder whose visible files are all CSV files (segfx's own {@code
   * --output-format csv} tables), else Parquet. A path this cannot list is Parquet here; {@link
   * #open} then names the fault.
   */
  public static TableFormat formatOf(SparkSession spark, String path) {
    if (TableFormat.fromPath(path) == TableFormat.CSV) {
      return TableFormat.CSV;
    }
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p) || !fs.getFileStatus(p).isDirectory()) {
        return TableFormat.PARQUET;
      }
      boolean csv = false;
      boolean other = false;
      for (FileStatus f : fs.listStatus(p)) {
        String name = f.getPath().getName().toLowerCase(Locale.ROOT);
        if (f.isDirectory() || name.startsWith("_") || name.startsWith(".")) {
          continue;
        }
        boolean isCsv =
            name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".csv.bz2");
        csv |= isCsv;
        other |= !isCsv;
      }
      return csv && !other ? TableFormat.CSV : TableFormat.PARQUET;
    } catch (IOException | IllegalArgumentException e) {
      return TableFormat.PARQUET;
    }
  }

  /** Reads {@code path} as {@code format} with comma-separated UTF-8 CSV; see {@link #open}. */
  public static Dataset<Row> read(SparkSession spark, String path, TableFormat format) {
    return open(spark, path, format, CsvDialect.DEFAULT).data();
  }

  /**
   * Reads {@code path} as {@code format}. A relative path is made absolute on the driver first, so
   * executors on a cluster (whose working folders differ) read the same files.
   *
   * <p>A path with glob characters ({@code * ? [ ] { } \}) is refused: Spark would expand them, so
   * {@code data[1].csv} would read {@code data1.csv}.
   *
   * @param dialect the CSV separator and character set
   * @throws UsageException if the path does not exist, holds no file of the format, or cannot be
   *     read as that format
   */
  /**
   * Reads a table through Spark's catalog, filtered by {@code where} (Spark SQL; null for every
   * row). The filter is parsed and resolved against the table's columns here, so a bad one is
   * refused before any work.
   *
   * @throws UsageException naming {@code --input-table} when the table cannot be read, or {@code
   *     --where} when the filter does not parse or names an unknown column
   */
  public static Input table(SparkSession spark, String table, String where) {
    Dataset<Row> data;
    try {
      data = spark.table(table);
    } catch (Exception e) { // AnalysisException, undeclared
      throw new UsageException("--input-table " + table + " cannot be read: " + firstLine(e), e);
    }
    if (where != null) {
      try {
        data = data.where(where);
      } catch (Exception e) { // ParseException or AnalysisException, undeclared
        throw new UsageException(
            "--where '" + where + "' is not a filter on " + table + ": " + firstLine(e), e);
      }
    }
    return new Input(data, table, List.of(), List.of());
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }

  public static Input open(
      SparkSession spark, String path, TableFormat format, CsvDialect dialect) {
    List<String> read = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Path qualified = resolve(spark, path, format, read, skipped);
    read.sort(null);
    skipped.sort(null);
    try {
      String qualifiedPath = qualified.toString();
      Dataset<Row> data =
          format == TableFormat.CSV
              ? csv(spark, qualifiedPath, path, dialect, !read.contains(qualifiedPath))
              : parquet(spark, qualifiedPath, read);
      if (!read.contains(qualifiedPath)) {
        requireAllRead(data, qualifiedPath, path, read);
      }
      return new Input(data, qualified.toString(), read, skipped);
    } catch (UsageException e) {
      throw e;
    } catch (Exception e) { // Spark throws its checked SparkException undeclared.
      RuntimeException t = DataErrors.translate(e, path);
      if (t instanceof UsageException && !DataErrors.columnsDiffer(e)) {
        throw new UsageException(
            t.getMessage()
                + " (as "
                + format.code()
                + "; set --input-format if the extension misleads)",
            e);
      }
      throw t;
    }
  }

  /**
   * The qualified input path, with the files it holds of the format in {@code read} and the others
   * in {@code skipped}.
   *
   * @throws UsageException if the path does not exist, is a pattern, or holds no usable file
   */
  private static Path resolve(
      SparkSession spark,
      String path,
      TableFormat format,
      List<String> read,
      List<String> skipped) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new UsageException("input not found: " + path);
      }
      refusePattern(path);
      Path qualified = fs.makeQualified(p);
      boolean csv = format == TableFormat.CSV;
      GlobFilter filter = new GlobFilter(CSV_FILES);
      if (fs.getFileStatus(qualified).isDirectory()) {
        list(fs, qualified, csv ? filter : null, read, skipped);
      } else {
        read.add(qualified.toString());
      }
      for (String f : read) {
        String name = f.substring(f.lastIndexOf('/') + 1);
        if (name.contains(":")) {
          throw new UsageException(
              "input file '"
                  + name
                  + "' has a ':' in its name, which Hadoop paths cannot hold; rename it");
        }
      }
      if (read.isEmpty()) {
        throw new UsageException(
            "input folder "
                + path
                + " holds no "
                + format.code()
                + " file"
                + (csv ? " (names matching " + CSV_FILES + ")" : "")
                + (skipped.isEmpty() ? "" : "; it holds: " + String.join(", ", names(skipped)))
                + "; set --input-format if the files are of another format");
      }
      return qualified;
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof URISyntaxException && path.contains(":")) {
        // A relative name with a colon parses as a URI scheme ("a:b.csv").
        throw new UsageException(
            "input " + path + " has a ':' in its name, which Hadoop paths cannot hold; rename it",
            e);
      }
      throw new UsageException("cannot reach input " + path + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UsageException("cannot reach input " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The Hadoop stream buffer of the Parquet scan (the data source option {@code
   * io.file.buffer.size}, which Spark copies into this read's Hadoop configuration over its own
   * {@code spark.buffer.size} of 64 KiB). parquet-mr's Snappy and Gzip codecs allocate a buffer of
   * this size for every page they decompress, and pages hold at most 20,000 rows where parquet-mr
   * (and so Spark) wrote them; the codecs only copy a page's compressed bytes through it, and
   * column chunks are read whole, so its size changes no byte read. parquet-mr keeps one codec per
   * JVM, configured by the first read or write that needs it: in a segfx process that is this scan,
   * so the output tables' page compressors get the small buffer too (they also only copy through
   * it, and write the same bytes); in a JVM that read or wrote such Parquet before, the option
   * changes nothing (docs/performance.md).
   */
  static final int PAGE_STREAM_BUFFER = 4096;

  /**
   * A Parquet file or folder with the union of its files' columns: Spark otherwise takes the schema
   * of one file, so a column missing from that file dropped every other file's values, and the
   * answer depended on which file was sampled. A file without a column the job needs gives its rows
   * a null there, quarantined and counted ({@code null:<column>}). When a few files all give the
   * same schema ({@link #commonSchema}), that schema is given to the reader, which then runs no
   * Spark job to merge the footers.
   */
  private static Dataset<Row> parquet(SparkSession spark, String qualified, List<String> files) {
    StructType common = plainFolder(spark, qualified, files) ? commonSchema(spark, files) : null;
    DataFrameReader reader =
        spark.read().option("io.file.buffer.size", String.valueOf(PAGE_STREAM_BUFFER));
    return common != null
        ? reader.schema(common).parquet(qualified)
        : reader.option("mergeSchema", "true").parquet(qualified);
  }

  /**
   * Whether every file lies directly in {@code qualified} (or is it) and no Parquet summary file
   * sits beside them: a partition folder ({@code name=value}) whose name is also a column in the
   * files takes its type from a given schema but from the folder under a merge, and summary files
   * ({@code _metadata}, {@code _common_metadata}) join Spark's merge, so both stay with the merge.
   */
  private static boolean plainFolder(SparkSession spark, String qualified, List<String> files) {
    try {
      Path root = new Path(qualified);
      FileSystem fs = root.getFileSystem(spark.sessionState().newHadoopConf());
      if (!fs.getFileStatus(root).isDirectory()) {
        return true;
      }
      String prefix = root.toUri().getPath() + "/";
      for (String f : files) {
        String file = new Path(f).toUri().getPath();
        if (!file.startsWith(prefix) || file.indexOf('/', prefix.length()) >= 0) {
          return false;
        }
      }
      return !fs.exists(new Path(root, "_metadata"))
          && !fs.exists(new Path(root, "_common_metadata"));
    } catch (IOException | RuntimeException e) {
      return false; // Spark's merge reaches the folder again and names the problem
    }
  }

  /** Files up to which {@link #commonSchema} reads the footers on the driver. */
  static final int DRIVER_FOOTERS = 16;

  /**
   * The schema each of {@code files} gives, read from its footer on the driver as Spark's schema
   * job reads it (Spark's footer reader and {@code readSchemaFromFooter}, with the session's
   * Parquet settings), when there are at most {@value #DRIVER_FOOTERS} files and they all give the
   * same one; otherwise null, and Spark's job merges the footers or names what stops it: files that
   * differ, a footer that cannot be read, names that differ only in case. A job costs more than a
   * few footers read side by side, in a cold JVM most of a second.
   */
  static StructType commonSchema(SparkSession spark, List<String> files) {
    if (files.isEmpty() || files.size() > DRIVER_FOOTERS) {
      return null;
    }
    Configuration conf = spark.sessionState().newHadoopConf();
    ParquetToSparkSchemaConverter converter =
        new ParquetToSparkSchemaConverter(spark.sessionState().conf());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(files.size(), 8),
            r -> {
              Thread t = new Thread(r, "segfx-footers");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<StructType>> schemas = new ArrayList<>();
      for (String f : files) {
        schemas.add(
            pool.submit(
                () -> {
                  Path p = new Path(f);
                  ParquetMetadata footer =
                      ParquetFooterReader.readFooter(
                          conf, p, ParquetMetadataConverter.SKIP_ROW_GROUPS);
                  return ParquetFileFormat$.MODULE$.readSchemaFromFooter(
                      new Footer(p, footer), converter);
                }));
      }
      StructType common = null;
      for (Future<StructType> f : schemas) {
        StructType s = f.get();
        if (common != null && !common.equals(s)) {
          return null;
        }
        common = s;
      }
      return distinctNames(common) ? common : null;
    } catch (ExecutionException e) {
      return null; // Spark's job reads the footer again and names the problem
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Whether no two fields of a struct, at any depth, share a name ignoring case. */
  private static boolean distinctNames(StructType schema) {
    Set<String> names = new HashSet<>();
    for (StructField f : schema.fields()) {
      if (!names.add(f.name().toLowerCase(Locale.ROOT))
          || (f.dataType() instanceof StructType nested && !distinctNames(nested))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Refuses a folder holding a data file that Spark would not read: one in a subfolder that is not
   * a partition folder ({@code name=value}), where the listing found it and the manifest would name
   * it as read while its rows were silently left out.
   */
  private static void requireAllRead(
      Dataset<Row> data, String folder, String path, List<String> listed) {
    Set<String> readBySpark = new HashSet<>();
    for (String f : data.inputFiles()) {
      // Spark gives URIs, escaped ("sp%20ace"); the listing gives paths as named ("sp ace").
      try {
        readBySpark.add(new URI(f).getPath());
      } catch (URISyntaxException e) {
        readBySpark.add(new Path(f).toUri().getPath());
      }
    }
    String root = new Path(folder).toUri().getPath();
    for (String f : listed) {
      String file = new Path(f).toUri().getPath();
      if (!readBySpark.contains(file)) {
        String relative = file.startsWith(root + "/") ? file.substring(root.length() + 1) : file;
        throw new UsageException(
            "input "
                + path
                + ": file "
                + relative
                + " is in a subfolder that Spark does not read (only partition folders,"
                + " name=value, are read); move it into the folder or pass its own folder");
      }
    }
  }

  /**
   * Refuses a path with glob characters: Spark expands them in every path it reads and offers no
   * literal form, so data[1].csv would read data1.csv.
   */
  private static void refusePattern(String path) {
    for (char c : GLOB.toCharArray()) {
      if (path.indexOf(c) >= 0) {
        throw new UsageException(
            "input path "
                + path
                + " has '"
                + c
                + "', which Spark reads as a file pattern; rename the file"
                + " or folder, or pass the folder that holds it");
      }
    }
  }

  /** Spark's CSV reader set to RFC 4180, with the corrupt-record column. */
  private static Dataset<Row> csv(
      SparkSession spark, String qualified, String path, CsvDialect dialect, boolean folder) {
    char delimiter = dialect.delimiter();
    DataFrameReader reader =
        spark
            .read()
            .option("header", "true")
            .option("sep", String.valueOf(delimiter))
            .option("encoding", dialect.encoding())
            .option("quote", "\"")
            .option("escape", "\"")
            .option("multiLine", "true")
            .option("mode", "PERMISSIVE")
            // Only a folder's files are filtered by name: a file given by name (units.txt with
            // --input-format csv) is read whatever its extension.
            .option("pathGlobFilter", folder ? CSV_FILES : "*")
            .option("columnNameOfCorruptRecord", Columns.CORRUPT_RECORD)
            .option("enforceSchema", "false");
    // The header as written (Spark's own header handling renames duplicates silently).
    List<Row> first = reader.option("header", "false").csv(qualified).limit(1).collectAsList();
    reader.option("header", "true");
    if (first.isEmpty()) {
      throw new UsageException("input " + path + " is empty: no header line");
    }
    Row h = first.get(0);
    String[] raw = new String[h.length()];
    String[] clean = new String[raw.length];
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < raw.length; i++) {
      raw[i] = h.isNullAt(i) ? "" : h.getString(i);
      clean[i] = cleanName(raw[i]);
      if (clean[i].isEmpty()) {
        clean[i] = "_c" + i; // Spark's name for an unnamed column, e.g. pandas' index
      }
      String prior = seen.put(clean[i].toLowerCase(Locale.ROOT), clean[i]);
      if (prior != null) {
        throw new UsageException(
            "input "
                + path
                + " names column '"
                + clean[i]
                + "' twice ('"
                + prior
                + "' and '"
                + clean[i]
                + "'; names are matched ignoring case and spaces); rename one");
      }
    }
    refuseOtherSeparator(clean, delimiter, path);
    refuseOtherEncoding(clean, dialect, path);
    List<StructField> fields = new ArrayList<>();
    for (String name : raw) {
      fields.add(DataTypes.createStructField(name, DataTypes.StringType, true));
    }
    fields.add(DataTypes.createStructField(Columns.CORRUPT_RECORD, DataTypes.StringType, true));
    // The schema carries the header as written, so Spark checks every file's header against it
    // (enforceSchema false) instead of reading a file with other columns by position.
    Dataset<Row> data = reader.schema(DataTypes.createStructType(fields)).csv(qualified);
    List<String> names = new ArrayList<>(Arrays.asList(clean));
    names.add(Columns.CORRUPT_RECORD);
    return data.toDF(names.toArray(new String[0]));
  }

  /** A header name without a byte-order mark or surrounding white space. */
  static String cleanName(String name) {
    String n = name.startsWith("\uFEFF") ? name.substring(1) : name;
    return n.strip();
  }

  /** The characters Hadoop's glob expands. */
  static final String GLOB = "*?[]{}\\";

  /** A header with NUL characters is UTF-16 read as another encoding. */
  private static void refuseOtherEncoding(String[] header, CsvDialect dialect, String path) {
    for (String h : header) {
      if (h.indexOf('\u0000') >= 0) {
        throw new UsageException(
            "input "
                + path
                + " has NUL characters in its header: it looks UTF-16 (as Excel's"
                + " 'Unicode text' saves); pass --csv-encoding UTF-16");
      }
    }
  }

  /** A one-column header that splits on ';' or a tab is another separator's file. */
  private static void refuseOtherSeparator(String[] header, char delimiter, String path) {
    if (header.length >= 1 && header[0].toLowerCase(Locale.ROOT).startsWith("sep=")) {
      throw new UsageException(
          "input "
              + path
              + " starts with Excel's separator line '"
              + header[0]
              + "'; delete that line (and pass --csv-delimiter if it names another separator)");
    }
    if (header.length != 1) {
      return;
    }
    for (char other : new char[] {';', '\t', '|'}) {
      if (other != delimiter && header[0].indexOf(other) >= 0) {
        String shown = other == '\t' ? "\\t" : String.valueOf(other);
        throw new UsageException(
            "input "
                + path
                + " has one column '"
                + header[0]
                + "' that looks '"
                + shown
                + "'-separated; pass --csv-delimiter '"
                + shown
                + "'");
      }
    }
  }

  /** Visible files under {@code dir} (recursively), split by whether {@code filter} takes them. */
  private static void list(
      FileSystem fs, Path dir, GlobFilter filter, List<String> read, List<String> skipped)
      throws IOException {
    for (FileStatus f : fs.listStatus(dir)) {
      String name = f.getPath().getName();
      if (name.startsWith(".")
          || name.startsWith("_") && !name.contains("=")
          || name.endsWith("._COPYING_")) {
        continue; // Spark's own rule: hidden, metadata and in-progress files (not _k=v folders)
      }
      if (f.isDirectory()) {
        list(fs, f.getPath(), filter, read, skipped);
      } else if (filter == null || filter.accept(f.getPath())) {
        read.add(f.getPath().toString());
      } else {
        skipped.add(f.getPath().toString());
      }
    }
  }

  private static List<String> names(List<String> paths) {
    List<String> out = new ArrayList<>();
    for (String p : paths.subList(0, Math.min(5, paths.size()))) {
      out.add(p.substring(p.lastIndexOf('/') + 1));
    }
    if (paths.size() > 5) {
      out.add("... (" + paths.size() + " in all)");
    }
    return out;
  }
}
