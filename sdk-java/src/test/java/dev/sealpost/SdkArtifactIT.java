package dev.sealpost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The packaged SDK as a partner's build receives it (issue 16): the library only (no picocli, no
 * CLI classes), a stable {@code Automatic-Module-Name}, and the sources and javadoc jars beside it.
 * Runs in {@code verify}, after {@code package} wrote the jars.
 */
class SdkArtifactIT {
  private static final Path DIR = Path.of(System.getProperty("sealpost.sdk.dir", "target"));
  private static final String NAME =
      System.getProperty("sealpost.sdk.finalName", "sealpost-sdk-0.2.0");

  private static List<String> entries(String suffix) throws IOException {
    Path jar = DIR.resolve(NAME + suffix + ".jar");
    assertThat(jar).as("built by package").isRegularFile();
    try (JarFile j = new JarFile(jar.toFile())) {
      return j.stream().map(e -> e.getName()).collect(Collectors.toList());
    }
  }

  @Test
  void libraryJar_holdsNoCliAndNoPicocli() throws IOException {
    List<String> names = entries("");
    assertThat(names).contains("dev/sealpost/client/EnvelopeClient.class");
    assertThat(names)
        .noneMatch(n -> n.startsWith("picocli/"))
        .noneMatch(n -> n.startsWith("dev/sealpost/cli/"))
        .noneMatch(n -> n.startsWith("com/nimbusds/"));
  }

  @Test
  void libraryJar_namesItsModule() throws IOException {
    try (JarFile j = new JarFile(DIR.resolve(NAME + ".jar").toFile())) {
      assertThat(j.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("dev.sealpost.sdk");
      assertThat(j.getManifest().getMainAttributes().getValue("Implementation-Version"))
          .isNotBlank();
    }
  }

  @Test
  void sourcesAndJavadocJars_areBuilt() throws IOException {
    assertThat(entries("-sources"))
        .contains("dev/sealpost/client/EnvelopeClient.java", "dev/sealpost/envelope/Manifest.java");
    assertThat(entries("-javadoc"))
        .contains("index.html", "dev/sealpost/client/EnvelopeClient.html")
        .noneMatch(n -> n.startsWith("dev/sealpost/internal/"));
  }

  @Test
  void pom_hasNimbusAsItsOneRuntimeDependency() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    assertThat(pom).doesNotContain("picocli");
    String runtime =
        pom.replaceAll(
            "(?s)<dependency>(?:(?!</dependency>).)*<scope>test</scope>.*?</dependency>", "");
    assertThat(runtime.split("<dependency>", -1)).hasSize(2);
    assertThat(runtime).contains("<artifactId>nimbus-jose-jwt</artifactId>");
  }
}
