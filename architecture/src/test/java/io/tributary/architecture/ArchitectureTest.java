package io.tributary.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The module rules of {@code docs/architecture.md}, checked on the compiled main classes of core
 * and every connector: a failing rule names each offending class and dependency.
 */
class ArchitectureTest {
  private static final String[] CORE_INTERNALS = {"io.tributary.internal..", "io.tributary.streaming.internal.."};
  private static final String[] CONNECTORS = {
    "io.tributary.kafka..", "io.tributary.mqtt..", "io.tributary.zeromq..", "io.tributary.twitter..",
    "io.tributary.hadoop..", "io.tributary.flume..", "io.tributary.kinesis..", "io.tributary.ui..", "io.tributary.spark.."
  };

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .importPackages("io.tributary")
          .that(com.tngtech.archunit.base.DescribedPredicate.describe(
              "main classes", c -> !c.getPackageName().startsWith("io.tributary.architecture")
                  && c.getSource().map(s -> !s.getUri().toString().contains("/test-classes/")).orElse(true)));

  @Test
  void everyRuleSeesTheClassesOfCoreAndConnectors() {
    org.assertj.core.api.Assertions.assertThat(MAIN.containPackage("io.tributary.streaming")).isTrue();
    org.assertj.core.api.Assertions.assertThat(MAIN.containPackage("io.tributary.kafka")).isTrue();
    org.assertj.core.api.Assertions.assertThat(MAIN.containPackage("io.tributary.mqtt")).isTrue();
    org.assertj.core.api.Assertions.assertThat(MAIN.containPackage("io.tributary.hadoop")).isTrue();
    org.assertj.core.api.Assertions.assertThat(MAIN.containPackage("io.tributary.flume")).isTrue();
    org.assertj.core.api.Assertions.assertThat(MAIN.containPackage("io.tributary.flume.sink")).isTrue();
    org.assertj.core.api.Assertions.assertThat(MAIN.containPackage("io.tributary.kinesis")).isTrue();
    org.assertj.core.api.Assertions.assertThat(MAIN.containPackage("io.tributary.ui")).isTrue();
    org.assertj.core.api.Assertions.assertThat(MAIN.containPackage("io.tributary.spark")).isTrue();
  }

  @Test
  void packagesFormNoCycle() {
    noPackageCycles("io.tributary.(**)").check(MAIN);
  }

  @Test
  void theRulesCatchWhatTheyForbid() {
    JavaClasses fixtures = new ClassFileImporter().importPackages("io.tributary.architecture.fixture");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> publicSignaturesNameNoInternalType().check(fixtures))
        .hasMessageContaining("io.tributary.architecture.fixture.Leaky exposes internal type "
            + "io.tributary.architecture.fixture.internal.Hidden");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> noPackageCycles("io.tributary.architecture.fixture.(**)").check(fixtures))
        .hasMessageContaining("Cycle detected: Slice a");
  }

  private static com.tngtech.archunit.lang.ArchRule noPackageCycles(String slices) {
    return slices().matching(slices).should().beFreeOfCycles();
  }

  @Test
  void connectorsUseOnlyThePublicApiAndSpiOfCore() {
    noClasses().that().resideInAnyPackage(CONNECTORS)
        .should().dependOnClassesThat().resideInAnyPackage(CORE_INTERNALS)
        .because("connectors build on the public API and SPI of core only (docs/architecture.md)")
        .check(MAIN);
  }

  @Test
  void publicTypesNameNoInternalTypeInTheirSignatures() {
    publicSignaturesNameNoInternalType().check(MAIN);
  }

  private static com.tngtech.archunit.lang.ArchRule publicSignaturesNameNoInternalType() {
    return classes().that().arePublic().and().resideOutsideOfPackage("..internal..")
        .should(exposeNoInternalType());
  }

  /** Public and protected members, supertypes and throws clauses mention no type of an internal package. */
  private static ArchCondition<JavaClass> exposeNoInternalType() {
    return new ArchCondition<>("name no internal type in a public or protected signature") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        List<JavaType> exposed = new ArrayList<>();
        type.getSuperclass().ifPresent(exposed::add);
        exposed.addAll(type.getInterfaces());
        for (JavaMember member : type.getMembers()) {
          if (!member.getModifiers().contains(JavaModifier.PUBLIC)
              && !member.getModifiers().contains(JavaModifier.PROTECTED)) {
            continue;
          }
          if (member instanceof JavaField field) {
            exposed.add(field.getType());
          } else if (member instanceof JavaCodeUnit code) {
            exposed.add(code.getReturnType());
            exposed.addAll(code.getParameterTypes());
            code.getThrowsClause().getTypes().forEach(exposed::add);
          }
        }
        for (JavaType t : exposed) {
          for (JavaClass raw : t.getAllInvolvedRawTypes()) {
            if (raw.getPackageName().contains(".internal")) {
              events.add(SimpleConditionEvent.violated(
                  type, type.getName() + " exposes internal type " + raw.getName() + " (in " + t.getName() + ")"));
            }
          }
        }
      }
    };
  }
}
