package io.segfx.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The direction of dependencies between segfx's layers (CONTRIBUTING: layers stay apart): the
 * statistics kernels and the domain records know nothing of Spark, the jobs, the reports or the
 * command line; the Spark plumbing never reaches up into the jobs; reports take domain values, not
 * Spark rows; and nothing but the command line depends on the command line.
 */
@AnalyzeClasses(packages = "io.segfx", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule statsArePureJava =
      noClasses()
          .that()
          .resideInAPackage("io.segfx.stats..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.spark..",
              "scala..",
              "io.segfx.job..",
              "io.segfx.report..",
              "io.segfx.spark..",
              "io.segfx.config..",
              "io.segfx.cli..",
              "io.segfx.io..",
              "io.segfx.sim..")
          .because("the kernels are pure Java, testable without Spark or the jobs");

  @ArchTest
  static final ArchRule modelIsPlainData =
      noClasses()
          .that()
          .resideInAPackage("io.segfx.model..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.spark..",
              "io.segfx.job..",
              "io.segfx.report..",
              "io.segfx.spark..",
              "io.segfx.config..",
              "io.segfx.cli..",
              "io.segfx.io..")
          .because("domain records travel between every layer and must not drag one in");

  @ArchTest
  static final ArchRule sparkNeverReachesIntoJobs =
      noClasses()
          .that()
          .resideInAPackage("io.segfx.spark..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.segfx.job..", "io.segfx.cli..")
          .because("the Spark plumbing serves the jobs, not the other way round");

  @ArchTest
  static final ArchRule reportsTakeDomainValues =
      noClasses()
          .that()
          .resideInAPackage("io.segfx.report..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.spark..", "io.segfx.job..", "io.segfx.cli..")
          .because("reports render domain records, so they can be tested and reused without Spark");

  @ArchTest
  static final ArchRule onlyTheCommandLineUsesTheCommandLine =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.segfx.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.segfx.cli..")
          .because("the command line is the outermost layer");
}
