package io.segfx.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies between segfx's layers (CONTRIBUTING: layers stay apart): the
 * statistics kernels and the domain records know nothing of Spark, the jobs, the reports or the
 * command line; the Spark plumbing never reaches up into the jobs; reports take domain values, not
 * Spark rows; and nothing but the command line depends on the command line. Each test asserts that
 * its rule found no violation, and that the packages it speaks of were imported at all (a rule over
 * no classes would pass vacuously).
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.segfx");
  }

  private static void assertHolds(ArchRule rule, String pkg) {
    assertTrue(
        classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)),
        "no classes imported from " + pkg);
    EvaluationResult result = rule.evaluate(classes);
    assertTrue(!result.hasViolation(), result.getFailureReport().toString());
  }

  @Test
  void statsArePureJava() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("io.segfx.stats..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.apache.spark..",
                "scala..",
                "io.segfx.model..",
                "io.segfx.job..",
                "io.segfx.report..",
                "io.segfx.spark..",
                "io.segfx.config..",
                "io.segfx.cli..",
                "io.segfx.io..",
                "io.segfx.sim..")
            .because(
                "the kernels are pure Java, testable without Spark, the jobs or the domain"
                    + " records"),
        "io.segfx.stats");
  }

  @Test
  void modelIsPlainData() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("io.segfx.model..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.apache.spark..",
                "io.segfx.stats..",
                "io.segfx.job..",
                "io.segfx.report..",
                "io.segfx.spark..",
                "io.segfx.config..",
                "io.segfx.cli..",
                "io.segfx.io..")
            .because("domain records travel between every layer and must not drag one in"),
        "io.segfx.model");
  }

  @Test
  void sparkNeverReachesIntoJobs() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("io.segfx.spark..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.segfx.job..", "io.segfx.cli..")
            .because("the Spark plumbing serves the jobs, not the other way round"),
        "io.segfx.spark");
  }

  @Test
  void reportsTakeDomainValues() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("io.segfx.report..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.apache.spark..", "io.segfx.job..", "io.segfx.cli..")
            .because(
                "reports render domain records, so they can be tested and reused without Spark"),
        "io.segfx.report");
  }

  /**
   * Settings are read and checked without Spark, the statistics kernels or the stages that use
   * them: config holds plain validated values, and the job layer builds the kernels' types from
   * them.
   */
  @Test
  void configKnowsNothingOfSparkTheKernelsOrTheJobs() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("io.segfx.config..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.apache.spark..",
                "scala..",
                "io.segfx.stats..",
                "io.segfx.spark..",
                "io.segfx.job..",
                "io.segfx.report..",
                "io.segfx.io..",
                "io.segfx.sim..",
                "io.segfx.cli..")
            .because(
                "a job spec is loaded and validated before any Spark session or kernel is used"),
        "io.segfx.config");
  }

  @Test
  void onlyTheCommandLineUsesTheCommandLine() {
    assertHolds(
        noClasses()
            .that()
            .resideOutsideOfPackage("io.segfx.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.segfx.cli..")
            .because("the command line is the outermost layer"),
        "io.segfx.cli");
  }

  @Test
  void nothingDependsOnTheTools() {
    assertHolds(
        noClasses()
            .that()
            .resideOutsideOfPackage("io.segfx.tools..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.segfx.tools..")
            .because(
                "the calibration study and the benchmarks use the application, not the reverse"),
        "io.segfx.tools");
  }

  @Test
  void generatorsRunNoJob() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("io.segfx.sim..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.segfx.job..")
            .because("sim generates data; whatever runs a job on it is a tool"),
        "io.segfx.sim");
  }

  @Test
  void utilitiesDependOnNothingOfOurs() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("io.segfx.util..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.apache.spark..",
                "io.segfx.stats..",
                "io.segfx.model..",
                "io.segfx.config..",
                "io.segfx.spark..",
                "io.segfx.job..",
                "io.segfx.io..",
                "io.segfx.report..",
                "io.segfx.sim..",
                "io.segfx.tools..",
                "io.segfx.cli..")
            .because("every layer may use the shared checks, so they may use no layer"),
        "io.segfx.util");
  }
}
