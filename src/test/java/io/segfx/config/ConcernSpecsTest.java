package io.segfx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.model.Design;
import io.segfx.model.InputKind;
import io.segfx.model.LearnedPriorKind;
import io.segfx.model.PoolingMethod;
import io.segfx.model.StandardErrors;
import io.segfx.model.TableFormat;
import io.segfx.model.WriteMode;
import io.segfx.stats.DecisionRule;
import io.segfx.stats.pooling.MomentsPooling;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The specs by concern validate in their constructors, so no spec object holds a setting the
 * command line would refuse; the defaults config declares for the kernels are the kernels' own.
 */
class ConcernSpecsTest {
  private static final VerdictSpec VERDICT_DEFAULTS =
      new VerdictSpec(null, List.of(), VerdictSpec.GUARDRAIL_PROB_DEFAULT, null, null, Map.of());

  private static JobSpec spec(String... args) {
    return SpecLoader.segmentEffects(args);
  }

  private static InputSpec input(List<String> metrics, String unitCol) {
    return new InputSpec(
        "x.csv",
        TableFormat.CSV,
        InputKind.UNITS,
        ',',
        "UTF-8",
        "experiment_id",
        "segment",
        "arm",
        "0",
        List.of(),
        metrics,
        List.of(),
        unitCol,
        List.of("n", "conversions", "sum", "sum_sq"),
        List.of("variant", "estimate", "std_error", "n"));
  }

  private static PoolingSpec pooling(int draws, int minSegments) {
    return new PoolingSpec(
        PoolingMethod.FULL,
        minSegments,
        0.05,
        TauPriorSetting.UNIFORM,
        null,
        StandardErrors.CLASSICAL,
        null,
        false,
        LearnedPriorKind.NONE,
        null,
        draws,
        1,
        new double[] {1, 1},
        new double[] {1, 1},
        List.of(),
        new double[] {0, 1e-4, 1e-3, 1e-3},
        new double[] {1e6, 1e-3, 1e-3});
  }

  private static DecisionSpec decision(double launchProbability, Double users) {
    return new DecisionSpec(
        Map.of(JobSpec.ALL_METRICS, 0.0),
        0,
        users,
        null,
        null,
        launchProbability,
        Design.RANDOMIZED,
        List.of(),
        null,
        0.001);
  }

  @Test
  void eachConcernRefusesItsOwnBadValues() {
    UsageException e = assertThrows(UsageException.class, () -> pooling(50, 3));
    assertEquals("--draws must be >= 100, got 50", e.getMessage());
    e = assertThrows(UsageException.class, () -> pooling(1000, 2));
    assertTrue(
        e.getMessage().startsWith("--pooling full with --tau-prior uniform"), e.getMessage());
    e = assertThrows(UsageException.class, () -> decision(Double.NaN, null));
    assertEquals("--launch-probability must be in (0.5, 1), got NaN", e.getMessage());
    e = assertThrows(UsageException.class, () -> decision(0.95, 10.0));
    assertTrue(e.getMessage().startsWith("decision analysis needs all of"), e.getMessage());
    e = assertThrows(UsageException.class, () -> input(List.of("y", "y"), null));
    assertTrue(e.getMessage().startsWith("column 'y' is named twice"), e.getMessage());
    e = assertThrows(UsageException.class, () -> input(List.of("y:binry"), null));
    assertTrue(e.getMessage().contains("unknown kind 'binry'"), e.getMessage());
  }

  private static TauPriorSetting tau(String text) {
    return spec("--input", "x.csv", "--output", "o", "--metric", "y", "--tau-prior", text)
        .tauPrior();
  }

  @Test
  void theTauPriorIsAValidatedSettingWrittenAsTyped() {
    assertEquals(TauPriorSetting.UNIFORM, tau("uniform"));
    TauPriorSetting s = tau(" half-cauchy:2.5 ");
    assertEquals(new TauPriorSetting(TauPriorSetting.Family.HALF_CAUCHY, 2.5), s);
    assertEquals("half-cauchy:2.5", s.toString());
    assertEquals("uniform", TauPriorSetting.UNIFORM.toString());
    for (String bad : List.of("uniform:1", "half-normal", "half-normal:0", "normal:1", "x:1e151")) {
      UsageException e = assertThrows(UsageException.class, () -> tau(bad));
      assertEquals(
          "--tau-prior '"
              + bad
              + "' must be uniform, half-normal:S or half-cauchy:S with a scale S in [1e-150,"
              + " 1e150]",
          e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TauPriorSetting(TauPriorSetting.Family.HALF_NORMAL, Double.NaN));
    assertEquals("half-normal tau prior needs a scale in [1e-150, 1e150], got NaN", e.getMessage());
  }

  @Test
  void theCompositionChecksWhatSpansTwoConcerns() {
    ReportSpec report =
        new ReportSpec(
            "out", TableFormat.PARQUET, WriteMode.ERROR, ReportScope.parse("top:50"), null);
    PoolingSpec ok = pooling(1000, 3);
    DecisionSpec typo =
        new DecisionSpec(
            Map.of("yy", 0.1),
            0,
            null,
            null,
            null,
            0.95,
            Design.RANDOMIZED,
            List.of(),
            null,
            0.001);
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                new JobSpec(
                    input(List.of("y"), null), ok, typo, report, VERDICT_DEFAULTS, null, Map.of()));
    assertEquals(
        "--threshold names metric 'yy', which is not a --metric (metrics: y)", e.getMessage());
    JobSpec s =
        new JobSpec(
            input(List.of("y"), null),
            ok,
            decision(0.95, null),
            report,
            VERDICT_DEFAULTS,
            null,
            Map.of());
    assertEquals("experiment_id", s.experimentCol());
    assertEquals(1000, s.draws());
    assertEquals("out", s.output());
  }

  @Test
  void loadedSpecDelegatesToItsConcerns() {
    JobSpec s =
        spec(
            "--input", "x.csv", "--output", "o", "--metric", "y", "--pooling", "dl", "--seed", "7");
    assertEquals(s.inputSpec().metrics(), s.metrics());
    assertEquals(PoolingMethod.DL, s.poolingSpec().pooling());
    assertEquals(7, s.seed());
    assertEquals("o", s.reportSpec().output());
    assertEquals(0.95, s.decisionSpec().launchProbability());
  }

  @Test
  void everyKeyIsDeclaredOnceAcrossTheConcerns() {
    Set<String> names = new HashSet<>();
    List<String> twice = new ArrayList<>();
    for (OptionDef d : JobSpec.OPTIONS) {
      if (!names.add(d.name())) {
        twice.add(d.name());
      }
    }
    assertEquals(List.of(), twice);
    assertEquals(
        InputSpec.OPTIONS.size()
            + PoolingSpec.OPTIONS.size()
            + DecisionSpec.OPTIONS.size()
            + ReportSpec.OPTIONS.size()
            + VerdictSpec.OPTIONS.size(),
        JobSpec.OPTIONS.size());
  }

  /** config declares these defaults itself, since it must not depend on the kernels. */
  @Test
  void configDefaultsAreTheKernelsDefaults() {
    assertEquals(MomentsPooling.FLOOR_DEFAULT, PoolingSpec.MOMENTS_FLOOR_DEFAULT);
    assertEquals(DecisionRule.LAUNCH_PROBABILITY_DEFAULT, DecisionSpec.LAUNCH_PROBABILITY_DEFAULT);
  }
}
