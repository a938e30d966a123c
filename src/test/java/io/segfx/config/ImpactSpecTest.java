package io.segfx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.model.TableFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The causal-impact settings: typed, checked in the record, and written with snake_case keys. */
class ImpactSpecTest {
  private static final List<String> REQUIRED =
      List.of(
          "--input",
          "in.csv.gz",
          "--output",
          "out",
          "--time-col",
          "t",
          "--outcome-col",
          "y",
          "--controls",
          "c1,c2");

  private static ImpactSpec spec(String... extra) {
    List<String> args = new ArrayList<>(REQUIRED);
    args.addAll(List.of(extra));
    return ImpactSpec.of(
        OptionValues.resolve(
            "causal-impact", ImpactSpec.OPTIONS, args.toArray(new String[0]), null));
  }

  @Test
  void typedValuesFromOptions() {
    ImpactSpec s = spec("--intervention-time", "82", "--model", "local-level", "--prior", "2,3,4");
    assertEquals(new ImpactSpec.Intervention.AtTime("82"), s.intervention());
    assertEquals(ImpactSpec.Model.LOCAL_LEVEL, s.model());
    assertEquals(new ImpactSpec.Prior(2, 3, 4), s.prior());
    assertEquals(TableFormat.CSV, s.inputFormat(), "detected from .csv.gz as for segment-effects");
    assertEquals(List.of("c1", "c2"), s.controls());
    assertEquals(500, s.burn());
    assertEquals(20000, s.draws());
  }

  @Test
  void manifestSettingsAreSnakeCaseAndTyped() {
    Map<String, Object> m = spec("--intervention-col", "iv").toManifest();
    for (String key : m.keySet()) {
      assertTrue(key.matches("[a-z][a-z0-9_]*"), key);
    }
    assertEquals(500, m.get("burn"));
    assertEquals(0.05, m.get("alpha"));
    assertEquals(1L, m.get("seed"));
    assertEquals("iv", m.get("intervention_col"));
    assertEquals(List.of(1e4, 1e-3, 1e-3), m.get("prior"));
  }

  @Test
  void badValuesNameTheOptionAndTheValue() {
    assertEquals(
        "--alpha must be in (0, 1), got 1.5",
        assertThrows(UsageException.class, () -> spec("--intervention-time", "1", "--alpha", "1.5"))
            .getMessage());
    assertEquals(
        "--draws must be >= 100, got 99",
        assertThrows(UsageException.class, () -> spec("--intervention-time", "1", "--draws", "99"))
            .getMessage());
    assertEquals(
        "--prior must be three positive numbers v0,a0,b0, got [1, 0, 1]",
        assertThrows(
                UsageException.class, () -> spec("--intervention-time", "1", "--prior", "1,0,1"))
            .getMessage());
    assertEquals(
        "--controls names column 'y', which is also the --outcome-col; a control must be another"
            + " series",
        assertThrows(
                UsageException.class, () -> spec("--intervention-time", "1", "--controls", "y"))
            .getMessage());
    assertTrue(
        assertThrows(
                UsageException.class, () -> spec("--intervention-col", "a", "--interventions", "b"))
            .getMessage()
            .startsWith("give exactly one of"));
  }

  @Test
  void theRecordChecksItselfWhenBuiltInCode() {
    ImpactSpec ok = spec("--intervention-time", "1");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ImpactSpec(
                    ok.input(),
                    ok.output(),
                    ok.spec(),
                    ok.inputFormat(),
                    ok.outputFormat(),
                    ok.seriesCol(),
                    ok.timeCol(),
                    ok.outcomeCol(),
                    List.of("c1", "c1"),
                    ok.intervention(),
                    ok.trend(),
                    ok.model(),
                    ok.burn(),
                    ok.gibbsDraws(),
                    ok.draws(),
                    ok.seed(),
                    Double.NaN,
                    ok.placebos(),
                    ok.prior(),
                    ok.season(),
                    ok.controlPrior(),
                    ok.report(),
                    ok.master(),
                    ok.mode()));
    assertEquals("--controls names column 'c1' twice", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ImpactSpec.Prior(1, Double.NaN, 1));
    assertEquals("--prior a0 must be > 0, got NaN", e.getMessage());
  }
}
