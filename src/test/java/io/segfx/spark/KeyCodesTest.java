package io.segfx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** {@link KeyCodes}: dense codes in order of first sight, texts as the row path prints them. */
class KeyCodesTest {

  @Test
  void codesAreDenseAndTextsRoundTrip() {
    KeyCodes c = new KeyCodes();
    assertEquals(0, c.text(UTF8String.fromString("exp-1")));
    assertEquals(1, c.text(UTF8String.fromString("")));
    assertEquals(2, c.text(UTF8String.fromString("é✓")));
    assertEquals(0, c.text(UTF8String.fromString("exp-1")));
    assertEquals(3, c.integral(-42));
    assertEquals(3, c.integral(-42));
    assertEquals(4, c.integral(Long.MIN_VALUE));
    assertEquals("exp-1", c.textOf(0));
    assertEquals("", c.textOf(1));
    assertEquals("é✓", c.textOf(2));
    assertEquals("-42", c.textOf(3));
    assertEquals(Long.toString(Long.MIN_VALUE), c.textOf(4));
    // A constant key is a text like any other.
    assertEquals(0, c.constant("exp-1"));
  }

  /** A kept text is a copy: the reader's buffer may be overwritten by the next batch. */
  @Test
  void keptTextIsACopy() {
    byte[] buffer = "seg-a".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    KeyCodes c = new KeyCodes();
    assertEquals(0, c.text(UTF8String.fromBytes(buffer)));
    buffer[4] = 'b';
    assertEquals(1, c.text(UTF8String.fromBytes(buffer)));
    assertEquals(0, c.text(UTF8String.fromString("seg-a")));
    assertEquals("seg-a", c.textOf(0));
    assertEquals("seg-b", c.textOf(1));
  }

  /**
   * Byte strings that print the same (invalid UTF-8, each printed as U+FFFD) are one key, as the
   * row path, which compares printed text, reads them.
   */
  @Test
  void bytesThatPrintTheSameAreOneKey() {
    KeyCodes c = new KeyCodes();
    int a = c.text(UTF8String.fromBytes(new byte[] {'e', (byte) 0xFF}));
    int b = c.text(UTF8String.fromBytes(new byte[] {'e', (byte) 0xFE}));
    assertEquals(a, b);
    assertEquals("e\uFFFD", c.textOf(a));
    assertEquals(a, c.text(UTF8String.fromString("e\uFFFD")));
  }

  /** A dictionary id's code holds for the batch that looked it up, and for no other. */
  @Test
  void dictionaryIdsAreCachedPerBatch() {
    KeyCodes c = new KeyCodes();
    assertEquals(-1, c.cached(5, 1));
    c.cache(5, 1, 3);
    assertEquals(3, c.cached(5, 1));
    assertEquals(-1, c.cached(5, 2));
    assertEquals(-1, c.cached(4, 1));
    assertEquals(-1, c.cached(1_000_000, 1));
    c.cache(1_000_000, 2, 7);
    assertEquals(7, c.cached(1_000_000, 2));
    assertEquals(-1, c.cached(5, 2));
  }
}
