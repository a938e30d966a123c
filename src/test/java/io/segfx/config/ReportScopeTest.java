package io.segfx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReportScopeTest {
  @Test
  void parsesTheThreeForms() {
    assertEquals(new ReportScope(true, 50), ReportScope.parse(ReportScope.DEFAULT));
    assertEquals(new ReportScope(true, 3), ReportScope.parse(" top:3 "));
    assertEquals(new ReportScope(true, Integer.MAX_VALUE), ReportScope.parse("all"));
    assertFalse(ReportScope.parse("none").charts());
    assertTrue(ReportScope.parse("top:0").charts());
    for (String s : new String[] {"all", "none", "top:7"}) {
      assertEquals(s, ReportScope.parse(s).toString());
    }
  }

  @Test
  void rejectsOtherTextWithTheOptionName() {
    for (String s : new String[] {"top", "top:-1", "top:x", "some", ""}) {
      UsageException e = assertThrows(UsageException.class, () -> ReportScope.parse(s));
      assertTrue(e.getMessage().startsWith("--report"), e.getMessage());
    }
  }
}
