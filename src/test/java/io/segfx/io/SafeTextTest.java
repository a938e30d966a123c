package io.segfx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SafeTextTest {
  @Test
  void replacesEscapeSequencesAndNulButKeepsPrintableText() {
    String clean = "exp-1 ünïcødé\tok";
    assertSame(clean, SafeText.clean(clean));
    assertEquals("\uFFFD[2Jexp\uFFFD1", SafeText.clean("\u001b[2Jexp\u00001"));
    assertEquals("a\uFFFDb\uFFFDc", SafeText.clean("a\u009bb\u007fc"));
    assertEquals("a\uFFFDb", SafeText.clean("a\nb"));
    assertNull(SafeText.clean(null));
  }

  @Test
  void documentsKeepTheirLineBreaks() {
    assertEquals("# memo\nid \uFFFD\n", SafeText.cleanDocument("# memo\nid \u0000\n"));
    assertEquals("x\uFFFD", SafeText.cleanDocument("x\r"));
    // A clean document comes back as it is; the first replaced character may be anywhere.
    String clean = "line one\n\ttabbed ä\n";
    org.junit.jupiter.api.Assertions.assertSame(clean, SafeText.cleanDocument(clean));
    assertEquals("\uFFFDab\n", SafeText.cleanDocument("\u009bab\n"));
    assertEquals("ab\n\uFFFD", SafeText.cleanDocument("ab\n\u007f"));
  }
}
