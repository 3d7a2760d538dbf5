package dev.sealpost.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The root Dockerfile, checked statically (Docker does not run in the build): small JRE image,
 * non-root, health check on readiness, no secrets, pinned bases, configuration by environment. Each
 * rule is also shown to fail on src/test/resources/insecure.Dockerfile.
 */
class DockerfileTest {

  static Dockerfile dockerfile;
  static Dockerfile insecure;

  @BeforeAll
  static void read() throws Exception {
    Path file = Path.of(System.getProperty("infra.dockerfile", "../Dockerfile"));
    dockerfile =
        Dockerfile.read(
            file,
            Path.of(System.getProperty("infra.dockerignore", "../.dockerignore")),
            file.toAbsolutePath().getParent());
    Path bad = Path.of(DockerfileTest.class.getResource("/insecure.Dockerfile").toURI());
    insecure = Dockerfile.read(bad, bad.resolveSibling("insecure.dockerignore"), bad.getParent());
  }

  @Test
  void image_isBuiltOnAJdkAndRunsOnAJre() {
    assertThat(DockerfileRules.multiStageJdkBuildJreRun(dockerfile)).isEmpty();
  }

  @Test
  void baseImages_arePinnedToExactReleases() {
    assertThat(DockerfileRules.baseImagesPinned(dockerfile)).isEmpty();
  }

  @Test
  void container_runsAsAnUnprivilegedUser() {
    assertThat(DockerfileRules.runsAsNonRoot(dockerfile)).isEmpty();
  }

  @Test
  void healthCheck_probesReadiness() {
    assertThat(DockerfileRules.healthCheckProbesReadiness(dockerfile)).isEmpty();
  }

  @Test
  void image_containsNoSecrets() {
    assertThat(DockerfileRules.noSecrets(dockerfile)).isEmpty();
  }

  @Test
  void entrypoint_runsPayaraMicroAtTheRootContextWithoutClustering() {
    assertThat(DockerfileRules.launchesPayaraMicroAtRoot(dockerfile)).isEmpty();
  }

  @Test
  void jvmHeap_followsTheContainersMemoryLimit() {
    assertThat(DockerfileRules.jvmSizedByContainer(dockerfile)).isEmpty();
  }

  @Test
  void configuration_comesFromSealpostEnvironmentVariablesOnly() {
    assertThat(DockerfileRules.configuredByEnvironmentOnly(dockerfile)).isEmpty();
  }

  @Test
  void buildContext_excludesBuildOutputLocalDataAndKeys() {
    assertThat(DockerfileRules.contextExcludesBuildOutputAndSecrets(dockerfile)).isEmpty();
  }

  @Test
  void entrypoint_writesOwnerOnlyFiles() {
    assertThat(DockerfileRules.dataFilesOwnerOnly(dockerfile)).isEmpty();
  }

  static final List<DockerfileRules.Rule> RULES = DockerfileRules.ALL;

  @ParameterizedTest(name = "{0}")
  @FieldSource("RULES")
  void eachRule_flagsTheInsecureDockerfile(DockerfileRules.Rule rule) {
    assertThat(rule.check().apply(insecure)).as(rule.name()).isNotEmpty();
  }

  @Test
  void everyRule_holdsForTheRealDockerfile() {
    List<String> violations =
        DockerfileRules.ALL.stream()
            .flatMap(r -> r.check().apply(dockerfile).stream().map(v -> r.name() + ": " + v))
            .toList();
    assertThat(violations).isEmpty();
  }
}
