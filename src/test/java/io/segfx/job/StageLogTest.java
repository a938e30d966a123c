package io.segfx.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.segfx.config.OptionValues;
import io.segfx.config.SpecReader;
import io.segfx.sim.SeriesGenerator;
import io.segfx.testing.Fixtures;
import io.segfx.testing.JobRunner;
import io.segfx.testing.LogCapture;
import io.segfx.testing.SharedSparkSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both jobs log one start and one end line per stage, with an ISO-8601 instant and the run id,
 * under exactly the names of the manifest's {@code stage_seconds}.
 */
class StageLogTest extends SharedSparkSession {
  private static final Pattern LINE =
      Pattern.compile("(\\S+) run=(\\S+) stage=(\\S+) (start|end (\\d+\\.\\d{3}) s)");

  @TempDir Path tmp;

  @Test
  void linesHaveTheirInstantRunAndStage() {
    Instant at = Instant.parse("2026-12-01T10:15:30.250Z");
    assertEquals(
        "2026-12-01T10:15:30.250Z run=r1 stage=pooling start",
        StageLog.startLine(at, "r1", "pooling"));
    assertEquals(
        "2026-12-01T10:15:30.250Z run=r1 stage=pooling end 1.500 s",
        StageLog.endLine(at, "r1", "pooling", 1.5));
  }

  @Test
  void segmentEffectsLogsEveryStageOfItsManifest() {
    List<String> lines;
    SegmentEffectsJob.Outcome o;
    try (LogCapture log = new LogCapture("io.segfx.stage")) {
      o =
          JobRunner.run(
              spark(),
              "--input",
              Fixtures.path("seed_section9_segments.csv").toString(),
              "--output",
              tmp.resolve("out").toString(),
              "--arm-col",
              "A",
              "--metric",
              "Y",
              "--covariates",
              "baseline",
              "--draws",
              "500",
              "--pooling",
              "moments");
      lines = log.lines();
    }
    assertStagesLogged(lines, o.manifest());
  }

  @Test
  void causalImpactLogsEveryStageOfItsManifest() throws Exception {
    Path csv = tmp.resolve("series.csv");
    SeriesGenerator.write(
        OptionValues.resolve(
            SeriesGenerator.COMMAND,
            SeriesGenerator.OPTIONS,
            new String[] {"--output", csv.toString(), "--series", "3"},
            null));
    Path out = tmp.resolve("impact");
    List<String> lines;
    try (LogCapture log = new LogCapture("io.segfx.stage")) {
      CausalImpactJob.run(
          spark(),
          OptionValues.resolve(
              CausalImpactJob.COMMAND,
              CausalImpactJob.OPTIONS,
              new String[] {
                "--input",
                csv.toString(),
                "--output",
                out.toString(),
                "--time-col",
                "time",
                "--outcome-col",
                "y",
                "--controls",
                "c1,c2",
                "--intervention-time",
                "82",
                "--draws",
                "200"
              },
              SpecReader::read));
      lines = log.lines();
    }
    Map<String, Object> manifest =
        new ObjectMapper().readValue(Files.readString(out.resolve("manifest.json")), Map.class);
    assertStagesLogged(lines, manifest);
  }

  /** One start and one end line per stage_seconds key, in that order, with the run id. */
  @SuppressWarnings("unchecked")
  private static void assertStagesLogged(List<String> lines, Map<String, Object> manifest) {
    String runId = (String) manifest.get("run_id");
    Map<String, Object> stages = (Map<String, Object>) manifest.get("stage_seconds");
    assertFalse(stages.isEmpty());
    List<String> started = new ArrayList<>();
    List<String> ended = new ArrayList<>();
    for (String l : lines) {
      Matcher m = LINE.matcher(l);
      Assertions.assertTrue(m.matches(), l);
      Instant.parse(m.group(1)); // throws unless ISO-8601
      assertEquals(runId, m.group(2), l);
      if (m.group(4).equals("start")) {
        assertFalse(ended.contains(m.group(3)), "started after its end: " + l);
        started.add(m.group(3));
      } else {
        Assertions.assertTrue(started.contains(m.group(3)), "ended before its start: " + l);
        assertEquals(
            ((Number) stages.get(m.group(3))).doubleValue(), Double.parseDouble(m.group(5)), 5e-4);
        ended.add(m.group(3));
      }
    }
    assertEquals(Set.copyOf(stages.keySet()), Set.copyOf(started));
    assertEquals(Set.copyOf(started), Set.copyOf(ended));
    assertEquals(started.size(), Set.copyOf(started).size(), "one start per stage");
  }
}
