package io.segfx.cli;

import static io.segfx.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.job.SegmentEffectsJob;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The command line's help, version and exit statuses, without starting Spark. */
class SegfxMainTest {

  @Test
  void consoleCountsOneDecisionRowInTheSingular() {
    String one =
        SegfxMain.console(
            new SegmentEffectsJob.Outcome(
                "out", Collections.nCopies(1, null), List.of(), Map.of()));
    String three =
        SegfxMain.console(
            new SegmentEffectsJob.Outcome(
                "out", Collections.nCopies(3, null), List.of(), Map.of()));
    assertTrue(one.contains("out/experiment_decisions (1 row); "), one);
    assertTrue(three.contains("out/experiment_decisions (3 rows); "), three);
  }

  @Test
  void everySubcommandHasHelpWithItsOptionsAndExitStatuses() {
    for (Command c : Commands.all()) {
      for (String flag : new String[] {"-h", "--help"}) {
        CliRun r = cli(c.name(), flag);
        assertEquals(0, r.code(), c.name() + " " + flag + ": " + r.err());
        assertTrue(r.out().startsWith("usage: segfx " + c.name() + " [options]"), r.out());
        assertTrue(r.out().contains("Exit status:"), r.out());
        c.options().forEach(d -> assertTrue(r.out().contains("--" + d.name()), d.name()));
      }
      CliRun h = cli("help", c.name());
      assertEquals(cli(c.name(), "--help").out(), h.out());
    }
  }

  @Test
  void helpPrintsNoLibraryWarnings() {
    // picocli reads option descriptions as format strings and warns on stderr about a bare '%'
    // (the guardrail option's "-1%"): a user asking for help must see the help only.
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (Command c : Commands.all()) {
        assertEquals(0, cli(c.name(), "--help").code(), c.name());
      }
    } finally {
      System.setErr(saved);
    }
    String printed = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(printed.isEmpty(), printed);
  }

  @Test
  void segmentEffectsHelpIsGroupedBySection() {
    String out = cli("segment-effects", "--help").out();
    for (String section : new String[] {"Input:", "Output and run:", "Decisions:", "Options:"}) {
      assertTrue(out.contains("\n" + section + "\n"), section + " in\n" + out);
    }
    assertTrue(out.contains("--pooling reml|dl|moments|full"), out);
    assertTrue(out.contains("(default full)"), out);
  }

  @Test
  void helpAmongBadOptionsStillShowsHelp() {
    CliRun r = cli("segment-effects", "--bogus", "--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("usage: segfx segment-effects"), r.out());
  }

  @Test
  void versionNamesSegfxAndSpark() {
    for (String flag : new String[] {"--version", "-V"}) {
      CliRun r = cli(flag);
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().startsWith("segfx "), r.out());
      assertTrue(r.out().contains("Spark 3.5"), r.out());
    }
  }

  @Test
  void commandListWithoutArgumentsIsAUsageError() {
    CliRun none = cli();
    assertEquals(2, none.code());
    assertTrue(none.out().contains("segment-effects"), none.out());
    for (String flag : new String[] {"help", "--help", "-h"}) {
      CliRun r = cli(flag);
      assertEquals(0, r.code(), flag);
      assertEquals(none.out(), r.out(), flag);
    }
  }

  @Test
  void typosAreRefusedWithOneLineAndAHint() {
    CliRun r = cli("segment-effects", "--input", "x", "--output", "o", "--metrc", "y");
    assertEquals(2, r.code());
    assertTrue(
        r.err()
            .startsWith("segfx: segment-effects: unknown option --metrc; valid options: --input, "),
        r.err());
    assertTrue(r.err().endsWith("; did you mean --metric?\n"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    CliRun c = cli("segment-efects");
    assertEquals(2, c.code());
    assertTrue(c.err().startsWith("segfx: unknown command 'segment-efects'; commands:"), c.err());
    assertTrue(c.err().contains("did you mean segment-effects?"), c.err());
    CliRun h = cli("help", "nope");
    assertEquals(2, h.code());
    assertTrue(h.err().startsWith("segfx: unknown command 'nope'"), h.err());
  }

  @Test
  void parseErrorsKeepSegfxWording() {
    CliRun stray = cli("segment-effects", "stray");
    assertEquals(2, stray.code());
    assertEquals(
        "segfx: segment-effects: unexpected argument 'stray'; options start with --\n",
        stray.err());
    CliRun noValue = cli("segment-effects", "--input", "x", "--draws");
    assertEquals(2, noValue.code());
    assertTrue(
        noValue.err().startsWith("segfx: segment-effects: option --draws needs a value"),
        noValue.err());
    CliRun flag = cli("segment-effects", "--kh-truncate=yes");
    assertEquals(2, flag.code());
    assertTrue(
        flag.err().startsWith("segfx: --kh-truncate: 'yes' is not a valid flag"), flag.err());
    assertFalse(flag.err().contains("\tat "), flag.err());
  }

  /**
   * segfx picks Kryo without reference tracking when the user set no serializer, leaves tracking to
   * a user who set it, and adds nothing to a user's own serializer (Kryo or not).
   */
  @Test
  void serializerDefaultsLeaveTheUsersChoices() {
    String kryo = "org.apache.spark.serializer.KryoSerializer";
    assertEquals(
        Map.of("spark.serializer", kryo, SegfxMain.KRYO_REFERENCES, "false"),
        SegfxMain.serializerDefaults(new SparkConf(false)));
    assertEquals(
        Map.of("spark.serializer", kryo),
        SegfxMain.serializerDefaults(new SparkConf(false).set(SegfxMain.KRYO_REFERENCES, "true")));
    assertEquals(
        Map.of(), SegfxMain.serializerDefaults(new SparkConf(false).set("spark.serializer", kryo)));
    assertEquals(
        Map.of(),
        SegfxMain.serializerDefaults(
            new SparkConf(false)
                .set("spark.serializer", "org.apache.spark.serializer.JavaSerializer")));
  }
}
