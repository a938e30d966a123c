package io.segfx.spark;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.segfx.util.DecimalText;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;

/**
 * How the input jobs read text cells as numbers and as ids, one rule for every format and job.
 *
 * <ul>
 *   <li><b>Numbers.</b> Text is a number by {@link DecimalText}'s grammar. Spark's own cast would
 *       also take Java's literal forms ({@code 7.7d}, {@code 0x1p3}), so text that fails the
 *       grammar is null (not numeric) before the cast.
 *   <li><b>Empty text.</b> An empty id, value or time is missing. A CSV field cannot tell an empty
 *       text from no value, so Parquet's empty strings are read the same way, and both formats give
 *       the same answer.
 * </ul>
 */
public final class InputText {
  /** A decimal number or a non-finite word, between blanks; Java's regular expression syntax. */
  public static final String NUMBER =
      "^[\\x00-\\x20]*(" + DecimalText.DECIMAL + "|" + DecimalText.WORDS + ")[\\x00-\\x20]*\\z";

  private InputText() {}

  /**
   * The column as a double: a native number or boolean is cast as Spark casts it; text by the
   * {@link #NUMBER} rule, null for any other text (so the row's check names it not numeric).
   */
  public static Column number(Column raw, DataType type) {
    if (!(type instanceof StringType)) {
      return raw.cast("double");
    }
    // Spark's cast takes Java's literal forms besides the grammar's; every such text holds one of
    // these letters (a d/f suffix, a hexadecimal x, a signed NaN), so only those texts pay for the
    // regular expression, which would double the cost of an ordinary cell.
    Column javaForm = lit(false);
    for (String c : JAVA_ONLY_LETTERS) {
      javaForm = javaForm.or(raw.contains(c));
    }
    Column none = lit(null).cast("double");
    return when(javaForm.and(raw.rlike(NUMBER).unary_$bang()), none).otherwise(raw.cast("double"));
  }

  /** Letters in every text Spark's cast reads as a number and {@link DecimalText} does not. */
  private static final String[] JAVA_ONLY_LETTERS = {"d", "D", "f", "F", "x", "X", "N"};

  /**
   * A cell as the checks read it: empty text is missing, as an empty CSV field always is, so that a
   * Parquet file of text columns gets the same reasons ({@code null:<col>}, not {@code
   * not_numeric:<col>}) and the same answer as its CSV.
   */
  public static Column cell(Column raw, DataType type) {
    return type instanceof StringType ? id(raw) : raw;
  }

  /** A text id column with the empty id read as missing. */
  public static Column id(Column text) {
    return when(text.equalTo(""), lit(null).cast("string")).otherwise(text);
  }
}
