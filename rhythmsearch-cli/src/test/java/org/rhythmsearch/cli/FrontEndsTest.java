package org.rhythmsearch.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * Issue 27, point 4: no leaks between the front ends. The command line writes its JSON through
 * rhythmsearch-json, not the HTTP module; only {@code serve} and {@code bench serve} start the HTTP
 * service; no front end names a store backend (Stores opens them by address).
 */
class FrontEndsTest {

  static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.rhythmsearch");

  @Test
  void onlyServeAndBenchServeUseTheHttpModule() {
    EvaluationResult r = noClasses().that().resideInAPackage("org.rhythmsearch.cli..")
        .and().doNotHaveSimpleName("ServeCommand").and().doNotHaveSimpleName("BenchServeCommand")
        .should().dependOnClassesThat().resideInAPackage("org.rhythmsearch.http..").evaluate(ALL);
    assertThat(r.hasViolation()).as(String.join("\n", r.getFailureReport().getDetails())).isFalse();
  }

  @Test
  void noFrontEndNamesAStoreBackend() {
    assertThat(ALL.containPackage("org.rhythmsearch.http")).as("the HTTP module is on the test classpath").isTrue();
    EvaluationResult r = noClasses().that().resideInAnyPackage("org.rhythmsearch.cli..", "org.rhythmsearch.http..",
            "org.rhythmsearch.json..")
        .should().dependOnClassesThat().haveSimpleName("RedisStore").evaluate(ALL);
    assertThat(r.hasViolation()).as(String.join("\n", r.getFailureReport().getDetails())).isFalse();
  }
}
