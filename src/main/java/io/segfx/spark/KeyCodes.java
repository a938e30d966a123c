package io.segfx.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One task's dense codes for the values of one key column (experiment, segment or arm), in order of
 * first sight, with each code's text as the row path prints it. A dictionary-encoded batch is
 * looked up once per dictionary id and batch: a batch's dictionary ids mean nothing in the next
 * one, which may bring a new dictionary.
 */
final class KeyCodes {
  private final Map<UTF8String, Integer> byText = new HashMap<>();

  /**
   * Codes by printed text: two byte strings that print the same (invalid UTF-8 prints as U+FFFD)
   * are one key, as on the row path, which compares printed text.
   */
  private final Map<String, Integer> byPrinted = new HashMap<>();

  private final LongMap<Integer> byValue = new LongMap<>();
  private final List<String> texts = new ArrayList<>();

  /** Per dictionary id: the batch serial it was last looked up in, and its code then. */
  private int[] idSerial = new int[0];

  private int[] idCode = new int[0];

  /**
   * The code of text {@code t}, created on first sight. A kept text is a copy ({@link
   * UTF8String#copy}; {@code clone} shares the reader's buffer when the text fills it exactly).
   */
  int text(UTF8String t) {
    Integer code = byText.get(t);
    if (code == null) {
      code = printed(t.toString());
      byText.put(t.copy(), code);
    }
    return code;
  }

  /** The code of an integral key, printed as Spark's {@code CAST(k AS STRING)} prints it. */
  int integral(long value) {
    Integer code = byValue.get(value);
    if (code == null) {
      code = printed(Long.toString(value));
      byValue.put(value, code);
    }
    return code;
  }

  /** The code of printed text {@code text}, created on first sight. */
  private int printed(String text) {
    Integer code = byPrinted.get(text);
    if (code == null) {
      code = texts.size();
      texts.add(text);
      byPrinted.put(text, code);
    }
    return code;
  }

  /** The code of a constant key (a column the input lacks): created once, as every row has it. */
  int constant(String text) {
    return text(UTF8String.fromString(text));
  }

  /**
   * The code remembered for dictionary id {@code id} in batch {@code serial}, or -1 when the batch
   * has not looked it up yet.
   */
  int cached(int id, int serial) {
    return id < idSerial.length && idSerial[id] == serial ? idCode[id] : -1;
  }

  /** Remembers {@code code} for dictionary id {@code id} in batch {@code serial}. */
  void cache(int id, int serial, int code) {
    if (id >= idSerial.length) {
      int size = Math.max(id + 1, 2 * idSerial.length);
      idSerial = Arrays.copyOf(idSerial, size);
      idCode = Arrays.copyOf(idCode, size);
    }
    idSerial[id] = serial;
    idCode[id] = code;
  }

  /** The text of {@code code}. */
  String textOf(int code) {
    return texts.get(code);
  }
}
