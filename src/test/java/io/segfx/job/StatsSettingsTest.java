package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.segfx.config.JobSpec;
import io.segfx.config.SpecLoader;
import io.segfx.config.TauPriorSetting;
import io.segfx.stats.ExperimentDraws.Economics;
import io.segfx.stats.ExperimentDraws.Thresholds;
import io.segfx.stats.pooling.TauPrior;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernels' parameter types built from the run's settings carry the settings unchanged. */
class StatsSettingsTest {
  private static JobSpec spec(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("--input", "x.csv", "--output", "o", "--metric", "a", "--metric", "b"));
    args.addAll(List.of(extra));
    return SpecLoader.segmentEffects(args.toArray(String[]::new));
  }

  /** The prior descriptions and the manifest print the setting; the kernel's prior must agree. */
  @Test
  void theTauPriorKeepsItsFamilyScaleAndText() {
    assertSame(TauPrior.UNIFORM, StatsSettings.tauPrior(TauPriorSetting.UNIFORM));
    for (TauPriorSetting.Family f : TauPriorSetting.Family.values()) {
      TauPriorSetting s =
          f == TauPriorSetting.Family.UNIFORM
              ? TauPriorSetting.UNIFORM
              : new TauPriorSetting(f, 2.5);
      TauPrior p = StatsSettings.tauPrior(s);
      assertEquals(f.code(), p.kind().code());
      assertEquals(s.toString(), p.toString());
      assertEquals(s.improper(), p.improper());
    }
  }

  @Test
  void thresholdsAndEconomicsArePerMetric() {
    JobSpec s =
        spec(
            "--threshold",
            "a=0.5",
            "--relative-threshold",
            "0.1",
            "--users",
            "1000",
            "--value-per-unit",
            "a=2,b=3",
            "--cost",
            "40");
    assertEquals(new Thresholds(0.5, 0.1), StatsSettings.thresholds(s, "a"));
    assertEquals(new Thresholds(0.0, 0.1), StatsSettings.thresholds(s, "b"));
    assertEquals(new Economics(1000, 3, 40), StatsSettings.economics(s, "b"));
    // Two valued metrics derive the value metric oec, already in money per unit: value 1.
    assertEquals(
        Map.of(
            "a",
            new Economics(1000, 2, 40),
            "b",
            new Economics(1000, 3, 40),
            "oec",
            new Economics(1000, 1, 40)),
        StatsSettings.economicsByMetric(s));
    assertEquals(
        List.of("a", "b", "oec"), List.copyOf(StatsSettings.thresholdsByMetric(s).keySet()));
    assertSame(Economics.EFFECT_ONLY, StatsSettings.economics(spec(), "a"));
  }
}
