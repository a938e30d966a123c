package io.segfx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segfx.model.PoolingMethod;
import io.segfx.model.TableFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionValuesTest {
  @TempDir Path tmp;

  private static JobSpec spec(String... args) {
    return JobSpec.from(
        OptionValues.resolve(JobSpec.COMMAND, JobSpec.OPTIONS, args, SpecReader::read));
  }

  @Test
  void defaultsThenSpecThenFlags() throws Exception {
    Path yaml = tmp.resolve("job.yaml");
    Files.writeString(
        yaml,
        "input: data.parquet\noutput: out\nmetrics: [revenue, orders]\npooling: dl\ndraws: 5000\n"
            + "covariates: pre_revenue\nthreshold: 0.1\n");
    JobSpec s = spec("--spec", yaml.toString(), "--draws", "300", "--metric", "clicks");
    assertEquals("data.parquet", s.input());
    assertEquals(TableFormat.PARQUET, s.inputFormat());
    assertEquals(PoolingMethod.DL, s.pooling());
    assertEquals(300, s.draws());
    assertEquals(List.of("clicks"), s.metrics());
    assertEquals(List.of("pre_revenue"), s.covariates());
    assertEquals(0.1, s.threshold("clicks"));
    assertEquals("experiment_id", s.experimentCol());
    assertEquals(JobSpec.SEED_DEFAULT, s.seed());
    assertNull(s.users());
    assertEquals("flag", s.settingSources().get("draws"));
    assertEquals("spec", s.settingSources().get("pooling"));
    assertEquals("default", s.settingSources().get("seed"));
    assertEquals(s.settingSources(), s.toManifest().get("setting_sources"));
  }

  /**
   * The manifest's nested settings keep their fields in a fixed order: Map.of's iteration order is
   * salted per JVM, so two runs with the same settings printed them in different orders.
   */
  @Test
  void manifestSettingsKeepTheirOrder() {
    JobSpec s =
        spec(
            "--input",
            "x.csv",
            "--output",
            "o",
            "--metric",
            "y:binary",
            "--bias-prior",
            "small=0.01,0.02",
            "--prior-grid",
            "flat=1,1;skeptical=20,180|28,172");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> bias = (List<Map<String, Object>>) s.toManifest().get("bias_prior");
    assertEquals(List.of("name", "mean", "sd"), List.copyOf(bias.get(0).keySet()));
    assertTrue(bias.get(0) instanceof LinkedHashMap, bias.get(0).getClass().getName());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> grid = (List<Map<String, Object>>) s.toManifest().get("prior_grid");
    assertEquals(List.of("name", "control", "treatment"), List.copyOf(grid.get(0).keySet()));
  }

  @Test
  void listFlagsRepeatAndSplitOnCommas() {
    JobSpec s =
        spec(
            "--input",
            "x.csv",
            "--output",
            "o",
            "--metric",
            "a,b",
            "--metric",
            "c",
            "--covariates=z1,z2");
    assertEquals(List.of("a", "b", "c"), s.metrics());
    assertEquals(List.of("z1", "z2"), s.covariates());
    assertEquals(TableFormat.CSV, s.inputFormat());
  }

  @Test
  void unknownOptionListsTheValidOnes() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> spec("--input", "x", "--output", "o", "--metric", "y", "--pool", "dl"));
    assertTrue(
        e.getMessage()
            .startsWith("segment-effects: unknown option --pool; valid options: --input, "),
        e.getMessage());
    assertTrue(e.getMessage().contains(", --output, "), e.getMessage());
    assertTrue(e.getMessage().endsWith("; did you mean --pooling?"), e.getMessage());
  }

  /**
   * A spec value means what the same text means as a flag: YAML 1.1's octal, hexadecimal,
   * underscore and base-60 numbers are not read as such.
   */
  @Test
  void specValuesReadAsFlagText() throws Exception {
    Path yaml = tmp.resolve("numbers.yaml");
    Files.writeString(
        yaml, "input: a\noutput: b\nmetric: y\nthreshold: 010\nseed: 010\ndraws: 0500\n");
    JobSpec s = spec("--spec", yaml.toString());
    assertEquals(10.0, s.threshold("y"));
    assertEquals(10L, s.seed());
    assertEquals(
        spec("--input", "a", "--output", "b", "--metric", "y", "--threshold", "010").thresholds(),
        s.thresholds());
    for (String bad : new String[] {"0x10", "1_0", "1:30", ".inf"}) {
      Files.writeString(yaml, "input: a\noutput: b\nmetric: y\nthreshold: " + bad + "\n");
      UsageException e =
          assertThrows(UsageException.class, () -> spec("--spec", yaml.toString()), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  /** Spec text as the flag's: no YAML 1.1 booleans, merge keys kept, lists split at commas. */
  @Test
  void specScalarsStayTheirText() throws Exception {
    Path yaml = tmp.resolve("text.yaml");
    Files.writeString(
        yaml,
        String.join(
            "\n",
            "<<: {draws: 300, seed: !!int 010}",
            "input: a",
            "output: b",
            "metric: y",
            "currency: NO",
            "control-arm: no",
            "variants: [\"yes,on\"]",
            "kh-truncate: TRUE",
            "csv-delimiter: \"\\t\"",
            ""));
    JobSpec s = spec("--spec", yaml.toString());
    assertEquals(300, s.draws());
    assertEquals(10L, s.seed());
    assertEquals("NO", s.currency());
    assertEquals("no", s.controlArm());
    assertEquals(List.of("yes", "on"), s.variants());
    assertTrue(s.khTruncate());
    assertEquals('\t', s.csvDelimiter());
  }

  @Test
  void specMistakesAreNamed() throws Exception {
    Path yaml = tmp.resolve("m.yaml");
    String base = "input: a\noutput: b\nmetric: y\n";
    Files.writeString(yaml, base + "min-segments: 3\nmin_segments: 50\n");
    UsageException e = assertThrows(UsageException.class, () -> spec("--spec", yaml.toString()));
    assertTrue(
        e.getMessage().contains("'min-segments' and 'min_segments' both set"), e.getMessage());
    Files.writeString(yaml, base + "variants: [1, ~]\n");
    e = assertThrows(UsageException.class, () -> spec("--spec", yaml.toString()));
    assertTrue(e.getMessage().contains("has an empty item"), e.getMessage());
    Files.writeString(yaml, base + "kh-truncate: yes\n");
    e = assertThrows(UsageException.class, () -> spec("--spec", yaml.toString()));
    assertTrue(e.getMessage().contains("'yes' is not a valid flag"), e.getMessage());
    Files.writeString(yaml, base + "draws: 300\ndraws: 400\n");
    e = assertThrows(UsageException.class, () -> spec("--spec", yaml.toString()));
    assertTrue(
        e.getMessage().contains("found duplicate key draws (line 5, column 1)"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    e =
        assertThrows(
            UsageException.class, () -> spec("--spec", yaml.toString(), "--spec", "other.yaml"));
    assertTrue(e.getMessage().contains("--spec is given 2 times"), e.getMessage());
    Files.writeString(yaml, base + "threshold: !!pairs [revenue: 0.25]\n");
    e = assertThrows(UsageException.class, () -> spec("--spec", yaml.toString()));
    assertTrue(
        e.getMessage().contains("the tag !!pairs is not read; write a mapping"), e.getMessage());
    assertTrue(e.getMessage().contains("(line 4, column 12)"), e.getMessage());
  }

  /** {@code !!set} reads as a list and {@code !!omap} as a mapping, as their untagged forms. */
  @Test
  void specCollectionTagsReadAsTheirPlainForms() throws Exception {
    Path yaml = tmp.resolve("tags.yaml");
    String base = "input: a\noutput: b\nmetric: revenue\n";
    Files.writeString(yaml, base + "variants: !!set {1, 2}\nthreshold: !!omap [revenue: 0.25]\n");
    JobSpec tagged = spec("--spec", yaml.toString());
    Files.writeString(yaml, base + "variants: [1, 2]\nthreshold: {revenue: 0.25}\n");
    JobSpec plain = spec("--spec", yaml.toString());
    assertEquals(List.of("1", "2"), tagged.variants());
    assertEquals(plain.variants(), tagged.variants());
    assertEquals(0.25, tagged.threshold("revenue"));
    assertEquals(plain.thresholds(), tagged.thresholds());
  }

  @Test
  void specTypoNamesTheKey() throws Exception {
    Path yaml = tmp.resolve("typo.yaml");
    Files.writeString(yaml, "input: a\noutput: b\nmetric: y\npoolling: reml\n");
    UsageException e = assertThrows(UsageException.class, () -> spec("--spec", yaml.toString()));
    assertTrue(e.getMessage().contains("unknown key 'poolling'"), e.getMessage());
    assertTrue(e.getMessage().contains("pooling"), e.getMessage());
  }

  @Test
  void badValuesAreNamed() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> spec("--input", "x", "--output", "o", "--metric", "y", "--pooling", "bayes"));
    assertEquals("--pooling: 'bayes' is not one of reml|dl|moments|full", e.getMessage());
    e =
        assertThrows(
            UsageException.class,
            () -> spec("--input", "x", "--output", "o", "--metric", "y", "--draws", "many"));
    assertTrue(e.getMessage().startsWith("--draws: 'many' is not a valid int"), e.getMessage());
    e =
        assertThrows(
            UsageException.class,
            () -> spec("--input", "x", "--output", "o", "--metric", "y", "--draws", "５００"));
    assertTrue(e.getMessage().startsWith("--draws: '５００' is not a valid int"), e.getMessage());
    // Java's literal forms are typos here, never numbers (DecimalText).
    for (String javaLiteral : new String[] {"0.25d", "1.5f", "0x1p3"}) {
      e =
          assertThrows(
              UsageException.class,
              () ->
                  spec(
                      "--input",
                      "x",
                      "--output",
                      "o",
                      "--metric",
                      "y",
                      "--threshold",
                      javaLiteral));
      assertTrue(e.getMessage().contains("'" + javaLiteral + "'"), e.getMessage());
    }
    e = assertThrows(UsageException.class, () -> spec("--input", "x", "--output", "o"));
    assertTrue(e.getMessage().contains("missing required option --metric"), e.getMessage());
    e =
        assertThrows(
            UsageException.class,
            () -> spec("--input", "x", "--output", "o", "--metric", "y", "--users", "10"));
    assertTrue(
        e.getMessage().contains("needs all of --users, --value-per-unit and --cost"),
        e.getMessage());
    e =
        assertThrows(
            UsageException.class, () -> spec("--input", "x", "--output", "o", "--metric", "arm"));
    assertTrue(e.getMessage().contains("column 'arm' is named twice"), e.getMessage());
  }

  @Test
  void usageListsEveryOptionWithItsDefault() {
    String u = OptionValues.usage(JobSpec.COMMAND, "x", JobSpec.OPTIONS);
    for (OptionDef d : JobSpec.OPTIONS) {
      assertTrue(u.contains("--" + d.name()), d.name());
    }
    assertTrue(u.contains("(default full)"), u);
  }

  /** YAML's own maps and lists read as the flag syntax does. */
  @Test
  void specAcceptsNativeMapsAndLists() throws Exception {
    Path yaml = tmp.resolve("native.yaml");
    Files.writeString(
        yaml,
        String.join(
            "\n",
            "input: data.csv",
            "output: out",
            "metrics: [revenue, converted:binary]",
            "threshold: {revenue: 0.25, converted: 0.01}",
            "users: 1000",
            "value-per-unit: {revenue: 1, converted: 38}",
            "cost: 0",
            "bias-prior: {small: [0.01, 0.02], large: [0.05, 0.05]}",
            "prior-grid:",
            "  flat: [1, 1]",
            "  skeptical: [[20, 180], [28, 172]]",
            "nig-prior: [0, 1.0e-4, 1.0e-3, 1.0e-3]",
            "expected_split: {0: 50, 1: 50}",
            ""));
    JobSpec s = spec("--spec", yaml.toString());
    assertEquals(List.of("revenue", "converted:binary"), s.metrics());
    assertEquals(0.25, s.threshold("revenue"));
    assertEquals(0.01, s.threshold("converted"));
    assertEquals(38.0, s.valuePerUnit().get("converted"));
    assertEquals(2, s.biasPrior().size());
    assertEquals(new JobSpec.BiasScenario("large", 0.05, 0.05), s.biasPrior().get(1));
    assertEquals("skeptical", s.priorGrid().get(1).name());
    assertEquals(28, s.priorGrid().get(1).treatment()[0]);
    assertEquals(20, s.priorGrid().get(1).control()[0]);
    assertEquals(1e-4, s.nigPrior()[1]);
    assertEquals("0=50,1=50", s.expectedSplit());
    assertEquals("spec", s.settingSources().get("threshold"));
  }

  /** The string forms keep working: the same settings written as flag text. */
  @Test
  void specStringFormsMatchNativeOnes() throws Exception {
    Path yaml = tmp.resolve("text.yaml");
    Files.writeString(
        yaml,
        "input: data.csv\noutput: out\nmetrics: revenue,converted:binary\n"
            + "threshold: revenue=0.25,converted=0.01\nbias-prior: small=0.01,0.02\n"
            + "prior-grid: flat=1,1;skeptical=20,180|28,172\n");
    JobSpec s = spec("--spec", yaml.toString());
    assertEquals(List.of("revenue", "converted:binary"), s.metrics());
    assertEquals(0.25, s.threshold("revenue"));
    assertEquals("small", s.biasPrior().get(0).name());
    assertEquals(172, s.priorGrid().get(1).treatment()[1]);
  }

  @Test
  void nativeMapWithAnUnknownMetricIsRefused() throws Exception {
    Path yaml = tmp.resolve("typo.yaml");
    Files.writeString(yaml, "input: a.csv\noutput: b\nmetric: revenue\nthreshold: {revenu: 0.1}\n");
    UsageException e = assertThrows(UsageException.class, () -> spec("--spec", yaml.toString()));
    assertEquals(
        "--threshold names metric 'revenu', which is not a --metric (metrics: revenue)",
        e.getMessage());
  }
}
