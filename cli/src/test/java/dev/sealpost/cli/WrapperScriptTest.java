package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sealpost} and {@code benchmarks/compare-cli.sh} run the jar this module builds, and
 * build it (with the SDK) when it is missing, as on a fresh clone.
 */
class WrapperScriptTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final String JAR = "cli/target/sealpost-cli.jar";

  @Test
  void thisModuleBuildsTheJarTheScriptsRun() throws IOException {
    String pom = Files.readString(ROOT.resolve("cli/pom.xml"));
    assertThat(pom)
        .contains("<artifactId>sealpost-cli</artifactId>")
        .contains("<finalName>sealpost-cli</finalName>")
        .contains("<mainClass>dev.sealpost.cli.SealpostCli</mainClass>");
    for (String script : new String[] {"sealpost", "benchmarks/compare-cli.sh"}) {
      String text = Files.readString(ROOT.resolve(script));
      assertThat(text)
          .as(script)
          .contains(JAR)
          .contains("-pl cli -am -DskipTests package")
          .doesNotContain("sdk-java/target");
    }
  }
}
