package io.segfx.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GuardrailTest {
  @Test
  void parsesAbsoluteAndRelativeBoundsBothWays() {
    Guardrail r = Guardrail.parse("converted>=-1%");
    assertEquals("converted", r.metric());
    assertTrue(r.atLeast());
    assertTrue(r.relative());
    assertEquals(-0.01, r.limit(), 1e-17);
    assertEquals("converted>=-1%", r.label());
    Guardrail a = Guardrail.parse(" latency_ms <= 25.5 ");
    assertEquals("latency_ms", a.metric());
    assertFalse(a.atLeast());
    assertFalse(a.relative());
    assertEquals(25.5, a.limit());
    assertEquals("latency_ms<=25.5", a.label());
  }

  @Test
  void probabilityOfHoldingReadsTheRightTail() {
    assertEquals(0.9, Guardrail.parse("m>=0").probHolds(0.9), 0);
    assertEquals(0.1, Guardrail.parse("m<=0").probHolds(0.9), 1e-15);
  }

  @Test
  void refusesWhatIsNotABound() {
    for (String bad : new String[] {"m=>0", "m>0", ">=1", "m>=x", "m>=-100%", "m>=1e400"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Guardrail.parse(bad), bad);
      assertTrue(e.getMessage().contains("guardrail"), e.getMessage());
    }
  }

  @Test
  void statusFollowsTheGuardrailProbability() {
    assertEquals(GuardrailStatus.OK, GuardrailStatus.of(0.96, 0.95));
    assertEquals(GuardrailStatus.VIOLATED, GuardrailStatus.of(0.04, 0.95));
    assertEquals(GuardrailStatus.UNCERTAIN, GuardrailStatus.of(0.5, 0.95));
    assertEquals(GuardrailStatus.UNCERTAIN, GuardrailStatus.of(Double.NaN, 0.95));
  }
}
