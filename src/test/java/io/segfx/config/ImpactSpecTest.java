package io.segfx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.model.TableFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void seasonsAndControlPrior() {
    ImpactSpec plain = spec("--intervention-time", "1");
    assertEquals(ImpactSpec.Season.NONE, plain.season());
    assertEquals(
        new ImpactSpec.ControlPrior(ImpactSpec.ControlPrior.Kind.NORMAL, 3), plain.controlPrior());
    ImpactSpec s =
        spec(
            "--intervention-time",
            "1",
            "--season",
            "7",
            "--season-duration",
            "24",
            "--control-prior",
            "spike-slab",
            "--expected-size",
            "2.5");
    assertEquals(new ImpactSpec.Season(7, 24), s.season());
    assertEquals(
        new ImpactSpec.ControlPrior(ImpactSpec.ControlPrior.Kind.SPIKE_SLAB, 2.5),
        s.controlPrior());
    Map<String, Object> m = s.toManifest();
    assertEquals(7, m.get("season"));
    assertEquals(24, m.get("season_duration"));
    assertEquals("spike-slab", m.get("control_prior"));
    assertEquals(2.5, m.get("expected_size"));
    assertEquals(null, plain.toManifest().get("season"));
  }

  @TempDir Path tmp;

  @Test
  void seasonAndControlPriorFromTheYamlSpec() throws Exception {
    Path yaml = tmp.resolve("impact.yaml");
    Files.writeString(
        yaml,
        "intervention-time: 5\nseason: 4\nseason-duration: 2\ncontrol-prior: spike-slab\n"
            + "expected-size: 1\n");
    List<String> args = new ArrayList<>(REQUIRED);
    args.addAll(List.of("--spec", yaml.toString()));
    ImpactSpec s =
        ImpactSpec.of(
            OptionValues.resolve(
                "causal-impact",
                ImpactSpec.OPTIONS,
                args.toArray(new String[0]),
                SpecReader::read));
    assertEquals(new ImpactSpec.Season(4, 2), s.season());
    assertEquals(ImpactSpec.ControlPrior.Kind.SPIKE_SLAB, s.controlPrior().kind());
    assertEquals(1, s.controlPrior().expectedSize());
  }

  @Test
  void badSeasonAndControlPriorOptionsAreOneLineUsageErrors() {
    String[][] cases = {
      {"--season", "1"},
      {"--season", "0"},
      {"--season", "7", "--season-duration", "0"},
      {"--control-prior", "lasso"},
      {"--control-prior", "spike-slab", "--expected-size", "0"},
      {"--control-prior", "spike-slab", "--gibbs-draws", "10"},
      {"--season-duration", "2"},
      {"--expected-size", "5"},
      {"--burn", "5"},
      {"--gibbs-draws", "500"},
    };
    String[] expected = {
      "--season must be >= 2, got 1",
      "--season must be >= 2, got 0",
      "--season-duration must be >= 1, got 0",
      "lasso",
      "--expected-size must be > 0, got 0.0",
      "--gibbs-draws must be >= 100, got 10",
      "--season-duration given, but it applies only with --season N; remove it",
      "--expected-size given, but it applies only with --control-prior spike-slab; remove it",
      "--burn given, but it applies only with --model local-level or --control-prior spike-slab;"
          + " remove it",
      "--gibbs-draws given, but it applies only with --model local-level or --control-prior"
          + " spike-slab; remove it",
    };
    for (int i = 0; i < cases.length; i++) {
      List<String> args = new ArrayList<>(List.of("--intervention-time", "1"));
      args.addAll(List.of(cases[i]));
      UsageException e =
          assertThrows(UsageException.class, () -> spec(args.toArray(new String[0])));
      assertTrue(e.getMessage().contains(expected[i]), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
  }

  @Test
  void aMisspelledOptionSuggestsTheNearestName() {
    String m =
        assertThrows(
                UsageException.class,
                () -> spec("--intervention-time", "1", "--season", "7", "--season-duraton", "2"))
            .getMessage();
    assertTrue(m.startsWith("causal-impact: unknown option --season-duraton; "), m);
    assertTrue(m.endsWith("; did you mean --season-duration?"), m);
  }
}
