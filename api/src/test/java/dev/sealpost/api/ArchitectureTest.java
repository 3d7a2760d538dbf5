package dev.sealpost.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** STYLE.md: the domain depends on nothing technical; the layers point inwards. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sealpost.api");

  @Test
  void domain_importsNoFramework() {
    noClasses()
        .that()
        .resideInAPackage("dev.sealpost.api.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta..",
            "javax.sql..",
            "java.sql..",
            "com.nimbusds..",
            "software.amazon..",
            "org.eclipse.microprofile..")
        .check(CLASSES);
  }

  /** The domain is the innermost layer: no application, adapter or edge type in it. */
  @Test
  void domain_dependsOnNoOuterLayer() {
    noClasses()
        .that()
        .resideInAPackage("dev.sealpost.api.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.sealpost.api.application..",
            "dev.sealpost.api.infrastructure..",
            "dev.sealpost.api.interfaces..")
        .check(CLASSES);
  }

  @Test
  void application_dependsOnlyOnTheDomain() {
    noClasses()
        .that()
        .resideInAPackage("dev.sealpost.api.application..")
        .should()
        .dependOnClassesThat()
        // Nimbus JWK types are allowed here: they are the sdk's recipient-key currency.
        .resideInAnyPackage(
            "jakarta.ws.rs..",
            "java.sql..",
            "dev.sealpost.api.infrastructure..",
            "dev.sealpost.api.interfaces..")
        .check(CLASSES);
  }

  /** Issue 11: the envelope format and its crypto live in sdk-java's public API only. */
  @Test
  void application_usesNoSdkInternals() {
    noClasses()
        .that()
        .resideInAPackage("dev.sealpost.api.application..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sealpost.internal..")
        .check(CLASSES);
  }

  /** Issue 11: one AEAD helper, in infrastructure/keys behind the SecretSealer port. */
  @Test
  void application_usesNoRawCrypto() {
    noClasses()
        .that()
        .resideInAPackage("dev.sealpost.api.application..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("javax.crypto..")
        .check(CLASSES);
  }

  /**
   * Issue 11: the HTTP edge reaches adapters only through ports (domain or application types) that
   * CDI injects; it never names an infrastructure class.
   */
  @Test
  void interfaces_reachInfrastructureOnlyThroughPorts() {
    noClasses()
        .that()
        .resideInAPackage("dev.sealpost.api.interfaces..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sealpost.api.infrastructure..")
        .check(CLASSES);
  }

  @Test
  void infrastructure_doesNotReachIntoTheRestEdge() {
    noClasses()
        .that()
        .resideInAPackage("dev.sealpost.api.infrastructure..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.sealpost.api.interfaces..", "jakarta.ws.rs..")
        .check(CLASSES);
  }
}
