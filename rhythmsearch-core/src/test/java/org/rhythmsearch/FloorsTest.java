package org.rhythmsearch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 27, point 3: the floors of the library, enforced. Each package is one stage of the pipeline
 * (util, audio, features, index, store, search, eval) and may use only the stages before it: no import
 * runs back up. (docs/ARCHITECTURE.md states the rule; this test keeps it.)
 */
class FloorsTest {

  /** The floors, lowest first. */
  static final List<String> FLOORS = List.of("util", "audio", "features", "index", "store", "search", "eval");

  static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.rhythmsearch");

  @Test
  void noFloorUsesAFloorAboveIt() {
    assertThat(CORE.size()).as("the library's classes were found").isGreaterThan(150);
    for (int i = 0; i < FLOORS.size() - 1; i++) {
      String[] above = FLOORS.subList(i + 1, FLOORS.size()).stream().map(f -> "org.rhythmsearch." + f + "..")
          .toArray(String[]::new);
      EvaluationResult r = noClasses().that().resideInAPackage("org.rhythmsearch." + FLOORS.get(i) + "..")
          .should().dependOnClassesThat().resideInAnyPackage(above)
          .because(FLOORS.get(i) + " is below " + Arrays.toString(above)).evaluate(CORE);
      assertThat(r.hasViolation()).as(String.join("\n", r.getFailureReport().getDetails())).isFalse();
    }
  }

  @Test
  void theRuleCanFail() {
    // the same rule the other way round: eval uses search, so "eval must not use search" is violated
    EvaluationResult r = noClasses().that().resideInAPackage("org.rhythmsearch.eval..")
        .should().dependOnClassesThat().resideInAPackage("org.rhythmsearch.search..").evaluate(CORE);
    assertThat(r.hasViolation()).isTrue();
  }

  @Test
  void onlyTheStorePackageNamesItsBackends() {
    EvaluationResult r = noClasses().that().resideOutsideOfPackage("org.rhythmsearch.store..")
        .should().dependOnClassesThat().haveSimpleName("RedisStore")
        .orShould().dependOnClassesThat().haveSimpleName("RedisCodec")
        .because("Stores is the one place that knows store addresses").evaluate(CORE);
    assertThat(r.hasViolation()).as(String.join("\n", r.getFailureReport().getDetails())).isFalse();
  }
}
